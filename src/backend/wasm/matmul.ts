import type { DataArray } from '../../tensor/precision.js';
import type { MatMulDims } from '../backend.js';
import { matMul as jsMatMul } from '../js/matmul.js';
import type { Arena } from './arena.js';
import { arenaFor, noteFallback } from './state.js';
import { awakeWorkers, readyThreads, runTiles, type TileJob, threadSlots, wakeWorkers } from './threads.js';
import { UNPACKED_ROWS } from './threads-protocol.js';

/**
 * Below this many multiply-adds the JS loops win: copying operands into wasm memory and packing panels
 * costs more than it saves (measured: `npm run bench -- kernels`).
 */
const MIN_MULTIPLY_ADDS = 512;

/**
 * Above this many multiply-adds a product is split across threads. Measured on a 2-core VM with
 * `ax.matMul` on n×n operands, the worker asleep beforehand: 2^22 runs 0.7-0.8× as fast as one
 * thread, 2^23 ~1.0×, 2^24 0.8-1.2×, 2^25 1.3-1.4×, 2^27 1.4-1.6×, 2^30 1.5-1.9× (a warm worker pays
 * from 2^22; the spread is other load on the machine). Up to it, waking a worker (the futex wake
 * costs the caller ~20 µs here, the woken thread tens more to get going) and packing B whole cost
 * more than the second core saves.
 */
let threadMinMultiplyAdds = 2 ** 24;

/**
 * How long a product may wait for sleeping workers to wake, as a fraction of its one-thread time
 * (estimated at ~12 multiply-adds per ns), and at most WAKE_MAX_MS. A worker wakes in 30-70 µs on an
 * idle machine; one that takes longer is waiting for a core, and the product is better off without it.
 */
const WAKE_BUDGET = 0.08;
/** From this many multiply-adds (512³) a product is shared even with workers still waking up. */
const LATE_JOIN_MULTIPLY_ADDS = 2 ** 27;
const WAKE_MAX_MS = 0.15;
const MULTIPLY_ADDS_PER_MS = 12e6;

/** Tiles per participant: enough that a late or slower thread leaves little idle time at the end. */
const TILES_PER_THREAD = 4;
/** The micro-kernel's tile (assembly/matmul.ts): row blocks are multiples of MR, column blocks of NR. */
const MR = 4;
const NR = 8;

/**
 * @internal Sets the size above which products are split across threads (tests use 0 to check the
 * split on small shapes); returns the previous value.
 */
export function setThreadThreshold(multiplyAdds: number): number {
  const previous = threadMinMultiplyAdds;
  threadMinMultiplyAdds = multiplyAdds;
  return previous;
}

let wakeBudgetOverride: number | undefined;

/**
 * @internal Fixes how long (ms) a product waits for sleeping workers to wake (undefined: the default,
 * a fraction of its one-thread time). Tests set a long one so that small products do take the split
 * path; returns the previous setting.
 */
export function setWakeBudget(ms: number | undefined): number | undefined {
  const previous = wakeBudgetOverride;
  wakeBudgetOverride = ms;
  return previous;
}

/**
 * @internal The size (multiply-adds) above which products are split across threads.
 */
export function threadThreshold(): number {
  return threadMinMultiplyAdds;
}

const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;

/** op(a)·op(b) on the packed SIMD kernel (assembly/matmul.ts), every transpose and batch combination. */
export function matMul(a: DataArray, b: DataArray, dims: MatMulDims, out: DataArray): void {
  const { batch, m, k, n } = dims;
  const arena = arenaFor(a, b, out);
  if (arena === undefined || batch * m * n * k < MIN_MULTIPLY_ADDS) {
    jsMatMul(a, b, dims, out);
    return;
  }
  try {
    // Sleeping workers take tens of µs to wake: start that now, while the operands are copied in.
    if (threadsFor(dims) > 1) wakeWorkers();
    arena.reset();
    const pa = arena.input(a);
    const pb = arena.input(b);
    const pc = arena.alloc(out.length * 4);
    if (!parallelMatMul(arena, pa, pb, pc, dims)) {
      arena.kernels.matMul(pa, pb, pc, batch, m, k, n, flagsOf(dims), arena.matMulScratch);
    }
    arena.output(pc, out);
  } catch {
    noteFallback();
    jsMatMul(a, b, dims, out);
  }
}

