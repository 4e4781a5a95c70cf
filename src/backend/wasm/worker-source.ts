import {
  ALIVE,
  AWAKE,
  CLOSED,
  DONE,
  FAILED,
  JOB,
  MAX_TILES,
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
  UNPACKED_ROWS,
  WAKE,
  WOKEN,
} from './threads-protocol.js';

/**
 * How long (ms) an idle worker polls JOB before it sleeps in Atomics.wait. Waking a sleeping thread
 * takes 30-70 µs; the main thread therefore wakes the workers as a product begins (`wakeWorkers`), and
 * they poll while it copies the operands in and packs B, then find the job without a futex round trip.
 * A product that follows shortly (the next layer, the backward pass) is caught the same way.
 */
const SPIN_MS = 0.25;

/**
 * The program of a kernel worker, as source text: it has to start from a string (Node's eval workers, a
 * Blob URL in browsers) so that no file path has to resolve in every bundler and runtime. It receives
 * { module, memory, control, slot, generation } once, instantiates the kernels over the shared memory,
 * then serves jobs through the control block (threads-protocol.ts; `claimTiles` there is the same loop)
 * until its slot is given up. No import, nothing but WebAssembly and Atomics.
 */
export const WORKER_SOURCE = `'use strict';
const port = typeof require === 'function' ? require('node:worker_threads').parentPort : null;

function claim(control, kernels, tag) {
  const a = Atomics.load(control, ${P_ARGS}) >>> 0;
  const packedB = Atomics.load(control, ${P_ARGS + 1}) >>> 0;
  const c = Atomics.load(control, ${P_ARGS + 2}) >>> 0;
  const batch = Atomics.load(control, ${P_ARGS + 3});
  const m = Atomics.load(control, ${P_ARGS + 4});
  const k = Atomics.load(control, ${P_ARGS + 5});
  const n = Atomics.load(control, ${P_ARGS + 6});
  const flags = Atomics.load(control, ${P_ARGS + 7});
  const rows = Atomics.load(control, ${P_ROWS});
  const rowStep = Atomics.load(control, ${P_ROW_STEP});
  const colStep = Atomics.load(control, ${P_COL_STEP});
  const colTiles = Atomics.load(control, ${P_COL_TILES});
  const tiles = Atomics.load(control, ${P_TILES});
  const scratchCount = Atomics.load(control, ${P_SCRATCH_COUNT});
  let scratch = -1;
  for (;;) {
    const next = Atomics.load(control, ${NEXT});
    if (next === ${CLOSED} || next >>> 16 !== tag) return;
    const tile = next & ${MAX_TILES};
    if (tile >= tiles) return;
    if (scratch < 0) {
      const block = Atomics.add(control, ${SCRATCH_NEXT}, 1);
      if (block >= scratchCount) return;
      scratch = Atomics.load(control, ${SCRATCH} + block) >>> 0;
      continue;
    }
    if (Atomics.compareExchange(control, ${NEXT}, next, next + 1) !== next) continue;
    const r0 = Math.floor(tile / colTiles) * rowStep;
    const j0 = (tile % colTiles) * colStep;
    try {
      const tileKernel = (flags & ${UNPACKED_ROWS}) !== 0 ? kernels.denseRowsTile : kernels.matMulTile;
      tileKernel(a, packedB, c, batch, m, k, n, flags, r0, Math.min(rows, r0 + rowStep), j0, Math.min(n, j0 + colStep), scratch);
    } catch (e) {
      Atomics.store(control, ${FAILED}, 1);
    }
    if (Atomics.add(control, ${DONE}, 1) + 1 === tiles) Atomics.notify(control, ${DONE});
  }
}

function serve(start) {
  const control = new Int32Array(start.control);
  const slot = start.slot;
  const generation = start.generation;
  const awake = 2 * generation + 1;
  const asleep = 2 * generation;
  let kernels;
  try {
    kernels = new WebAssembly.Instance(start.module, { env: { memory: start.memory } }).exports;
  } catch (e) {
    return;
  }
  Atomics.compareExchange(control, ${AWAKE} + slot, asleep, awake);
  Atomics.compareExchange(control, ${READY} + slot, -generation, generation);
  let seen = -1;
  for (;;) {
    if (Atomics.load(control, ${ALIVE} + slot) !== generation) return;
    const job = Atomics.load(control, ${JOB});
    if (job !== seen) {
      seen = job;
      claim(control, kernels, job);
      continue;
    }
    const until = performance.now() + ${SPIN_MS};
    let polls = 0;
    while (Atomics.load(control, ${JOB}) === seen) {
      if ((++polls & 255) === 0 && performance.now() > until) {
        // WAKE is read before JOB is checked a last time: a job or wake-up posted after this read
        // changes WAKE, so the wait below returns at once instead of sleeping through it.
        const wake = Atomics.load(control, ${WAKE});
        if (Atomics.load(control, ${JOB}) !== seen) break;
        Atomics.compareExchange(control, ${AWAKE} + slot, awake, asleep);
        Atomics.wait(control, ${WAKE}, wake);
        Atomics.compareExchange(control, ${AWAKE} + slot, asleep, awake);
        Atomics.add(control, ${WOKEN}, 1);
        Atomics.notify(control, ${WOKEN});
        break;
      }
    }
  }
}

function start(message) {
  serve(message);
  if (port !== null) port.close();
  else self.close();
}

if (port !== null) port.once('message', start);
else self.onmessage = (event) => start(event.data);
`;
