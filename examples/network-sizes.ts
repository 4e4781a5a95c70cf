/**
 * Counting parameters, as the notes do: a Dense layer from n inputs to m units has an n×m weight
 * matrix and m biases, n·m + m parameters.
 * - The notes' 4-5-3 network: W⁽¹⁾ 4×5, W⁽²⁾ 5×3, b⁽¹⁾ 5, b⁽²⁾ 3 → 20 + 15 + 5 + 3 = 43.
 * - Keras's mnist_mlp example: 784 → 512 (relu) → Dropout(0.2) → 512 (relu) → Dropout(0.2) → 10
 *   (softmax): 784·512 + 512 = 401,920; 512·512 + 512 = 262,656; 512·10 + 10 = 5,130 → 669,706
 *   (dropout has none).
 * Both summaries are printed as Keras prints them; the big model then takes ten training steps
 * (trainOnBatch, RMSprop as in mnist_mlp.py) on a small random batch, to show it is a working model and
 * not only a table.
 *
 * Run: npx tsx examples/network-sizes.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** One network's size, by hand and from the library. */
export interface NetworkSize {
  /** Layer widths, input first. */
  widths: number[];
  /** n·m + m per Dense layer, from the widths. */
  perLayer: number[];
  /** Σ perLayer: the count derived by hand. */
  byHand: number;
  /** model.countParams(). */
  countParams: number;
  /** model.summary() text. */
  summary: string;
}

/** What the example produced. */
export interface NetworkSizesRun {
  notes: NetworkSize;
  mnistMlp: NetworkSize;
  /** mnist_mlp's loss (evaluate, dropout off) on 16 random rows before and after each of 10 trainOnBatch steps. */
  mnistSteps: { losses: number[]; weightsChanged: boolean };
}

function handCount(widths: readonly number[]): number[] {
  return widths.slice(1).map((m, i) => widths[i] * m + m);
}

/**
 * The notes' 4-5-3 network: sigmoid hidden layer, softmax output.
 * @example notesNetwork().countParams(); // 43
 */
export function notesNetwork(): ax.Sequential {
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: 5, inputShape: [4], activation: 'sigmoid' }),
      ax.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

/**
 * Keras's examples/mnist_mlp.py model.
 * @example mnistMlp().countParams(); // 669706
 */
export function mnistMlp(): ax.Sequential {
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
      ax.layers.dropout({ rate: 0.2 }),
      ax.layers.dense({ units: 512, activation: 'relu' }),
      ax.layers.dropout({ rate: 0.2 }),
      ax.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function size(model: ax.Sequential, widths: number[]): NetworkSize {
  const perLayer = handCount(widths);
  return {
    widths,
    perLayer,
    byHand: perLayer.reduce((a, b) => a + b, 0),
    countParams: model.countParams(),
    summary: model.summary({ print: false }),
  };
}

/**
 * Builds both networks, counts and summarizes them, and trains mnist_mlp ten steps on a random batch.
 * @example
 * const { notes, mnistMlp } = await runNetworkSizesExample();
 * notes.countParams;    // 43
 * mnistMlp.countParams; // 669706
 */
export async function runNetworkSizesExample(seed = 0): Promise<NetworkSizesRun> {
  ax.setSeed(seed);
  const notes = size(notesNetwork(), [4, 5, 3]);
  const big = mnistMlp();
  const mnist = size(big, [784, 512, 512, 10]);

  // As mnist_mlp.py compiles it; random "images" in [0, 1) and random one-hot digits.
  big.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const rows = 16;
  const x = ax.randomUniform([rows, 784], 0, 1);
  const rng = new ax.Random(seed);
  const y = ax.oneHot(
    Array.from({ length: rows }, () => rng.int(10)),
    10,
  );
  const before = big.getWeights().map((w) => w.dataSync().slice());
  const losses = [big.evaluate(x, y).loss];
  for (let step = 0; step < 10; step++) {
    await big.trainOnBatch(x, y);
    losses.push(big.evaluate(x, y).loss);
  }
  const after = big.getWeights().map((w) => w.dataSync());
  const weightsChanged = before.every((w, k) => w.some((v, i) => v !== after[k][i]));
  return { notes, mnistMlp: mnist, mnistSteps: { losses, weightsChanged } };
}

/** 669706 → '669,706'. */
function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

async function main(): Promise<void> {
  const run = await runNetworkSizesExample();
  // The notes' order: the weight matrices, then the biases (4×5 + 5×3 + 5 + 3).
  const explain = (s: NetworkSize): string => {
    const units = s.widths.slice(1);
    const matrices = units.map((m, i) => `${s.widths[i]}×${m}`);
    const products = units.map((m, i) => thousands(s.widths[i] * m));
    return `${[...matrices, ...units.map(String)].join(' + ')} = ${[...products, ...units.map(String)].join(' + ')}`;
  };
  console.log("The notes' 4-5-3 network (sigmoid hidden layer, softmax output):");
  console.log(`  by hand: ${explain(run.notes)} = ${run.notes.byHand}`);
  console.log(`  model.countParams() = ${run.notes.countParams}\n`);
  console.log(run.notes.summary);
  console.log("\nKeras's mnist_mlp: 784 → 512 relu → dropout 0.2 → 512 relu → dropout 0.2 → 10 softmax:");
  console.log(`  by hand: ${explain(run.mnistMlp)} = ${thousands(run.mnistMlp.byHand)}`);
  console.log(`  per Dense layer (n·m + m): ${run.mnistMlp.perLayer.map(thousands).join(' + ')}`);
  console.log(`  model.countParams() = ${thousands(run.mnistMlp.countParams)}\n`);
  console.log(run.mnistMlp.summary);
  const { losses, weightsChanged } = run.mnistSteps;
  console.log('\nmnist_mlp, 10 × trainOnBatch (rmsprop, categorical cross-entropy) on 16 random rows:');
  console.log(`  loss ${losses.map((l) => l.toFixed(3)).join(' → ')}`);
  console.log(`  every weight tensor changed: ${weightsChanged}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
