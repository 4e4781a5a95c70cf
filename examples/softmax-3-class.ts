/**
 * A 3-class softmax head, the notes' "dog / cat / horse" output layer: softmax(z)ₖ = e^{zₖ} / Σⱼ e^{zⱼ}
 * turns the last layer's scores into class probabilities. First the notes' example scores [10, 20, 30],
 * computed naively and in the stable form softmax(z) = softmax(z − max z) (the same value, since the
 * factor e^{−max z} cancels, but no exponential can overflow); then a small network with a softmax head
 * trained with categorical cross-entropy on three Gaussian blobs, printing class probabilities by name.
 *
 * Run: npx tsx examples/softmax-3-class.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** Class k of the blobs is CLASS_NAMES[k]. */
export const CLASS_NAMES = ['dog', 'cat', 'horse'] as const;

/** The notes' scores for (dog, cat, horse). */
export const NOTES_LOGITS = [10, 20, 30];

/** Softmax of one score vector three ways. */
export interface SoftmaxDemo {
  logits: number[];
  /** e^{zₖ} / Σ e^{zⱼ} in float64, as written. */
  naive: number[];
  /** e^{zₖ − max z} / Σ e^{zⱼ − max z}: the shifted exponentials and the result. */
  shifted: number[];
  stable: number[];
  /** ax.softmax (float32, stable). */
  axon: number[];
}

/**
 * Softmax of `logits` naively, in the stable shifted form, and with ax.softmax.
 * @example
 * softmaxDemo([10, 20, 30]).stable; // [2.06e-9, 4.54e-5, 0.99995]
 * softmaxDemo([1000, 1010, 1020]).naive; // [NaN, NaN, NaN]: e^1000 overflows to Infinity
 */
export function softmaxDemo(logits: readonly number[]): SoftmaxDemo {
  const exps = logits.map((z) => Math.exp(z));
  const total = exps.reduce((a, b) => a + b, 0);
  const max = Math.max(...logits);
  const shifted = logits.map((z) => Math.exp(z - max));
  const shiftedTotal = shifted.reduce((a, b) => a + b, 0);
  return {
    logits: [...logits],
    naive: exps.map((e) => e / total),
    shifted,
    stable: shifted.map((e) => e / shiftedTotal),
    axon: Array.from(ax.softmax(ax.tensor([[...logits]])).dataSync()),
  };
}

/** Options of the training run. */
export interface SoftmaxTrainOptions {
  n?: number;
  /** Overlap of the blobs: variance 0.5 + 7·noise per coordinate (ax.datasets.synthetic.blobs). */
  noise?: number;
  epochs?: number;
  seed?: number;
}

/** One probed point and what the trained network says about it. */
export interface Probe {
  point: [number, number];
  /** Probabilities by class name, summing to 1. */
  probabilities: Record<(typeof CLASS_NAMES)[number], number>;
  predicted: (typeof CLASS_NAMES)[number];
}

/** What the trained 3-class network did. */
export interface SoftmaxTrainRun {
  trainSize: number;
  testSize: number;
  loss: number[];
  test: { loss: number; accuracy: number };
  /** The three blob centres (dog, cat, horse, in that order), then the origin, equidistant from all. */
  probes: Probe[];
}

/** Blob centres: class c at angle 2πc/3 on the circle of radius 3.5 (ax.datasets.synthetic.blobs). */
export const BLOB_CENTRES: [number, number][] = [0, 1, 2].map((c) => [
  3.5 * Math.cos((2 * Math.PI * c) / 3),
  3.5 * Math.sin((2 * Math.PI * c) / 3),
]);

/**
 * Trains 2 → 8 (relu) → 3 (softmax) with categorical cross-entropy on three overlapping blobs (σ ≈ 1.38,
 * one-hot labels) and probes the blob centres and the origin.
 * @example
 * const run = await trainSoftmaxExample();
 * run.probes[0].predicted; // 'dog'
 */
export async function trainSoftmaxExample(options: SoftmaxTrainOptions = {}): Promise<SoftmaxTrainRun> {
  const { n = 300, noise = 0.2, epochs = 40, seed = 3 } = options;
  const { x, y } = ax.datasets.synthetic.blobs({ n, noise, classes: 3, seed });
  const split = ax.trainTestSplit(x, ax.oneHot(y, 3), { testSize: 0.25, seed, stratify: y });

  ax.setSeed(seed);
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }),
      ax.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: ax.optimizers.adam({ learningRate: 0.01 }),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(split.xTrain, split.yTrain, { epochs, batchSize: 16, verbose: 0 });
  const test = model.evaluate(split.xTest, split.yTest);

  const points: [number, number][] = [...BLOB_CENTRES, [0, 0]];
  const p = model.predict(ax.tensor(points)).dataSync();
  const probes = points.map((point, i): Probe => {
    const row = [p[3 * i], p[3 * i + 1], p[3 * i + 2]];
    const best = row.indexOf(Math.max(...row));
    return {
      point,
      probabilities: { dog: row[0], cat: row[1], horse: row[2] },
      predicted: CLASS_NAMES[best],
    };
  });
  return {
    trainSize: split.xTrain.shape[0],
    testSize: split.xTest.shape[0],
    loss: history.history.loss,
    test: { loss: test.loss, accuracy: test.accuracy },
    probes,
  };
}

async function main(): Promise<void> {
  const show = (v: number[]): string => `[${v.map((p) => p.toPrecision(6)).join(', ')}]`;
  const notes = softmaxDemo(NOTES_LOGITS);
  console.log('Output layer scores (dog, cat, horse) = [10, 20, 30]');
  console.log('  naive   e^zₖ / Σ e^zⱼ           =', show(notes.naive));
  console.log('  shifted e^(zₖ − 30)             =', show(notes.shifted), '(e^−20, e^−10, e^0)');
  console.log('  stable  softmax(z − max z)      =', show(notes.stable));
  console.log('  ax.softmax                      =', show(notes.axon));
  console.log(
    `  → dog ${notes.stable[0].toExponential(2)}, cat ${notes.stable[1].toExponential(2)}, horse ${notes.stable[2].toFixed(5)}`,
  );
  const big = softmaxDemo([1000, 1010, 1020]);
  console.log('\nScores [1000, 1010, 1020] (the same differences, so the same probabilities):');
  console.log('  naive  =', show(big.naive), '— e^1000 overflows to Infinity, Infinity/Infinity = NaN');
  console.log('  stable =', show(big.stable));

  console.log(
    '\nTraining 2 → 8 (relu) → 3 (softmax), categorical cross-entropy, on three overlapping blobs (σ ≈ 1.38):',
  );
  const run = await trainSoftmaxExample();
  console.log(
    `  ${run.trainSize} train / ${run.testSize} test points; final training loss ${run.loss[run.loss.length - 1].toFixed(4)}`,
  );
  console.log(
    `  test loss ${run.test.loss.toFixed(4)}, test accuracy ${(run.test.accuracy * 100).toFixed(1)}%\n`,
  );
  console.log('  point              P(dog)   P(cat)   P(horse)  → class');
  for (const probe of run.probes) {
    const [x1, x2] = probe.point.map((v) => v.toFixed(2).padStart(6));
    const { dog, cat, horse } = probe.probabilities;
    const cells = [dog, cat, horse].map((v) => v.toFixed(4).padStart(8)).join(' ');
    console.log(`  (${x1}, ${x2})  ${cells}   → ${probe.predicted}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
