/**
 * Per-call cost of the JS and WASM kernels by tensor size: where copying into wasm memory and back
 * starts to pay. The WASM backend's size thresholds (src/backend/wasm/*.ts: *_MIN constants) come
 * from this table. The WASM column calls the kernel module directly (copy in, run, copy out), so it
 * shows the WASM cost even below the thresholds, where the backend itself would use the JS kernels.
 *
 * Run: npm run bench -- kernels
 */
import { jsBackend } from '../src/backend/js/index.js';
import { loadWasmSync } from '../src/backend/wasm/index.js';
import { arenaFor, vectorBytes } from '../src/backend/wasm/state.js';
import { median, randomValues, table } from './harness.js';

/** Median microseconds per call over 7 batches of enough calls to fill ~2 ms. */
function microseconds(f: () => void): number {
  f();
  let calls = 1;
  for (let t = performance.now(); performance.now() - t < 2; calls++) f();
  const samples: number[] = [];
  for (let s = 0; s < 7; s++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) f();
    samples.push(((performance.now() - start) / calls) * 1e3);
  }
  return median(samples);
}

interface Family {
  name: string;
  sizes: number[];
  /** Returns [js call, wasm call] for a size. */
  make: (n: number) => [() => void, () => void];
}

function families(): Family[] {
  const sizes = [16, 64, 256, 1024, 4096, 16384, 65536];
  const arena = () => {
    const a = arenaFor(new Float32Array(1));
    if (!a) throw new Error('the WASM kernels did not load');
    return a;
  };
  const unary = (op: 'relu' | 'sigmoid', code: number): Family => ({
    name: op,
    sizes,
    make: (n) => {
      const x = randomValues(n, 1);
      const out = new Float32Array(n);
      const k = arena();
      return [
        () => jsBackend.unary(op, x, out, 0),
        () => {
          k.reset();
          const px = k.input(x);
          const po = k.alloc(n * 4);
          k.kernels.unary(code, px, po, vectorBytes(n), 0);
          k.output(po, out);
        },
      ];
    },
  });
  return [
    unary('relu', 11),
    unary('sigmoid', 9),
    {
      name: 'add (same shape)',
      sizes,
      make: (n) => {
        const a = randomValues(n, 1);
        const b = randomValues(n, 2);
        const out = new Float32Array(n);
        const k = arena();
        return [
          () => jsBackend.binary('add', a, [n], b, [n], out, [n]),
          () => {
            k.reset();
            const pa = k.input(a);
            const pb = k.input(b);
            const po = k.alloc(n * 4);
            const pd = k.alloc(12);
            k.i32.set([n, 1, 1], pd >> 2);
            k.kernels.binary(0, pa, pb, po, 1, pd);
            k.output(po, out);
          },
        ];
      },
    },
    {
      name: 'sum (one row)',
      sizes,
      make: (n) => {
        const x = randomValues(n, 1);
        const out = new Float32Array(1);
        const k = arena();
        return [
          () => jsBackend.reduce('sum', x, { outer: 1, reduced: n, inner: 1 }, out),
          () => {
            k.reset();
            const px = k.input(x);
            const po = k.alloc(4);
            k.kernels.reduce(0, px, 1, n, 1, po, 0);
            k.output(po, out);
          },
        ];
      },
    },
    {
      name: 'softmax (rows of 16)',
      sizes,
      make: (n) => {
        const x = randomValues(n, 1);
        const out = new Float32Array(n);
        const k = arena();
        return [
          () => jsBackend.softmax(x, n / 16, 16, out),
          () => {
            k.reset();
            const px = k.input(x);
            const po = k.alloc(n * 4);
            k.kernels.softmax(px, n / 16, 16, po);
            k.output(po, out);
          },
        ];
      },
    },
    {
      name: 'transpose (square)',
      sizes,
      make: (n) => {
        const s = Math.round(Math.sqrt(n));
        const x = randomValues(s * s, 1);
        const out = new Float32Array(s * s);
        const k = arena();
        return [
          () => jsBackend.transpose(x, [s, s], [1, 0], out),
          () => {
            k.reset();
            const px = k.input(x);
            const po = k.alloc(s * s * 4);
            k.kernels.transpose2d(px, 1, s, s, po);
            k.output(po, out);
          },
        ];
      },
    },
    {
      name: 'matMul s×s·s×s (size = s³)',
      sizes: [8, 64, 512, 4096, 32768, 262144],
      make: (n) => {
        const s = Math.round(Math.cbrt(n));
        const a = randomValues(s * s, 1);
        const b = randomValues(s * s, 2);
        const out = new Float32Array(s * s);
        const dims = {
          batch: 1,
          m: s,
          k: s,
          n: s,
          transposeA: false,
          transposeB: false,
          aBatched: false,
          bBatched: false,
        };
        const k = arena();
        return [
          () => jsBackend.matMul(a, b, dims, out),
          () => {
            k.reset();
            const pa = k.input(a);
            const pb = k.input(b);
            const pc = k.alloc(s * s * 4);
            k.kernels.matMul(pa, pb, pc, 1, s, s, s, 0, k.matMulScratch);
            k.output(pc, out);
          },
        ];
      },
    },
  ];
}

/** Runs the benchmark and prints its table. */
export async function benchKernels(): Promise<void> {
  if (!loadWasmSync()) throw new Error('the WASM kernels did not load');
  console.log('kernel cost per call, µs (median), JS loop vs WASM (copy in + run + copy out)');
  const rows: string[][] = [];
  for (const family of families()) {
    for (const n of family.sizes) {
      const [js, wasm] = family.make(n);
      const tj = microseconds(js);
      const tw = microseconds(wasm);
      rows.push([family.name, String(n), tj.toFixed(2), tw.toFixed(2), `${(tj / tw).toFixed(2)}×`]);
    }
  }
  console.log(table(['kernel', 'size', 'js µs', 'wasm µs', 'js/wasm'], rows));
}
