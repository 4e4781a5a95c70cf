// Fused kernels of the planned training and inference path (src/model/plan): a Dense layer's forward
// (matMul + bias + activation) in one call, the elementwise half of its backward (δ and ∂C/∂b; the
// products ∂C/∂W and ∂C/∂x are matMul calls on the same blocks), and the softmax / sigmoid
// cross-entropies from logits with their gradients.
//
// They reuse the module's own kernels (the packed matMul, the activation loops, the column-sum
// reduction, the softmax family), so every element is rounded exactly as the separate kernels round
// it: the fused path and the op-by-op path agree to the bit on this backend too.
//
// Activation codes: the unary op codes of unary.ts (≥ 0), or LINEAR, SOFTMAX, LOG_SOFTMAX below.

import { matMul } from './matmul';
import { logSoftmax, logSoftmaxGrad, reduce, softmax, softmaxGrad } from './reduce';
import { unary, unaryGrad } from './unary';
import { highHalf, joinHalves, lowHalf, vexp, vlog1p, vsigmoid } from './vmath';

const LINEAR: i32 = -1;
const SOFTMAX: i32 = -2;
const LOG_SOFTMAX: i32 = -3;

/** Bytes of `n` floats rounded up to whole vectors (blocks are padded that far by the loader). */
// @ts-ignore: decorator
@inline
function vectorBytes(n: i32): usize {
  return (<usize>n * 4 + 15) & ~(<usize>15);
}

/** z[i, :] += b for every row i of z [m, n]. */
function addBias(z: usize, b: usize, m: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  const whole = rowBytes & ~(<usize>15);
  for (let i = 0; i < m; i++) {
    const row = z + <usize>i * rowBytes;
    let j: usize = 0;
    for (; j < whole; j += 16) v128.store(row + j, f32x4.add(v128.load(row + j), v128.load(b + j)));
    for (; j < rowBytes; j += 4) store<f32>(row + j, load<f32>(row + j) + load<f32>(b + j));
  }
}

/** The k-block of matmul.ts's gemm: sums over k restart from 0 every KC terms, then add into C. */
const KC: i32 = 256;
/** Up to this many rows, the unpacked products (no packing of w) beat the packed gemm. */
const SMALL_ROWS: i32 = 8;

/**
 * Columns from byte `from` to byte `to` of row i of z[·, n] = x·w[k, n], without packing (one sample's
 * prediction: packing w would cost as much as the product itself). Each element is summed exactly as
 * gemm's 4×8 micro-kernel sums it — f32 products added in k order, restarting every KC terms, each
 * block's sum then added to the element — so the result is bit-identical to `matMul`'s.
 */
function productRow(x: usize, w: usize, z: usize, i: i32, k: i32, n: i32, from: usize, to: usize): void {
  const ldw = <usize>n << 2;
  const rowBytes = <usize>n << 2;
  const wide = from + ((to - from) - (to - from) % 128);
  const whole = from + ((to - from) & ~(<usize>15));
  {
    const xi = x + <usize>i * (<usize>k << 2);
    const zi = z + <usize>i * rowBytes;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const p1 = min(k, p0 + KC);
      const first = p0 == 0;
      // 32 columns at a time: eight independent accumulator chains keep the adds pipelined.
      let j: usize = from;
      for (; j < wide; j += 128) {
        let c0 = f32x4.splat(0);
        let c1 = f32x4.splat(0);
        let c2 = f32x4.splat(0);
        let c3 = f32x4.splat(0);
        let c4 = f32x4.splat(0);
        let c5 = f32x4.splat(0);
        let c6 = f32x4.splat(0);
        let c7 = f32x4.splat(0);
        for (let p = p0; p < p1; p++) {
          const a = v128.load32_splat(xi + (<usize>p << 2));
          const row = w + <usize>p * ldw + j;
          c0 = f32x4.add(c0, f32x4.mul(a, v128.load(row)));
          c1 = f32x4.add(c1, f32x4.mul(a, v128.load(row, 16)));
          c2 = f32x4.add(c2, f32x4.mul(a, v128.load(row, 32)));
          c3 = f32x4.add(c3, f32x4.mul(a, v128.load(row, 48)));
          c4 = f32x4.add(c4, f32x4.mul(a, v128.load(row, 64)));
          c5 = f32x4.add(c5, f32x4.mul(a, v128.load(row, 80)));
          c6 = f32x4.add(c6, f32x4.mul(a, v128.load(row, 96)));
          c7 = f32x4.add(c7, f32x4.mul(a, v128.load(row, 112)));
        }
        const out = zi + j;
        if (!first) {
          c0 = f32x4.add(c0, v128.load(out));
          c1 = f32x4.add(c1, v128.load(out, 16));
          c2 = f32x4.add(c2, v128.load(out, 32));
          c3 = f32x4.add(c3, v128.load(out, 48));
          c4 = f32x4.add(c4, v128.load(out, 64));
          c5 = f32x4.add(c5, v128.load(out, 80));
          c6 = f32x4.add(c6, v128.load(out, 96));
          c7 = f32x4.add(c7, v128.load(out, 112));
        }
        v128.store(out, c0);
        v128.store(out, c1, 16);
        v128.store(out, c2, 32);
        v128.store(out, c3, 48);
        v128.store(out, c4, 64);
        v128.store(out, c5, 80);
        v128.store(out, c6, 96);
        v128.store(out, c7, 112);
      }
      for (; j < whole; j += 16) {
        let c = f32x4.splat(0);
        for (let p = p0; p < p1; p++) {
          c = f32x4.add(c, f32x4.mul(v128.load32_splat(xi + (<usize>p << 2)), v128.load(w + <usize>p * ldw + j)));
        }
        if (!first) c = f32x4.add(c, v128.load(zi + j));
        v128.store(zi + j, c);
      }
      for (; j < to; j += 4) {
        let c: f32 = 0;
        for (let p = p0; p < p1; p++) c += load<f32>(xi + (<usize>p << 2)) * load<f32>(w + <usize>p * ldw + j);
        if (!first) c += load<f32>(zi + j);
        store<f32>(zi + j, c);
      }
    }
    if (k == 0) memory.fill(zi + from, 0, to - from);
  }
}

