import type { DataArray } from '../../tensor/precision.js';
import type { UnaryOp } from '../backend.js';
import { tanh } from './tanh.js';

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** erf(x) with |error| < 1.2e-7 everywhere (Chebyshev fit of erfc, Numerical Recipes §6.2). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Logistic sigmoid that never overflows: exp is only taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function unary(op: UnaryOp, x: DataArray, out: DataArray, alpha: number): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!);
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = tanh(x[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = Math.max(x[i]!, 0);
      return;
    case 'leakyRelu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? x[i]! : alpha * x[i]!;
      return;
    case 'elu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? x[i]! : alpha * Math.expm1(x[i]!);
      return;
    case 'selu':
      for (let i = 0; i < n; i++) out[i] = SELU_SCALE * (x[i]! > 0 ? x[i]! : SELU_ALPHA * Math.expm1(x[i]!));
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) out[i] = softplus(x[i]!);
      return;
    case 'softsign':
      for (let i = 0; i < n; i++) out[i] = x[i]! / (1 + Math.abs(x[i]!));
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = 0.5 * x[i]! * (1 + erf(x[i]! * SQRT1_2));
      return;
    case 'swish':
      for (let i = 0; i < n; i++) out[i] = x[i]! * sigmoid(x[i]!);
      return;
    case 'hardSigmoid':
      // TF.js / tf.keras 2 definition: clip(0.2x + 0.5, 0, 1).
      for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, 0.2 * x[i]! + 0.5));
      return;
    case 'step':
      for (let i = 0; i < n; i++) out[i] = x[i]! >= 0 ? 1 : 0;
      return;
  }
}

export function unaryGrad(
  op: UnaryOp,
  x: DataArray,
  y: DataArray,
  dy: DataArray,
  out: DataArray,
  alpha: number,
): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -dy[i]!;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.sign(x[i]!);
      return;
    case 'sign':
    case 'step':
      out.fill(0);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = dy[i]! / (2 * y[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = 2 * x[i]! * dy[i]!;
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = y[i]! * dy[i]!;
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = dy[i]! / x[i]!;
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + x[i]!);
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = -dy[i]! * y[i]! * y[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i]! * y[i]! * (1 - y[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = dy[i]! * (1 - y[i]! * y[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : 0;
      return;
    case 'leakyRelu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : alpha * dy[i]!;
      return;
    case 'elu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : dy[i]! * (y[i]! + alpha);
      return;
    case 'selu':
      for (let i = 0; i < n; i++)
        out[i] = dy[i]! * (x[i]! > 0 ? SELU_SCALE : y[i]! + SELU_SCALE * SELU_ALPHA);
      return;
    case 'softplus':
      for (let i = 0; i < n; i++) out[i] = dy[i]! * sigmoid(x[i]!);
      return;
    case 'softsign':
      for (let i = 0; i < n; i++) {
        const d = 1 + Math.abs(x[i]!);
        out[i] = dy[i]! / (d * d);
      }
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = dy[i]! * (0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      return;
    case 'swish':
      for (let i = 0; i < n; i++) {
        const s = sigmoid(x[i]!);
        out[i] = dy[i]! * (s + x[i]! * s * (1 - s));
      }
      return;
    case 'hardSigmoid':
      for (let i = 0; i < n; i++) out[i] = x[i]! > -2.5 && x[i]! < 2.5 ? 0.2 * dy[i]! : 0;
      return;
  }
}
