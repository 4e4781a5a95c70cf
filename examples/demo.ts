/**
 * Axon's main job in one command (`npm run demo`): train a small network on a built-in 2-D dataset with a
 * progress bar, then print its accuracy on held-out points and a text picture of its decision boundary.
 *
 *   npm run demo                              # the two-arm spiral
 *   npm run demo -- --data circle --epochs 100 --layers 8,8 --seed 3
 */
import { parseArgs } from 'node:util';
import * as ax from '../src/node.js';

export interface DemoOptions {
  data: string;
  layers: number[];
  epochs: number;
  learningRate: number;
  seed: number;
  verbose: number;
}

export interface DemoResult {
  trainAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  picture: string;
  summary: string;
}

/** Trains on `options.data` and returns the figures the demo prints. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  ax.setSeed(options.seed);
  const { x, y } = ax.loadSynthetic(options.data, { n: 600, noise: 0.1 });
  if (y.rank !== 2 || y.shape[1] !== 1) {
    throw new Error(
      `the demo trains binary classifiers; '${options.data}' is not a binary dataset (try spiral, circle, xor, gauss, moons)`,
    );
  }
  // The synthetic sets come shuffled, so the last 20% is a fair test set.
  const nTrain = Math.floor(x.shape[0] * 0.8);
  const xTrain = ax.slice(x, [0, 0], [nTrain, -1]);
  const yTrain = ax.slice(y, [0, 0], [nTrain, -1]);
  const xTest = ax.slice(x, [nTrain, 0], [-1, -1]);
  const yTest = ax.slice(y, [nTrain, 0], [-1, -1]);

  const model = ax.sequential();
  options.layers.forEach((units, i) => {
    model.add(ax.layers.dense({ units, activation: 'tanh', ...(i === 0 ? { inputShape: [2] } : {}) }));
  });
  model.add(ax.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({
    optimizer: ax.optimizers.adam({ learningRate: options.learningRate }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const summary = model.summary({ print: false });
  await model.fit(xTrain, yTrain, { epochs: options.epochs, batchSize: 16, verbose: options.verbose });

  const train = model.evaluate(xTrain, yTrain);
  const test = model.evaluate(xTest, yTest);
  const grid = ax.decisionBoundaryGrid((p) => model.predict(p), x, { columns: 64, rows: 24 });
  return {
    trainAccuracy: train.accuracy,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    picture: ax.renderDecisionBoundaryText(grid, x, y),
    summary,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'spiral' },
      layers: { type: 'string', default: '16,16' },
      epochs: { type: 'string', default: '150' },
      lr: { type: 'string', default: '0.01' },
      seed: { type: 'string', default: '1' },
    },
  });
  const options: DemoOptions = {
    data: values.data,
    layers: values.layers.split(',').map(Number),
    epochs: Number(values.epochs),
    learningRate: Number(values.lr),
    seed: Number(values.seed),
    verbose: 1,
  };
  console.log(
    `Axon demo: a ${[2, ...options.layers, 1].join('-')} network (tanh, sigmoid output) learns '${options.data}'\n`,
  );
  const started = Date.now();
  const result = await runDemo({ ...options, verbose: 1 });
  console.log(`\n${result.summary}`);
  console.log(`\nTrained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    `Accuracy: train ${(100 * result.trainAccuracy).toFixed(1)}%, held-out test ${(100 * result.testAccuracy).toFixed(1)}% (loss ${result.testLoss.toFixed(4)})`,
  );
  console.log('\nDecision boundary (o = class 0, x = class 1; shaded = predicted class 0, blank = class 1):');
  console.log(result.picture);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
