/**
 * The course notes' Keras model "modelMc", line for line:
 *
 *   modelMc = Sequential()
 *   modelMc.add(Dense(units=3, input_dim=2, activation="sigmoid"))
 *   modelMc.add(Dense(units=1, activation="sigmoid"))
 *   modelMc.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
 *   modelMc.fit(XTrain, yTrain, epochs=150, batch_size=10)
 *   print(modelMc.get_weights())
 *   score = modelMc.evaluate(XTest, yTest)
 *
 * The notes do not say which 2-feature data set they used; this uses the built-in two Gaussian clouds
 * (the Playground's "gauss": class 1 around (2, 2), class 0 around (−2, −2)) with noise 0.3, so the
 * clouds overlap: each coordinate has variance 0.5 + 7·0.3 = 2.6 (σ ≈ 1.61) and the centres lie
 * 2√2 ≈ 2.83 = 1.75σ from the best boundary x₁ + x₂ = 0, so even the ideal classifier errs on
 * Φ(−1.75) ≈ 4 % of the points (Bayes accuracy ≈ 96 %). Seeded, split 75 % / 25 % (stratified).
 *
 * Run: npx tsx examples/keras-notes.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** Options of the example run (the notes' values by default). */
export interface KerasNotesOptions {
  epochs?: number;
  batchSize?: number;
  /** Points before the split. */
  n?: number;
  /** The Playground's noise level of gauss (variance 0.5 + 7·noise per coordinate). */
  noise?: number;
  /** One seed for the data, the split, the initial weights and the shuffling. */
  seed?: number;
  /** Called after each epoch with its logs (for printing progress). */
  onEpochEnd?: (epoch: number, logs: ax.Logs) => void;
}

/** One weight tensor as get_weights() returns it. */
export interface NamedWeights {
  name: string;
  shape: number[];
  values: number[];
}

/** What the run produced. */
export interface KerasNotesRun {
  trainSize: number;
  testSize: number;
  /** model.getWeights(): kernel [2,3], bias [3], kernel [3,1], bias [1]. */
  weights: NamedWeights[];
  /** Per-epoch training loss and accuracy. */
  loss: number[];
  accuracy: number[];
  /** model.evaluate(xTest, yTest): the notes' score. */
  score: { loss: number; accuracy: number };
  countParams: number;
}

/**
 * Builds, compiles, trains and evaluates the notes' modelMc on seeded, overlapping Gaussian clouds.
 * @example
 * const run = await runKerasNotesExample();
 * run.weights.map((w) => w.shape); // [[2, 3], [3], [3, 1], [1]]
 * run.score.accuracy;              // ≈ 0.96 on the test split (the Bayes accuracy)
 */
export async function runKerasNotesExample(options: KerasNotesOptions = {}): Promise<KerasNotesRun> {
  const { epochs = 150, batchSize = 10, n = 400, noise = 0.3, seed = 42, onEpochEnd } = options;
  const { x, y } = ax.datasets.synthetic.gauss({ n, noise, seed });
  const { xTrain, xTest, yTrain, yTest } = ax.trainTestSplit(x, y, { testSize: 0.25, seed, stratify: true });

  ax.setSeed(seed); // the initial weights and fit's shuffling
  const modelMc = ax.sequential();
  modelMc.add(ax.layers.dense({ units: 3, inputDim: 2, activation: 'sigmoid' }));
  modelMc.add(ax.layers.dense({ units: 1, activation: 'sigmoid' }));
  modelMc.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  const history = await modelMc.fit(xTrain, yTrain, {
    epochs,
    batchSize,
    verbose: 0,
    callbacks: onEpochEnd ? [{ onEpochEnd }] : [],
  });

  const names = ['dense kernel W⁽¹⁾', 'dense bias b⁽¹⁾', 'dense_1 kernel W⁽²⁾', 'dense_1 bias b⁽²⁾'];
  const weights = modelMc.getWeights().map((w, i) => ({
    name: names[i] ?? `weight ${i}`,
    shape: [...w.shape],
    values: Array.from(w.dataSync()),
  }));
  const score = modelMc.evaluate(xTest, yTest);
  return {
    trainSize: xTrain.shape[0],
    testSize: xTest.shape[0],
    weights,
    loss: history.history.loss,
    accuracy: history.history.accuracy,
    score: { loss: score.loss, accuracy: score.accuracy },
    countParams: modelMc.countParams(),
  };
}

/** A weight tensor printed as numpy prints it inside get_weights(): array([[…], […]], dtype=float32). */
function numpyLike(w: NamedWeights): string {
  const f = (v: number): string => (v < 0 ? '' : ' ') + v.toFixed(8);
  if (w.shape.length === 1) return `array([${w.values.map(f).join(', ')}], dtype=float32)`;
  const [rows, cols] = w.shape;
  const lines = Array.from(
    { length: rows },
    (_, r) =>
      `[${w.values
        .slice(r * cols, (r + 1) * cols)
        .map(f)
        .join(', ')}]`,
  );
  return `array([${lines.join(',\n       ')}], dtype=float32)`;
}

async function main(): Promise<void> {
  console.log(
    'modelMc = Dense(3, input_dim=2, sigmoid) → Dense(1, sigmoid); binary_crossentropy, adam, accuracy',
  );
  console.log(
    'data: ax.datasets.synthetic.gauss({ n: 400, noise: 0.3, seed: 42 }), 75 % / 25 % stratified split\n',
  );
  const run = await runKerasNotesExample({
    onEpochEnd: (epoch, logs) => {
      if ((epoch + 1) % 15 === 0) {
        console.log(
          `Epoch ${String(epoch + 1).padStart(3)}/150 - loss: ${logs.loss.toFixed(4)} - accuracy: ${logs.accuracy.toFixed(4)}`,
        );
      }
    },
  });
  console.log(`\n(trained on ${run.trainSize} points, ${run.countParams} parameters)`);
  console.log('\nprint(modelMc.get_weights())');
  console.log(`[${run.weights.map(numpyLike).join(',\n ')}]`);
  console.log(`\nscore = modelMc.evaluate(XTest, yTest)   # ${run.testSize} test points`);
  console.log(`[${run.score.loss.toFixed(4)}, ${run.score.accuracy.toFixed(4)}]   # [loss, accuracy]`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
