/**
 * Rows of data sets: one-hot labels, seeded shuffling, train/test splits (stratified on request) and
 * batches. Rows are copied with typed-array `set`, never element by element through closures.
 */
import { allocData } from '../tensor/precision.js';
import { getRandom, Random } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';

/** Class indices from labels given as [n], [n, 1] or one-hot [n, k]; errors name `where`. */
function classLabels(where: string, labels: Tensor): Int32Array {
  const n = labels.shape[0];
  const v = labels.values;
  const out = new Int32Array(n);
  const k = labels.rank === 2 ? labels.shape[1] : 1;
  if (labels.rank > 2 || labels.rank === 0) {
    throw new Error(
      `${where}: labels must have shape [n], [n, 1] or one-hot [n, k], got ${formatShape(labels.shape)}`,
    );
  }
  if (k > 1) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
      out[i] = best;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0) {
      throw new Error(`${where}: label ${v[i]} at row ${i} is not a class index (an integer ≥ 0)`);
    }
    out[i] = v[i];
  }
  return out;
}

function asTensor(where: string, name: string, t: Tensor): Tensor {
  if (!(t instanceof Tensor))
    throw new Error(`${where}: ${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.rank === 0)
    throw new Error(`${where}: ${name} must have a batch axis (one row per example), got a scalar`);
  return t;
}

function checkPair(where: string, x: Tensor, y: Tensor): void {
  asTensor(where, 'x', x);
  asTensor(where, 'y', y);
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(
      `${where}: x has ${x.shape[0]} rows (shape ${formatShape(x.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)})`,
    );
  }
}

/** The rows `indices` of t, in that order, as a new tensor. */
function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const n = t.shape[0];
  const width = n === 0 ? 0 : t.size / n;
  const src = t.values;
  const out = allocData(indices.length * width);
  if (width === 1) {
    for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]];
  } else {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      out.set(src.subarray(r * width, (r + 1) * width), i * width);
    }
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/**
 * Rows [start, end) of t without copying (tensors are immutable, so sharing the buffer is safe) — but
 * copied from a Variable: its values change in place, and a view would not keep its buffer alive.
 */
function rowRange(t: Tensor, start: number, end: number): Tensor {
  const width = t.shape[0] === 0 ? 0 : t.size / t.shape[0];
  const rows = t.values.subarray(start * width, end * width);
  return new Tensor(t instanceof Variable ? rows.slice() : rows, [end - start, ...t.shape.slice(1)]);
}

function rngOf(seed: number | undefined): Random {
  return seed === undefined ? getRandom() : new Random(seed);
}

/**
 * One-hot rows [n, numClasses] from class indices ([n] or [n, 1], or a plain array).
 * @example
 * ax.oneHot([0, 2, 1], 3).arraySync(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  let v: ArrayLike<number>;
  if (labels instanceof Tensor) {
    if (!(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1))) {
      throw new Error(`oneHot: labels must have shape [n] or [n, 1], got ${formatShape(labels.shape)}`);
    }
    v = labels.values;
  } else if (labels !== null && typeof labels === 'object' && typeof labels.length === 'number') {
    v = labels;
  } else {
    throw new Error(`oneHot: labels must be a Tensor or an array of class indices, got ${typeof labels}`);
  }
  const out = allocData(v.length * numClasses);
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new Error(`oneHot: label ${c} at index ${i} is not a class index in 0…${numClasses - 1}`);
    }
    out[i * numClasses + c] = 1;
  }
  return new Tensor(out, [v.length, numClasses]);
}

/**
 * x and y with their rows permuted together (seeded; without a seed the global `ax.setSeed` stream).
 * @example
 * const { x: xs, y: ys } = ax.shuffle(x, y, 42);
 */
export function shuffle(x: Tensor, y: Tensor, seed?: number): { x: Tensor; y: Tensor } {
  checkPair('shuffle', x, y);
  const order = Int32Array.from({ length: x.shape[0] }, (_, i) => i);
  rngOf(seed).shuffle(order);
  return { x: takeRows(x, order), y: takeRows(y, order) };
}

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions {
  /** Fraction of rows for the test set in (0, 1), or a row count ≥ 1. Default 0.25. */
  testSize?: number;
  /** Shuffle before splitting (default true); without it the test set is the last rows. */
  shuffle?: boolean;
  /** Seed of the shuffle; default the global `ax.setSeed` stream. */
  seed?: number;
  /** Keep class proportions: true uses y's classes; or pass the labels to stratify on. */
  stratify?: boolean | Tensor;
}

/** The four parts of a split. */
export interface Split {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
}

function testCount(n: number, testSize: number): number {
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new Error(
      `trainTestSplit: testSize must be a fraction in (0, 1) or a row count ≥ 1, got ${testSize}`,
    );
  }
  // scikit-learn rounds the test share up.
  const count = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(count) || count >= n) {
    throw new Error(
      `trainTestSplit: testSize ${testSize} leaves no training rows out of ${n} (or is not a whole count)`,
    );
  }
  return count;
}

/** Per-class test counts: proportional floors, the remainder to the largest fractions (ties: larger class). */
function allocate(counts: number[], nTest: number, n: number): number[] {
  const exact = counts.map((c) => (c * nTest) / n);
  const take = exact.map(Math.floor);
  let left = nTest - take.reduce((a, b) => a + b, 0);
  const order = counts
    .map((_, k) => k)
    .sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]) || counts[b] - counts[a] || a - b);
  for (const k of order) {
    if (left === 0) break;
    if (take[k] < counts[k]) {
      take[k]++;
      left--;
    }
  }
  return take;
}

/**
 * Splits rows into training and test sets. With `stratify`, each class keeps its proportion in both.
 * @example
 * const { xTrain, xTest, yTrain, yTest } = ax.trainTestSplit(x, y, { testSize: 0.2, seed: 1, stratify: true });
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): Split {
  checkPair('trainTestSplit', x, y);
  const n = x.shape[0];
  const nTest = testCount(n, options.testSize ?? 0.25);
  const doShuffle = options.shuffle ?? true;
  const rng = rngOf(options.seed);
  let train: Int32Array;
  let test: Int32Array;
  if (options.stratify !== undefined && options.stratify !== false) {
    const source = options.stratify === true ? y : asTensor('trainTestSplit', 'stratify', options.stratify);
    if (source.shape[0] !== n) {
      throw new Error(`trainTestSplit: stratify has ${source.shape[0]} rows but x has ${n}`);
    }
    const labels = classLabels('trainTestSplit (stratify)', source);
    const groups: number[][] = [];
    for (let i = 0; i < n; i++) {
      const k = labels[i];
      if (groups[k] === undefined) groups[k] = [];
      groups[k].push(i);
    }
    const present = groups.flatMap((g, k) => (g ? [k] : []));
    for (const k of present) {
      if (groups[k].length < 2) {
        throw new Error(
          `trainTestSplit: class ${k} has only 1 example; stratified splitting needs at least 2 per class`,
        );
      }
    }
    const take = allocate(
      present.map((k) => groups[k].length),
      nTest,
      n,
    );
    const trainList: number[] = [];
    const testList: number[] = [];
    present.forEach((k, g) => {
      const rows = groups[k];
      if (doShuffle) rng.shuffle(rows);
      const cut = rows.length - take[g];
      trainList.push(...rows.slice(0, cut));
      testList.push(...rows.slice(cut));
    });
    train = Int32Array.from(trainList);
    test = Int32Array.from(testList);
    // Interleave the classes again: a model fitted on rows grouped by class learns badly.
    if (doShuffle) {
      rng.shuffle(train);
      rng.shuffle(test);
    } else {
      train.sort();
      test.sort();
    }
  } else {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (doShuffle) rng.shuffle(order);
    train = order.subarray(0, n - nTest);
    test = order.subarray(n - nTest);
  }
  return {
    xTrain: takeRows(x, train),
    xTest: takeRows(x, test),
    yTrain: takeRows(y, train),
    yTest: takeRows(y, test),
  };
}

/** Options of `batches`. */
export interface BatchOptions {
  /** Visit the rows in a seeded random order (default false). */
  shuffle?: boolean;
  /** Seed of that order; default the global `ax.setSeed` stream. */
  seed?: number;
  /** Skip a last batch smaller than batchSize (default false). */
  dropRemainder?: boolean;
}

/** One batch, named as TF.js's `fitDataset` expects its elements. */
export interface Batch {
  xs: Tensor;
  ys: Tensor;
}

/**
 * Consecutive batches of `batchSize` rows (the last may be smaller). Unshuffled batches share the
 * data's buffer instead of copying it. `for await` accepts it too, so it can feed `fitDataset`.
 * @example
 * for (const { xs, ys } of ax.batches(x, y, 32, { shuffle: true, seed: 1 })) {
 *   // xs: [32, d], ys: [32, ...]
 * }
 */
export function batches(
  x: Tensor,
  y: Tensor,
  batchSize: number,
  options: BatchOptions = {},
): Generator<Batch, void, undefined> {
  // Checked here, not inside the generator, so a mistake fails at the call and not at the first next().
  checkPair('batches', x, y);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const order = options.shuffle ? Int32Array.from({ length: x.shape[0] }, (_, i) => i) : null;
  if (order) rngOf(options.seed).shuffle(order);
  return batchGenerator(x, y, batchSize, order, options.dropRemainder === true);
}

function* batchGenerator(
  x: Tensor,
  y: Tensor,
  batchSize: number,
  order: Int32Array | null,
  dropRemainder: boolean,
): Generator<Batch, void, undefined> {
  const n = x.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    if (dropRemainder && end - start < batchSize) return;
    if (order) {
      const rows = order.subarray(start, end);
      yield { xs: takeRows(x, rows), ys: takeRows(y, rows) };
    } else {
      yield { xs: rowRange(x, start, end), ys: rowRange(y, start, end) };
    }
  }
}
