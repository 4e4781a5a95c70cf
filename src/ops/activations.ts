import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { unaryOp } from './elementwise.js';
import { result, type TensorLike, toTensor } from './engine.js';
import { transpose } from './shape.js';

/** σ(x) = 1 / (1 + e⁻ˣ), never overflowing; σ′ = σ(1 − σ). @example ax.sigmoid(ax.tensor([-1000, 0, 1000])) // [0, 0.5, 1] */
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x);
/** tanh(x); tanh′ = 1 − tanh². @example ax.tanh(ax.tensor([0, 1])) // [0, 0.7616] */
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x);
/** max(x, 0). @example ax.relu(ax.tensor([-2, 3])) // [0, 3] */
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x);
/** x for x > 0, else αx (α = 0.2 by default, as in TF.js). @example ax.leakyRelu(ax.tensor([-2, 3]), 0.1) // [-0.2, 3] */
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => unaryOp('leakyRelu', x, alpha);
/** x for x > 0, else α(eˣ − 1). @example ax.elu(ax.tensor([-1, 2])) // [-0.6321, 2] */
export const elu = (x: TensorLike, alpha = 1): Tensor => unaryOp('elu', x, alpha);
/** Scaled ELU with the self-normalizing constants (α ≈ 1.6733, scale ≈ 1.0507). @example ax.selu(ax.tensor([-1, 1])) // [-1.1113, 1.0507] */
export const selu = (x: TensorLike): Tensor => unaryOp('selu', x);
/** log(1 + eˣ), stable for large |x|. @example ax.softplus(ax.tensor([0, 1000])) // [0.6931, 1000] */
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x);
/** x / (1 + |x|). @example ax.softsign(ax.tensor([-1, 3])) // [-0.5, 0.75] */
export const softsign = (x: TensorLike): Tensor => unaryOp('softsign', x);
/** x·Φ(x), the exact (erf) form, as Keras's default. @example ax.gelu(ax.tensor([1])) // [0.8413] */
export const gelu = (x: TensorLike): Tensor => unaryOp('gelu', x);
/** x·σ(x) (also called SiLU). @example ax.swish(ax.tensor([1])) // [0.7311] */
export const swish = (x: TensorLike): Tensor => unaryOp('swish', x);
/** clip(0.2x + 0.5, 0, 1), as in TF.js and tf.keras 2. @example ax.hardSigmoid(ax.tensor([-3, 0, 1])) // [0, 0.5, 0.7] */
export const hardSigmoid = (x: TensorLike): Tensor => unaryOp('hardSigmoid', x);
/** Heaviside step: 1 for x ≥ 0, else 0. Its gradient is 0 everywhere: not for gradient training. @example ax.step(ax.tensor([-1, 0, 2])) // [0, 1, 1] */
export const step = (x: TensorLike): Tensor => unaryOp('step', x);

/** Applies a last-axis row kernel along any axis by moving that axis last and back. */
function alongAxis(xIn: TensorLike, axis: number, op: string, last: (x: Tensor) => Tensor): Tensor {
  const x = toTensor(xIn, op);
  if (x.rank === 0) throw new Error(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
  const a = normalizeAxis(op, axis, x.rank);
  if (a === x.rank - 1) return last(x);
  const perm = x.shape.map((_, i) => i);
  perm[a] = x.rank - 1;
  perm[x.rank - 1] = a;
  return transpose(last(transpose(x, perm)), perm);
}

/**
 * softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x) along `axis` (default last): finite for any logits.
 * @example ax.softmax(ax.tensor([10, 20, 30])) // the notes' dog/cat/horse example
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis(x, axis, 'softmax', (t) => {
    const cols = t.shape[t.rank - 1];
    const rows = t.size / Math.max(cols, 1);
    const out = allocData(t.size);
    kernels().softmax(t.values, rows, cols, out);
    return result(out, t.shape, 'softmax', [t], (dy, y) => {
      const dx = allocData(t.size);
      kernels().softmaxGrad(y.values, dy.values, rows, cols, dx);
      return [new Tensor(dx, t.shape)];
    });
  });
}

/**
 * log softmax(x) = x − logΣexp(x) along `axis` (default last): finite for any logits.
 * @example ax.logSoftmax(ax.tensor([1000, 0])) // [0, -1000]
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return alongAxis(x, axis, 'logSoftmax', (t) => {
    const cols = t.shape[t.rank - 1];
    const rows = t.size / Math.max(cols, 1);
    const out = allocData(t.size);
    kernels().logSoftmax(t.values, rows, cols, out);
    return result(out, t.shape, 'logSoftmax', [t], (dy, y) => {
      const dx = allocData(t.size);
      kernels().logSoftmaxGrad(y.values, dy.values, rows, cols, dx);
      return [new Tensor(dx, t.shape)];
    });
  });
}
