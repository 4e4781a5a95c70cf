/**
 * The course notes' second Keras model, two ReLU hidden layers:
 *
 *   ann = tf.keras.models.Sequential()
 *   ann.add(tf.keras.layers.Dense(units=12, activation='relu', input_shape=(X_train.shape[1],)))
 *   ann.add(tf.keras.layers.Dense(units=8, activation='relu'))
 *   ann.add(tf.keras.layers.Dense(units=1, activation='sigmoid'))
 *
 * trained on the Breast Cancer Wisconsin (Diagnostic) data: 569 tumours, 30 features, malignant (0) or
 * benign (1). The features are standardized with the training split's means and deviations (fitting
 * the scaler on all rows would leak the test set into training). Without the data folder
 * (../shared/data/sklearn-breast-cancer) it falls back to a synthetic stand-in and says so.
 *
 * Run: npx tsx examples/relu-12-8-1.ts [data dir]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ax from '../src/node.js';

/** Where the shared data sets live, next to the repository: ../shared/data. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../shared/data', import.meta.url));

/** Options of the example run. */
export interface Relu1281Options {
  /** Folder holding sklearn-breast-cancer/breast_cancer.csv (or the set's own folder). */
  dataDir?: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
}

/** What the run produced. */
export interface Relu1281Run {
  /** 'breast-cancer', or 'synthetic' when the data folder is absent. */
  source: 'breast-cancer' | 'synthetic';
  /** Why the synthetic set was used (null with the real data). */
  fallbackReason: string | null;
  features: number;
  trainSize: number;
  testSize: number;
  /** Per-epoch training loss. */
  loss: number[];
  /** evaluate on the test split. */
  test: { loss: number; accuracy: number };
  /** Test confusion counts, class 1 (benign) as positive. */
  confusion: { tp: number; tn: number; fp: number; fn: number };
  countParams: number;
  summary: string;
}

/** The breast cancer data, or a synthetic stand-in of the same shape when the folder is absent. */
async function loadData(
  dataDir: string,
  seed: number,
): Promise<{ x: ax.Tensor; y: ax.Tensor; source: Relu1281Run['source']; reason: string | null }> {
  const candidates = [`${dataDir}/sklearn-breast-cancer/breast_cancer.csv`, `${dataDir}/breast_cancer.csv`];
  if (candidates.some((path) => existsSync(path))) {
    const { x, y } = await ax.datasets.breastCancer.load({ dir: dataDir });
    return { x, y, source: 'breast-cancer', reason: null };
  }
  // Stand-in: 569 rows, 30 features — two Gaussian clouds (as 'gauss') padded with 28 noise columns.
  const rng = new ax.Random(seed);
  const { x: x2, y } = ax.datasets.synthetic.gauss({ n: 569, noise: 0.3, seed });
  const base = x2.dataSync();
  const rows = Array.from({ length: 569 }, (_, i) => [
    base[2 * i],
    base[2 * i + 1],
    ...Array.from({ length: 28 }, () => rng.normal()),
  ]);
  return { x: ax.tensor(rows), y, source: 'synthetic', reason: `no breast_cancer.csv under ${dataDir}` };
}

/**
 * Trains the notes' 12-8-1 ReLU network on standardized breast cancer features and evaluates it on a
 * stratified 20 % test split.
 * @example
 * const run = await runRelu1281Example();
 * run.test.accuracy; // ≈ 0.97 on breast cancer
 */
export async function runRelu1281Example(options: Relu1281Options = {}): Promise<Relu1281Run> {
  const { dataDir = DEFAULT_DATA_DIR, epochs = 100, batchSize = 32, seed = 0 } = options;
  const data = await loadData(dataDir, seed);
  const y = ax.reshape(data.y, [data.y.shape[0], 1]);
  const split = ax.trainTestSplit(data.x, y, { testSize: 0.2, seed, stratify: true });
  const scaler = ax.standardScaler().fit(split.xTrain);
  const xTrain = scaler.transform(split.xTrain);
  const xTest = scaler.transform(split.xTest);
  const features = xTrain.shape[1];

  ax.setSeed(seed);
  const ann = ax.sequential();
  ann.add(ax.layers.dense({ units: 12, activation: 'relu', inputShape: [features] }));
  ann.add(ax.layers.dense({ units: 8, activation: 'relu' }));
  ann.add(ax.layers.dense({ units: 1, activation: 'sigmoid' }));
  ann.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await ann.fit(xTrain, split.yTrain, { epochs, batchSize, verbose: 0 });
  const test = ann.evaluate(xTest, split.yTest);

  const p = ann.predict(xTest).dataSync();
  const t = split.yTest.dataSync();
  const confusion = { tp: 0, tn: 0, fp: 0, fn: 0 };
  for (let i = 0; i < p.length; i++) {
    const predicted = p[i] >= 0.5;
    if (t[i] === 1 && predicted) confusion.tp++;
    else if (t[i] === 1) confusion.fn++;
    else if (predicted) confusion.fp++;
    else confusion.tn++;
  }
  return {
    source: data.source,
    fallbackReason: data.reason,
    features,
    trainSize: xTrain.shape[0],
    testSize: xTest.shape[0],
    loss: history.history.loss,
    test: { loss: test.loss, accuracy: test.accuracy },
    confusion,
    countParams: ann.countParams(),
    summary: ann.summary({ print: false }),
  };
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? DEFAULT_DATA_DIR;
  const run = await runRelu1281Example({ dataDir });
  if (run.source === 'synthetic') {
    console.log(
      `Breast cancer data not found (${run.fallbackReason}): using a synthetic stand-in of 569 × 30.`,
    );
  } else {
    console.log('Breast Cancer Wisconsin (Diagnostic): 569 tumours × 30 features; 0 = malignant, 1 = benign');
  }
  console.log(
    `stratified split: ${run.trainSize} train / ${run.testSize} test; features standardized on the training split\n`,
  );
  console.log(run.summary);
  const every = Math.max(1, Math.floor(run.loss.length / 5));
  console.log(
    '\ncompile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]); fit(epochs=100, batch_size=32)',
  );
  run.loss.forEach((l, i) => {
    if ((i + 1) % every === 0) console.log(`  epoch ${String(i + 1).padStart(3)}  loss ${l.toFixed(4)}`);
  });
  const { tp, tn, fp, fn } = run.confusion;
  console.log(
    `\ntest loss ${run.test.loss.toFixed(4)}, test accuracy ${(run.test.accuracy * 100).toFixed(1)}%`,
  );
  console.log('confusion (rows: true class, columns: predicted)');
  console.log('               malignant  benign');
  console.log(`  malignant    ${String(tn).padStart(9)}  ${String(fp).padStart(6)}`);
  console.log(`  benign       ${String(fn).padStart(9)}  ${String(tp).padStart(6)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
