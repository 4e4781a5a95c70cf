/**
 * The cross-entropy losses, on probabilities exactly as TF.js 4.22 computes them (clip to [ε, 1 − ε],
 * back to logits for the binary case, normalize by the row sum for the categorical one) and, with
 * `fromLogits`, on the engine's fused, stable sigmoid/softmax cross-entropy kernels.
 */
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '../ops/crossentropy.js';
import { clipByValue, div, log, mul, neg, sub } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { alignPair, defineLoss, EPSILON, type Loss, oneHotTargets } from './loss-base.js';
import { checkBinaryTargets, checkCategoricalTargets, checkSparseTargets } from './loss-targets.js';

/** Options of the cross-entropy losses. */
export interface CrossentropyOptions {
  /** Predictions are logits (no sigmoid/softmax applied); uses the fused stable kernels. Default false. */
  fromLogits?: boolean;
}

/**
 * Binary cross-entropy −[y·log p + (1 − y)·log(1 − p)], mean over the last axis. On probabilities it does
 * what TF.js does: clip p to [ε, 1 − ε], turn it back into a logit log(p / (1 − p)) and take the stable
 * sigmoid cross-entropy of that. With `fromLogits` the predictions are logits and the fused kernel is used.
 * @example
 * const bce = ax.losses.binaryCrossentropy();
 * bce.perSample(ax.tensor([[1], [0]]), ax.tensor([[0.9], [0.2]])); // [0.105, 0.223]
 */
export function binaryCrossentropy(options: CrossentropyOptions = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  const name = 'binaryCrossentropy';
  return defineLoss(
    name,
    fromLogits,
    { fromLogits },
    (t, p) => {
      const [y, yHat] = alignPair(name, t, p);
      if (fromLogits) return mean(sigmoidCrossEntropyWithLogits(y, yHat), -1);
      const clipped = clipByValue(yHat, EPSILON, 1 - EPSILON);
      const logits = log(div(clipped, sub(1, clipped)));
      return mean(sigmoidCrossEntropyWithLogits(y, logits), -1);
    },
    checkBinaryTargets,
  );
}

/** −Σ y·log p over the last axis after TF.js's normalization by the row sum and clip to [ε, 1 − ε]. */
function categoricalFromProbabilities(y: Tensor, p: Tensor): Tensor {
  const normalized = div(p, sum(p, -1, true));
  const clipped = clipByValue(normalized, EPSILON, 1 - EPSILON);
  return neg(sum(mul(y, log(clipped)), -1));
}

/**
 * Categorical cross-entropy −Σ y·log p over the last axis, for one-hot (or soft) targets. Probabilities
 * are first divided by their row sum and clipped to [ε, 1 − ε] as in TF.js; with `fromLogits` the
 * fused softmax cross-entropy is used.
 * @example
 * const cce = ax.losses.categoricalCrossentropy();
 * cce.perSample(ax.tensor([[0, 1, 0]]), ax.tensor([[0.1, 0.8, 0.1]])); // [0.223]
 */
export function categoricalCrossentropy(options: CrossentropyOptions = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  const name = 'categoricalCrossentropy';
  return defineLoss(
    name,
    fromLogits,
    { fromLogits },
    (t, p) => {
      const [y, yHat] = alignPair(name, t, p);
      return fromLogits ? softmaxCrossEntropyWithLogits(y, yHat) : categoricalFromProbabilities(y, yHat);
    },
    checkCategoricalTargets,
  );
}

/**
 * Categorical cross-entropy with class-index targets (shape [batch] or [batch, 1]), one-hot encoded
 * internally. As in TF.js, probabilities are clipped to [ε, 1 − ε] before the categorical cross-entropy
 * (which normalizes and clips again); with `fromLogits` the fused softmax cross-entropy is used.
 * @example
 * const scce = ax.losses.sparseCategoricalCrossentropy();
 * scce.perSample(ax.tensor([1]), ax.tensor([[0.1, 0.8, 0.1]])); // [0.223]
 */
export function sparseCategoricalCrossentropy(options: CrossentropyOptions = {}): Loss {
  const fromLogits = options.fromLogits ?? false;
  const name = 'sparseCategoricalCrossentropy';
  return defineLoss(
    name,
    fromLogits,
    { fromLogits },
    (t, p) => {
      const y = oneHotTargets(name, t, p);
      // TF.js clips the output even on its logits path (a bug that caps logits at 1); we do not.
      if (fromLogits) return softmaxCrossEntropyWithLogits(y, p);
      return categoricalFromProbabilities(y, clipByValue(p, EPSILON, 1 - EPSILON));
    },
    checkSparseTargets,
  );
}
