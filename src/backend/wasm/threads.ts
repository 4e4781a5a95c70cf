import { type SharedKernels, sharedKernels } from './loader.js';
import {
  availableCores,
  canBlock,
  type WorkerHandle,
  workerFactory,
  workersPossible,
} from './threads-host.js';
import {
  ALIVE,
  AWAKE,
  CLOSED,
  CONTROL_LENGTH,
  claimTiles,
  DONE,
  FAILED,
  JOB,
  MAX_THREADS,
  NEXT,
  P_ARGS,
  P_COL_STEP,
  P_COL_TILES,
  P_ROW_STEP,
  P_ROWS,
  P_SCRATCH_COUNT,
  P_TILES,
  READY,
  SCRATCH,
  SCRATCH_NEXT,
  TAG_MASK,
  type TileKernel,
  WAKE,
  WOKEN,
} from './threads-protocol.js';
import { WORKER_SOURCE } from './worker-source.js';

/**
 * The kernel thread pool: `threads - 1` workers, each with its own instance of the kernel module over
 * the one shared memory; the main thread is the remaining participant. Workers start on the first
 * product large enough to split (or on `setThreads`), and a product that comes before they are ready
 * simply runs on the threads that are.
 */

let requested: number | undefined;

/**
 * Sets how many threads large matrix products use, the calling thread included: `setThreads(1)` runs
 * everything on the calling thread and stops the workers. The default is the number of available
 * cores. Where workers cannot run (a browser page that is not cross-origin isolated, the JS backend),
 * products stay on one thread whatever the setting.
 * @example
 * ax.setThreads(4);
 * ax.setThreads(1); // single-threaded, workers stopped
 */
export function setThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new Error(`setThreads: expected an integer from 1 to ${MAX_THREADS}, got ${String(n)}`);
  }
  requested = n;
  resize();
}

/**
 * How many threads large matrix products use: the `setThreads` value (default: the available cores),
 * or 1 where worker threads are unavailable.
 * @example
 * ax.getThreads(); // 2 on a 2-core machine in Node
 */
export function getThreads(): number {
  if (!workersPossible() || sharedKernels() === undefined) return 1;
  return requested ?? Math.min(availableCores(), MAX_THREADS);
}

/** One product's share-out: `matMulTile`'s arguments and the tiling of C. */
export interface TileJob {
  /** a, packed b, c, batch, m, k, n, flags (as `matMulTile`). */
  args: readonly number[];
  /** Rows of C over the batch. */
  rows: number;
  rowStep: number;
  colStep: number;
  colTiles: number;
  tiles: number;
  /** Scratch blocks, one per participant that may join (`threadSlots()`); block 0 is the caller's. */
  scratch: readonly number[];
}

interface Pool {
  readonly kernels: SharedKernels;
  readonly control: Int32Array;
  /** Slot i + 1 holds workers[i]. */
  readonly workers: WorkerHandle[];
  generation: number;
  tag: number;
}

let pool: Pool | undefined;
let jobs = 0;

/** Products split across threads so far (tests check that a split really happened). */
export function splitJobCount(): number {
  return jobs;
}

/**
 * Gives up a worker's slot; the worker quits when it next looks (the caller then wakes it). It is not
 * terminated from outside: a worker killed in the middle of a tile would leave its job unfinished.
 */
function stopWorker(p: Pool, slot: number): void {
  Atomics.store(p.control, ALIVE + slot, 0);
  Atomics.store(p.control, READY + slot, 0);
  Atomics.store(p.control, AWAKE + slot, 0);
}

/** Starts or stops workers so that the pool has `getThreads() - 1` of them. */
function resize(): void {
  const kernels = sharedKernels();
  const wanted = getThreads() - 1;
  if (kernels === undefined || (pool === undefined && wanted === 0)) return;
  if (pool === undefined) {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
    control[NEXT] = CLOSED;
    pool = { kernels, control, workers: [], generation: 0, tag: 0 };
  }
  const p = pool;
  const factory = workerFactory();
  if (factory === undefined) return;
  while (p.workers.length > wanted) {
    stopWorker(p, p.workers.length);
    p.workers.pop();
  }
  // Wake sleepers so that stopped ones see their slot is gone.
  wake(p.control);
  while (p.workers.length < wanted) {
    const slot = p.workers.length + 1;
    const generation = ++p.generation;
    // Started, not yet ready, asleep (see threads-protocol.ts for the encodings).
    Atomics.store(p.control, READY + slot, -generation);
    Atomics.store(p.control, AWAKE + slot, 2 * generation);
    Atomics.store(p.control, ALIVE + slot, generation);
    const worker = factory(WORKER_SOURCE);
    worker.postMessage({
      module: kernels.module,
      memory: kernels.memory,
      control: p.control.buffer,
      slot,
      generation,
    });
    p.workers.push(worker);
  }
}

/**
 * The number of participants ready for a job now (the calling thread plus ready workers), starting
 * the workers if they are not yet. 1 means: do it alone.
 */
