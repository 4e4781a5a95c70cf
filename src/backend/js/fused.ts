import type { DataArray } from '../../tensor/precision.js';
import type { DenseActivation, DenseDims } from '../backend.js';
import { logSoftmax, logSoftmaxGrad, softmax, softmaxGrad } from './reduce.js';
import { sigmoid, unary, unaryGrad } from './unary.js';

/**
 * The fused kernels of the planned path, in plain TypeScript. Each one runs, element for element, the
 * same loops as the separate reference kernels (matMul's loop orders, the f64 column sums of reduce,
 * the unary and softmax kernels), so a planned training step gives the very bits of the op-by-op graph
 * on this backend. Nothing here allocates per call.
 */

/** f64 accumulators of the bias gradient's column sums, grown on demand and reused. */
let sums = new Float64Array(64);

function columnSums(n: number): Float64Array {
  if (sums.length < n) sums = new Float64Array(Math.max(n, sums.length * 2));
  return sums;
}

const f = Math.fround;

/**
 * z[m, n] = x[m, k]·w[k, n] with the reference matMul's arithmetic: every element summed over k in
 * order in f64, rounded once. Four columns at a time in registers: four independent chains.
 */
function productNN(x: DataArray, w: DataArray, z: DataArray, m: number, k: number, n: number): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const xi = i * k;
    const row = i * n;
    let j = 0;
    for (; j < n4; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let p = 0, wp = j; p < k; p++, wp += n) {
        const xv = x[xi + p];
        a0 += xv * w[wp];
        a1 += xv * w[wp + 1];
        a2 += xv * w[wp + 2];
        a3 += xv * w[wp + 3];
      }
      z[row + j] = a0;
      z[row + j + 1] = a1;
      z[row + j + 2] = a2;
      z[row + j + 3] = a3;
    }
    for (; j < n; j++) {
      let acc = 0;
      for (let p = 0, wp = j; p < k; p++, wp += n) acc += x[xi + p] * w[wp];
      z[row + j] = acc;
    }
  }
}

/**
 * dw[k, n] = xᵀ·dz for x [m, k], dz [m, n], as matMul(x, dz, transposeA) sums it: over the m rows in
 * order in f64, rounded once.
 */
function productTN(x: DataArray, dz: DataArray, dw: DataArray, m: number, k: number, n: number): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < k; i++) {
    const row = i * n;
    let j = 0;
    for (; j < n4; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let p = 0, xp = i, dp = j; p < m; p++, xp += k, dp += n) {
        const xv = x[xp];
        a0 += xv * dz[dp];
        a1 += xv * dz[dp + 1];
        a2 += xv * dz[dp + 2];
        a3 += xv * dz[dp + 3];
      }
      dw[row + j] = a0;
      dw[row + j + 1] = a1;
      dw[row + j + 2] = a2;
      dw[row + j + 3] = a3;
    }
    for (; j < n; j++) {
      let acc = 0;
      for (let p = 0, xp = i, dp = j; p < m; p++, xp += k, dp += n) acc += x[xp] * dz[dp];
      dw[row + j] = acc;
    }
  }
}

/**
 * dx[m, k] = dz·wᵀ for dz [m, n], w [k, n], as matMul(dz, w, transposeB) sums it: an f64 dot product
 * per element, rounded once. Four elements at a time (independent chains).
 */
function productNT(dz: DataArray, w: DataArray, dx: DataArray, m: number, k: number, n: number): void {
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const di = i * n;
    const row = i * k;
    let j = 0;
    for (; j < k4; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const w0 = j * n;
      for (let p = 0; p < n; p++) {
        const d = dz[di + p];
        s0 += d * w[w0 + p];
        s1 += d * w[w0 + n + p];
        s2 += d * w[w0 + 2 * n + p];
        s3 += d * w[w0 + 3 * n + p];
      }
      dx[row + j] = s0;
      dx[row + j + 1] = s1;
      dx[row + j + 2] = s2;
      dx[row + j + 3] = s3;
    }
    for (; j < k; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += dz[di + p] * w[j * n + p];
      dx[row + j] = s;
    }
  }
}

