/**
 * fp32 matrix product, n×n·n×n for n = 128, 256, 512, 1024: Axon (WASM and JS backends) against
 * TF.js (WASM and CPU backends), in one process, in interleaved rounds. Prints median GFLOP/s, the
 * ratios of Axon WASM to each other contender, and the peak RSS. Axon WASM runs with its default
 * threads (all cores); axon-wasm-1t is the same kernel on one thread (products not split).
 *
 * Each contender is timed the way a user calls it, result read back included: Axon's `matMul(a, b)`
 * then `dataSync()` (inputs live in JS memory, so the copy into wasm memory is part of the cost);
 * TF.js's `tf.matMul(a, b)` then `dataSync()` on tensors already uploaded to that backend.
 *
 * Run: npm run bench -- matmul   (options: --sizes 128,512 --rounds 9)
 */
import { setThreadThreshold, threadThreshold } from '../src/backend/wasm/matmul.js';
import * as ax from '../src/index.js';
import { type Contender, interleaved, peakRssMb, randomValues, table } from './harness.js';
import { quietly, tf, tfWasmFeatures, useTf } from './tfjs.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const sizes = option('sizes', '128,256,512,1024').split(',').map(Number);
const roundsOption = Number(option('rounds', '0'));

/** Enough rounds for a stable median, fewer where the slow contenders take seconds per call. */
function roundsFor(n: number): number {
  if (roundsOption > 0) return roundsOption;
  return n >= 1024 ? 5 : n >= 512 ? 7 : 15;
}

const names = ['axon-wasm', 'axon-wasm-1t', 'axon-js', 'tfjs-wasm', 'tfjs-cpu'] as const;
/** Where Axon splits products across threads; the 1t contender turns the split off. */
const splitFrom = threadThreshold();

function contenders(n: number): Contender[] {
  const aData = randomValues(n * n, 1);
  const bData = randomValues(n * n, 2);
  const axA = ax.tensor(aData, [n, n]);
  const axB = ax.tensor(bData, [n, n]);
  const tfTensors = new Map<string, [tf.Tensor2D, tf.Tensor2D]>();
  const axon = (backend: 'wasm' | 'js', oneThread = false): Contender => ({
    name: `axon-${backend}${oneThread ? '-1t' : ''}`,
    setup: () => {
      ax.setBackend(backend);
      setThreadThreshold(oneThread ? Number.POSITIVE_INFINITY : splitFrom);
    },
    run: () => {
      ax.matMul(axA, axB).dataSync();
    },
  });
  const tfjs = (backend: 'wasm' | 'cpu'): Contender => ({
    name: `tfjs-${backend}`,
    setup: async () => {
      await useTf(backend);
      if (!tfTensors.has(backend)) {
        tfTensors.set(
          backend,
          quietly(() => [tf.tensor2d(aData, [n, n]), tf.tensor2d(bData, [n, n])]),
        );
      }
    },
    run: () => {
      const [a, b] = tfTensors.get(backend) ?? [];
      if (!a || !b) throw new Error('TF.js tensors were not set up');
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
  });
  return [axon('wasm'), axon('wasm', true), axon('js'), tfjs('wasm'), tfjs('cpu')];
}

/** Runs the benchmark and prints its table. */
export async function benchMatMul(): Promise<void> {
  const initial = ax.getBackend();
  await useTf('wasm');
  console.log(
    `matmul fp32, n×n · n×n; median of interleaved rounds; Axon WASM threads: ${ax.getThreads()} (axon-wasm-1t: one); TF.js WASM: ${tfWasmFeatures()}`,
  );
  const rows: string[][] = [];
  for (const n of sizes) {
    const ms = await interleaved(contenders(n), roundsFor(n));
    const gflops = (name: string) => (2 * n ** 3) / (ms.get(name) ?? Number.NaN) / 1e6;
    const wasm = gflops('axon-wasm');
    rows.push([
      `${n}³ (${roundsFor(n)} rounds)`,
      ...names.map((name) => gflops(name).toFixed(2)),
      ...names.slice(1).map((name) => `${(wasm / gflops(name)).toFixed(2)}×`),
    ]);
  }
  const header = ['size', ...names.map((n) => `${n} GFLOP/s`), ...names.slice(1).map((n) => `wasm/${n}`)];
  console.log(table(header, rows));
  console.log(`peak RSS of the benchmark process: ${peakRssMb().toFixed(0)} MB`);
  ax.setBackend(initial);
}
