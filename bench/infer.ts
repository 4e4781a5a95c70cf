/**
 * Inference through 784-256-128-10 (ReLU, ReLU, softmax) with one set of weights, batch 1024 and batch
 * 1: Axon `model.predict` (default backend, and the JS backend) against onnxruntime-node (native CPU;
 * the model is written as ONNX bytes by bench/onnx-model.ts and loaded with InferenceSession.create),
 * with TF.js-WASM `predict` for reference. Before any timing the outputs of every contender are checked
 * to agree with Axon's to 1e-4. Targets: batch 1024 ≤ 3× ORT's time; one sample ≤ 2× its latency.
 *
 * Each contender is timed over a block of K calls (K calibrated so a block takes about --block-ms,
 * default 300 ms), output read back included; interleaved rounds, medians, time per call. ORT runs
 * with its default session options (intra-op threads: all cores) and with one thread; the targets
 * compare with the faster of the two in the same run (on a busy 2-core machine the default thread pool
 * can lose to one thread).
 *
 * Run: npm run bench -- infer   (options: --rounds 9 --block-ms 300)
 */
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
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
import { axonMlp, MLP_UNITS, MNIST_FEATURES, mlpData } from './mlp.js';
import { tfMlp } from './mlp-tf.js';
import { denseStackToOnnx, type OnnxDense } from './onnx-model.js';
import { tf, tfWasmFeatures, useTf } from './tfjs.js';

const require = createRequire(import.meta.url);
const TOLERANCE = 1e-4;
const MAX_CALLS = 20000;

/** A predictor: `predict(k)` makes k predictions of its batch; `output()` one, as values to compare. */
interface Predictor {
  name: string;
  setup?: () => void | Promise<void>;
  predict: (calls: number) => void | Promise<void>;
  output: () => Float32Array | Promise<Float32Array>;
}

function axonPredictor(model: ax.Sequential, backend: string, x: ax.Tensor): Predictor {
  const batchSize = x.shape[0];
  const once = () => Float32Array.from(model.predict(x, { batchSize }).dataSync());
  return {
    name: `axon-${backend}`,
    setup: () => ax.setBackend(backend),
    predict: (calls) => {
      for (let c = 0; c < calls; c++) model.predict(x, { batchSize }).dataSync();
    },
    output: () => {
      ax.setBackend(backend);
      return once();
    },
  };
}

function ortPredictor(name: string, session: Ort.InferenceSession, input: Ort.Tensor): Predictor {
  const feeds = { x: input };
  return {
    name,
    predict: async (calls) => {
      for (let c = 0; c < calls; c++) await session.run(feeds);
    },
    output: async () => Float32Array.from((await session.run(feeds)).y.data as Float32Array),
  };
}

