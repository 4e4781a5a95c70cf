import type { DataArray } from '../../tensor/precision.js';
import type { ReduceDims, ReduceOp } from '../backend.js';
import {
  logSoftmax as jsLogSoftmax,
  logSoftmaxGrad as jsLogSoftmaxGrad,
  reduce as jsReduce,
  softmax as jsSoftmax,
  softmaxGrad as jsSoftmaxGrad,
} from '../js/reduce.js';
import type { Arena } from './arena.js';
import { arenaFor, noteFallback } from './state.js';

const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, logSumExp: 3 };

/** Below this many input elements the JS loops win (the copy in costs more than it saves). */
const REDUCE_MIN = 64;
/** The softmax family calls exp per element in JS: wasm pays off much earlier. */
const SOFTMAX_MIN = 64;

export function reduce(op: ReduceOp, x: DataArray, dims: ReduceDims, out: DataArray): void {
  const arena = arenaFor(x, out);
  if (arena === undefined || x.length < (op === 'logSumExp' ? SOFTMAX_MIN : REDUCE_MIN)) {
    jsReduce(op, x, dims, out);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const po = arena.alloc(out.length * 4);
    const scratch = arena.alloc(dims.inner * 8);
    arena.kernels.reduce(REDUCE_CODES[op], px, dims.outer, dims.reduced, dims.inner, po, scratch);
    arena.output(po, out);
  } catch {
    noteFallback();
    jsReduce(op, x, dims, out);
  }
}

type RowKernel = (arena: Arena, px: number, rows: number, cols: number, po: number) => void;

/** Runs a one-input row kernel (softmax, logSoftmax) with the JS kernel as the fallback. */
function rows1(
  kernel: RowKernel,
  fallback: (x: DataArray, rows: number, cols: number, out: DataArray) => void,
  x: DataArray,
  rows: number,
  cols: number,
  out: DataArray,
): void {
  const arena = arenaFor(x, out);
  if (arena === undefined || x.length < SOFTMAX_MIN) {
    fallback(x, rows, cols, out);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const po = arena.alloc(out.length * 4);
    kernel(arena, px, rows, cols, po);
    arena.output(po, out);
  } catch {
    noteFallback();
    fallback(x, rows, cols, out);
  }
}

const softmaxRows: RowKernel = (arena, px, rows, cols, po) => arena.kernels.softmax(px, rows, cols, po);
const logSoftmaxRows: RowKernel = (arena, px, rows, cols, po) => arena.kernels.logSoftmax(px, rows, cols, po);

export function softmax(x: DataArray, rows: number, cols: number, out: DataArray): void {
  rows1(softmaxRows, jsSoftmax, x, rows, cols, out);
}

export function logSoftmax(x: DataArray, rows: number, cols: number, out: DataArray): void {
  rows1(logSoftmaxRows, jsLogSoftmax, x, rows, cols, out);
}

type GradKernel = (arena: Arena, py: number, pdy: number, rows: number, cols: number, po: number) => void;

function rows2(
  kernel: GradKernel,
  fallback: (y: DataArray, dy: DataArray, rows: number, cols: number, out: DataArray) => void,
  y: DataArray,
  dy: DataArray,
  rows: number,
  cols: number,
  out: DataArray,
): void {
  const arena = arenaFor(y, dy, out);
  if (arena === undefined || y.length < SOFTMAX_MIN) {
    fallback(y, dy, rows, cols, out);
    return;
  }
  try {
    arena.reset();
    const py = arena.input(y);
    const pdy = arena.input(dy);
    const po = arena.alloc(out.length * 4);
    kernel(arena, py, pdy, rows, cols, po);
    arena.output(po, out);
  } catch {
    noteFallback();
    fallback(y, dy, rows, cols, out);
  }
}

const softmaxGradRows: GradKernel = (arena, py, pdy, rows, cols, po) =>
  arena.kernels.softmaxGrad(py, pdy, rows, cols, po);
const logSoftmaxGradRows: GradKernel = (arena, py, pdy, rows, cols, po) =>
  arena.kernels.logSoftmaxGrad(py, pdy, rows, cols, po);

export function softmaxGrad(y: DataArray, dy: DataArray, rows: number, cols: number, out: DataArray): void {
  rows2(softmaxGradRows, jsSoftmaxGrad, y, dy, rows, cols, out);
}

export function logSoftmaxGrad(
  y: DataArray,
  dy: DataArray,
  rows: number,
  cols: number,
  out: DataArray,
): void {
  rows2(logSoftmaxGradRows, jsLogSoftmaxGrad, y, dy, rows, cols, out);
}
