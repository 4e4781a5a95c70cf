import type { DataArray } from '../../tensor/precision.js';
import type { DenseActivation, DenseDims, MatMulDims, UnaryOp } from '../backend.js';
import {
  adamUpdate as jsAdamUpdate,
  denseBackward as jsDenseBackward,
  denseForward as jsDenseForward,
  sigmoidCrossEntropy as jsSigmoidCrossEntropy,
  softmaxCrossEntropy as jsSoftmaxCrossEntropy,
} from '../js/fused.js';
import type { Arena } from './arena.js';
import { UNARY_CODES } from './elementwise.js';
import { parallelMatMul, parallelRows, rowsSplitPays, SMALL_ROWS, threadThreshold } from './matmul.js';
import { arenaFor, noteFallback, residentPointer, residentTarget, vectorBytes } from './state.js';
import { wakeWorkers } from './threads.js';

/**
 * The fused kernels on the wasm module (assembly/fused.ts): the operands of a Dense forward or backward
 * cross into wasm memory once per layer instead of once per op, and its products run on the thread
 * pool when large (parallelMatMul, bit-identical to one thread). Small layers stay in the JS kernels,
 * where the copies would cost more than the arithmetic saves.
 */

/** The exports of assembly/fused.ts (pointers are byte offsets into the module's memory). */
export interface FusedExports {
  denseForward(
    x: number,
    w: number,
    b: number,
    z: number,
    a: number,
    m: number,
    k: number,
    n: number,
    act: number,
    alpha: number,
    scratch: number,
  ): void;
  denseEpilogue(z: number, b: number, a: number, m: number, n: number, act: number, alpha: number): void;
  denseDelta(
    z: number,
    a: number,
    da: number,
    dz: number,
    db: number,
    m: number,
    n: number,
    act: number,
    alpha: number,
    sums: number,
  ): void;
  softmaxCrossEntropy(
    x: number,
    y: number,
    rows: number,
    cols: number,
    scale: number,
    loss: number,
    dx: number,
  ): void;
  sigmoidCrossEntropy(x: number, y: number, bytes: number, scale: number, loss: number, dx: number): void;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    bytes: number,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
}

export function fusedExports(arena: Arena): FusedExports {
  return arena.kernels as unknown as FusedExports;
}

/**
 * Below this many multiply-adds per Dense call the JS loops win: copying the operands in and out and
 * packing panels cost more than SIMD saves (measured on 2-8-8-1 up to 784-256-128-10 layers).
 */
const DENSE_MIN = 1024;
/** Below this many weights the Adam loop stays in JS (four buffers in, three out, per call). */
const ADAM_MIN = 2048;
/** The cross-entropies call exp per element: wasm pays off from a few dozen elements. */
const CROSSENTROPY_MIN = 64;

/** Gradients of these ops read y = f(x); of the others, only x (and dy). */
const GRAD_READS_Y = new Set<UnaryOp>(['sqrt', 'exp', 'reciprocal', 'sigmoid', 'tanh', 'elu', 'selu']);
/** Gradients of these ops read y only, never x. */
const GRAD_IGNORES_X = new Set<UnaryOp>(['sqrt', 'exp', 'reciprocal', 'sigmoid', 'tanh']);

export function activationCode(activation: DenseActivation): number {
  if (activation === 'linear') return -1;
  if (activation === 'softmax') return -2;
  if (activation === 'logSoftmax') return -3;
  return UNARY_CODES[activation];
}

/** One product's dims, in a reused object (no allocation per call). */
const productDims: MatMulDims = {
  batch: 1,
  m: 0,
  k: 0,
  n: 0,
  transposeA: false,
  transposeB: false,
  aBatched: false,
  bBatched: false,
};

function product(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): MatMulDims {
  productDims.m = m;
  productDims.k = k;
  productDims.n = n;
  productDims.transposeA = transposeA;
  productDims.transposeB = transposeB;
  return productDims;
}

function isF32(t: DataArray | null): boolean {
  return t === null || t instanceof Float32Array;
}

/**
 * The block of the first `count` floats of `x`: where it already lives when resident, else a copy.
 */
function input(arena: Arena, x: DataArray, count: number): number {
  const resident = residentPointer(x);
  return resident >= 0 ? resident : copyIn(arena, x, count);
}

