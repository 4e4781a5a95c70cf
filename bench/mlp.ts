/**
 * The MNIST-sized network the train, infer and memory benchmarks share — 784-256-128-10 (ReLU, ReLU,
 * softmax) — in Axon (its TF.js twin is in mlp-tf.ts, kept apart so that the memory benchmark's child
 * process does not load TF.js), and its data: the real MNIST training images from
 * ../shared/data/mnist when that folder exists, otherwise seeded random MNIST-shaped rows (the timing of
 * a dense network does not depend on the pixel values, only on the shapes).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ax from '../src/node.js';
import { randomValues } from './harness.js';

/** Layer widths of the benchmark network, input first. */
export const MLP_UNITS = [784, 256, 128, 10] as const;
/** Rows and columns of the MNIST training set. */
export const MNIST_ROWS = 60000;
export const MNIST_FEATURES = 784;
export const MNIST_CLASSES = 10;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder holding the MNIST IDX files: $AXON_BENCH_MNIST, else ../shared/data/mnist next to the
 * checkout; null when neither has the training images.
 */
export function mnistDir(): string | null {
  const dir = process.env.AXON_BENCH_MNIST ?? join(root, '..', 'shared', 'data', 'mnist');
  return existsSync(join(dir, 'train-images-idx3-ubyte.gz')) ||
    existsSync(join(dir, 'train-images-idx3-ubyte'))
    ? dir
    : null;
}

function idxPath(dir: string, base: string): string {
  const gz = join(dir, `${base}.gz`);
  return existsSync(gz) ? gz : join(dir, base);
}

/** Rows of MNIST-shaped training data: x [rows, 784] in [0, 1], labels [rows] class indices. */
export interface MlpData {
  x: Float32Array;
  labels: Float32Array;
  rows: number;
  /** Where the rows came from, for the table's caption. */
  source: string;
}

/** The full MNIST training set (x [60000, 784] in [0, 1], labels [60000]) read with Axon's IDX reader. */
export async function loadMnistTraining(dir: string): Promise<{ x: ax.Tensor; y: ax.Tensor }> {
  const images = await ax.readIdxFile(idxPath(dir, 'train-images-idx3-ubyte'), { expect: 'images' });
  const labels = await ax.readIdxFile(idxPath(dir, 'train-labels-idx1-ubyte'), { expect: 'labels' });
  return { x: ax.idxImagesToTensor(images), y: ax.idxLabelsToTensor(labels, MNIST_CLASSES) };
}

/**
 * The first `rows` rows of MNIST (rows ≤ 60000), or seeded random rows shaped like them when the data
 * folder is absent. Copies, so the full set can be collected once this returns.
 */
export async function mlpData(rows: number): Promise<MlpData> {
  const dir = mnistDir();
  if (dir !== null && rows <= MNIST_ROWS) {
    const { x, y } = await loadMnistTraining(dir);
    return {
      x: Float32Array.from(x.values.subarray(0, rows * MNIST_FEATURES)),
      labels: Float32Array.from(y.values.subarray(0, rows)),
      rows,
      source: `MNIST training rows from ${dir}`,
    };
  }
  const x = randomValues(rows * MNIST_FEATURES, 7);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] + 1) / 2;
  const labels = new Float32Array(rows);
  const draws = randomValues(rows, 8);
  for (let i = 0; i < rows; i++)
    labels[i] = Math.min(MNIST_CLASSES - 1, Math.floor(((draws[i] + 1) / 2) * 10));
  return { x, labels, rows, source: 'random MNIST-shaped rows (../shared/data/mnist not found)' };
}

/** One-hot rows [n, classes] for class indices: the targets of categorical cross-entropy. */
export function oneHotRows(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]] = 1;
  return out;
}

/** The benchmark network in Axon (Glorot-uniform kernels, zero biases: the Keras defaults). */
export function axonMlp(): ax.Sequential {
  const [inputs, h1, h2, outputs] = MLP_UNITS;
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: h1, inputShape: [inputs], activation: 'relu' }),
      ax.layers.dense({ units: h2, activation: 'relu' }),
      ax.layers.dense({ units: outputs, activation: 'softmax' }),
    ],
  });
}