export function denseForward(
  x: DataArray,
  w: DataArray,
  b: DataArray | null,
  dims: DenseDims,
  activation: DenseActivation,
  alpha: number,
  z: DataArray,
  a: DataArray,
): void {
  const { m, k, n } = dims;
  productNN(x, w, z, m, k, n);
  if (b !== null) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) z[i * n + j] += b[j];
  }
  switch (activation) {
    case 'linear':
      if (a !== z) for (let i = 0; i < m * n; i++) a[i] = z[i];
      return;
    case 'softmax':
      softmax(z, m, n, a);
      return;
    case 'logSoftmax':
      logSoftmax(z, m, n, a);
      return;
    default:
      unary(activation, z, a, alpha);
  }
}

export function denseBackward(
  x: DataArray,
  w: DataArray,
  z: DataArray,
  a: DataArray,
  da: DataArray,
  dims: DenseDims,
  activation: DenseActivation,
  alpha: number,
  dz: DataArray,
  dw: DataArray | null,
  db: DataArray | null,
  dx: DataArray | null,
): void {
  const { m, k, n } = dims;
  switch (activation) {
    case 'linear':
      if (dz !== da) for (let i = 0; i < m * n; i++) dz[i] = da[i];
      break;
    case 'softmax':
      softmaxGrad(a, da, m, n, dz);
      break;
    case 'logSoftmax':
      logSoftmaxGrad(a, da, m, n, dz);
      break;
    default:
      unaryGrad(activation, z, a, da, dz, alpha);
  }
  if (db !== null) {
    // The reduce kernel's sum over the batch axis: f64 accumulators, rows in order, rounded once.
    const acc = columnSums(n);
    for (let j = 0; j < n; j++) acc[j] = 0;
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) acc[j] += dz[row + j];
    }
    for (let j = 0; j < n; j++) db[j] = acc[j];
  }
  if (dw !== null) productTN(x, dz, dw, m, k, n);
  if (dx !== null) productNT(dz, w, dx, m, k, n);
}

export function softmaxCrossEntropy(
  logits: DataArray,
  labels: DataArray,
  rows: number,
  cols: number,
  scale: number,
  loss: DataArray,
  dLogits: DataArray,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[base + c]);
    // e = exp(x − max) rounded into dLogits, as the softmax kernel stores it; Σe unrounded.
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(logits[base + c] - max);
      dLogits[base + c] = e;
      sum += e;
    }
    // −Σ y·logSoftmax(x): the logSoftmax kernel's x − (max + log Σe), then mul and sum.
    const logSum = max + Math.log(sum);
    let dot = 0;
    let labelSum = 0;
    for (let c = 0; c < cols; c++) {
      const y = labels[base + c];
      dot += f(y * f(logits[base + c] - logSum));
      labelSum += y;
    }
    loss[r] = -f(dot);
    const sy = f(labelSum);
    for (let c = 0; c < cols; c++) {
      const p = f(dLogits[base + c] / sum);
      dLogits[base + c] = scale * f(f(p * sy) - labels[base + c]);
    }
  }
}

export function sigmoidCrossEntropy(
  logits: DataArray,
  labels: DataArray,
  scale: number,
  loss: DataArray,
  dLogits: DataArray,
): void {
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i];
    const y = labels[i];
    // relu(x) − x·y, then + log1p(e^−|x|) into the float32 buffer: sigmoidCrossEntropyWithLogits's steps.
    const base = f(Math.max(x, 0) - f(x * y));
    loss[i] = base + Math.log1p(Math.exp(-Math.abs(x)));
    dLogits[i] = scale * f(f(sigmoid(x)) - y);
  }
}

export function adamUpdate(
  w: DataArray,
  g: DataArray,
  m: DataArray,
  v: DataArray,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  c1: number,
  c2: number,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}