function flagsOf(d: MatMulDims): number {
  return (d.transposeA ? 1 : 0) | (d.transposeB ? 2 : 0) | (d.aBatched ? 4 : 0) | (d.bBatched ? 8 : 0);
}

/** Threads ready for this product: 1 up to the size where splitting pays. */
function threadsFor(dims: MatMulDims): number {
  const multiplyAdds = dims.batch * dims.m * dims.k * dims.n;
  return multiplyAdds > threadMinMultiplyAdds ? readyThreads() : 1;
}

/**
 * How C is cut for `threads` participants: row blocks (multiples of MR) when C has rows enough for
 * every thread or at least as many row panels as column panels, else column blocks (multiples of NR).
 * Undefined when C is a single micro-tile wide and high (nothing to share).
 */
function tiling(rows: number, n: number, threads: number): Omit<TileJob, 'args' | 'scratch'> | undefined {
  const target = threads * TILES_PER_THREAD;
  const rowPanels = Math.ceil(rows / MR);
  const colPanels = Math.ceil(n / NR);
  if (rowPanels >= 2 && (rowPanels >= 2 * threads || rowPanels >= colPanels)) {
    const rowStep = roundUp(Math.ceil(rows / target), MR);
    return { rows, rowStep, colStep: n, colTiles: 1, tiles: Math.ceil(rows / rowStep) };
  }
  if (colPanels >= 2) {
    const colStep = roundUp(Math.ceil(n / target), NR);
    const colTiles = Math.ceil(n / colStep);
    return { rows, rowStep: rows, colStep, colTiles, tiles: colTiles };
  }
  return undefined;
}

/**
 * C = op(A)·op(B) on operands already in wasm memory (at `pa`, `pb`; C written at `pc`), split across
 * the thread pool when it is large enough and workers are ready. B is packed whole once (shared by
 * every thread), then tiles of C are computed by whichever thread claims them, against the same packed
 * panels and in the same summation order as the one-thread `matMul` kernel: the result is
 * bit-identical. Takes its packed B and scratch blocks from `arena` (after the caller's blocks; may
 * throw if the memory cannot grow). Returns false, having written nothing to C, when the product should
 * run on one thread (too small, no worker ready, none awake in time): the caller then runs
 * `arena.kernels.matMul`. For kernels that keep their operands in wasm memory (fused layers, plans).
 * @example
 * if (!parallelMatMul(arena, pa, pb, pc, dims)) arena.kernels.matMul(pa, pb, pc, 1, m, k, n, 0, arena.matMulScratch);
 */
export function parallelMatMul(arena: Arena, pa: number, pb: number, pc: number, dims: MatMulDims): boolean {
  if (threadsFor(dims) <= 1) return false;
  wakeWorkers(); // again (cheap): callers that bring their own operands did not wake them earlier
  let { batch, m } = dims;
  const { k, n } = dims;
  let flags = flagsOf(dims);
  if (dims.aBatched && !dims.bBatched && !dims.transposeA) {
    // Stacked rows of A against one shared B: a single taller product (as the one-thread kernel does).
    m *= batch;
    batch = 1;
    flags &= ~4;
  }
  if (tiling(batch * m, n, 2) === undefined) return false;
  const kernels = arena.kernels;
  const packed = arena.alloc(kernels.matMulPackedBBytes(batch, k, n, flags));
  const scratch = [arena.matMulScratch];
  const scratchBytes = kernels.matMulTileScratchBytes();
  for (let slot = 1; slot < threadSlots(); slot++) scratch.push(arena.alloc(scratchBytes));
  kernels.matMulPackB(pb, batch, k, n, flags, packed);
  // Workers woken at the start of the product had the copy-in and the packing to get going.
  const budget =
    wakeBudgetOverride ?? Math.min(WAKE_MAX_MS, (WAKE_BUDGET * batch * m * k * n) / MULTIPLY_ADDS_PER_MS);
  const awake = awakeWorkers(budget);
  // A product this large lasts many times a slow wake-up: post it for every ready worker anyway. The
  // tiles are claimed as threads arrive, so a late worker takes what is left, and one that does not
  // come costs nothing but the split.
  const late = awake === 0 && batch * m * k * n >= LATE_JOIN_MULTIPLY_ADDS ? readyThreads() - 1 : 0;
  const threads = 1 + awake + late;
  const shape = threads > 1 ? tiling(batch * m, n, threads) : undefined;
  if (shape === undefined) return false;
  const job: TileJob = { ...shape, args: [pa, packed, pc, batch, m, k, n, flags], scratch };
  if (!runTiles(job, kernels.matMulTile)) {
    // A worker's kernel call failed (it should not): the one-thread kernel redoes the whole product.
    noteFallback();
    kernels.matMul(pa, pb, pc, dims.batch, dims.m, k, n, flagsOf(dims), arena.matMulScratch);
  }
  return true;
}