/**
 * Rows i0 .. i0+3 of z = x·w (i0 + 3 < m), 8 columns at a time from byte `from` to byte `n8` of each row:
 * the 4×8 micro-kernel of gemm on unpacked operands, so w is streamed once for four rows. Same sums,
 * in the same order, as gemm.
 */
function productQuad(x: usize, w: usize, z: usize, i0: i32, k: i32, n: i32, from: usize, n8: usize): void {
  const ldw = <usize>n << 2;
  const ldx = <usize>k << 2;
  const x0 = x + <usize>i0 * ldx;
  const x1 = x0 + ldx;
  const x2 = x1 + ldx;
  const x3 = x2 + ldx;
  const z0 = z + <usize>i0 * ldw;
  const z1 = z0 + ldw;
  const z2 = z1 + ldw;
  const z3 = z2 + ldw;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = min(k, p0 + KC);
    const first = p0 == 0;
    for (let j: usize = from; j < n8; j += 32) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      for (let p = p0; p < p1; p++) {
        const row = w + <usize>p * ldw + j;
        const b0 = v128.load(row);
        const b1 = v128.load(row, 16);
        const o = <usize>p << 2;
        let a = v128.load32_splat(x0 + o);
        c00 = f32x4.add(c00, f32x4.mul(a, b0));
        c01 = f32x4.add(c01, f32x4.mul(a, b1));
        a = v128.load32_splat(x1 + o);
        c10 = f32x4.add(c10, f32x4.mul(a, b0));
        c11 = f32x4.add(c11, f32x4.mul(a, b1));
        a = v128.load32_splat(x2 + o);
        c20 = f32x4.add(c20, f32x4.mul(a, b0));
        c21 = f32x4.add(c21, f32x4.mul(a, b1));
        a = v128.load32_splat(x3 + o);
        c30 = f32x4.add(c30, f32x4.mul(a, b0));
        c31 = f32x4.add(c31, f32x4.mul(a, b1));
      }
      if (!first) {
        c00 = f32x4.add(c00, v128.load(z0 + j));
        c01 = f32x4.add(c01, v128.load(z0 + j, 16));
        c10 = f32x4.add(c10, v128.load(z1 + j));
        c11 = f32x4.add(c11, v128.load(z1 + j, 16));
        c20 = f32x4.add(c20, v128.load(z2 + j));
        c21 = f32x4.add(c21, v128.load(z2 + j, 16));
        c30 = f32x4.add(c30, v128.load(z3 + j));
        c31 = f32x4.add(c31, v128.load(z3 + j, 16));
      }
      v128.store(z0 + j, c00);
      v128.store(z0 + j, c01, 16);
      v128.store(z1 + j, c10);
      v128.store(z1 + j, c11, 16);
      v128.store(z2 + j, c20);
      v128.store(z2 + j, c21, 16);
      v128.store(z3 + j, c30);
      v128.store(z3 + j, c31, 16);
    }
  }
}

/**
 * Columns from byte `from` to byte `to` of z[m, n] = x[m, k]·w[k, n] for a few rows, without packing:
 * groups of four rows on the unpacked 4×8 kernel (w streamed once per group), their last columns and
 * any remaining rows one row at a time. Every column is summed the same way whatever the range, so a
 * product split by columns across threads gives the same bits.
 */
