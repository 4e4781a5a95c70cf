/**
 * A Playground-size network, 2-8-8-1 (tanh, tanh, sigmoid), plain SGD (lr 0.03, no momentum), squared
 * error (the Playground's loss), mini-batches of 10, on 500 points of the XOR quadrants: training
 * samples per second of Axon, convnetjs, brain.js and TF.js (CPU). At this size per-call overhead, not
 * arithmetic, decides. Target: Axon ≥ 3× convnetjs.
 *
 * Each block is E epochs over the 500 points (E calibrated per contender so a block takes about
 * --block-ms, default 500 ms); samples/s = E·500 / time. No contender shuffles. How each is driven:
 * - Axon, TF.js: `model.fit(x, y, { epochs: E, batchSize: 10, shuffle: false })`, loss meanSquaredError.
 * - convnetjs: its `Trainer` (method 'sgd', batch_size 10, momentum 0, no decay) — per-sample forward and
 *   backward, gradients summed and applied every 10 samples: a true mini-batch of 10. Its regression
 *   layer's gradient is (y − t) per sample, as 0.5·squared error; the layers are fc 8, tanh, fc 8, tanh,
 *   fc 1, sigmoid, regression, exactly the same network.
 * - brain.js: `NeuralNetwork.train` with E iterations. It cannot match exactly: one activation for every
 *   layer (tanh here, so its output unit is tanh, not sigmoid), online updates after every sample (batch
 *   1: ten times the updates of the others), and momentum must be > 0 (set to 1e-9: the same arithmetic
 *   as with momentum, numerically none). Listed for reference, not for a target.
 *
 * Run: npm run bench -- small   (options: --rounds 7 --block-ms 500)
 */
import { createRequire } from 'node:module';
import type * as Brain from 'brain.js';
import * as ax from '../src/index.js';
import {
  type Contender,
  calibrate,
  fmt,
  interleaved,
  loadReport,
  option,
  randomValues,
  table,
  verdict,
} from './harness.js';
import { quietly, tf, useTf } from './tfjs.js';

const require = createRequire(import.meta.url);

const POINTS = 500;
const BATCH = 10;
const LEARNING_RATE = 0.03;
const TARGET = 3;
const MAX_EPOCHS = 5000;
/** convnetjs's layer list as built, printed so the reader can check the architecture. */
let layerTypes = '';

/** The part of convnetjs (no type declarations of its own) this benchmark uses. */
interface ConvnetVol {
  w: Float64Array;
}
interface ConvnetLayer {
  layer_type: string;
}
interface ConvnetJs {
  Vol: new (sx: number, sy: number, depth: number, fill?: number) => ConvnetVol;
  Net: new () => { layers: ConvnetLayer[]; makeLayers: (defs: object[]) => void };
  SigmoidLayer: new (opt: { in_sx: number; in_sy: number; in_depth: number }) => ConvnetLayer;
  Trainer: new (
    net: object,
    options: {
      method: string;
      learning_rate: number;
      batch_size: number;
      momentum: number;
      l2_decay: number;
    },
  ) => { train: (x: ConvnetVol, y: number[]) => unknown };
}

/** XOR quadrants: points in [-1, 1)², label 1 where x₀·x₁ > 0. */
function xorPoints(): { x: Float32Array; y: Float32Array } {
  const x = randomValues(POINTS * 2, 11);
  const y = new Float32Array(POINTS);
  for (let i = 0; i < POINTS; i++) y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;
  return { x, y };
}

/** A contender that trains `epochs` passes over the points per call. */
interface Trainer {
  name: string;
  setup?: () => void | Promise<void>;
  train: (epochs: number) => void | Promise<void>;
}

function axonTrainer(x: Float32Array, y: Float32Array): Trainer {
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }),
      ax.layers.dense({ units: 8, activation: 'tanh' }),
      ax.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: ax.optimizers.sgd({ learningRate: LEARNING_RATE }), loss: 'meanSquaredError' });
  const xs = ax.tensor(x, [POINTS, 2]);
  const ys = ax.tensor(y, [POINTS, 1]);
  const backend = ax.getBackend();
  return {
    name: `axon (${backend})`,
    setup: () => ax.setBackend(backend),
    train: async (epochs) => {
      await model.fit(xs, ys, { epochs, batchSize: BATCH, shuffle: false, verbose: 0 });
    },
  };
}

