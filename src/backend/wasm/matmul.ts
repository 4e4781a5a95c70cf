import type { DataArray } from '../../tensor/precision.js';
import type { MatMulDims } from '../backend.js';
import { matMul as jsMatMul } from '../js/matmul.js';
import { arenaFor, noteFallback } from './state.js';

/**
 * Below this many multiply-adds the JS loops win: copying operands into wasm memory and packing panels
 * costs more than it saves (measured: `npm run bench -- kernels`).
 */
const MIN_MULTIPLY_ADDS = 512;

/** op(a)·op(b) on the packed SIMD kernel (assembly/matmul.ts), every transpose and batch combination. */
export function matMul(a: DataArray, b: DataArray, dims: MatMulDims, out: DataArray): void {
  const { batch, m, k, n, transposeA, transposeB, aBatched, bBatched } = dims;
  const arena = arenaFor(a, b, out);
  if (arena === undefined || batch * m * n * k < MIN_MULTIPLY_ADDS) {
    jsMatMul(a, b, dims, out);
    return;
  }
  try {
    arena.reset();
    const pa = arena.input(a);
    const pb = arena.input(b);
    const pc = arena.alloc(out.length * 4);
    const flags = (transposeA ? 1 : 0) | (transposeB ? 2 : 0) | (aBatched ? 4 : 0) | (bBatched ? 8 : 0);
    arena.kernels.matMul(pa, pb, pc, batch, m, k, n, flags, arena.matMulScratch);
    arena.output(pc, out);
  } catch {
    noteFallback();
    jsMatMul(a, b, dims, out);
  }
}
