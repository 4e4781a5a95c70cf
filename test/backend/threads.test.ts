/**
 * Matrix products split across worker threads (src/backend/wasm/threads.ts): the split result must be
 * bit-identical to the one-thread WASM kernel (same packed panels, same summation order per element)
 * for odd sizes, every transpose combination, every batch configuration, row and column splits and
 * shapes that cross the kernel's cache blocks; workers must really compute tiles, stop on request and
 * not keep the process alive; setThreads validates its argument.
 *
 * The split threshold is lowered (setThreadThreshold) so that small, fast shapes take the threaded path.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MatMulDims } from '../../src/backend/backend.js';
import { sharedKernels } from '../../src/backend/wasm/loader.js';
import { setThreadThreshold, setWakeBudget } from '../../src/backend/wasm/matmul.js';
import { arenaFor } from '../../src/backend/wasm/state.js';
import {
  readyThreads,
  runTiles,
  shutdownThreads,
  splitJobCount,
  threadSlots,
  workerCount,
} from '../../src/backend/wasm/threads.js';
import * as ax from '../../src/index.js';
import { data, seeded, wasmBackend, wasmFallbackCount } from './helpers.js';

/** Waits (polling, at most ~10 s) until `threads` participants are ready. */
async function ready(threads: number): Promise<void> {
  for (let i = 0; i < 1000 && readyThreads() < threads; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(readyThreads(), threads, `${threads - 1} worker(s) should be ready`);
}

function dims(batch: number, m: number, k: number, n: number, flags: number): MatMulDims {
  return {
    batch,
    m,
    k,
    n,
    transposeA: (flags & 1) !== 0,
    transposeB: (flags & 2) !== 0,
    aBatched: (flags & 4) !== 0,
    bBatched: (flags & 8) !== 0,
  };
}

/**
 * The product on one thread and split; asserts every output bit is the same (and, when `split`, that
 * the second product really was split across threads). Returns the split result.
 */
function checkIdentical(d: MatMulDims, seed: number, split = true): Float32Array {
  // Products under 512 multiply-adds run in the JS kernels, and a C of one 4×8 micro-tile has
  // nothing to share: those are never split.
  const expectSplit = split && d.batch * d.m * d.k * d.n >= 512 && (d.batch * d.m > 4 || d.n > 8);
  const random = seeded(seed);
  const a = data(random, (d.aBatched ? d.batch : 1) * d.m * d.k);
  const b = data(random, (d.bBatched ? d.batch : 1) * d.k * d.n);
  const one = new Float32Array(d.batch * d.m * d.n).fill(7);
  const parts = new Float32Array(d.batch * d.m * d.n).fill(-7);
  setThreadThreshold(Number.POSITIVE_INFINITY);
  wasmBackend.matMul(a, b, d, one);
  setThreadThreshold(0);
  const jobs = splitJobCount();
  wasmBackend.matMul(a, b, d, parts);
  if (expectSplit) assert.equal(splitJobCount(), jobs + 1, `${JSON.stringify(d)} should have been split`);
  const oneBits = new Uint32Array(one.buffer);
  const splitBits = new Uint32Array(parts.buffer);
  for (let i = 0; i < oneBits.length; i++) {
    if (oneBits[i] !== splitBits[i]) {
      assert.fail(`${JSON.stringify(d)}[${i}]: split ${parts[i]} vs one thread ${one[i]}`);
    }
  }
  return parts;
}

const SHAPES: [number, number, number][] = [
  [16, 2, 16],
  [17, 13, 9],
  [33, 65, 17],
  [97, 300, 41], // crosses MC = 96 rows and KC = 256 along k
  [64, 5, 2050], // row split, n crosses NC = 2048
  [8, 7, 2100], // too few rows: column split, tiles cross NC
  [3, 9, 40], // column split of a short C
];

describe('threads: setThreads / getThreads', () => {
  it('defaults to the available cores (Node has workers and shared memory)', () => {
    assert.ok(sharedKernels() !== undefined, 'the kernels run on a shared memory in Node');
    assert.equal(ax.getThreads(), Math.min(availableParallelism(), 64));
  });

  it('rejects counts that are not integers from 1 to 64', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 65, '2' as unknown as number]) {
      assert.throws(() => ax.setThreads(bad), /setThreads: expected an integer from 1 to 64, got/);
    }
    assert.equal(ax.getThreads(), Math.min(availableParallelism(), 64), 'a rejected call changes nothing');
  });

  it('setThreads(1) stops the workers and runs on the calling thread', async () => {
    ax.setThreads(2);
    await ready(2);
    assert.equal(workerCount(), 1);
    ax.setThreads(1);
    assert.equal(ax.getThreads(), 1);
    assert.equal(workerCount(), 0);
    assert.equal(readyThreads(), 1);
    checkIdentical(dims(1, 33, 65, 17, 0), 1, false); // still correct, on one thread
  });
});