export function readyThreads(): number {
  if (getThreads() <= 1) return 1;
  if (pool === undefined || pool.workers.length !== getThreads() - 1) resize();
  if (pool === undefined) return 1;
  let ready = 1;
  for (let slot = 1; slot <= pool.workers.length; slot++) {
    const alive = Atomics.load(pool.control, ALIVE + slot);
    if (alive !== 0 && Atomics.load(pool.control, READY + slot) === alive) ready++;
  }
  return ready;
}

/** Bumps WAKE and wakes every sleeping worker. */
function wake(control: Int32Array): void {
  Atomics.add(control, WAKE, 1);
  Atomics.notify(control, WAKE);
}

/**
 * Waits, for at most `budgetMs`, until a ready worker is running; returns how many are (at least 1 if
 * one woke up meanwhile, even if it has gone back to sleep: it is responsive, and the job's own wake-up
 * reaches it). A worker that does not wake in time is likely waiting for a core (the machine is busy):
 * a job that counted on it would wait for its tiles, so the caller rather runs alone then.
 *
 * The wait sleeps on the WOKEN counter rather than spinning: on a busy machine the woken worker may be
 * queued on this very core, and a spinning caller would keep it off.
 */
export function awakeWorkers(budgetMs: number): number {
  const p = pool;
  if (p === undefined) return 0;
  const control = p.control;
  const until = performance.now() + budgetMs;
  const block = canBlock();
  const woken = Atomics.load(control, WOKEN);
  let calls = 0;
  for (;;) {
    let ready = 0;
    let awake = 0;
    for (let slot = 1; slot <= p.workers.length; slot++) {
      const alive = Atomics.load(control, ALIVE + slot);
      if (alive === 0 || Atomics.load(control, READY + slot) !== alive) continue;
      ready++;
      if (Atomics.load(control, AWAKE + slot) === 2 * alive + 1) awake++;
    }
    if (awake > 0 || ready === 0) return awake;
    if (Atomics.load(control, WOKEN) !== woken) return 1;
    const left = until - performance.now();
    if (left <= 0) return 0;
    // A thread that may not block (a browser's main thread) polls, waking the workers once.
    if (block || calls++ === 0) wake(control);
    if (block) Atomics.wait(control, WOKEN, woken, left);
  }
}

/**
 * Participant slots of the pool (the calling thread plus every started worker, ready or not): a job
 * needs one scratch block per slot, since a worker that becomes ready mid-job may claim tiles.
 */
export function threadSlots(): number {
  return (pool?.workers.length ?? 0) + 1;
}

/**
 * Wakes sleeping workers so that they poll for the job about to be posted: their futex wake-up then
 * overlaps the caller's own preparation (copying operands in, packing B).
 */
export function wakeWorkers(): void {
  if (pool !== undefined) wake(pool.control);
}

/** Waits until DONE reaches `tiles`: sleeps where the thread may block, spins where it may not. */
function awaitDone(control: Int32Array, tiles: number): void {
  const block = canBlock();
  for (;;) {
    const done = Atomics.load(control, DONE);
    if (done >= tiles) return;
    if (block) Atomics.wait(control, DONE, done, 50);
  }
}

/**
 * Runs a tile job on the pool, the calling thread taking tiles too (with `kernel`, its own instance's
 * `matMulTile`). Returns false when a participant failed; the caller then redoes the product alone.
 */
export function runTiles(job: TileJob, kernel: TileKernel): boolean {
  const p = pool;
  if (p === undefined) throw new Error('runTiles: the thread pool is not started');
  const control = p.control;
  jobs++;
  for (let i = 0; i < job.args.length; i++) Atomics.store(control, P_ARGS + i, job.args[i] | 0);
  Atomics.store(control, P_ROWS, job.rows);
  Atomics.store(control, P_ROW_STEP, job.rowStep);
  Atomics.store(control, P_COL_STEP, job.colStep);
  Atomics.store(control, P_COL_TILES, job.colTiles);
  Atomics.store(control, P_TILES, job.tiles);
  const blocks = Math.min(job.scratch.length, MAX_THREADS);
  for (let block = 0; block < blocks; block++)
    Atomics.store(control, SCRATCH + block, job.scratch[block] | 0);
  Atomics.store(control, P_SCRATCH_COUNT, blocks);
  Atomics.store(control, SCRATCH_NEXT, 1);
  Atomics.store(control, DONE, 0);
  Atomics.store(control, FAILED, 0);
  p.tag = (p.tag + 1) & TAG_MASK;
  Atomics.store(control, NEXT, p.tag << 16);
  Atomics.store(control, JOB, p.tag);
  wake(control);
  claimTiles(control, p.tag, true, kernel);
  awaitDone(control, job.tiles);
  // Closed before any parameter of the next job is written (see threads-protocol.ts).
  Atomics.store(control, NEXT, CLOSED);
  return Atomics.load(control, FAILED) === 0;
}

/**
 * Stops every worker (the pool restarts on the next large product). For tests and hosts that want the
 * threads gone at once rather than when the process ends.
 * @example
 * shutdownThreads();
 */
export function shutdownThreads(): void {
  const p = pool;
  if (p === undefined) return;
  while (p.workers.length > 0) {
    stopWorker(p, p.workers.length);
    p.workers.pop();
  }
  wake(p.control);
}

/** Workers currently started (for tests). */
export function workerCount(): number {
  return pool?.workers.length ?? 0;
}
