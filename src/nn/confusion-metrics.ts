/**
 * Metrics that accumulate confusion counts over an epoch (Keras `Precision`, `Recall`, `AUC`): every
 * prediction is one binary decision (multi-column outputs are flattened), a label is positive when it is
 * non-zero, a prediction is positive when it is strictly above the threshold. Counts, not per-batch
 * ratios, are summed, so the epoch value equals the value on the whole set.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkThreshold, type Metric, pairRows } from './metric-base.js';

/** Options of precision and recall. */
export interface ThresholdOptions {
  /** A prediction counts as positive when it is strictly above this. Default 0.5. */
  threshold?: number;
  /** Key in logs and history. */
  name?: string;
}

class ConfusionAtThreshold implements Metric {
  private tp = 0;
  private fp = 0;
  private fn = 0;

  constructor(
    readonly name: string,
    private readonly kind: 'precision' | 'recall',
    private readonly threshold: number,
  ) {}

  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pairRows(this.name, yTrue, yPred);
    for (let i = 0; i < p.length; i++) {
      const predicted = p[i] > this.threshold;
      if (t[i] !== 0) {
        if (predicted) this.tp++;
        else this.fn++;
      } else if (predicted) this.fp++;
    }
  }

  result(): number {
    // divide_no_nan, as Keras: 0 when there is nothing to divide.
    const denominator = this.tp + (this.kind === 'precision' ? this.fp : this.fn);
    return denominator > 0 ? this.tp / denominator : 0;
  }
}

/**
 * Precision tp / (tp + fp) over the epoch; 0 when nothing was predicted positive.
 * @example
 * const m = ax.metrics.precision();
 * m.update(ax.tensor([[1], [0], [1]]), ax.tensor([[0.9], [0.8], [0.3]]));
 * m.result(); // 0.5
 */
export function precision(options: ThresholdOptions = {}): Metric {
  return new ConfusionAtThreshold(
    options.name ?? 'precision',
    'precision',
    checkThreshold('precision', options.threshold ?? 0.5),
  );
}

/**
 * Recall tp / (tp + fn) over the epoch; 0 when there were no positive labels.
 * @example
 * const m = ax.metrics.recall();
 * m.update(ax.tensor([[1], [0], [1]]), ax.tensor([[0.9], [0.8], [0.3]]));
 * m.result(); // 0.5
 */
export function recall(options: ThresholdOptions = {}): Metric {
  return new ConfusionAtThreshold(
    options.name ?? 'recall',
    'recall',
    checkThreshold('recall', options.threshold ?? 0.5),
  );
}

/** Options of the ROC AUC. */
export interface AucOptions {
  /** Number of thresholds, the end ones just outside [0, 1]. Default 200, as Keras. */
  numThresholds?: number;
  /** Key in logs and history. */
  name?: string;
}

/** Keras's thresholds: −ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε, rounded to float32 as Keras compares them. */
function aucThresholds(n: number): Float32Array {
  const out = new Float32Array(n);
  out[0] = -1e-7;
  for (let i = 1; i < n - 1; i++) out[i] = i / (n - 1);
  out[n - 1] = 1 + 1e-7;
  return out;
}

class RocAuc implements Metric {
  private readonly thresholds: Float32Array;
  /** positives[k] / negatives[k]: how many labels of each kind had a prediction above exactly k thresholds. */
  private readonly positives: Float64Array;
  private readonly negatives: Float64Array;

  constructor(
    readonly name: string,
    numThresholds: number,
  ) {
    this.thresholds = aucThresholds(numThresholds);
    this.positives = new Float64Array(numThresholds + 1);
    this.negatives = new Float64Array(numThresholds + 1);
  }

  reset(): void {
    this.positives.fill(0);
    this.negatives.fill(0);
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    const { t, p } = pairRows(this.name, yTrue, yPred);
    const th = this.thresholds;
    for (let i = 0; i < p.length; i++) {
      // Thresholds are ascending, so "p > th[j]" holds for j < k: binary search for k.
      let lo = 0;
      let hi = th.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (p[i] > th[mid]) lo = mid + 1;
        else hi = mid;
      }
      if (t[i] !== 0) this.positives[lo]++;
      else this.negatives[lo]++;
    }
  }

  result(): number {
    const n = this.thresholds.length;
    let totalPos = 0;
    let totalNeg = 0;
    for (let k = 0; k <= n; k++) {
      totalPos += this.positives[k];
      totalNeg += this.negatives[k];
    }
    // At threshold j, tp = positives above j thresholds or more, i.e. Σ_{k > j} positives[k].
    let tp = totalPos;
    let fp = totalNeg;
    let area = 0;
    let prevTpr = 0;
    let prevFpr = 0;
    for (let j = 0; j < n; j++) {
      tp -= this.positives[j];
      fp -= this.negatives[j];
      const tpr = totalPos > 0 ? tp / totalPos : 0;
      const fpr = totalNeg > 0 ? fp / totalNeg : 0;
      // Keras: Σ (fpr[j] − fpr[j+1]) · (tpr[j] + tpr[j+1]) / 2 — the trapezoid rule along the ROC.
      if (j > 0) area += (prevFpr - fpr) * ((prevTpr + tpr) / 2);
      prevTpr = tpr;
      prevFpr = fpr;
    }
    return area;
  }
}

/**
 * Area under the ROC curve, as Keras's `AUC()`: confusion counts at `numThresholds` fixed thresholds,
 * accumulated over the epoch, then the trapezoid rule. Predictions should be probabilities.
 * @example
 * const m = ax.metrics.auc();
 * m.update(ax.tensor([0, 0, 1, 1]), ax.tensor([0.1, 0.4, 0.35, 0.8]));
 * m.result(); // 0.75
 */
export function auc(options: AucOptions = {}): Metric {
  const n = options.numThresholds ?? 200;
  if (!Number.isInteger(n) || n < 3) {
    throw new Error(`auc: numThresholds must be an integer ≥ 3, got ${n}`);
  }
  return new RocAuc(options.name ?? 'auc', n);
}
