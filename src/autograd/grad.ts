import { type TensorLike, toTensor } from '../ops/engine.js';
import { ones, zeros } from '../tensor/create.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { backpropagate } from './backprop.js';

/** A fresh leaf that shares x's values and records gradients, so the caller's tensor is untouched. */
function leaf(x: Tensor): Tensor {
  return new Tensor(x.values, x.shape, true);
}

function seedFor(y: Tensor, dy: Tensor | undefined, op: string): Tensor {
  if (!(y instanceof Tensor)) throw new Error(`${op}: the function must return a Tensor, got ${typeof y}`);
  if (dy === undefined) {
    return ones(y.shape);
  }
  if (!shapesEqual(dy.shape, y.shape)) {
    throw new Error(
      `${op}: dy has shape ${formatShape(dy.shape)} but f returned shape ${formatShape(y.shape)}`,
    );
  }
  return dy;
}

function gradientsOf(y: Tensor, dy: Tensor, inputs: readonly Tensor[]): Tensor[] {
  const grads = backpropagate(y, dy, false);
  return inputs.map((x) => grads.get(x) ?? zeros(x.shape));
}

/**
 * ∂f/∂x as a function: for a non-scalar result the gradient is of Σ f(x)·dy (dy defaults to ones).
 * @example
 * const dSquare = ax.grad((x) => ax.square(x));
 * dSquare(ax.tensor([1, 2, 3])); // [2, 4, 6]
 */
export function grad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: Tensor) => Tensor {
  return (x, dy) => evaluate('grad', (...xs) => f(xs[0]), [x], dy).grads[0];
}

/**
 * Gradients of f with respect to each of its arguments.
 * @example
 * const [da, db] = ax.grads((a, b) => ax.mul(a, b))([ax.scalar(2), ax.scalar(3)]); // 3, 2
 */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly TensorLike[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => evaluate('grads', f, xs, dy).grads;
}

/**
 * f(x) and ∂f/∂x in one pass.
 * @example
 * const { value, grad } = ax.valueAndGrad((x) => ax.sum(ax.square(x)))(ax.tensor([3, 4]));
 * // value 25, grad [6, 8]
 */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: TensorLike, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: gs } = evaluate('valueAndGrad', (...xs) => f(xs[0]), [x], dy);
    return { value, grad: gs[0] };
  };
}

/**
 * f(...xs) and its gradient with respect to each argument, in one pass.
 * @example
 * const { value, grads } = ax.valueAndGrads((a, b) => ax.add(a, ax.mul(b, b)))([ax.scalar(1), ax.scalar(3)]);
 * // value 10, grads [1, 6]
 */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly TensorLike[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => evaluate('valueAndGrads', f, xs, dy);
}

function evaluate(
  op: string,
  f: (...xs: Tensor[]) => Tensor,
  xs: readonly TensorLike[],
  dy: Tensor | undefined,
): { value: Tensor; grads: Tensor[] } {
  const inputs = xs.map((x, i) => leaf(toTensor(x, op, `xs[${i}]`)));
  const value = f(...inputs);
  const seed = seedFor(value, dy, op);
  return { value, grads: gradientsOf(value, seed, inputs) };
}

/**
 * f() and the gradient of its scalar result with respect to each trainable variable it used
 * (or to `varList`). The result maps variable names (or ids) to gradients.
 * @example
 * const w = ax.variable(ax.scalar(2), true, 'w');
 * const { value, grads } = ax.variableGrads(() => ax.square(w)); // grads.w = 4
 */
export function variableGrads(
  f: () => Tensor,
  varList?: readonly Variable[],
): { value: Tensor; grads: Record<string, Tensor> } {
  const value = f();
  if (value.size !== 1)
    throw new Error(`variableGrads: f must return a scalar, got shape ${formatShape(value.shape)}`);
  const all = backpropagate(value, ones(value.shape), false);
  const vars = varList ?? [...all.keys()].filter((t): t is Variable => t instanceof Variable && t.trainable);
  const out: Record<string, Tensor> = {};
  for (const v of vars) out[v.name ?? String(v.id)] = all.get(v) ?? zeros(v.shape);
  return { value, grads: out };
}

/**
 * A mutable tensor that records gradients when trainable (the weights of a model).
 * @example
 * const w = ax.variable(ax.randomNormal([2, 1]), true, 'w');
 */
export function variable(initial: TensorLike, trainable = true, name?: string): Variable {
  return new Variable(toTensor(initial, 'variable', 'initial'), trainable, name);
}
