/**
 * How the main thread and the kernel workers cooperate on one product, through a small control block
 * (an Int32Array over a SharedArrayBuffer) — no message per job, only atomics.
 *
 * A job is a set of tiles of C (row blocks, or column blocks when C has few rows), all computed by the
 * same kernel (`matMulTile`) against one packed B. The main thread writes the job's parameters, opens
 * the tile counter NEXT, bumps JOB and WAKE (waking the workers); then every participant, the main
 * thread included, claims tiles one at a time until none are left, so a slow or still-starting worker
 * simply takes fewer. The main thread waits for DONE to reach the tile count and closes NEXT.
 *
 * NEXT holds (job tag << 16) | next tile, or CLOSED between jobs. A claim is a compare-exchange on the
 * value read after the parameters, so a worker that woke late and read a later job's half-written
 * parameters cannot claim anything with them: NEXT is closed before parameters change.
 *
 * Scratch blocks are handed out per job by a counter (SCRATCH_NEXT), not per worker slot: a stopped
 * worker that has not yet noticed it was stopped, running beside its slot's successor, still gets a
 * block of its own (or none, and then takes no tile), never one in use.
 */

/** Sequence number (tag) of the latest job. */
export const JOB = 0;
/** Tile counter of the open job, or CLOSED. */
export const NEXT = 1;
/** Tiles finished in the open job; the main thread sleeps on it. */
export const DONE = 2;
/** Set by a participant whose kernel call threw; the main thread then redoes the job alone. */
export const FAILED = 3;
/**
 * Bumped (then notified) to wake workers: for each job and when the main thread wants them up. Idle
 * workers sleep on it, not on JOB, so that a wake-up sent while one is about to sleep is not lost.
 */
export const WAKE = 4;
/** Next scratch block of the open job to hand out (block 0 is the main thread's). */
export const SCRATCH_NEXT = 5;
/**
 * Counts worker wake-ups (bumped, then notified, each time a worker leaves Atomics.wait). The main
 * thread waits on it to learn that a worker is responsive: a counter, unlike a flag, cannot miss a
 * wake-up-then-sleep cycle that happened while the main thread was not running.
 */
export const WOKEN = 6;
/** Job parameters, in `matMulTile`'s order: a, packed b, c, batch, m, k, n, flags. */
export const P_ARGS = 8;
/** Rows of C over the whole batch, rows per tile, columns per tile, column tiles per row block, tiles. */
export const P_ROWS = 16;
export const P_ROW_STEP = 17;
export const P_COL_STEP = 18;
export const P_COL_TILES = 19;
export const P_TILES = 20;
/** Scratch blocks of the job. */
export const P_SCRATCH_COUNT = 21;
/** Most threads a pool has (main thread included). */
export const MAX_THREADS = 64;
/**
 * A flag bit of the job's `flags` argument: the job is `denseRowsTile` over an unpacked B (a few rows,
 * split by columns), not `matMulTile` over a packed one.
 */
export const UNPACKED_ROWS = 16;
/** The job's scratch blocks (pointers). */
export const SCRATCH = 32;
/** Generation of the worker that owns each slot (0: none); a worker whose slot changed hands quits. */
export const ALIVE = SCRATCH + MAX_THREADS;
/** Per slot: −generation when started, +generation once the worker has instantiated the kernels. */
export const READY = ALIVE + MAX_THREADS;
/**
 * Per slot: 2·generation + 1 while the worker runs (polls or works), 2·generation while it sleeps.
 * Workers change it by compare-exchange from their own generation's values, so a stopped worker
 * cannot overwrite its successor's state.
 */
export const AWAKE = READY + MAX_THREADS;
/** Int32 slots of the control block. */
export const CONTROL_LENGTH = AWAKE + MAX_THREADS;

/** NEXT between jobs. */
export const CLOSED = -1;
/** Job tags wrap at 15 bits, so that NEXT stays positive. */
export const TAG_MASK = 0x7fff;
/** Tiles per job fit in the low 16 bits of NEXT. */
export const MAX_TILES = 0xffff;

/** The kernel a participant runs on a tile (the main thread's or a worker's instance). */
export type TileKernel = (
  a: number,
  packedB: number,
  c: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  flags: number,
  r0: number,
  r1: number,
  j0: number,
  j1: number,
  scratch: number,
) => void;

/**
 * Claims and computes tiles of job `tag` until none are left; returns how many it computed. `main`:
 * the caller is the main thread (scratch block 0). The same loop runs in the workers (worker-source.ts
 * spells it out again in plain JavaScript).
 */
export function claimTiles(control: Int32Array, tag: number, main: boolean, kernel: TileKernel): number {
  // Pointers are stored as int32 bit patterns: `>>> 0` reads them back as addresses up to 4 GiB.
  const a = Atomics.load(control, P_ARGS) >>> 0;
  const packedB = Atomics.load(control, P_ARGS + 1) >>> 0;
  const c = Atomics.load(control, P_ARGS + 2) >>> 0;
  const batch = Atomics.load(control, P_ARGS + 3);
  const m = Atomics.load(control, P_ARGS + 4);
  const k = Atomics.load(control, P_ARGS + 5);
  const n = Atomics.load(control, P_ARGS + 6);
  const flags = Atomics.load(control, P_ARGS + 7);
  const rows = Atomics.load(control, P_ROWS);
  const rowStep = Atomics.load(control, P_ROW_STEP);
  const colStep = Atomics.load(control, P_COL_STEP);
  const colTiles = Atomics.load(control, P_COL_TILES);
  const tiles = Atomics.load(control, P_TILES);
  const scratchCount = Atomics.load(control, P_SCRATCH_COUNT);
  let scratch = -1;
  let computed = 0;
  for (;;) {
    const next = Atomics.load(control, NEXT);
    if (next === CLOSED || next >>> 16 !== tag) return computed;
    const tile = next & MAX_TILES;
    if (tile >= tiles) return computed;
    if (scratch < 0) {
      // The main thread owns block 0; others take the next free one, or leave the job to the rest.
      const block = main ? 0 : Atomics.add(control, SCRATCH_NEXT, 1);
      if (block >= scratchCount) return computed;
      scratch = Atomics.load(control, SCRATCH + block) >>> 0;
      continue; // NEXT may have moved meanwhile: read it again before claiming
    }
    if (Atomics.compareExchange(control, NEXT, next, next + 1) !== next) continue;
    const r0 = Math.floor(tile / colTiles) * rowStep;
    const j0 = (tile % colTiles) * colStep;
    try {
      kernel(
        a,
        packedB,
        c,
        batch,
        m,
        k,
        n,
        flags,
        r0,
        Math.min(rows, r0 + rowStep),
        j0,
        Math.min(n, j0 + colStep),
        scratch,
      );
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    computed++;
    if (Atomics.add(control, DONE, 1) + 1 === tiles) Atomics.notify(control, DONE);
  }
}
