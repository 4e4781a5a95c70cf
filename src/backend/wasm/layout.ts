import type { DataArray } from '../../tensor/precision.js';
import { transpose as jsTranspose } from '../js/layout.js';
import { arenaFor, noteFallback } from './state.js';

/** Below this many elements the JS loop wins. */
const TRANSPOSE_MIN = 256;

const MAX_RANK = 32;
// Merged axes of the permutation (sizes in output order, and their source position), and each input
// axis's position among the axes longer than 1. Reused across calls.
const groupSize = new Int32Array(MAX_RANK);
const groupSource = new Int32Array(MAX_RANK);
const position = new Int32Array(MAX_RANK);

/**
 * Reduces a permutation to groups of axes that move together: size-1 axes drop out, and output
 * neighbours that were input neighbours merge. Returns the number of groups.
 */
function groups(shape: readonly number[], perm: readonly number[]): number {
  let p = 0;
  for (let axis = 0; axis < shape.length; axis++) position[axis] = shape[axis] === 1 ? -1 : p++;
  let g = 0;
  let previous = -2;
  for (let i = 0; i < perm.length; i++) {
    const at = position[perm[i]];
    if (at < 0) continue;
    if (g > 0 && at === previous + 1) {
      groupSize[g - 1] *= shape[perm[i]];
    } else {
      groupSize[g] = shape[perm[i]];
      groupSource[g] = at;
      g++;
    }
    previous = at;
  }
  return g;
}

/**
 * x with axes permuted. Permutations that swap two blocks of axes (a matrix transpose, possibly over a
 * batch of leading axes) run on the blocked SIMD kernel; anything else uses the JS strided loop.
 */
export function transpose(
  x: DataArray,
  shape: readonly number[],
  perm: readonly number[],
  out: DataArray,
): void {
  const arena = arenaFor(x, out);
  if (arena === undefined || x.length < TRANSPOSE_MIN || shape.length > MAX_RANK) {
    jsTranspose(x, shape, perm, out);
    return;
  }
  const g = groups(shape, perm);
  let batch = 1;
  let rows = 0;
  let cols = 0;
  if (g === 2 && groupSource[0] > groupSource[1]) {
    rows = groupSize[1];
    cols = groupSize[0];
  } else if (g === 3 && groupSource[0] < groupSource[2] && groupSource[2] < groupSource[1]) {
    batch = groupSize[0];
    rows = groupSize[2];
    cols = groupSize[1];
  } else if (g <= 1) {
    out.set(x);
    return;
  } else {
    jsTranspose(x, shape, perm, out);
    return;
  }
  try {
    arena.reset();
    const px = arena.input(x);
    const po = arena.alloc(out.length * 4);
    arena.kernels.transpose2d(px, batch, rows, cols, po);
    arena.output(po, out);
  } catch {
    noteFallback();
    jsTranspose(x, shape, perm, out);
  }
}
