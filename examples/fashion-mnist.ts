/**
 * Fashion-MNIST (Zalando's 28×28 clothing images, 10 classes) with a plain MLP through the library API:
 * 784-256-128-10, ReLU, Adam, a 10% validation split for monitoring. Prints the test accuracy, a
 * per-class accuracy table with the class names, the epochs and the wall time. Not run in CI.
 *
 *   npx tsx examples/fashion-mnist.ts              # 20 epochs
 *   npx tsx examples/fashion-mnist.ts --epochs 5 --data-dir /path/to/data
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ax from '../src/node.js';

/** Options of `runFashionMnist`. */
export interface FashionOptions {
  dir: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  verbose: number;
}

/** The figures of a run. */
export interface FashionResult {
  testAccuracy: number;
  testLoss: number;
  /** Accuracy on the test images of each class, with its name. */
  perClass: { name: string; accuracy: number }[];
  epochs: number;
  wallTimeMs: number;
}

/**
 * Trains the MLP on the 60,000 training images and evaluates it on the 10,000 test images.
 * @example const r = await runFashionMnist({ dir: '../shared/data/fashion-mnist', epochs: 20, ... });
 */
export async function runFashionMnist(o: FashionOptions): Promise<FashionResult> {
  const { xTrain, yTrain, xTest, yTest, classNames } = await ax.datasets.fashionMnist.load({ dir: o.dir });
  ax.setSeed(o.seed);
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 256, inputShape: [784], activation: 'relu' }),
      ax.layers.dense({ units: 128, activation: 'relu' }),
      ax.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: ax.optimizers.adam({ learningRate: o.learningRate }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const started = Date.now();
  const history = await model.fit(xTrain, yTrain, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    validationSplit: 0.1,
    verbose: o.verbose,
  });
  const wallTimeMs = Date.now() - started;
  const test = model.evaluate(xTest, yTest, { batchSize: 1000 });
  const predicted = ax.argMax(model.predict(xTest, { batchSize: 1000 }), -1).dataSync();
  const truth = yTest.dataSync();
  const right = new Array<number>(10).fill(0);
  const count = new Array<number>(10).fill(0);
  for (let i = 0; i < truth.length; i++) {
    count[truth[i]]++;
    if (predicted[i] === truth[i]) right[truth[i]]++;
  }
  return {
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    perClass: classNames.map((name, k) => ({ name, accuracy: right[k] / count[k] })),
    epochs: history.epoch.length,
    wallTimeMs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '20' },
      'batch-size': { type: 'string', default: '128' },
      lr: { type: 'string', default: '0.001' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '../shared/data' },
    },
  });
  const options: FashionOptions = {
    dir: resolve(values['data-dir'], 'fashion-mnist'),
    epochs: Number(values.epochs),
    batchSize: Number(values['batch-size']),
    learningRate: Number(values.lr),
    seed: Number(values.seed),
    verbose: 2,
  };
  console.log(
    `Fashion-MNIST, 784-256-128-10 (ReLU, Adam lr ${options.learningRate}, batch ${options.batchSize}), backend ${ax.getBackend()}`,
  );
  const r = await runFashionMnist(options);
  console.log('\nTest accuracy per class:');
  for (const c of r.perClass) console.log(`  ${c.name.padEnd(12)} ${(100 * c.accuracy).toFixed(1)}%`);
  console.log(
    `\nFashion-MNIST MLP: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (loss ${r.testLoss.toFixed(4)}) after ${r.epochs} epochs; training ${(r.wallTimeMs / 1000).toFixed(1)} s`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
