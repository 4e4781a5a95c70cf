import { noGrad } from '../autograd/backprop.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { logSoftmax, relu, sigmoid, softmax } from './activations.js';
import { mul, neg, sub } from './elementwise.js';
import { result, type TensorLike, toTensor } from './engine.js';
import { sum } from './reduce.js';
import { expandDims } from './shape.js';

function sameShape(op: string, labels: Tensor, logits: Tensor): void {
  if (!shapesEqual(labels.shape, logits.shape)) {
    throw new Error(
      `${op}: labels have shape ${formatShape(labels.shape)} but logits have shape ${formatShape(logits.shape)}; they must match`,
    );
  }
}

/**
 * Elementwise −[z·log σ(x) + (1 − z)·log(1 − σ(x))] for logits x and labels z, computed as
 * max(x, 0) − x·z + log(1 + e^−|x|) so it stays finite for any x. Gradient: σ(x) − z.
 * @example ax.sigmoidCrossEntropyWithLogits(ax.tensor([1, 0]), ax.tensor([1000, -1000])) // [0, 0]
 */
export function sigmoidCrossEntropyWithLogits(labelsIn: TensorLike, logitsIn: TensorLike): Tensor {
  const op = 'sigmoidCrossEntropyWithLogits';
  const z = toTensor(labelsIn, op, 'labels');
  const x = toTensor(logitsIn, op, 'logits');
  sameShape(op, z, x);
  const loss = noGrad(() => sub(relu(x), mul(x, z))).values;
  for (let i = 0; i < loss.length; i++) loss[i] += Math.log1p(Math.exp(-Math.abs(x.values[i])));
  return result(loss, x.shape, op, [z, x], (dy) => [mul(dy, neg(x)), mul(dy, sub(sigmoid(x), z))]);
}

/**
 * Per-row −Σ z·log softmax(x) along the last axis, from logits x and (one-hot or soft) labels z.
 * Gradient with respect to the logits: softmax(x)·Σz − z.
 * @example ax.softmaxCrossEntropyWithLogits(ax.tensor([[0, 1]]), ax.tensor([[0, 1000]])) // [0]
 */
export function softmaxCrossEntropyWithLogits(labelsIn: TensorLike, logitsIn: TensorLike): Tensor {
  const op = 'softmaxCrossEntropyWithLogits';
  const z = toTensor(labelsIn, op, 'labels');
  const x = toTensor(logitsIn, op, 'logits');
  sameShape(op, z, x);
  const axis = x.rank - 1;
  const { loss, logP } = noGrad(() => {
    const lp = logSoftmax(x);
    return { loss: neg(sum(mul(z, lp), axis)), logP: lp };
  });
  return result(loss.values, loss.shape, op, [z, x], (dy) => {
    const g = expandDims(dy, axis);
    const dLogits = sub(mul(softmax(x), sum(z, axis, true)), z);
    return [mul(g, neg(logP)), mul(g, dLogits)];
  });
}
