/**
 * Resident arrays (src/backend/wasm/resident.ts): weights, optimizer state and plan buffers that live in
 * the kernels' shared wasm memory, read and written there without copies. The heap must hand out
 * disjoint zeroed blocks, reuse and merge freed ones, keep its arrays valid when the memory grows, and
 * change no result: training and prediction give the same bits with and without resident arrays.
 *
 * Also the few-row Dense product split by columns across workers (`parallelRows`): bit-identical to
 * one thread.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DenseDims } from '../../src/backend/backend.js';
import { Arena } from '../../src/backend/wasm/arena.js';
import { kernelsMemory } from '../../src/backend/wasm/generated/kernels-wasm.js';
import { setResidentArrays } from '../../src/backend/wasm/index.js';
import { sharedKernels } from '../../src/backend/wasm/loader.js';
import { setRowsSplitThreshold, setThreadThreshold, setWakeBudget } from '../../src/backend/wasm/matmul.js';
import { RESIDENT_MAX_BYTES, ResidentHeap } from '../../src/backend/wasm/resident.js';
import { arenaFor, residentHeap, residentPointer, residentTarget } from '../../src/backend/wasm/state.js';
import { readyThreads, shutdownThreads, splitJobCount } from '../../src/backend/wasm/threads.js';
import * as ax from '../../src/index.js';
import { residentFloat32 } from '../../src/tensor/precision.js';
import { data, jsBackend, seeded, wasmBackend, wasmFallbackCount } from './helpers.js';

/** A full garbage collection (the flag is set at run time, so no test needs --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** A heap over an arena of its own (a second instance of the kernels on a fresh shared memory). */
function freshHeap(): { heap: ResidentHeap; arena: Arena } {
  const shared = sharedKernels();
  assert.ok(shared, 'Node runs the kernels on a shared memory');
  const { initial, maximum } = kernelsMemory;
  const memory = new WebAssembly.Memory({ initial, maximum, shared: true });
  const instance = new WebAssembly.Instance(shared.module, { env: { memory } });
  const arena = new Arena(instance.exports as unknown as Arena['kernels']);
  return { heap: new ResidentHeap(arena), arena };
}