/** The block of an operand updated in place: itself when it is a whole resident array, else a copy. */
function inout(arena: Arena, x: DataArray, count: number): number {
  return residentTarget(x) >= 0 ? residentPointer(x) : copyIn(arena, x, count);
}

function copyIn(arena: Arena, x: DataArray, count: number): number {
  const at = arena.alloc(count * 4);
  arena.f32.set(x.length === count ? x : x.subarray(0, count), at >> 2);
  return at;
}

/** The block a result for `out` is written to: `out` itself when resident, else a fresh block. */
function target(arena: Arena, out: DataArray, count: number): number {
  const resident = residentTarget(out);
  return resident >= 0 ? resident : arena.alloc(count * 4);
}

/** Copies `count` floats from the block at `at` into `out` (nothing to do when `out` is that block). */
function output(arena: Arena, at: number, out: DataArray, count: number): void {
  if (residentPointer(out) === at) return;
  const start = at >> 2;
  out.set(arena.f32.subarray(start, start + count));
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
  const arena = arenaFor(x, w, z, a);
  if (arena === undefined || (b !== null && !(b instanceof Float32Array)) || m * k * n < DENSE_MIN) {
    jsDenseForward(x, w, b, dims, activation, alpha, z, a);
    return;
  }
  try {
    // Sleeping workers take tens of µs to wake: start that while the operands are copied in.
    const fewRows = m <= SMALL_ROWS;
    if (m * k * n >= threadThreshold() || (fewRows && rowsSplitPays(m, k, n))) wakeWorkers();
    arena.reset();
    const px = input(arena, x, m * k);
    const pw = input(arena, w, k * n);
    const pb = b === null ? 0 : input(arena, b, n);
    const pz = target(arena, z, m * n);
    const pa = a === z ? pz : target(arena, a, m * n);
    const code = activationCode(activation);
    const fused = fusedExports(arena);
    // Large products are split across the thread pool; the rest runs in one call on this thread.
    const split = fewRows
      ? parallelRows(arena, px, pw, pz, m, k, n)
      : parallelMatMul(arena, px, pw, pz, product(m, k, n, false, false));
    if (split) {
      fused.denseEpilogue(pz, pb, pa, m, n, code, alpha);
    } else {
      fused.denseForward(px, pw, pb, pz, pa, m, k, n, code, alpha, arena.matMulScratch);
    }
    output(arena, pz, z, m * n);
    if (a !== z) output(arena, pa, a, m * n);
  } catch {
    noteFallback();
    jsDenseForward(x, w, b, dims, activation, alpha, z, a);
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
  const outputs = isF32(dz) && isF32(dw) && isF32(db) && isF32(dx);
  const arena = outputs ? arenaFor(x, w, z, a) : undefined;
  if (arena === undefined || !(da instanceof Float32Array) || m * k * n < DENSE_MIN) {
    jsDenseBackward(x, w, z, a, da, dims, activation, alpha, dz, dw, db, dx);
    return;
  }
  let deltaInPlace = false;
  try {
    if (m * k * n >= threadThreshold()) wakeWorkers();
    arena.reset();
    const elementwise = activation !== 'linear' && activation !== 'softmax' && activation !== 'logSoftmax';
    // Copy in only what this activation's derivative reads (a for softmax, x and/or y for the rest).
    const readsA = !elementwise ? activation !== 'linear' : GRAD_READS_Y.has(activation);
    const readsZ = elementwise && !GRAD_IGNORES_X.has(activation);
    const pda = dz === da ? inout(arena, da, m * n) : input(arena, da, m * n);
    const pz = readsZ ? input(arena, z, m * n) : pda;
    const pa = readsA ? input(arena, a, m * n) : pda;
    const px = dw === null ? 0 : input(arena, x, m * k);
    const pw = dx === null ? 0 : input(arena, w, k * n);
    const pdz = dz === da ? pda : target(arena, dz, m * n);
    const pdw = dw === null ? 0 : target(arena, dw, k * n);
    const pdb = db === null ? 0 : target(arena, db, n);
    const pdx = dx === null ? 0 : target(arena, dx, m * k);
    const sums = arena.alloc(n * 8);
    const code = activationCode(activation);
    const kernels = arena.kernels;
    fusedExports(arena).denseDelta(pz, pa, pda, pdz, pdb, m, n, code, alpha, sums);
    // From here a resident da updated in place holds δ, not the upstream gradient: a JS fallback must
    // start from δ (see the catch below).
    deltaInPlace = pdz === pda && residentTarget(da) >= 0;
    // dW = xᵀ·dz ([k, m]·[m, n]) and dx = dz·Wᵀ ([m, n]·[n, k]), on the thread pool when large.
    if (dw !== null && !parallelMatMul(arena, px, pdz, pdw, product(k, m, n, true, false))) {
      kernels.matMul(px, pdz, pdw, 1, k, m, n, 1, arena.matMulScratch);
    }
    if (dx !== null && !parallelMatMul(arena, pdz, pw, pdx, product(m, n, k, false, true))) {
      kernels.matMul(pdz, pw, pdx, 1, m, n, k, 2, arena.matMulScratch);
    }
    output(arena, pdz, dz, m * n);
    if (dw !== null) output(arena, pdw, dw, k * n);
    if (db !== null) output(arena, pdb, db, n);
    if (dx !== null) output(arena, pdx, dx, m * k);
  } catch {
    noteFallback();
    if (deltaInPlace) jsDenseBackward(x, w, z, a, dz, dims, 'linear', 0, dz, dw, db, dx);
    else jsDenseBackward(x, w, z, a, da, dims, activation, alpha, dz, dw, db, dx);
  }
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
  const arena = arenaFor(logits, labels, loss, dLogits);
  if (arena === undefined || rows * cols < CROSSENTROPY_MIN) {
    jsSoftmaxCrossEntropy(logits, labels, rows, cols, scale, loss, dLogits);
    return;
  }
  try {
    arena.reset();
    const px = input(arena, logits, rows * cols);
    const py = input(arena, labels, rows * cols);
    const pl = target(arena, loss, rows);
    const pd = target(arena, dLogits, rows * cols);
    fusedExports(arena).softmaxCrossEntropy(px, py, rows, cols, scale, pl, pd);
    output(arena, pl, loss, rows);
    output(arena, pd, dLogits, rows * cols);
  } catch {
    noteFallback();
    jsSoftmaxCrossEntropy(logits, labels, rows, cols, scale, loss, dLogits);
  }
}

export function sigmoidCrossEntropy(
  logits: DataArray,
  labels: DataArray,
  scale: number,
  loss: DataArray,
  dLogits: DataArray,
): void {
  const n = logits.length;
  const arena = arenaFor(logits, labels, loss, dLogits);
  if (arena === undefined || n < CROSSENTROPY_MIN) {
    jsSigmoidCrossEntropy(logits, labels, scale, loss, dLogits);
    return;
  }
  try {
    arena.reset();
    const px = input(arena, logits, n);
    const py = input(arena, labels, n);
    const pl = target(arena, loss, n);
    const pd = target(arena, dLogits, n);
    fusedExports(arena).sigmoidCrossEntropy(px, py, vectorBytes(n), scale, pl, pd);
    output(arena, pl, loss, n);
    output(arena, pd, dLogits, n);
  } catch {
    noteFallback();
    jsSigmoidCrossEntropy(logits, labels, scale, loss, dLogits);
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
  const n = w.length;
  const arena = arenaFor(w, g, m, v);
  if (arena === undefined || n < ADAM_MIN) {
    jsAdamUpdate(w, g, m, v, lr, beta1, beta2, epsilon, c1, c2);
    return;
  }
  try {
    arena.reset();
    const pw = inout(arena, w, n);
    const pg = input(arena, g, n);
    const pm = inout(arena, m, n);
    const pv = inout(arena, v, n);
    fusedExports(arena).adamUpdate(pw, pg, pm, pv, vectorBytes(n), lr, beta1, beta2, epsilon, c1, c2);
    output(arena, pw, w, n);
    output(arena, pm, m, n);
    output(arena, pv, v, n);
  } catch {
    noteFallback();
    jsAdamUpdate(w, g, m, v, lr, beta1, beta2, epsilon, c1, c2);
  }
}
