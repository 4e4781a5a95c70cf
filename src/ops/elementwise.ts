import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { broadcastShapes, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { result, sumTo, type TensorLike, toTensor } from './engine.js';

/** @internal Runs a unary kernel; its backward rule is the matching derivative kernel. */
export function unaryOp(op: UnaryOp, xIn: TensorLike, alpha = 0): Tensor {
  const x = toTensor(xIn, op);
  const out = allocData(x.size);
  kernels().unary(op, x.values, out, alpha);
  return result(out, x.shape, op, [x], (dy, y) => {
    const dx = allocData(x.size);
    kernels().unaryGrad(op, x.values, y.values, dy.values, dx, alpha);
    return [new Tensor(dx, x.shape)];
  });
}

/** @internal Runs a broadcasting binary kernel, with no gradient (used directly by comparisons). */
export function binaryForward(
  op: BinaryOp,
  a: Tensor,
  b: Tensor,
): { values: Float32Array | Float64Array; shape: number[] } {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const values = allocData(shape.reduce((s, d) => s * d, 1));
  kernels().binary(op, a.values, a.shape, b.values, b.shape, values, shape);
  return { values, shape };
}

function binaryOp(
  op: BinaryOp,
  aIn: TensorLike,
  bIn: TensorLike,
  backward: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null],
): Tensor {
  const a = toTensor(aIn, op, 'a');
  const b = toTensor(bIn, op, 'b');
  const { values, shape } = binaryForward(op, a, b);
  return result(values, shape, op, [a, b], (dy, y) => {
    const [da, db] = backward(dy, a, b, y);
    return [da && sumTo(da, a.shape), db && sumTo(db, b.shape)];
  });
}

/**
 * a + b, elementwise, with broadcasting.
 * @example
 * ax.add(ax.tensor([[1, 2], [3, 4]]), ax.tensor([10, 20])); // [[11, 22], [13, 24]]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b, (dy) => [dy, dy]);
}

/** a − b, elementwise, with broadcasting. @example ax.sub(x, 1) */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b, (dy) => [dy, neg(dy)]);
}

/** a · b, elementwise, with broadcasting. @example ax.mul(3, x) */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b, (dy, x, y) => [mul(dy, y), mul(dy, x)]);
}

/** a / b, elementwise, with broadcasting. @example ax.div(x, 255) */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b, (dy, x, y) => [div(dy, y), neg(div(mul(dy, x), square(y)))]);
}

/**
 * aᵇ, elementwise. ∂/∂b uses log a, taken as 0 where a ≤ 0.
 * @example ax.pow(x, 2)
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', a, b, (dy, x, e, y) => {
    const dx = mul(dy, mul(e, pow(x, sub(e, 1))));
    const positive = greater(x, 0);
    const safeLog = log(where(positive, x, 1));
    return [dx, mul(dy, mul(y, safeLog))];
  });
}

/** Elementwise maximum; the gradient goes to a where a ≥ b. @example ax.maximum(x, 0) */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b, (dy, x, y) => {
    const mask = greaterEqual(x, y);
    return [mul(dy, mask), mul(dy, sub(1, mask))];
  });
}

/** Elementwise minimum; the gradient goes to a where a ≤ b. @example ax.minimum(x, 1) */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b, (dy, x, y) => {
    const mask = lessEqual(x, y);
    return [mul(dy, mask), mul(dy, sub(1, mask))];
  });
}

function comparison(op: BinaryOp, aIn: TensorLike, bIn: TensorLike): Tensor {
  const { values, shape } = binaryForward(op, toTensor(aIn, op, 'a'), toTensor(bIn, op, 'b'));
  return new Tensor(values, shape);
}

