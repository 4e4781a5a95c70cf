/**
 * Iris with the library API, step by step: load the 150 flowers, a seeded stratified 80/20 split,
 * standardization fitted on the training rows only, a 4-16-3 network (ReLU, softmax, sparse
 * categorical cross-entropy, Adam), then the test accuracy, the confusion matrix with the species
 * names, and a prediction for a new flower. Needs ../shared/data (or --data-dir).
 *
 *   npx tsx examples/iris.ts
 *   npx tsx examples/iris.ts --epochs 200 --seed 3
 */
import { parseArgs } from 'node:util';
import * as ax from '../src/node.js';

/** Options of `runIris`. */
export interface IrisOptions {
  dataDir: string;
  epochs: number;
  seed: number;
}

/** The figures of a run. */
export interface IrisResult {
  testAccuracy: number;
  testLoss: number;
  testSize: number;
  /** Rows: true species, columns: predicted. */
  confusion: number[][];
  classNames: string[];
  /** The predicted species and its probability for the flower (5.9, 3.0, 5.1, 1.8). */
  example: { species: string; probability: number };
  wallTimeMs: number;
}

/**
 * Trains and evaluates the Iris classifier.
 * @example const r = await runIris({ dataDir: '../shared/data', epochs: 100, seed: 1 });
 */
export async function runIris(o: IrisOptions): Promise<IrisResult> {
  const { x, y, classNames } = await ax.datasets.iris.load({ dir: o.dataDir });
  const names = classNames ?? [];
  const { xTrain, xTest, yTrain, yTest } = ax.trainTestSplit(x, y, {
    testSize: 0.2,
    seed: o.seed,
    stratify: true,
  });
  const scaler = ax.standardScaler().fit(xTrain);
  ax.setSeed(o.seed);
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 16, inputShape: [4], activation: 'relu' }),
      ax.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: ax.optimizers.adam({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const started = Date.now();
  await model.fit(scaler.transform(xTrain), yTrain, { epochs: o.epochs, batchSize: 16, verbose: 0 });
  const wallTimeMs = Date.now() - started;
  const xt = scaler.transform(xTest);
  const test = model.evaluate(xt, yTest);
  const predicted = ax.argMax(model.predict(xt), -1).dataSync();
  const truth = yTest.dataSync();
  const confusion = names.map(() => names.map(() => 0));
  for (let i = 0; i < truth.length; i++) confusion[truth[i]][predicted[i]]++;
  const p = model.predict(scaler.transform(ax.tensor([[5.9, 3.0, 5.1, 1.8]]))).dataSync();
  const best = p.indexOf(Math.max(...p));
  return {
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    testSize: truth.length,
    confusion,
    classNames: names,
    example: { species: names[best], probability: p[best] },
    wallTimeMs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '../shared/data' },
    },
  });
  const r = await runIris({
    dataDir: values['data-dir'],
    epochs: Number(values.epochs),
    seed: Number(values.seed),
  });
  const width = Math.max(...r.classNames.map((c) => c.length));
  console.log('Confusion matrix (rows: true species, columns: predicted):');
  console.log(`${''.padEnd(width)}  ${r.classNames.map((c) => c.padStart(width)).join('  ')}`);
  r.confusion.forEach((row, i) => {
    console.log(`${r.classNames[i].padEnd(width)}  ${row.map((v) => String(v).padStart(width)).join('  ')}`);
  });
  console.log(
    `\nThe flower (5.9, 3.0, 5.1, 1.8) is ${r.example.species} (p = ${r.example.probability.toFixed(3)})`,
  );
  console.log(
    `Iris 4-16-3: test accuracy ${(100 * r.testAccuracy).toFixed(1)}% on ${r.testSize} flowers (loss ${r.testLoss.toFixed(4)}) after ${values.epochs} epochs; training ${(r.wallTimeMs / 1000).toFixed(2)} s`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
