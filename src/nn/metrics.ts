/**
 * Training metrics, Keras-style and stateful over an epoch. Mean metrics (accuracies, mse, mae) keep a
 * running sum of per-sample values and a sample count, so batches of different sizes weigh by their size
 * and the epoch value equals the value on the whole set; precision, recall and AUC accumulate counts.
 * Per-sample values follow TF.js 4.22: binaryAccuracy is the mean over the last axis of (ŷ > threshold) = y.
 */
import type { Tensor } from '../tensor/tensor.js';
import { auc, precision, recall } from './confusion-metrics.js';
import { canonicalIdentifier, normalizeIdentifier } from './identifiers.js';
import { type OutputShape, outputWidth } from './loss-targets.js';
import { argMaxRow, checkThreshold, indexRows, type Metric, pairRows, type Rows } from './metric-base.js';

export type { AucOptions, ThresholdOptions } from './confusion-metrics.js';
export type { Metric } from './metric-base.js';

/** Options shared by the metrics: the key in logs and history. */
export interface MetricOptions {
  name?: string;
}

/** Options of binaryAccuracy. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction is class 1 when strictly above this. Default 0.5. */
  threshold?: number;
}

/** A mean over samples of a per-sample value that `sumRows` adds up for one batch. */
class MeanMetric implements Metric {
  private total = 0;
  private count = 0;

  constructor(
    readonly name: string,
    private readonly pair: (metric: string, yTrue: Tensor, yPred: Tensor) => Rows,
    private readonly sumRows: (rows: Rows) => number,
  ) {}

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  update(yTrue: Tensor, yPred: Tensor): void {
    const rows = this.pair(this.name, yTrue, yPred);
    this.total += this.sumRows(rows);
    this.count += rows.rows;
  }

  result(): number {
    return this.count > 0 ? this.total / this.count : 0;
  }
}

/**
 * Binary accuracy: per sample, the fraction of outputs where (ŷ > threshold) equals the label.
 * @example
 * const m = ax.metrics.binaryAccuracy();
 * m.update(ax.tensor([[1], [0]]), ax.tensor([[0.7], [0.6]]));
 * m.result(); // 0.5
 */
export function binaryAccuracy(options: BinaryAccuracyOptions = {}): Metric {
  const threshold = checkThreshold('binaryAccuracy', options.threshold ?? 0.5);
  return new MeanMetric(options.name ?? 'binaryAccuracy', pairRows, ({ t, p, rows, cols }) => {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let hits = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) if ((p[j] > threshold ? 1 : 0) === t[j]) hits++;
      total += hits / cols;
    }
    return total;
  });
}

/**
 * Categorical accuracy: 1 where argMax of the prediction row equals argMax of the one-hot target row.
 * @example
 * const m = ax.metrics.categoricalAccuracy();
 * m.update(ax.tensor([[0, 1], [1, 0]]), ax.tensor([[0.3, 0.7], [0.4, 0.6]]));
 * m.result(); // 0.5
 */
export function categoricalAccuracy(options: MetricOptions = {}): Metric {
  return new MeanMetric(options.name ?? 'categoricalAccuracy', pairRows, ({ t, p, rows, cols }) => {
    let hits = 0;
    for (let r = 0; r < rows; r++) if (argMaxRow(t, r * cols, cols) === argMaxRow(p, r * cols, cols)) hits++;
    return hits;
  });
}

/**
 * Sparse categorical accuracy: 1 where argMax of the prediction row equals the class-index target.
 * @example
 * const m = ax.metrics.sparseCategoricalAccuracy();
 * m.update(ax.tensor([1, 0]), ax.tensor([[0.3, 0.7], [0.4, 0.6]]));
 * m.result(); // 0.5
 */
export function sparseCategoricalAccuracy(options: MetricOptions = {}): Metric {
  return new MeanMetric(options.name ?? 'sparseCategoricalAccuracy', indexRows, ({ t, p, rows, cols }) => {
    let hits = 0;
    for (let r = 0; r < rows; r++) if (argMaxRow(p, r * cols, cols) === t[r]) hits++;
    return hits;
  });
}