/** 1 where a = b, else 0. @example ax.equal(ax.argMax(p, 1), labels) */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return comparison('equal', a, b);
}
/** 1 where a ≠ b, else 0. @example ax.notEqual(ax.tensor([1, 2]), 2) // [1, 0] */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return comparison('notEqual', a, b);
}
/** 1 where a < b, else 0. @example ax.less(ax.tensor([1, 2]), 2) // [1, 0] */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return comparison('less', a, b);
}
/** 1 where a ≤ b, else 0. @example ax.lessEqual(ax.tensor([1, 2]), 2) // [1, 1] */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return comparison('lessEqual', a, b);
}
/** 1 where a > b, else 0. @example ax.greater(ax.tensor([1, 2]), 1) // [0, 1] */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return comparison('greater', a, b);
}
/** 1 where a ≥ b, else 0. @example ax.greaterEqual(ax.tensor([1, 2]), 2) // [0, 1] */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return comparison('greaterEqual', a, b);
}

/**
 * Picks a where `condition` is non-zero, else b; all three broadcast together.
 * @example ax.where(ax.greater(x, 0), x, 0)
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(condition, 'where', 'condition');
  const x = toTensor(a, 'where', 'a');
  const y = toTensor(b, 'where', 'b');
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  const out = allocData(shape.reduce((s, d) => s * d, 1));
  kernels().where(c.values, c.shape, x.values, x.shape, y.values, y.shape, out, shape);
  return result(out, shape, 'where', [c, x, y], (dy) => {
    const zero = new Tensor(allocData(1), []);
    return [null, sumTo(where(c, dy, zero), x.shape), sumTo(where(c, zero, dy), y.shape)];
  });
}

/**
 * Clamps every element to [lo, hi]; the gradient passes where lo ≤ x ≤ hi.
 * @example ax.clipByValue(p, 1e-7, 1 - 1e-7)
 */
export function clipByValue(xIn: TensorLike, lo: number, hi: number): Tensor {
  const x = toTensor(xIn, 'clipByValue');
  if (!(lo <= hi)) throw new Error(`clipByValue: lo (${lo}) must be ≤ hi (${hi})`);
  const out = allocData(x.size);
  kernels().clip(x.values, lo, hi, out);
  return result(
    out,
    x.shape,
    'clipByValue',
    [x],
    (dy) => [mul(dy, mul(greaterEqual(x, lo), lessEqual(x, hi)))],
    `[${lo}, ${hi}]`,
  );
}

/**
 * x repeated along broadcast axes to `shape`.
 * @example ax.broadcastTo(ax.tensor([1, 2]), [3, 2])
 */
export function broadcastTo(xIn: TensorLike, shape: readonly number[]): Tensor {
  const x = toTensor(xIn, 'broadcastTo');
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (target.length !== shape.length || target.some((d, i) => d !== shape[i])) {
    throw new Error(
      `broadcastTo: a tensor of shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}`,
    );
  }
  const out = allocData(target.reduce((s, d) => s * d, 1));
  kernels().broadcastTo(x.values, x.shape, out, target);
  return result(out, target, 'broadcastTo', [x], (dy) => [sumTo(dy, x.shape)]);
}

/** −x. @example ax.neg(ax.tensor([1, -2])) // [-1, 2] */
export const neg = (x: TensorLike): Tensor => unaryOp('neg', x);
/** |x|; its derivative is taken as sign(x) (0 at 0). @example ax.abs(ax.tensor([-3, 2])) // [3, 2] */
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x);
/** −1, 0 or 1; no gradient. @example ax.sign(ax.tensor([-3, 0, 2])) // [-1, 0, 1] */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x);
/** √x. @example ax.sqrt(ax.tensor([4, 9])) // [2, 3] */
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x);
/** x². @example ax.square(ax.tensor([3, -2])) // [9, 4] */
export const square = (x: TensorLike): Tensor => unaryOp('square', x);
/** eˣ. @example ax.exp(ax.tensor([0, 1])) // [1, 2.7183] */
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x);
/** Natural logarithm. @example ax.log(ax.tensor([1, Math.E])) // [0, 1] */
export const log = (x: TensorLike): Tensor => unaryOp('log', x);
/** log(1 + x), accurate for small x. @example ax.log1p(ax.tensor([1e-10])) // [1e-10] */
export const log1p = (x: TensorLike): Tensor => unaryOp('log1p', x);
/** 1 / x. @example ax.reciprocal(ax.tensor([2, 4])) // [0.5, 0.25] */
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x);