function convnetTrainer(x: Float32Array, y: Float32Array): Trainer {
  const convnetjs = require('convnetjs') as ConvnetJs;
  const net = new convnetjs.Net();
  // 'regression' brings its own linear fc 1 in front; the sigmoid goes between that and the cost layer.
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: 2 },
    { type: 'fc', num_neurons: 8, activation: 'tanh' },
    { type: 'fc', num_neurons: 8, activation: 'tanh' },
    { type: 'regression', num_neurons: 1 },
  ]);
  net.layers.splice(
    net.layers.length - 1,
    0,
    new convnetjs.SigmoidLayer({ in_sx: 1, in_sy: 1, in_depth: 1 }),
  );
  const trainer = new convnetjs.Trainer(net, {
    method: 'sgd',
    learning_rate: LEARNING_RATE,
    batch_size: BATCH,
    momentum: 0,
    l2_decay: 0,
  });
  // Inputs as convnetjs volumes and targets as arrays, made once (its fastest use).
  const vols: ConvnetVol[] = [];
  const targets: number[][] = [];
  for (let i = 0; i < POINTS; i++) {
    const v = new convnetjs.Vol(1, 1, 2, 0);
    v.w[0] = x[2 * i];
    v.w[1] = x[2 * i + 1];
    vols.push(v);
    targets.push([y[i]]);
  }
  layerTypes = net.layers.map((l) => l.layer_type).join(', ');
  return {
    name: 'convnetjs',
    train: (epochs) => {
      for (let e = 0; e < epochs; e++) for (let i = 0; i < POINTS; i++) trainer.train(vols[i], targets[i]);
    },
  };
}

function brainTrainer(x: Float32Array, y: Float32Array): Trainer {
  const brain = require('brain.js') as typeof Brain;
  const net = new brain.NeuralNetwork({ hiddenLayers: [8, 8], activation: 'tanh' });
  const data = Array.from({ length: POINTS }, (_, i) => ({
    input: [x[2 * i], x[2 * i + 1]],
    output: [y[i]],
  }));
  return {
    name: 'brain.js (batch 1, see note)',
    train: (epochs) => {
      net.train(data, {
        iterations: epochs,
        errorThresh: 1e-12,
        learningRate: LEARNING_RATE,
        momentum: 1e-9,
        log: false,
      });
    },
  };
}

function tfTrainer(x: Float32Array, y: Float32Array): Trainer {
  let model: tf.Sequential | null = null;
  let data: [tf.Tensor2D, tf.Tensor2D] | null = null;
  return {
    name: 'tfjs-cpu',
    setup: async () => {
      await useTf('cpu');
      if (model === null) {
        model = quietly(() =>
          tf.sequential({
            layers: [
              tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }),
              tf.layers.dense({ units: 8, activation: 'tanh' }),
              tf.layers.dense({ units: 1, activation: 'sigmoid' }),
            ],
          }),
        );
        model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
        data = [tf.tensor2d(x, [POINTS, 2]), tf.tensor2d(y, [POINTS, 1])];
      }
    },
    train: async (epochs) => {
      if (model === null || data === null) throw new Error('the TF.js model was not set up');
      await model.fit(data[0], data[1], { epochs, batchSize: BATCH, shuffle: false, verbose: 0 });
    },
  };
}

/** Runs the benchmark and prints its table. */
export async function benchSmall(): Promise<void> {
  const rounds = Number(option('rounds', '7'));
  const blockMs = Number(option('block-ms', '500'));
  const { x, y } = xorPoints();
  console.log(
    `small 2-8-8-1 (tanh, tanh, sigmoid), SGD lr ${LEARNING_RATE}, squared error, batch ${BATCH}, ` +
      `${POINTS} XOR points, E epochs per block, no shuffling`,
  );
  console.log(loadReport());
  const trainers = [axonTrainer(x, y), convnetTrainer(x, y), brainTrainer(x, y), tfTrainer(x, y)];
  console.log(`convnetjs layers: ${layerTypes}`);
  const epochs = new Map<string, number>();
  for (const t of trainers) {
    await t.setup?.();
    epochs.set(t.name, await calibrate(t.train, blockMs, 1, MAX_EPOCHS));
  }
  const contenders: Contender[] = trainers.map((t) => ({
    name: t.name,
    setup: t.setup,
    run: () => t.train(epochs.get(t.name) ?? 1),
  }));
  const ms = await interleaved(contenders, rounds);
  const samplesPerSecond = (name: string) =>
    ((epochs.get(name) ?? Number.NaN) * POINTS) / ((ms.get(name) ?? Number.NaN) / 1000);
  const convnet = samplesPerSecond('convnetjs');
  const rows = trainers.map((t) => [
    t.name,
    String(epochs.get(t.name)),
    fmt(ms.get(t.name) ?? Number.NaN),
    fmt(samplesPerSecond(t.name)),
    fmt(((ms.get(t.name) ?? Number.NaN) * 1000 * BATCH) / ((epochs.get(t.name) ?? Number.NaN) * POINTS)),
    `${fmt(samplesPerSecond(t.name) / convnet)}×`,
  ]);
  const header = [
    'contender',
    'epochs/block',
    'median ms/block',
    'samples/s',
    'µs per 10 samples',
    'vs convnetjs',
  ];
  console.log(table(header, rows));
  console.log(`(${rounds} interleaved rounds after a warm-up round)`);
  const ratio = samplesPerSecond(trainers[0].name) / convnet;
  console.log(
    `target: ${trainers[0].name} ≥ ${TARGET}× convnetjs samples/s → ${fmt(ratio)}× ${verdict(ratio, TARGET, 'atLeast')}`,
  );
  console.log(loadReport());
}