describe('resident heap', () => {
  it('hands out zeroed, disjoint, 64-byte-aligned arrays inside the memory', () => {
    const { heap, arena } = freshHeap();
    const a = heap.allocate(1000) as Float32Array;
    const b = heap.allocate(3) as Float32Array;
    assert.ok(a !== null && b !== null);
    assert.equal(a.length, 1000);
    assert.ok(a.every((v) => v === 0));
    assert.equal(heap.pointerOf(a) % 64, 0);
    assert.equal(heap.pointerOf(b) % 64, 0);
    assert.ok(heap.pointerOf(b) >= heap.pointerOf(a) + 4000, 'blocks do not overlap');
    assert.ok(heap.pointerOf(a) >= arena.matMulScratch + arena.kernels.matMulScratchBytes());
    assert.ok(arena.residentEnd >= heap.pointerOf(b) + 12);
    assert.equal(heap.liveBytes, 4032 + 64);
  });

  it('keeps within its budget: past it, allocate gives null (the caller makes an ordinary array)', () => {
    const shared = sharedKernels();
    assert.ok(shared);
    const { initial, maximum } = kernelsMemory;
    const memory = new WebAssembly.Memory({ initial, maximum, shared: true });
    const arena = new Arena(
      new WebAssembly.Instance(shared.module, { env: { memory } }).exports as unknown as Arena['kernels'],
    );
    const heap = new ResidentHeap(arena, 4096);
    assert.ok(heap.allocate(1000) !== null); // 4,032 bytes
    assert.equal(heap.allocate(32), null, 'the budget is spent (4,032 + 128 > 4,096)');
    assert.equal(heap.liveBytes, 4032);
  });

  it('a loop that builds model after model without yielding stays within the budget', () => {
    const heap = residentHeap();
    assert.ok(heap);
    for (let i = 0; i < 120; i++) {
      // 784×256 weights, 0.8 MB each: 96 MB if every one stayed resident.
      ax.sequential({ layers: [ax.layers.dense({ units: 256, inputShape: [784] })] });
    }
    assert.ok(heap.liveBytes <= RESIDENT_MAX_BYTES, `${heap.liveBytes} bytes resident`);
  });

  it('views into a resident array have pointers; ordinary arrays and views do not', () => {
    const { heap } = freshHeap();
    const a = heap.allocate(2048) as Float32Array;
    assert.equal(heap.pointerOf(a.subarray(16)), heap.pointerOf(a) + 64);
    assert.equal(heap.wholePointerOf(a), heap.pointerOf(a));
    assert.equal(heap.wholePointerOf(a.subarray(16)), -1, 'a view may not be written to its padded end');
    assert.equal(heap.pointerOf(new Float32Array(2048)), -1);
  });

  it('arrays stay valid, with their values, when the memory grows', () => {
    const { heap, arena } = freshHeap();
    const a = heap.allocate(5000) as Float32Array;
    for (let i = 0; i < a.length; i++) a[i] = i * 0.5;
    const before = arena.kernels.memory.buffer.byteLength;
    arena.reset();
    arena.alloc(64 << 20); // forces growth by 64 MiB
    assert.ok(arena.kernels.memory.buffer.byteLength > before);
    const b = heap.allocate(5000) as Float32Array; // a view on the grown memory's new buffer object
    assert.equal(a[4999], 4999 * 0.5);
    a[7] = 42;
    assert.equal(new Float32Array(arena.kernels.memory.buffer, heap.pointerOf(a), 5000)[7], 42);
    assert.ok(heap.pointerOf(b) >= 0);
  });

  it('reuses and merges freed blocks (first fit), and zeroes reused ones', async () => {
    const { heap, arena } = freshHeap();
    let first: Float32Array | null = heap.allocate(1024);
    let second: Float32Array | null = heap.allocate(1024);
    const keep = heap.allocate(1024) as Float32Array;
    const at = heap.pointerOf(first as Float32Array);
    (first as Float32Array).fill(3);
    (second as Float32Array).fill(3);
    const end = arena.residentEnd;
    first = null;
    second = null;
    // Finalizers run after a collection, on a later task: force collections until they have run.
    for (let i = 0; i < 100 && heap.liveBytes > 4096; i++) {
      collectGarbage();
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(heap.liveBytes, 4096, 'the two dropped arrays were returned to the heap');
    const both = heap.allocate(2048) as Float32Array; // fits only in the two merged blocks
    assert.equal(heap.pointerOf(both), at);
    assert.equal(arena.residentEnd, end, 'no growth: the merged hole was reused');
    assert.ok(
      both.every((v) => v === 0),
      'a reused block is zeroed',
    );
    assert.ok(keep.every((v) => v === 0));
  });
});

describe('resident arrays in models: the same bits with and without', () => {
  function trainAndPredict(resident: boolean): { weights: Float32Array[]; predictions: Float32Array } {
    setResidentArrays(resident);
    try {
      ax.setSeed(7);
      const model = ax.sequential({
        layers: [
          ax.layers.dense({ units: 64, inputShape: [40], activation: 'relu' }),
          ax.layers.dense({ units: 32, activation: 'tanh' }),
          ax.layers.dense({ units: 5, activation: 'softmax' }),
        ],
      });
      model.compile({
        optimizer: ax.optimizers.adam({ learningRate: 0.01 }),
        loss: 'categoricalCrossentropy',
      });
      const x = ax.randomNormal([96, 40]);
      const labels = ax.randomUniform([96], 0, 5);
      const y = ax.oneHot(ax.tensor(Array.from(labels.dataSync(), (v) => Math.floor(v))), 5);
      for (let step = 0; step < 5; step++) model.trainOnBatch(x, y);
      const kernel = model.layers[0].trainableWeights[0];
      assert.equal(residentPointer(kernel.values) >= 0, resident, 'the 40×64 kernel is resident iff enabled');
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      const predictions = Float32Array.from(model.predict(ax.randomNormal([3, 40])).dataSync());
      return { weights, predictions };
    } finally {
      setResidentArrays(true);
    }
  }

  it('a Dense kernel of 2,560 weights is resident; its training matches ordinary arrays bit for bit', () => {
    const on = trainAndPredict(true);
    const off = trainAndPredict(false);
    for (let i = 0; i < on.weights.length; i++) sameBits(on.weights[i], off.weights[i], `weights[${i}]`);
    sameBits(on.predictions, off.predictions, 'predictions');
    assert.equal(wasmFallbackCount(), 0);
  });

  it('resident weights are read in place by the kernels: no copy, and writes are seen at once', () => {
    ax.setSeed(3);
    const model = ax.sequential({ layers: [ax.layers.dense({ units: 64, inputShape: [32] })] });
    const kernel = model.layers[0].trainableWeights[0];
    assert.ok(residentPointer(kernel.values) >= 0, 'a 32×64 kernel is resident');
    const x = ax.ones([1, 32]);
    const before = model.predict(x).dataSync()[5];
    kernel.values[5] += 1; // row 0, column 5: adds 1·x₀ = 1 to output 5
    const after = model.predict(x).dataSync()[5];
    assert.ok(Math.abs(after - (before + 1)) < 1e-5, `${after} should be ${before} + 1`);
    assert.ok(residentHeap() !== undefined);
  });
});

describe('few-row Dense products split by columns across workers', () => {
  let rowsThreshold = 0;
  before(async () => {
    rowsThreshold = setRowsSplitThreshold(0);
    setWakeBudget(10_000);
    ax.setThreads(2);
    for (let i = 0; i < 1000 && readyThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(readyThreads(), 2);
  });
  after(() => {
    setRowsSplitThreshold(rowsThreshold);
    setWakeBudget(undefined);
    shutdownThreads();
  });

  it('are bit-identical to one thread, for 1 to 8 rows and odd widths', () => {
    let seed = 1;
    for (const m of [1, 2, 3, 4, 5, 8]) {
      for (const [k, n] of [
        [784, 256],
        [300, 97],
        [17, 70],
        [5, 64],
        [260, 33],
      ]) {
        const random = seeded(seed++);
        const x = data(random, m * k);
        const w = data(random, k * n);
        const b = data(random, n);
        const dims: DenseDims = { m, k, n };
        const one = new Float32Array(m * n);
        const split = new Float32Array(m * n);
        setRowsSplitThreshold(Number.POSITIVE_INFINITY);
        wasmBackend.denseForward(x, w, b, dims, 'relu', 0, one, one);
        setRowsSplitThreshold(0);
        const jobs = splitJobCount();
        wasmBackend.denseForward(x, w, b, dims, 'relu', 0, split, split);
        if (n > 32 && arenaFor(x) !== undefined && m * k * n >= 1024) {
          assert.equal(splitJobCount(), jobs + 1, `m=${m} k=${k} n=${n} should have been split`);
        }
        sameBits(one, split, `m=${m} k=${k} n=${n}`);
      }
    }
    assert.equal(wasmFallbackCount(), 0);
  });
});

describe('a wasm failure after δ was written in place falls back to the right JS result', () => {
  let threshold = 0;
  before(async () => {
    threshold = setThreadThreshold(0);
    setWakeBudget(10_000);
    ax.setThreads(2);
    for (let i = 0; i < 1000 && readyThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  });
  after(() => {
    setThreadThreshold(threshold);
    setWakeBudget(undefined);
    shutdownThreads();
  });

  it('dz, dW, db and dx equal the JS kernel on the original upstream gradient', () => {
    const [m, k, n] = [64, 64, 64];
    const fill = (t: Float32Array, s: number) => {
      for (let i = 0; i < t.length; i++) t[i] = Math.sin(i * s);
      return t;
    };
    const x = fill(residentFloat32(m * k), 0.3);
    const w = fill(residentFloat32(k * n), 0.7);
    const z = fill(residentFloat32(m * n), 0.11);
    const a = residentFloat32(m * n);
    for (let i = 0; i < a.length; i++) a[i] = Math.tanh(z[i]);
    const d = fill(residentFloat32(m * n), 0.05); // upstream gradient, updated in place into δ
    const [dw, db, dx] = [residentFloat32(k * n), residentFloat32(n), residentFloat32(m * k)];
    assert.ok(residentTarget(d) >= 0, 'd is a whole resident array');
    const d0 = Float32Array.from(d);
    const [dw0, db0, dx0] = [new Float32Array(k * n), new Float32Array(n), new Float32Array(m * k)];
    jsBackend.denseBackward(x, w, z, a, d0, { m, k, n }, 'tanh', 0, d0, dw0, db0, dx0);
    // The memory "cannot grow" for the first block after δ is written: the threaded dW's packed B.
    const arena = arenaFor(x) as Arena;
    const alloc = arena.alloc;
    let calls = 0;
    arena.alloc = (bytes: number) => {
      if (++calls === 3) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      return alloc.call(arena, bytes);
    };
    const before = wasmFallbackCount();
    try {
      wasmBackend.denseBackward(x, w, z, a, d, { m, k, n }, 'tanh', 0, d, dw, db, dx);
    } finally {
      arena.alloc = alloc;
    }
    assert.equal(wasmFallbackCount(), before + 1, 'the call fell back to JS');
    for (const [got, want, what] of [
      [d, d0, 'dz'],
      [dw, dw0, 'dW'],
      [db, db0, 'db'],
      [dx, dx0, 'dx'],
    ] as const) {
      for (let i = 0; i < want.length; i++) {
        assert.ok(
          Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])),
          `${what}[${i}]: ${got[i]} vs ${want[i]}`,
        );
      }
    }
  });
});

