/**
 * What every loss shares: the `Loss` interface, Keras's ε, and the pairing of targets with predictions
 * (shape alignment, one-hot encoding of class indices) that each loss does before its math.
 */
import { reshape } from '../ops/shape.js';
import { allocData } from '../tensor/precision.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFiniteTargets, type OutputShape } from './loss-targets.js';

/** Keras's fuzz factor (`backend.epsilon()`): probabilities are clipped to [ε, 1 − ε] before a log. */
export const EPSILON = 1e-7;

/** A loss function: per-sample values for the batch, plus the check of targets against the model output. */
export interface Loss {
  /** Canonical camelCase name, e.g. 'binaryCrossentropy'. */
  readonly name: string;
  /** Whether predictions are logits (the fused sigmoid/softmax cross-entropy) rather than probabilities. */
  readonly fromLogits: boolean;
  /** Options that define this loss beyond its name (e.g. `{ delta: 1 }` for huber), for saving. */
  readonly config?: Readonly<Record<string, number | boolean>>;
  /** Per-sample loss, shape [batch]: Keras reduces the last axis (mean) for elementwise losses. Recorded for autodiff. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * Throws a clear error when the targets don't suit this loss for a model output of shape `outputShape`
   * (batch first; the batch entry is ignored and may be null or -1). Called before any training step.
   */
  checkTargets(yTrue: Tensor, outputShape: OutputShape): void;
}

export type { OutputShape } from './loss-targets.js';

/** Losses take tensors only: a clear error beats a confusing one deep inside an op. */
export function assertTensor(name: string, arg: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${name}: ${arg} must be a Tensor, got ${typeof t}`);
}

/**
 * Predictions as [batch, ...] (a rank-1 prediction is a column), and targets of exactly that shape: a
 * target [n] for a prediction [n, 1] is reshaped, as Keras does. Anything else that differs is an error —
 * silent broadcasting of [n] against [n, 1] into [n, n] is the classic wrong-loss bug.
 */
export function alignPair(name: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  assertTensor(name, 'yTrue', yTrue);
  assertTensor(name, 'yPred', yPred);
  if (yPred.rank === 0) throw new Error(`${name}: predictions must have a batch axis, got a scalar`);
  const pred = yPred.rank === 1 ? reshape(yPred, [yPred.shape[0], 1]) : yPred;
  if (shapesEqual(yTrue.shape, pred.shape)) return [yTrue, pred];
  if (
    yTrue.size === pred.size &&
    shapesEqual(yTrue.shape, pred.shape.slice(0, -1)) &&
    pred.shape.at(-1) === 1
  ) {
    return [reshape(yTrue, pred.shape), pred];
  }
  throw new Error(
    `${name}: targets have shape ${formatShape(yTrue.shape)} but predictions have shape ${formatShape(yPred.shape)}; they must match`,
  );
}

/** One-hot rows [batch, k] from class indices of shape [batch] or [batch, 1]; no gradient. */
export function oneHotTargets(name: string, yTrue: Tensor, yPred: Tensor): Tensor {
  assertTensor(name, 'yTrue', yTrue);
  assertTensor(name, 'yPred', yPred);
  if (yPred.rank < 2) {
    throw new Error(`${name}: predictions must have shape [batch, classes], got ${formatShape(yPred.shape)}`);
  }
  const k = yPred.shape[yPred.rank - 1];
  const rows = yPred.size / k;
  if (yTrue.size !== rows) {
    throw new Error(
      `${name}: expected one class index per sample (${rows} for predictions of shape ${formatShape(yPred.shape)}), ` +
        `got targets of shape ${formatShape(yTrue.shape)}`,
    );
  }
  const out = allocData(yPred.size);
  for (let r = 0; r < rows; r++) {
    // TF.js floors the indices before its one-hot; an index outside [0, k) would silently give a zero row.
    const c = Math.floor(yTrue.values[r]);
    if (!(c >= 0 && c < k)) {
      throw new Error(`${name}: target row ${r} is class ${yTrue.values[r]}, outside 0..${k - 1}`);
    }
    out[r * k + c] = 1;
  }
  return new Tensor(out, yPred.shape);
}

/** A Loss from its math and its target check; `checkTargets` first rejects non-finite targets. */
export function defineLoss(
  name: string,
  fromLogits: boolean,
  config: Record<string, number | boolean> | undefined,
  perSample: (yTrue: Tensor, yPred: Tensor) => Tensor,
  check: (loss: string, yTrue: Tensor, outputShape: OutputShape) => void,
): Loss {
  return {
    name,
    fromLogits,
    ...(config ? { config } : {}),
    perSample,
    checkTargets(yTrue, outputShape) {
      checkFiniteTargets(name, yTrue);
      check(name, yTrue, outputShape);
    },
  };
}
