import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastTo, div, equal, exp, mul, sub } from './elementwise.js';
import { reduceDims, reduceRaw, result, type TensorLike, toTensor } from './engine.js';

type Axis = number | readonly number[];

/** The shape with reduced axes kept as 1 (what keepDims gives, and what gradients broadcast from). */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduction(
  op: 'sum' | 'max' | 'min' | 'logSumExp',
  xIn: TensorLike,
  axis: Axis | undefined,
  keepDims: boolean,
): Tensor {
  const x = toTensor(xIn, op);
  const axes = normalizeAxes(op, axis, x.rank);
  const raw = reduceRaw(op, x, axes);
  const kept = keptShape(x.shape, axes);
  const shape = keepDims ? kept : raw.shape;
  return result(
    raw.values,
    shape,
    op,
    [x],
    (dy, y) => {
      const g = broadcastTo(new Tensor(dy.values, kept), x.shape);
      if (op === 'sum') return [g];
      const yFull = broadcastTo(new Tensor(y.values, kept), x.shape);
      // max/min: the gradient goes to the elements equal to the extreme (as TF.js does).
      if (op === 'logSumExp') return [mul(g, exp(sub(x, yFull)))];
      return [mul(g, equal(x, yFull))];
    },
    axis === undefined ? undefined : `axis=${axes.join(',')}`,
  );
}

/**
 * Sum over `axis` (all axes by default).
 * @example
 * ax.sum(ax.tensor([[1, 2], [3, 4]]), 0); // [4, 6]
 */
export function sum(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduction('sum', x, axis, keepDims);
}

/**
 * Mean over `axis` (all axes by default).
 * @example ax.mean(x, -1, true)
 */
export function mean(xIn: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const x = toTensor(xIn, 'mean');
  const axes = normalizeAxes('mean', axis, x.rank);
  const count = axes.reduce((n, i) => n * x.shape[i], 1);
  return div(sum(x, axes, keepDims), count);
}

/** Maximum over `axis` (all axes by default). @example ax.max(x, 1) */
export function max(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduction('max', x, axis, keepDims);
}

/** Minimum over `axis` (all axes by default). @example ax.min(x) */
export function min(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduction('min', x, axis, keepDims);
}

/**
 * log Σ exp(x) over `axis`, computed as m + log Σ exp(x − m) so it never overflows.
 * @example ax.logSumExp(ax.tensor([1000, 1000])) // 1000.693…
 */
export function logSumExp(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return reduction('logSumExp', x, axis, keepDims);
}

function argReduction(op: 'argMax' | 'argMin', xIn: TensorLike, axis: number): Tensor {
  const x = toTensor(xIn, op);
  if (x.rank === 0) throw new Error(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
  const a = normalizeAxis(op, axis, x.rank);
  const shape = x.shape.filter((_, i) => i !== a);
  const out = allocData(shape.reduce((s, d) => s * d, 1));
  kernels().argReduce(op, x.values, reduceDims(x.shape, a, a), out);
  return new Tensor(out, shape);
}

/**
 * Index of the largest value along `axis` (default 0, as in TF.js); first index on ties. No gradient.
 * @example ax.argMax(probabilities, 1)
 */
export function argMax(x: TensorLike, axis = 0): Tensor {
  return argReduction('argMax', x, axis);
}

/** Index of the smallest value along `axis` (default 0). No gradient. @example ax.argMin(x, -1) */
export function argMin(x: TensorLike, axis = 0): Tensor {
  return argReduction('argMin', x, axis);
}
