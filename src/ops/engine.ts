import { isRecording } from '../autograd/backprop.js';
import { kernels } from '../backend/registry.js';
import { type TensorInput, tensor } from '../tensor/create.js';
import { allocData, type DataArray } from '../tensor/precision.js';
import { shapesEqual } from '../tensor/shape.js';
import { type GradNode, Tensor } from '../tensor/tensor.js';

/** Anything an op accepts where a tensor is expected: a tensor, a number, or nested arrays. */
export type TensorLike = Tensor | TensorInput;

/** Converts an op argument to a tensor; the error names the op and the argument. */
export function toTensor(x: TensorLike, op: string, arg = 'x'): Tensor {
  if (x instanceof Tensor) return x;
  try {
    return tensor(x);
  } catch (e) {
    throw new Error(`${op}: argument '${arg}' is not a tensor: ${(e as Error).message}`);
  }
}

/**
 * Wraps an op's output. When recording and some input requires gradients, the output remembers the
 * op, its inputs and its backward rule: that is the whole computation graph.
 */
export function result(
  values: DataArray,
  shape: readonly number[],
  op: string,
  inputs: readonly Tensor[],
  backward: GradNode['backward'],
  label?: string,
): Tensor {
  const out = new Tensor(values, shape);
  if (isRecording() && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = label === undefined ? { op, inputs, backward } : { op, inputs, backward, label };
  }
  return out;
}

/**
 * Sums a broadcast gradient back down to `shape`: over the leading axes that broadcasting added and
 * over the axes where `shape` has 1. This is why ∂(a + b)/∂b of a bias is a column sum.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = reduceRaw('sum', g, axes);
  return new Tensor(summed.values, shape);
}

/** A reduction over `axes` (sorted, distinct) straight on the kernels; the output drops those axes. */
export function reduceRaw(
  op: 'sum' | 'max' | 'min' | 'logSumExp',
  x: Tensor,
  axes: readonly number[],
): Tensor {
  const keptShape = x.shape.filter((_, i) => !axes.includes(i));
  const out = allocData(keptShape.reduce((a, b) => a * b, 1));
  const contiguous = axes.length > 0 && axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (axes.length === 0) {
    out.set(x.values);
  } else if (contiguous) {
    kernels().reduce(op, x.values, reduceDims(x.shape, axes[0], axes[axes.length - 1]), out);
  } else {
    // Move the reduced axes last, then reduce the trailing block.
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...axes];
    const moved = allocData(x.size);
    kernels().transpose(x.values, x.shape, perm, moved);
    const reduced = axes.reduce((a, i) => a * x.shape[i], 1);
    kernels().reduce(op, moved, { outer: out.length, reduced, inner: 1 }, out);
  }
  return new Tensor(out, keptShape);
}

/** [outer, reduced, inner] for reducing axes first..last of `shape`. */
export function reduceDims(
  shape: readonly number[],
  first: number,
  last: number,
): { outer: number; reduced: number; inner: number } {
  let outer = 1;
  let reduced = 1;
  let inner = 1;
  shape.forEach((d, i) => {
    if (i < first) outer *= d;
    else if (i <= last) reduced *= d;
    else inner *= d;
  });
  return { outer, reduced, inner };
}