function productRows(x: usize, w: usize, z: usize, m: i32, k: i32, n: i32, from: usize, to: usize): void {
  const n8 = from + ((to - from) & ~(<usize>31));
  let i = 0;
  if (k > 0) {
    for (; i + 4 <= m; i += 4) {
      productQuad(x, w, z, i, k, n, from, n8);
      for (let r = i; r < i + 4; r++) productRow(x, w, z, r, k, n, n8, to);
    }
  }
  for (; i < m; i++) productRow(x, w, z, i, k, n, from, to);
}

/**
 * One thread's share of z = x·w for a few rows on the unpacked w: columns j0 .. j1 of every row (j0 a
 * multiple of 32). The signature is `matMulTile`'s (w in place of the packed B; batch, flags, the row
 * range and scratch unused), so the thread pool runs it the same way.
 */
export function denseRowsTile(x: usize, w: usize, z: usize, batch: i32, m: i32, k: i32, n: i32, flags: i32, r0: i32, r1: i32, j0: i32, j1: i32, scratch: usize): void {
  productRows(x, w, z, m, k, n, <usize>j0 << 2, <usize>j1 << 2);
}

/** a = f(z + b): the bias (when b ≠ 0) and the activation over z [m, n]; `a` may equal `z`. */
export function denseEpilogue(z: usize, b: usize, a: usize, m: i32, n: i32, act: i32, alpha: f64): void {
  if (b != 0) addBias(z, b, m, n);
  if (act == LINEAR) {
    if (a != z) memory.copy(a, z, <usize>m * <usize>n * 4);
  } else if (act == SOFTMAX) {
    softmax(z, m, n, a);
  } else if (act == LOG_SOFTMAX) {
    logSoftmax(z, m, n, a);
  } else {
    unary(act, z, a, vectorBytes(m * n), alpha);
  }
}

/**
 * z = x·W (+ b when b ≠ 0), a = f(z), with x [m, k], W [k, n], on this thread; `a` may equal `z`.
 * `scratch` is the matMul packing scratch (`matMulScratchBytes()`).
 */
export function denseForward(x: usize, w: usize, b: usize, z: usize, a: usize, m: i32, k: i32, n: i32, act: i32, alpha: f64, scratch: usize): void {
  if (m <= SMALL_ROWS) productRows(x, w, z, m, k, n, 0, <usize>n << 2);
  else matMul(x, w, z, 1, m, k, n, 0, scratch);
  denseEpilogue(z, b, a, m, n, act, alpha);
}

/**
 * The elementwise half of a Dense backward, from da = ∂C/∂a: dz = da ∘ f′(z) (dz may equal da) and,
 * when db ≠ 0, db = column sums of dz (f64, row by row, as `reduce`; `sums` holds 8·n bytes). The
 * products dW = xᵀ·dz and dx = dz·Wᵀ follow as `matMul` calls.
 */
export function denseDelta(z: usize, a: usize, da: usize, dz: usize, db: usize, m: i32, n: i32, act: i32, alpha: f64, sums: usize): void {
  if (act == LINEAR) {
    if (dz != da) memory.copy(dz, da, <usize>m * <usize>n * 4);
  } else if (act == SOFTMAX) {
    softmaxGrad(a, da, m, n, dz);
  } else if (act == LOG_SOFTMAX) {
    logSoftmaxGrad(a, da, m, n, dz);
  } else {
    unaryGrad(act, z, a, da, dz, vectorBytes(m * n), alpha);
  }
  if (db != 0) reduce(0, dz, 1, m, n, db, sums);
}

/**
 * Softmax cross-entropy from logits x [rows, cols] and labels y, as the op-by-op path rounds it:
 * loss[r] = −f32(Σ f32(y·f32(x − logΣexp))), dx = f32(scale·f32(f32(p·f32(Σy)) − y)) with
 * p = f32(f32(e)/Σe), e = exp(x − max). `dx` must not alias `x`.
 */