describe("bound Dense kernels (the plans' small layers)", () => {
  const fill = (t: Float32Array, s: number) => {
    for (let i = 0; i < t.length; i++) t[i] = Math.sin(i * s + 0.3);
    return t;
  };

  it("give the unbound kernels' results: the same bits in wasm, 1e-5 of JS for tiny layers", () => {
    const fallbacks = wasmFallbackCount();
    for (const [m, k, n, act] of [
      [10, 2, 8, 'tanh'],
      [10, 8, 1, 'sigmoid'],
      [32, 20, 16, 'relu'],
      [5, 64, 33, 'softmax'],
    ] as const) {
      const dims = { m, k, n };
      const x = fill(residentFloat32(m * k), 0.7);
      const w = fill(residentFloat32(k * n), 0.3);
      const b = fill(residentFloat32(n), 1.1);
      const [z, a] = [residentFloat32(m * n), residentFloat32(m * n)];
      const forward = wasmBackend.bindDenseForward?.(x, w, b, dims, act, 0, z, a);
      assert.ok(forward, `${m}×${k}×${n} binds`);
      forward();
      const [z2, a2] = [new Float32Array(m * n), new Float32Array(m * n)];
      const reference = m * k * n >= 1024 ? wasmBackend : jsBackend;
      reference.denseForward(x, w, b, dims, act, 0, z2, a2);
      const tol = reference === wasmBackend ? 0 : 1e-5;
      for (let i = 0; i < a.length; i++) {
        assert.ok(
          Math.abs(a[i] - a2[i]) <= tol * (1 + Math.abs(a2[i])),
          `forward ${act}[${i}]: ${a[i]} vs ${a2[i]}`,
        );
      }
      const d = fill(residentFloat32(m * n), 0.9);
      const d2 = Float32Array.from(d);
      const [dw, db, dx] = [residentFloat32(k * n), residentFloat32(n), residentFloat32(m * k)];
      const [dw2, db2, dx2] = [new Float32Array(k * n), new Float32Array(n), new Float32Array(m * k)];
      const backward = wasmBackend.bindDenseBackward?.(x, w, z, a, d, dims, act, 0, d, dw, db, dx);
      assert.ok(backward);
      backward();
      reference.denseBackward(x, w, z2, a2, d2, dims, act, 0, d2, dw2, db2, dx2);
      for (const [got, want, what] of [
        [d, d2, 'dz'],
        [dw, dw2, 'dW'],
        [db, db2, 'db'],
        [dx, dx2, 'dx'],
      ] as const) {
        for (let i = 0; i < want.length; i++) {
          const ok = Math.abs(got[i] - want[i]) <= Math.max(tol, 1e-6) * (1 + Math.abs(want[i]));
          assert.ok(ok, `${what} ${m}×${k}×${n} ${act}[${i}]: ${got[i]} vs ${want[i]}`);
        }
      }
    }
    assert.equal(wasmFallbackCount(), fallbacks);
  });

  it('do not bind ordinary arrays, views as outputs, or large layers', () => {
    const dims = { m: 4, k: 4, n: 4 };
    const r = () => residentFloat32(16);
    assert.equal(
      wasmBackend.bindDenseForward?.(new Float32Array(16), r(), null, dims, 'relu', 0, r(), r()),
      null,
    );
    const whole = residentFloat32(32);
    assert.equal(
      wasmBackend.bindDenseForward?.(r(), r(), null, dims, 'relu', 0, whole.subarray(16), r()),
      null,
    );
    const big = { m: 512, k: 512, n: 512 };
    const t = () => residentFloat32(512 * 512);
    assert.equal(wasmBackend.bindDenseForward?.(t(), t(), null, big, 'relu', 0, t(), t()), null);
  });
});
