/**
 * Training throughput of 784-256-128-10 (ReLU, ReLU, softmax), Adam (lr 1e-3), categorical
 * cross-entropy on one-hot targets, batch 128: samples per second of Axon (default backend, and the JS
 * reference backend), TF.js WASM and TF.js CPU, each through its own `model.fit` (epochs 1, shuffle on,
 * silent) over a block of N steps, in interleaved rounds. Target: Axon ≥ 5× TF.js-WASM.
 *
 * Each contender gets its own N, calibrated before the rounds so that a block takes about
 * --block-ms (default 1000 ms): a fast engine is timed over many steps, a slow one over few, and
 * samples/s compares them. A fit call's fixed cost (argument checks, shuffling) is part of the block,
 * as it is of a user's epoch.
 *
 * Run: npm run bench -- train   (options: --rounds 7 --block-ms 1000)
 */
import * as ax from '../src/index.js';
import {
  type Contender,
  calibrate,
  fmt,
  interleaved,
  loadReport,
  option,
  peakRssMb,
  table,
  verdict,
} from './harness.js';
import { axonMlp, MLP_UNITS, MNIST_CLASSES, MNIST_FEATURES, mlpData, oneHotRows } from './mlp.js';
import { tfMlp } from './mlp-tf.js';
import { quietly, tf, tfWasmFeatures, useTf } from './tfjs.js';

const BATCH = 128;
const TARGET = 5;
/** No block runs more steps than this (it bounds the rows the benchmark holds). */
const MAX_STEPS = 200;

/** A training contender: `fit(steps)` trains `steps` batches of 128 from a fresh call to the engine's fit. */
interface Trainer {
  name: string;
  setup: () => void | Promise<void>;
  fit: (steps: number) => Promise<void>;
}

function axonTrainer(name: string, backend: string, x: Float32Array, y: Float32Array): Trainer {
  const model = axonMlp();
  model.compile({ optimizer: ax.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  // One tensor pair per block size, made outside the timing.
  const blocks = new Map<number, [ax.Tensor, ax.Tensor]>();
  const block = (steps: number): [ax.Tensor, ax.Tensor] => {
    let b = blocks.get(steps);
    if (!b) {
      const rows = steps * BATCH;
      b = [
        ax.tensor(x.subarray(0, rows * MNIST_FEATURES), [rows, MNIST_FEATURES]),
        ax.tensor(y.subarray(0, rows * MNIST_CLASSES), [rows, MNIST_CLASSES]),
      ];
      blocks.set(steps, b);
    }
    return b;
  };
  return {
    name,
    setup: () => ax.setBackend(backend),
    fit: async (steps) => {
      const [xb, yb] = block(steps);
      await model.fit(xb, yb, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    },
  };
}

function tfTrainer(backend: 'wasm' | 'cpu', x: Float32Array, y: Float32Array): Trainer {
  let model: tf.Sequential | null = null;
  const blocks = new Map<number, [tf.Tensor2D, tf.Tensor2D]>();
  return {
    name: `tfjs-${backend}`,
    setup: async () => {
      await useTf(backend);
      // Built while its backend is active, so its weights live there.
      if (model === null) {
        model = tfMlp();
        model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      }
    },
    fit: async (steps) => {
      if (model === null) throw new Error('the TF.js model was not set up');
      let b = blocks.get(steps);
      if (!b) {
        const rows = steps * BATCH;
        b = quietly(() => [
          tf.tensor2d(x.subarray(0, rows * MNIST_FEATURES), [rows, MNIST_FEATURES]),
          tf.tensor2d(y.subarray(0, rows * MNIST_CLASSES), [rows, MNIST_CLASSES]),
        ]);
        blocks.set(steps, b);
      }
      await model.fit(b[0], b[1], { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    },
  };
}

/** Runs the benchmark and prints its table. */
export async function benchTrain(): Promise<void> {
  const rounds = Number(option('rounds', '7'));
  const blockMs = Number(option('block-ms', '1000'));
  const initial = ax.getBackend();
  const data = await mlpData(MAX_STEPS * BATCH);
  const y = oneHotRows(data.labels, MNIST_CLASSES);
  await useTf('wasm');
  console.log(
    `train ${MLP_UNITS.join('-')} (relu, relu, softmax), Adam lr 1e-3, categorical cross-entropy, batch ${BATCH}, ` +
      `model.fit of N steps per block (epochs 1, shuffle on)`,
  );
  console.log(`data: ${data.source}; TF.js WASM: ${tfWasmFeatures()}; ${loadReport()}`);

  const trainers = [
    axonTrainer(`axon (${initial})`, initial, data.x, y),
    ...(initial === 'js' ? [] : [axonTrainer('axon-js', 'js', data.x, y)]),
    tfTrainer('wasm', data.x, y),
    tfTrainer('cpu', data.x, y),
  ];
  const steps = new Map<string, number>();
  for (const t of trainers) {
    await t.setup();
    steps.set(t.name, await calibrate(t.fit, blockMs, 2, MAX_STEPS));
  }
  const contenders: Contender[] = trainers.map((t) => ({
    name: t.name,
    setup: t.setup,
    run: () => t.fit(steps.get(t.name) ?? 2),
  }));
  const ms = await interleaved(contenders, rounds);
  const samplesPerSecond = (name: string) =>
    ((steps.get(name) ?? Number.NaN) * BATCH) / ((ms.get(name) ?? Number.NaN) / 1000);
  const wasm = samplesPerSecond('tfjs-wasm');
  const rows = trainers.map((t) => [
    t.name,
    String(steps.get(t.name)),
    fmt(ms.get(t.name) ?? Number.NaN),
    fmt(samplesPerSecond(t.name)),
    `${fmt(samplesPerSecond(t.name) / wasm)}×`,
  ]);
  console.log(table(['contender', 'steps/block', 'median ms/block', 'samples/s', 'vs tfjs-wasm'], rows));
  console.log(`(${rounds} interleaved rounds after a warm-up round)`);
  const ratio = samplesPerSecond(trainers[0].name) / wasm;
  console.log(
    `target: ${trainers[0].name} ≥ ${TARGET}× tfjs-wasm samples/s → ${fmt(ratio)}× ${verdict(ratio, TARGET, 'atLeast')}`,
  );
  console.log(`${loadReport()}; peak RSS of the benchmark process: ${peakRssMb().toFixed(0)} MB`);
  ax.setBackend(initial);
}