describe('threads: split products are bit-identical to one thread', () => {
  let threshold = 0;
  before(async () => {
    threshold = setThreadThreshold(0);
    // Wait for woken workers however long they take: every product here must really be split.
    setWakeBudget(10_000);
    ax.setThreads(3); // more participants than tiles in some shapes, and than cores on a 2-core machine
    await ready(3);
  });
  after(() => {
    setThreadThreshold(threshold);
    setWakeBudget(undefined);
    shutdownThreads();
  });

  it('every transpose combination, odd and block-crossing sizes', () => {
    let seed = 10;
    for (const [m, k, n] of SHAPES) {
      for (let flags = 0; flags < 4; flags++) checkIdentical(dims(1, m, k, n, flags), seed++);
    }
    assert.equal(wasmFallbackCount(), 0);
  });

  it('batched: both operands, A only, B only, with every transpose', () => {
    let seed = 100;
    for (const [m, k, n] of [
      [9, 13, 17],
      [40, 3, 24],
      [2, 30, 70],
    ]) {
      for (let flags = 0; flags < 16; flags++) {
        if ((flags & 12) === 0) continue; // unbatched operands are covered above
        checkIdentical(dims(3, m, k, n, flags), seed++);
      }
    }
    assert.equal(wasmFallbackCount(), 0);
  });

  it('also agrees with a float64 reference (the split is a correct product, not just a repeatable one)', () => {
    const d = dims(1, 37, 29, 23, 0);
    const random = seeded(7);
    const a = data(random, d.m * d.k);
    const b = data(random, d.k * d.n);
    const c = new Float32Array(d.m * d.n);
    setThreadThreshold(0);
    wasmBackend.matMul(a, b, d, c);
    for (let i = 0; i < d.m; i++) {
      for (let j = 0; j < d.n; j++) {
        let s = 0;
        let scale = 0;
        for (let p = 0; p < d.k; p++) {
          s += a[i * d.k + p] * b[p * d.n + j];
          scale += Math.abs(a[i * d.k + p] * b[p * d.n + j]);
        }
        assert.ok(Math.abs(c[i * d.n + j] - s) <= 1e-6 * scale, `[${i}, ${j}]: ${c[i * d.n + j]} vs ${s}`);
      }
    }
  });

  it('many products in a row (the job protocol under back-to-back jobs)', () => {
    for (let i = 0; i < 150; i++)
      checkIdentical(dims(1, 8 + (i % 29), 1 + (i % 11), 16 + (i % 37), i & 3), 1000 + i);
  });

  it('workers compute tiles: with a slow calling thread they take most of them', () => {
    const arena = arenaFor(new Float32Array(1));
    assert.ok(arena);
    const [m, k, n] = [64, 40, 24];
    const random = seeded(5);
    const a = data(random, m * k);
    const b = data(random, k * n);
    const expected = new Float32Array(m * n);
    setThreadThreshold(Number.POSITIVE_INFINITY);
    wasmBackend.matMul(a, b, dims(1, m, k, n, 0), expected);
    arena.reset();
    const pa = arena.input(a);
    const pb = arena.input(b);
    const pc = arena.alloc(m * n * 4);
    const kernels = arena.kernels;
    const packed = arena.alloc(kernels.matMulPackedBBytes(1, k, n, 0));
    kernels.matMulPackB(pb, 1, k, n, 0, packed);
    const scratch = [arena.matMulScratch];
    for (let s = 1; s < threadSlots(); s++) scratch.push(arena.alloc(kernels.matMulTileScratchBytes()));
    let mine = 0;
    const ok = runTiles(
      {
        args: [pa, packed, pc, 1, m, k, n, 0],
        rows: m,
        rowStep: 4,
        colStep: n,
        colTiles: 1,
        tiles: 16,
        scratch,
      },
      (...args) => {
        mine++;
        const until = performance.now() + 20;
        while (performance.now() < until) {
          // The calling thread dawdles, so the workers must do the rest.
        }
        kernels.matMulTile(...args);
      },
    );
    assert.ok(ok);
    assert.ok(mine < 16, `the calling thread computed ${mine} of 16 tiles: the workers did none`);
    const c = new Float32Array(m * n);
    arena.output(pc, c);
    assert.deepEqual(new Uint32Array(c.buffer), new Uint32Array(expected.buffer));
  });

  it('the public API: ax.matMul on batched tensors equals the one-thread result', (t) => {
    const backend = ax.getBackend();
    ax.setBackend('wasm'); // also under AXON_BACKEND=js
    t.after(() => ax.setBackend(backend));
    setThreadThreshold(0);
    ax.setSeed(3);
    const a = ax.randomNormal([4, 30, 50]);
    const b = ax.randomNormal([50, 20]);
    const jobs = splitJobCount();
    const split = ax.matMul(a, b).dataSync();
    assert.equal(splitJobCount(), jobs + 1, 'the product should have been split');
    ax.setThreads(1);
    const one = ax.matMul(a, b).dataSync();
    ax.setThreads(3);
    assert.deepEqual(
      new Uint32Array(Float32Array.from(split).buffer),
      new Uint32Array(Float32Array.from(one).buffer),
    );
  });

  it('a very large product is shared even when no worker is awake when it starts', async () => {
    await ready(3);
    await new Promise((r) => setTimeout(r, 300)); // idle workers poll 0.25 ms, then sleep
    setThreadThreshold(threshold); // the real threshold, and no waiting at all for sleepers
    const budget = setWakeBudget(0);
    try {
      const d = dims(1, 512, 512, 512, 0); // 2²⁷ multiply-adds: the late-join size
      const random = seeded(77);
      const [a, b] = [data(random, 512 * 512), data(random, 512 * 512)];
      const jobs = splitJobCount();
      const split = new Float32Array(512 * 512);
      wasmBackend.matMul(a, b, d, split);
      assert.equal(splitJobCount(), jobs + 1, 'the product was split');
      setThreadThreshold(Number.POSITIVE_INFINITY);
      const one = new Float32Array(512 * 512);
      wasmBackend.matMul(a, b, d, one);
      assert.deepEqual(new Uint32Array(split.buffer), new Uint32Array(one.buffer));
    } finally {
      setWakeBudget(budget);
      setThreadThreshold(0);
    }
  });

  it('shutdownThreads stops the workers; the next large product starts them again', async () => {
    shutdownThreads();
    assert.equal(workerCount(), 0);
    checkIdentical(dims(1, 20, 20, 20, 0), 9, false); // correct while the pool restarts
    assert.equal(workerCount(), 2);
    await ready(3);
    checkIdentical(dims(1, 20, 20, 20, 3), 9);
  });
});

