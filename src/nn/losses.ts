/**
 * Loss functions, with TF.js 4.22 / Keras semantics so training matches step for step: the per-sample
 * loss reduces the last axis (mean for elementwise losses), probabilities are clipped to [ε, 1 − ε] with
 * ε = 1e-7 exactly where TF.js clips, and the fromLogits variants use the engine's fused, stable kernels.
 */
import { noGrad } from '../autograd/backprop.js';
import { abs, add, div, maximum, minimum, mul, square, sub } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { canonicalIdentifier } from './identifiers.js';
import { alignPair, assertTensor, defineLoss, type Loss } from './loss-base.js';
import {
  binaryCrossentropy,
  type CrossentropyOptions,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './loss-crossentropy.js';
import { checkHingeTargets, checkSameShape } from './loss-targets.js';

export { EPSILON, type Loss, type OutputShape } from './loss-base.js';
export {
  binaryCrossentropy,
  type CrossentropyOptions,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './loss-crossentropy.js';

/**
 * Mean squared error: mean over the last axis of (ŷ − y)².
 * @example ax.losses.meanSquaredError().perSample(ax.tensor([[1, 2]]), ax.tensor([[1, 4]])) // [2]
 */
export function meanSquaredError(): Loss {
  return defineLoss(
    'meanSquaredError',
    false,
    undefined,
    (t, p) => {
      const [y, yHat] = alignPair('meanSquaredError', t, p);
      return mean(square(sub(yHat, y)), -1);
    },
    checkSameShape,
  );
}

/**
 * Mean absolute error: mean over the last axis of |ŷ − y|.
 * @example ax.losses.meanAbsoluteError().perSample(ax.tensor([[1, 2]]), ax.tensor([[1, 4]])) // [1]
 */
export function meanAbsoluteError(): Loss {
  return defineLoss(
    'meanAbsoluteError',
    false,
    undefined,
    (t, p) => {
      const [y, yHat] = alignPair('meanAbsoluteError', t, p);
      return mean(abs(sub(yHat, y)), -1);
    },
    checkSameShape,
  );
}

/** Whether every label is 0 or 1 (then hinge maps them to −1/1, as Keras's `_maybe_convert_labels`). */
function isZeroOne(y: Tensor): boolean {
  const v = y.values;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return false;
  return true;
}

/**
 * Hinge loss: mean over the last axis of max(0, 1 − y·ŷ) for labels y ∈ {−1, 1}. Labels that are all
 * 0/1 are mapped to −1/1 first (2y − 1), as Keras does and as `tf.losses.hingeLoss` assumes.
 * @example ax.losses.hinge().perSample(ax.tensor([[1], [-1]]), ax.tensor([[0.3], [-2]])) // [0.7, 0]
 */
export function hinge(): Loss {
  const name = 'hinge';
  return defineLoss(
    name,
    false,
    undefined,
    (t, p) => {
      const [y, yHat] = alignPair(name, t, p);
      const signed = isZeroOne(y) ? noGrad(() => sub(mul(y, 2), 1)) : y;
      return mean(maximum(0, sub(1, mul(signed, yHat))), -1);
    },
    checkHingeTargets,
  );
}

/** Options of the huber loss. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/**
 * Huber loss: ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond, with e = ŷ − y; mean over the last axis. Written as
 * TF.js writes it (q = min(|e|, δ); ½q² + δ(|e| − q)), which fixes the gradient at |e| = δ too.
 * @example ax.losses.huber({ delta: 1 }).perSample(ax.tensor([[0, 0]]), ax.tensor([[0.5, 3]])) // [1.3125]
 */
export function huber(options: HuberOptions = {}): Loss {
  const delta = options.delta ?? 1;
  if (!(Number.isFinite(delta) && delta > 0)) {
    throw new Error(`huber: delta must be a positive finite number, got ${delta}`);
  }
  const name = 'huber';
  return defineLoss(
    name,
    false,
    { delta },
    (t, p) => {
      const [y, yHat] = alignPair(name, t, p);
      const error = abs(sub(yHat, y));
      const quadratic = minimum(error, delta);
      const linear = sub(error, quadratic);
      return mean(add(mul(0.5, square(quadratic)), mul(delta, linear)), -1);
    },
    checkSameShape,
  );
}

/** The built-in losses, by canonical name: `ax.losses.binaryCrossentropy({ fromLogits: true })`. */
export const losses = {
  meanSquaredError,
  meanAbsoluteError,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  hinge,
  huber,
};

const crossentropies = new Set([
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
]);

/** Keras/TF.js short names; the spelling itself ('MSE', 'mean_squared_error') is folded by the lookup. */
const lossAliases: Readonly<Record<string, string>> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  bce: 'binaryCrossentropy',
  huberLoss: 'huber',
};

/**
 * The loss named `id` in any spelling ('binaryCrossentropy', 'binary_crossentropy', 'mse', 'MSE'),
 * or `id` itself when it is already a Loss. `fromLogits` applies to the cross-entropies only.
 * @example
 * const loss = ax.getLoss('sparse_categorical_crossentropy', { fromLogits: true });
 * loss.name; // 'sparseCategoricalCrossentropy'
 */
export function getLoss(id: string | Loss, options: CrossentropyOptions = {}): Loss {
  if (typeof id !== 'string') {
    if (id === null || typeof id !== 'object' || typeof id.perSample !== 'function') {
      throw new Error(
        `getLoss: expected a loss name or a Loss object, got ${id === null ? 'null' : typeof id}`,
      );
    }
    if (options.fromLogits !== undefined && options.fromLogits !== id.fromLogits) {
      throw new Error(
        `getLoss: the loss '${id.name}' has fromLogits ${id.fromLogits}; the option fromLogits ${options.fromLogits} cannot change it`,
      );
    }
    return id;
  }
  const name = canonicalIdentifier('loss', id, losses, lossAliases) as keyof typeof losses;
  if (options.fromLogits !== undefined && !crossentropies.has(name)) {
    throw new Error(`getLoss: '${id}' has no fromLogits option (only ${[...crossentropies].join(', ')} do)`);
  }
  if (crossentropies.has(name)) {
    return (losses[name] as (o: CrossentropyOptions) => Loss)(options);
  }
  return (losses[name] as () => Loss)();
}

/**
 * Keras SUM_OVER_BATCH_SIZE: Σ(w·l) / batch (w = 1 when absent). `sampleWeight` has shape [batch] or
 * [batch, 1]. Scalar, recorded for autodiff.
 * @example
 * const l = ax.losses.meanSquaredError().perSample(yTrue, yPred);
 * ax.reduceLoss(l, ax.tensor([1, 0, 2])).item();
 */
export function reduceLoss(perSample: Tensor, sampleWeight?: Tensor): Tensor {
  assertTensor('reduceLoss', 'perSample', perSample);
  if (perSample.size === 0) throw new Error('reduceLoss: the batch is empty (per-sample losses of size 0)');
  if (sampleWeight === undefined || sampleWeight === null) return mean(perSample);
  assertTensor('reduceLoss', 'sampleWeight', sampleWeight);
  const n = perSample.shape[0] ?? 1;
  const fits =
    sampleWeight.size === perSample.size &&
    (shapesEqual(sampleWeight.shape, perSample.shape) ||
      (sampleWeight.rank === 2 && sampleWeight.shape[0] === n && sampleWeight.shape[1] === 1));
  if (!fits) {
    throw new Error(
      `reduceLoss: sampleWeight has shape ${formatShape(sampleWeight.shape)}; expected one weight per sample, ` +
        `shape [${n}] or [${n},1], for per-sample losses of shape ${formatShape(perSample.shape)}`,
    );
  }
  const w = shapesEqual(sampleWeight.shape, perSample.shape)
    ? sampleWeight
    : reshape(sampleWeight, perSample.shape);
  return div(sum(mul(perSample, w)), perSample.size);
}