/** Up to this many rows, a Dense forward multiplies the unpacked weights (assembly/fused.ts). */
export const SMALL_ROWS = 8;
/**
 * Above this many weights (k·n) a few-row product is split by columns across awake workers. Nothing
 * is packed, so the split costs only the job's hand-over (a few µs): a 784×256 layer for one sample
 * (~20 µs on one thread) pays, a 128×10 one does not.
 */
let rowsMinWeights = 2 ** 16;
/** Column tiles are whole multiples of the unpacked kernel's widest block (32 floats). */
const ROWS_COL_STEP = 32;

/**
 * @internal Sets the weight count (k·n) above which few-row products are split; returns the previous.
 */
export function setRowsSplitThreshold(weights: number): number {
  const previous = rowsMinWeights;
  rowsMinWeights = weights;
  return previous;
}

/** Whether a few-row product of `k·n` weights is worth splitting (so worth waking the workers for). */
export function rowsSplitPays(m: number, k: number, n: number): boolean {
  return m <= SMALL_ROWS && k * n >= rowsMinWeights && readyThreads() > 1;
}

/**
 * z[m, n] = x[m, k]·w[k, n] for m ≤ SMALL_ROWS on operands in wasm memory, split by columns across the
 * workers that are awake now (never waits for a sleeping one: the whole product takes microseconds).
 * Every column is summed as the one-thread kernel sums it, so the bits are the same. Returns false,
 * having written nothing, when it should run on one thread.
 * @example
 * if (!parallelRows(arena, px, pw, pz, 1, 784, 256)) fused.denseForward(...);
 */
export function parallelRows(
  arena: Arena,
  px: number,
  pw: number,
  pz: number,
  m: number,
  k: number,
  n: number,
): boolean {
  if (!rowsSplitPays(m, k, n)) return false;
  const threads = 1 + awakeWorkers(wakeBudgetOverride ?? 0);
  if (threads <= 1) return false;
  const colStep = Math.max(
    ROWS_COL_STEP,
    roundUp(Math.ceil(n / (threads * TILES_PER_THREAD)), ROWS_COL_STEP),
  );
  const colTiles = Math.ceil(n / colStep);
  if (colTiles < 2) return false;
  const scratch = [arena.matMulScratch];
  for (let slot = 1; slot < threadSlots(); slot++) scratch.push(arena.matMulScratch);
  const job: TileJob = {
    rows: m,
    rowStep: m,
    colStep,
    colTiles,
    tiles: colTiles,
    args: [px, pw, pz, 1, m, k, n, UNPACKED_ROWS],
    scratch,
  };
  const kernels = arena.kernels;
  if (!runTiles(job, kernels.denseRowsTile)) {
    noteFallback();
    kernels.denseRowsTile(px, pw, pz, 1, m, k, n, UNPACKED_ROWS, 0, m, 0, n, 0);
  }
  return true;
}