/** Runs an ES module script in a child Node process (with tsx, from the repository root). */
function runChild(script: string): SpawnSyncReturns<string> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('threads: other runtimes, process exit', () => {
  it('without cross-origin isolation: unshared memory, one thread, same results', () => {
    // As on a browser page without COOP/COEP: the module's memory import is patched to unshared.
    const child = runChild(`
      globalThis.crossOriginIsolated = false;
      const ax = await import('./src/index.js');
      const { sharedKernels } = await import('./src/backend/wasm/loader.js');
      ax.setThreads(4);
      const a = ax.tensor([[1, 2, 3], [4, 5, 6]]);
      const b = ax.tensor([[1, 0], [0, 1], [1, 1]]);
      const c = JSON.stringify(ax.matMul(a, b).arraySync());
      console.log(ax.getBackend(), ax.getThreads(), sharedKernels() === undefined, c);
    `);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'wasm 1 true [[4,5],[10,11]]');
  });

  it('idle workers do not keep Node running after a threaded product', () => {
    const child = runChild(`
      import * as ax from './src/index.js';
      import { setThreadThreshold, setWakeBudget } from './src/backend/wasm/matmul.js';
      import { readyThreads, splitJobCount } from './src/backend/wasm/threads.js';
      ax.setThreads(2);
      setThreadThreshold(0);
      setWakeBudget(10000);
      await new Promise((r) => setTimeout(r, 300));
      const a = ax.randomNormal([256, 256]);
      const c = ax.matMul(a, a);
      console.log('threads', readyThreads(), 'split', splitJobCount(), 'finite', Number.isFinite(ax.sum(c).item()));
    `);
    assert.equal(child.error, undefined, 'the child must exit on its own (it was killed by the timeout)');
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /threads 2 split 1 finite true/);
  });
});