export function softmaxCrossEntropy(x: usize, y: usize, rows: i32, cols: i32, scale: f32, loss: usize, dx: usize): void {
  const bytes = <usize>cols << 2;
  const whole = bytes & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * bytes;
    const xr = x + off;
    const yr = y + off;
    const dr = dx + off;
    let m: f32 = -Infinity;
    for (let i: usize = 0; i < bytes; i += 4) m = max(m, load<f32>(xr + i));
    const mv = f64x2.splat(<f64>m);
    // Pass 1: e = exp(x − max), stored rounded in dx (as the softmax kernel stores it), and Σe, Σy.
    let acc = f64x2.splat(0);
    let i: usize = 0;
    for (; i < whole; i += 16) {
      const v = v128.load(xr + i);
      const lo = vexp(f64x2.sub(lowHalf(v), mv));
      const hi = vexp(f64x2.sub(highHalf(v), mv));
      acc = f64x2.add(acc, f64x2.add(lo, hi));
      v128.store(dr + i, joinHalves(lo, hi));
    }
    let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; i < bytes; i += 4) {
      const e = Math.exp(<f64>load<f32>(xr + i) - <f64>m);
      sum += e;
      store<f32>(dr + i, <f32>e);
    }
    const logSum = <f64>m + Math.log(sum);
    let labels: f64 = 0;
    let dot: f64 = 0;
    for (i = 0; i < bytes; i += 4) {
      const yi = load<f32>(yr + i);
      labels += <f64>yi;
      dot += <f64>(yi * <f32>(<f64>load<f32>(xr + i) - logSum));
    }
    store<f32>(loss + (<usize>r << 2), -<f32>dot);
    // Pass 2: dx = scale·(p·Σy − y).
    const sy = <f32>labels;
    for (i = 0; i < bytes; i += 4) {
      const p = <f32>(<f64>load<f32>(dr + i) / sum);
      store<f32>(dr + i, scale * (p * sy - load<f32>(yr + i)));
    }
  }
}

/**
 * Sigmoid cross-entropy from logits, elementwise over `bytes` (a multiple of 16): loss =
 * f32(f32(max(x, 0) − f32(x·y)) + log1p(e^−|x|)), dx = f32(scale·f32(f32(σ(x)) − y)).
 */
export function sigmoidCrossEntropy(x: usize, y: usize, bytes: usize, scale: f32, loss: usize, dx: usize): void {
  const sv = f32x4.splat(scale);
  const zero = f32x4.splat(0);
  for (let i: usize = 0; i < bytes; i += 16) {
    const xv = v128.load(x + i);
    const yv = v128.load(y + i);
    const base = f32x4.sub(f32x4.max(xv, zero), f32x4.mul(xv, yv));
    const lo = lowHalf(xv);
    const hi = highHalf(xv);
    const softLo = vlog1p(vexp(f64x2.neg(f64x2.abs(lo))));
    const softHi = vlog1p(vexp(f64x2.neg(f64x2.abs(hi))));
    v128.store(loss + i, joinHalves(f64x2.add(lowHalf(base), softLo), f64x2.add(highHalf(base), softHi)));
    const p = joinHalves(vsigmoid(lo), vsigmoid(hi));
    v128.store(dx + i, f32x4.mul(sv, f32x4.sub(p, yv)));
  }
}

/**
 * One Adam step in place over `bytes` of float32 (a multiple of 16), in f64 lanes with Adam.update's
 * operations in its order — so the result is the JS optimizer's, bit for bit.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, bytes: usize, lr: f64, beta1: f64, beta2: f64, epsilon: f64, c1: f64, c2: f64): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const one1 = f64x2.splat(1 - beta1);
  const one2 = f64x2.splat(1 - beta2);
  const rate = f64x2.splat(lr);
  const eps = f64x2.splat(epsilon);
  const k1 = f64x2.splat(c1);
  const k2 = f64x2.splat(c2);
  for (let i: usize = 0; i < bytes; i += 16) {
    const gv = v128.load(g + i);
    const mv = v128.load(m + i);
    const vv = v128.load(v + i);
    const wv = v128.load(w + i);
    const g0 = lowHalf(gv);
    const g1 = highHalf(gv);
    const m0 = f64x2.add(f64x2.mul(b1, lowHalf(mv)), f64x2.mul(one1, g0));
    const m1 = f64x2.add(f64x2.mul(b1, highHalf(mv)), f64x2.mul(one1, g1));
    const v0 = f64x2.add(f64x2.mul(b2, lowHalf(vv)), f64x2.mul(f64x2.mul(one2, g0), g0));
    const v1 = f64x2.add(f64x2.mul(b2, highHalf(vv)), f64x2.mul(f64x2.mul(one2, g1), g1));
    v128.store(m + i, joinHalves(m0, m1));
    v128.store(v + i, joinHalves(v0, v1));
    const s0 = f64x2.div(f64x2.mul(rate, f64x2.div(m0, k1)), f64x2.add(f64x2.sqrt(f64x2.div(v0, k2)), eps));
    const s1 = f64x2.div(f64x2.mul(rate, f64x2.div(m1, k1)), f64x2.add(f64x2.sqrt(f64x2.div(v1, k2)), eps));
    v128.store(w + i, joinHalves(f64x2.sub(lowHalf(wv), s0), f64x2.sub(highHalf(wv), s1)));
  }
}
