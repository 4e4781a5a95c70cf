import type { DataArray } from '../../tensor/precision.js';
import type { BoundKernel, DenseActivation, DenseDims } from '../backend.js';
import { activationCode, fusedExports } from './fused.js';
import { arenaFor, residentPointer, residentTarget } from './state.js';

/**
 * Dense kernels bound once to resident operands (the training plan's small layers): the operands'
 * offsets are looked up once, and each step is a direct call of the wasm kernel. Reading a typed
 * array's `.buffer` and `.byteOffset` costs 10–15 ns each, more than a Playground-size layer's
 * arithmetic, so checking them on every call would dominate.
 */

/**
 * Up to this many multiply-adds a Dense layer may be bound (`bindDenseForward`/`bindDenseBackward`):
 * small enough to run on this thread only, where the per-call checks are most of the cost.
 */
const BOUND_MAX = 1 << 18;

/** Byte offsets of operands that all live in the kernels' memory (outputs as whole arrays), or null. */
function pointers(inputs: (DataArray | null)[], outputs: (DataArray | null)[]): number[] | null {
  const out: number[] = [];
  for (const t of inputs) {
    const p = t === null ? 0 : residentPointer(t);
    if (p < 0) return null;
    out.push(p);
  }
  for (const t of outputs) {
    const p = t === null ? 0 : residentTarget(t);
    if (p < 0) return null;
    out.push(p);
  }
  return out;
}

/**
 * `denseForward` on resident operands with every check done once: the plans' small layers, where
 * copies and checks would cost more than the arithmetic. Null when an operand is not resident or the
 * layer is large (the regular path then runs, with threads where they pay).
 */
export function bindDenseForward(
  x: DataArray,
  w: DataArray,
  b: DataArray | null,
  dims: DenseDims,
  activation: DenseActivation,
  alpha: number,
  z: DataArray,
  a: DataArray,
): BoundKernel | null {
  const { m, k, n } = dims;
  const arena = arenaFor(x, w, z, a);
  if (arena === undefined || m * k * n === 0 || m * k * n > BOUND_MAX) return null;
  const p = pointers([x, w, b], [z, a]);
  if (p === null) return null;
  const [px, pw, pb, pz, pa] = p;
  const fused = fusedExports(arena);
  const code = activationCode(activation);
  const scratch = arena.matMulScratch;
  return () => fused.denseForward(px, pw, pb, pz, pa, m, k, n, code, alpha, scratch);
}

/** `denseBackward` bound once (see `bindDenseForward`). */
export function bindDenseBackward(
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
): BoundKernel | null {
  const { m, k, n } = dims;
  const arena = arenaFor(x, w, z, a);
  if (arena === undefined || m * k * n === 0 || m * k * n > BOUND_MAX || !(da instanceof Float32Array)) {
    return null;
  }
  // δ is written over da when dz is da: then da must be a whole resident array, like every output.
  const p = pointers([x, w, z, a, dz === da ? null : da], [dz, dw, db, dx]);
  if (p === null) return null;
  const [px, pw, pz, pa, pUpstream, pdz, pdw, pdb, pdx] = p;
  const pda = dz === da ? pdz : pUpstream;
  const kernels = arena.kernels;
  const fused = fusedExports(arena);
  const code = activationCode(activation);
  // The column sums of δ use the packing scratch: they are done before either product packs there.
  const scratch = arena.matMulScratch;
  return () => {
    fused.denseDelta(pz, pa, pda, pdz, pdb, m, n, code, alpha, scratch);
    if (pdw !== 0) kernels.matMul(px, pdz, pdw, 1, k, m, n, 1, scratch);
    if (pdx !== 0) kernels.matMul(pdz, pw, pdx, 1, m, n, k, 2, scratch);
  };
}
