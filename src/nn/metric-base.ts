/**
 * What every metric shares: the `Metric` interface and the pairing of targets with predictions as flat
 * rows. Metrics read the buffers directly (no graph, no temporaries): they run after every batch.
 */
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A metric accumulated over an epoch: `update` once per batch, `result` for the value so far, `reset`
 * at the start of the next epoch.
 */
export interface Metric {
  /** The key used in logs and history ('acc' for accuracy, as in TF.js). */
  readonly name: string;
  reset(): void;
  update(yTrue: Tensor, yPred: Tensor): void;
  result(): number;
}

/** Targets and predictions of one batch as `rows` rows of `cols` values each. */
export interface Rows {
  readonly t: Float32Array | Float64Array;
  readonly p: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
}

function assertTensors(metric: string, yTrue: unknown, yPred: unknown): void {
  if (!(yTrue instanceof Tensor)) throw new Error(`${metric}: yTrue must be a Tensor, got ${typeof yTrue}`);
  if (!(yPred instanceof Tensor)) throw new Error(`${metric}: yPred must be a Tensor, got ${typeof yPred}`);
  if (yPred.rank === 0) throw new Error(`${metric}: predictions must have a batch axis, got a scalar`);
}

/** Rows of a prediction: everything but the last axis (a rank-1 prediction is one value per row). */
function predictionRows(yPred: Tensor): { rows: number; cols: number } {
  const cols = yPred.rank === 1 ? 1 : yPred.shape[yPred.rank - 1];
  return { rows: cols === 0 ? 0 : yPred.size / cols, cols };
}

/**
 * Targets with exactly the predictions' shape (a target [n] also pairs with a prediction [n, 1]).
 * @example pairRows('mse', ax.tensor([1, 0]), ax.tensor([[0.9], [0.2]])) // rows 2, cols 1
 */
export function pairRows(metric: string, yTrue: Tensor, yPred: Tensor): Rows {
  assertTensors(metric, yTrue, yPred);
  const same =
    yTrue.size === yPred.size &&
    (yTrue.shape.join() === yPred.shape.join() ||
      (yPred.shape.at(-1) === 1 && yTrue.shape.join() === yPred.shape.slice(0, -1).join()));
  if (!same) {
    throw new Error(
      `${metric}: targets have shape ${formatShape(yTrue.shape)} but predictions have shape ${formatShape(yPred.shape)}; they must match`,
    );
  }
  return { t: yTrue.values, p: yPred.values, ...predictionRows(yPred) };
}

/**
 * One class index per prediction row: targets [n] or [n, 1] against predictions [n, k].
 * @example indexRows('sparseCategoricalAccuracy', ax.tensor([2, 0]), probabilities) // rows 2, cols k
 */
export function indexRows(metric: string, yTrue: Tensor, yPred: Tensor): Rows {
  assertTensors(metric, yTrue, yPred);
  const { rows, cols } = predictionRows(yPred);
  if (yTrue.size !== rows || yPred.rank < 2) {
    throw new Error(
      `${metric}: expected one class index per row of the predictions ${formatShape(yPred.shape)} ` +
        `(targets of shape [${rows}] or [${rows},1]), got targets of shape ${formatShape(yTrue.shape)}`,
    );
  }
  return { t: yTrue.values, p: yPred.values, rows, cols };
}

/** Index of the largest of `cols` values starting at `offset`; the first one on ties (as argMax). */
export function argMaxRow(v: Float32Array | Float64Array, offset: number, cols: number): number {
  let best = 0;
  let bestValue = v[offset];
  for (let j = 1; j < cols; j++) {
    if (v[offset + j] > bestValue) {
      bestValue = v[offset + j];
      best = j;
    }
  }
  return best;
}

/** A threshold option: a finite number. */
export function checkThreshold(metric: string, threshold: number): number {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new Error(`${metric}: threshold must be a finite number, got ${threshold}`);
  }
  return threshold;
}
