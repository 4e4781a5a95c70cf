import type { DataArray } from '../../tensor/precision.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { binary as jsBinary, clip as jsClip } from '../js/elementwise.js';
import { unary as jsUnary, unaryGrad as jsUnaryGrad } from '../js/unary.js';
import { arenaFor, noteFallback, vectorBytes } from './state.js';

/** Op codes of the kernel module, in the order of the `UnaryOp` union (assembly/unary.ts). */
export const UNARY_CODES: Record<UnaryOp, number> = {
  neg: 0,
  abs: 1,
  sign: 2,
  sqrt: 3,
  square: 4,
  exp: 5,
  log: 6,
  log1p: 7,
  reciprocal: 8,
  sigmoid: 9,
  tanh: 10,
  relu: 11,
  leakyRelu: 12,
  elu: 13,
  selu: 14,
  softplus: 15,
  softsign: 16,
  gelu: 17,
  swish: 18,
  hardSigmoid: 19,
  step: 20,
};

/** Op codes in the order of the `BinaryOp` union (assembly/binary.ts). */
const BINARY_CODES: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  equal: 7,
  notEqual: 8,
  less: 9,
  lessEqual: 10,
  greater: 11,
  greaterEqual: 12,
};

/**
 * Below these sizes the JS loop beats copying into wasm memory and back (measured with
 * `npm run bench -- kernels`): cheap ops need many elements, transcendental ones (whose JS loop
 * calls Math.exp per element) only a few.
 */
const CHEAP_MIN = 256;
const TRANSCENDENTAL_MIN = 64;
const CHEAP_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'relu', 'step']);

function unaryThreshold(op: UnaryOp): number {
  return CHEAP_UNARY.has(op) ? CHEAP_MIN : TRANSCENDENTAL_MIN;
}

export function unary(op: UnaryOp, x: DataArray, out: DataArray, alpha: number): void {
  const arena = arenaFor(x, out);
  if (arena === undefined || x.length < unaryThreshold(op)) {
    jsUnary(op, x, out, alpha);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const po = arena.alloc(out.length * 4);
    arena.kernels.unary(UNARY_CODES[op], px, po, vectorBytes(x.length), alpha);
    arena.output(po, out);
  } catch {
    noteFallback();
    jsUnary(op, x, out, alpha);
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
  const arena = arenaFor(x, y, dy, out);
  if (arena === undefined || x.length < unaryThreshold(op) || op === 'sign' || op === 'step') {
    jsUnaryGrad(op, x, y, dy, out, alpha);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const py = arena.input(y);
    const pdy = arena.input(dy);
    const po = arena.alloc(out.length * 4);
    arena.kernels.unaryGrad(UNARY_CODES[op], px, py, pdy, po, vectorBytes(x.length), alpha);
    arena.output(po, out);
  } catch {
    noteFallback();
    jsUnaryGrad(op, x, y, dy, out, alpha);
  }
}

export function clip(x: DataArray, lo: number, hi: number, out: DataArray): void {
  const arena = arenaFor(x, out);
  if (arena === undefined || x.length < CHEAP_MIN) {
    jsClip(x, lo, hi, out);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const po = arena.alloc(out.length * 4);
    arena.kernels.clip(px, lo, hi, po, vectorBytes(x.length));
    arena.output(po, out);
  } catch {
    noteFallback();
    jsClip(x, lo, hi, out);
  }
}

/** Ranks beyond this go to the JS kernel (no real tensor comes near it). */
const MAX_RANK = 32;
// Collapsed broadcast (shape, a strides, b strides) and per-axis strides: reused, never allocated per call.
const dimShape = new Int32Array(MAX_RANK);
const dimA = new Int32Array(MAX_RANK);
const dimB = new Int32Array(MAX_RANK);
const strideA = new Int32Array(MAX_RANK);
const strideB = new Int32Array(MAX_RANK);

/**
 * Describes `a ∘ b → out` with as few axes as possible: size-1 output axes drop, and neighbouring axes
 * merge when both operands walk them contiguously (or both repeat them). Returns the rank.
 */
function collapse(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): number {
  const rank = outShape.length;
  let r = 0;
  let aStride = 1;
  let bStride = 1;
  // Walk the output axes from the innermost; strides of a and b are 0 where they broadcast.
  for (let i = rank - 1, ia = aShape.length - 1, ib = bShape.length - 1; i >= 0; i--, ia--, ib--) {
    const da = ia >= 0 ? aShape[ia] : 1;
    const db = ib >= 0 ? bShape[ib] : 1;
    strideA[i] = da === 1 ? 0 : aStride;
    strideB[i] = db === 1 ? 0 : bStride;
    aStride *= da;
    bStride *= db;
  }
  for (let i = 0; i < rank; i++) {
    const size = outShape[i];
    if (size === 1) continue;
    if (r > 0 && dimA[r - 1] === strideA[i] * size && dimB[r - 1] === strideB[i] * size) {
      dimShape[r - 1] *= size;
      dimA[r - 1] = strideA[i];
      dimB[r - 1] = strideB[i];
      continue;
    }
    dimShape[r] = size;
    dimA[r] = strideA[i];
    dimB[r] = strideB[i];
    r++;
  }
  if (r === 0) {
    dimShape[0] = 1;
    dimA[0] = 0;
    dimB[0] = 0;
    r = 1;
  }
  return r;
}

const BINARY_MIN = 256;

export function binary(
  op: BinaryOp,
  a: DataArray,
  aShape: readonly number[],
  b: DataArray,
  bShape: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  const arena = arenaFor(a, b, out);
  const small = out.length < (op === 'pow' ? TRANSCENDENTAL_MIN : BINARY_MIN);
  if (arena === undefined || small || outShape.length > MAX_RANK) {
    jsBinary(op, a, aShape, b, bShape, out, outShape);
    return;
  }
  try {
    let rank = 1;
    if (a.length === out.length && b.length === out.length) {
      dimShape[0] = out.length;
      dimA[0] = 1;
      dimB[0] = 1;
    } else {
      rank = collapse(aShape, bShape, outShape);
    }
    arena.reset();
    const pa = arena.input(a);
    const pb = arena.input(b);
    const po = arena.alloc(out.length * 4);
    const pd = arena.alloc(rank * 16);
    const i32 = arena.i32;
    const d = pd >> 2;
    for (let i = 0; i < rank; i++) {
      i32[d + i] = dimShape[i];
      i32[d + rank + i] = dimA[i];
      i32[d + 2 * rank + i] = dimB[i];
    }
    arena.kernels.binary(BINARY_CODES[op], pa, pb, po, rank, pd);
    arena.output(po, out);
  } catch {
    noteFallback();
    jsBinary(op, a, aShape, b, bShape, out, outShape);
  }
}