function tfPredictor(model: tf.Sequential, x: tf.Tensor2D): Predictor {
  const batchSize = x.shape[0];
  const once = () => {
    const y = model.predict(x, { batchSize }) as tf.Tensor;
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  };
  return {
    name: 'tfjs-wasm',
    setup: () => useTf('wasm'),
    predict: (calls) => {
      for (let c = 0; c < calls; c++) once();
    },
    output: async () => {
      await useTf('wasm');
      return Float32Array.from(once());
    },
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Random weights, biases included (Glorot kernels and zero biases would leave the bias path untested). */
function weightedModel(): { model: ax.Sequential; layers: OnnxDense[] } {
  ax.setSeed(1);
  const model = axonMlp();
  const weights = model.getWeights().map((w, i) => {
    const v = Float32Array.from(w.dataSync());
    if (i % 2 === 1) v.set(randomValues(v.length, 100 + i).map((r) => r * 0.1));
    return v;
  });
  model.setWeights(weights.map((v, i) => ax.tensor(v, model.getWeights()[i].shape)));
  const layers = MLP_UNITS.slice(1).map(
    (units, i): OnnxDense => ({
      kernel: weights[2 * i],
      bias: weights[2 * i + 1],
      inputs: MLP_UNITS[i],
      units,
      activation: i === MLP_UNITS.length - 2 ? 'softmax' : 'relu',
    }),
  );
  return { model, layers };
}

/** Times one batch size; returns the table row pieces and the verdict line. */
async function benchBatch(
  batch: number,
  predictors: Predictor[],
  rounds: number,
  blockMs: number,
  target: number,
): Promise<string> {
  const reference = await predictors[0].output();
  const agreement: string[] = [];
  for (const p of predictors.slice(1)) {
    const d = maxAbsDiff(reference, await p.output());
    if (!(d <= TOLERANCE)) {
      throw new Error(
        `infer: ${p.name} differs from ${predictors[0].name} by ${d} at batch ${batch} (limit ${TOLERANCE})`,
      );
    }
    agreement.push(`${p.name} ${d.toExponential(1)}`);
  }
  const calls = new Map<string, number>();
  for (const p of predictors) {
    await p.setup?.();
    calls.set(p.name, await calibrate(p.predict, blockMs, 1, MAX_CALLS));
  }
  const contenders: Contender[] = predictors.map((p) => ({
    name: p.name,
    setup: p.setup,
    run: () => p.predict(calls.get(p.name) ?? 1),
  }));
  const ms = await interleaved(contenders, rounds);
  const perCall = (name: string) => (ms.get(name) ?? Number.NaN) / (calls.get(name) ?? Number.NaN);
  // ORT's best of its two configurations: on a busy 2-core machine its default thread pool can lose
  // to one thread, and the target is against ORT at its best.
  const ort = Math.min(perCall('ort'), perCall('ort (1 thread)'));
  const rows = predictors.map((p) => [
    p.name,
    String(calls.get(p.name)),
    batch >= 64 ? fmt(perCall(p.name)) : fmt(perCall(p.name) * 1000),
    fmt((batch * 1000) / perCall(p.name)),
    `${fmt(perCall(p.name) / ort)}×`,
  ]);
  const unit = batch >= 64 ? 'ms/call' : 'µs/call';
  const ratio = perCall(predictors[0].name) / ort;
  return [
    `batch ${batch}: outputs agree with ${predictors[0].name} (max |Δ|: ${agreement.join(', ')})`,
    table(['contender', 'calls/block', `median ${unit}`, 'samples/s', 'time vs best ort'], rows),
    `target: ${predictors[0].name} time ≤ ${target}× ORT's (its faster configuration) at batch ${batch} → ` +
      `${fmt(ratio)}× ${verdict(ratio, target, 'atMost')}`,
  ].join('\n');
}

/** Runs the benchmark and prints its tables. */
export async function benchInfer(): Promise<void> {
  const rounds = Number(option('rounds', '9'));
  const blockMs = Number(option('block-ms', '300'));
  const ort = require('onnxruntime-node') as typeof Ort;
  const initial = ax.getBackend();
  const { model, layers } = weightedModel();
  const bytes = denseStackToOnnx(layers);
  const session = await ort.InferenceSession.create(bytes);
  const session1 = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  await useTf('wasm');
  const tfModel = tfMlp();
  tfModel.setWeights(
    layers.flatMap((l) => [tf.tensor2d(l.kernel, [l.inputs, l.units]), tf.tensor1d(l.bias)]),
  );
  const data = await mlpData(1024);
  console.log(
    `infer ${MLP_UNITS.join('-')} (relu, relu, softmax), predict incl. reading the output; ` +
      `ORT ${ort.env.versions.common} (ONNX model of ${(bytes.length / 1e6).toFixed(2)} MB built in the bench); ` +
      `TF.js WASM: ${tfWasmFeatures()}`,
  );
  console.log(`data: ${data.source}; ${loadReport()}`);
  for (const [batch, target] of [
    [1024, 3],
    [1, 2],
  ] as const) {
    const x = data.x.subarray(0, batch * MNIST_FEATURES);
    const axX = ax.tensor(x, [batch, MNIST_FEATURES]);
    const input = new ort.Tensor('float32', Float32Array.from(x), [batch, MNIST_FEATURES]);
    const tfX = tf.tensor2d(x, [batch, MNIST_FEATURES]);
    const predictors = [
      axonPredictor(model, initial, axX),
      ...(initial === 'js' ? [] : [axonPredictor(model, 'js', axX)]),
      ortPredictor('ort', session, input),
      ortPredictor('ort (1 thread)', session1, input),
      tfPredictor(tfModel, tfX),
    ];
    console.log(await benchBatch(batch, predictors, rounds, blockMs, target));
    tfX.dispose();
  }
  console.log(`(${rounds} interleaved rounds after a warm-up round; ${loadReport()})`);
  ax.setBackend(initial);
  await session.release();
  await session1.release();
}