/**
 * Mean squared error metric: per sample the mean over the last axis of (ŷ − y)², averaged over samples.
 * @example
 * const m = ax.metrics.meanSquaredError();
 * m.update(ax.tensor([[1, 2]]), ax.tensor([[1, 4]]));
 * m.result(); // 2
 */
export function meanSquaredError(options: MetricOptions = {}): Metric {
  return new MeanMetric(options.name ?? 'meanSquaredError', pairRows, ({ t, p, rows, cols }) => {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) s += (p[j] - t[j]) * (p[j] - t[j]);
      total += s / cols;
    }
    return total;
  });
}

/**
 * Mean absolute error metric: per sample the mean over the last axis of |ŷ − y|, averaged over samples.
 * @example
 * const m = ax.metrics.meanAbsoluteError();
 * m.update(ax.tensor([[1, 2]]), ax.tensor([[1, 4]]));
 * m.result(); // 1
 */
export function meanAbsoluteError(options: MetricOptions = {}): Metric {
  return new MeanMetric(options.name ?? 'meanAbsoluteError', pairRows, ({ t, p, rows, cols }) => {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) s += Math.abs(p[j] - t[j]);
      total += s / cols;
    }
    return total;
  });
}

/** The built-in metrics, each a factory of a fresh stateful Metric: `ax.metrics.auc({ numThresholds: 200 })`. */
export const metrics = {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  precision,
  recall,
  auc,
  meanSquaredError,
  meanAbsoluteError,
};

const metricAliases: Readonly<Record<string, string>> = { mse: 'meanSquaredError', mae: 'meanAbsoluteError' };

/**
 * The accuracy Keras/TF.js pick for 'accuracy': binary for a single-unit output or binaryCrossentropy,
 * sparse categorical for sparseCategoricalCrossentropy, categorical otherwise.
 */
function accuracyFor(lossName: string, outputShape: OutputShape): (o: MetricOptions) => Metric {
  const loss = typeof lossName === 'string' ? normalizeIdentifier(lossName) : '';
  if (outputWidth(outputShape) === 1 || loss === 'binarycrossentropy' || loss === 'bce')
    return binaryAccuracy;
  if (loss === 'sparsecategoricalcrossentropy') return sparseCategoricalAccuracy;
  return categoricalAccuracy;
}

/**
 * A fresh metric for `id` (any spelling: 'binaryAccuracy', 'binary_accuracy', 'MSE'), or `id` itself when
 * it is already a Metric. 'accuracy'/'acc' resolve by the loss and the output shape as in Keras; the
 * metric's own name is 'acc' (as TF.js names it), but a model logs every metric under the spelling its
 * `compile` was given ('accuracy' → `accuracy`, `val_accuracy`), as Keras does.
 * @example
 * const m = ax.getMetric('accuracy', 'categoricalCrossentropy', [null, 10]);
 * m.name; // 'acc' (a categoricalAccuracy)
 */
export function getMetric(id: string | Metric, lossName: string, outputShape: OutputShape): Metric {
  if (typeof id !== 'string') {
    if (id === null || typeof id !== 'object' || typeof id.update !== 'function') {
      throw new Error(
        `getMetric: expected a metric name or a Metric object, got ${id === null ? 'null' : typeof id}`,
      );
    }
    return id;
  }
  const key = normalizeIdentifier(id);
  if (key === 'accuracy' || key === 'acc') return accuracyFor(lossName, outputShape)({ name: 'acc' });
  const canonical = canonicalIdentifier(
    'metric',
    id,
    { accuracy: null, ...metrics },
    { acc: 'accuracy', ...metricAliases },
  );
  return (metrics[canonical as keyof typeof metrics] as (o: MetricOptions) => Metric)({ name: id });
}
