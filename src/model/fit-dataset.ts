/**
 * fitDataset / evaluateDataset: training and evaluation on a stream of batches (TF.js `fitDataset`), so
 * data larger than memory can be used — only the current batch is held. The epoch machinery (callbacks,
 * History, metrics, progress) is fit's own, from training.ts. Unlike fit, a bad batch can only be found
 * when it arrives: its error names the epoch, the batch and the rows, and the steps before it stand.
 */
import type { TensorLike } from '../ops/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs, TrainParams } from './callback-list.js';
import { bindMetrics, type CompiledState, type NamedMetric } from './compile.js';
import { asTensor, checkFinite, checkSameRows, classSampleWeights } from './data.js';
import { commonFitArgs, compiledOrThrow, positiveInteger, prepareTargets, prepareXY } from './fit.js';
import type { History } from './history.js';
import type { Sequential } from './sequential.js';
import {
  beginEpoch,
  endEpoch,
  TestAccumulator,
  type TrainingRun,
  testLoop,
  trainBatch,
  trainingLoop,
} from './training.js';

/** One element of a dataset: a batch of inputs and targets, as TF.js's `{ xs, ys }` or a `[xs, ys]` pair. */
export type DatasetBatch = { xs: TensorLike; ys: TensorLike } | readonly [TensorLike, TensorLike];
/** An iterator of batches, synchronous or asynchronous. */
export type BatchIterator = Iterator<DatasetBatch> | AsyncIterator<DatasetBatch>;
/** Something that yields batches when iterated. */
export type BatchIterable = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>;

/**
 * A source of batches, read once per epoch. Either
 * - an object with `[Symbol.asyncIterator]` or `[Symbol.iterator]` that starts over each time it is
 *   iterated (an array of batches, `ax.data.generator(fn)`, `ax.csvDataset(...)`),
 * - a function returning a fresh iterator or iterable per epoch (`() => ax.batches(x, y, 32)`, an
 *   `async function*`), or
 * - a TF.js-style object with an `iterator()` method.
 *
 * A generator object (`gen()`, not `gen`) can be read only once: pass the function instead.
 */
export type Dataset =
  | BatchIterable
  | (() => BatchIterable | BatchIterator)
  | { iterator(): BatchIterator | Promise<BatchIterator> };

/** Options of `fitDataset` (TF.js `ModelFitDatasetArgs`). */
export interface FitDatasetArgs {
  /** Passes over the data. Default 1. */
  epochs?: number;
  /**
   * Batches per epoch. When given, epochs continue the same iteration (as TF.js), so an endless stream
   * works, and a finite dataset that runs out starts a new pass; the progress bar knows the total.
   * Without it an epoch is one full pass.
   */
  batchesPerEpoch?: number;
  /**
   * Evaluated after each epoch: [xVal, yVal] tensors (an array is always read as this pair), or a validation
   * Dataset read in full (or `validationBatches` of it).
   */
  validationData?: readonly [TensorLike, TensorLike] | Dataset;
  /** Rows per forward pass of tensor validation data. Default 32 (TF.js). */
  validationBatchSize?: number;
  /** Batches of a validation Dataset per evaluation. Default: all of them. */
  validationBatches?: number;
  /** Loss weight per class index, e.g. { 0: 1, 1: 5 }. */
  classWeight?: Readonly<Record<number, number>>;
  /** Epoch to start at (resuming a run); epochs are numbered from 0. Default 0. */
  initialEpoch?: number;
  /** 0 silent, 1 progress bar (Node TTY) or one line per epoch, 2 one line per epoch. Default 1. */
  verbose?: number;
  /** Callback objects (hooks onEpochEnd, onBatchEnd, ...) or built-ins from ax.callbacks. */
  callbacks?: Callback | readonly Callback[];
}

/** Options of `evaluateDataset`. */
export interface EvaluateDatasetArgs {
  /** Batches to read. Default: the whole pass. */
  batches?: number;
}

type NextFn = () => IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
type Iter = { next: NextFn; return?: () => unknown };

function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

const DATASET_HINT =
  'an iterable or async iterable of { xs, ys } batches that can be iterated again, or a function returning a new iterator per epoch';

/** A new iterator over the dataset: one pass. */
async function openPass(where: string, dataset: unknown): Promise<Iter> {
  let source = typeof dataset === 'function' ? (dataset as () => unknown)() : dataset;
  if (isObject(source) && typeof source.iterator === 'function' && !(Symbol.asyncIterator in source)) {
    source = await (source.iterator as () => unknown)();
  }
  if (isObject(source)) {
    const make = source[Symbol.asyncIterator] ?? source[Symbol.iterator];
    const iterator = typeof make === 'function' ? make.call(source) : source;
    if (isObject(iterator) && typeof iterator.next === 'function') return iterator as unknown as Iter;
  }
  if (isObject(source) && typeof source.then === 'function') {
    throw new Error(
      `${where}: the dataset is a Promise; await it first (e.g. await ax.csvDataset(path, ...))`,
    );
  }
  const got = Array.isArray(source) ? 'an array' : source === null ? 'null' : typeof source;
  throw new Error(`${where}: the dataset must be ${DATASET_HINT}; got ${got}`);
}

/** Reads a dataset pass by pass, counting passes and batches, and closes what it opens. */
class BatchReader {
  private iterator: Iter | null = null;
  /** Passes opened so far. */
  passes = 0;
  /** Batches read in the current pass. */
  inPass = 0;

  constructor(
    private readonly where: string,
    private readonly dataset: unknown,
  ) {}

  /** Starts a new pass (closing the current one). */
  async open(): Promise<void> {
    await this.close();
    this.iterator = await openPass(this.where, this.dataset);
    this.passes++;
    this.inPass = 0;
  }

  /** The next element of the pass, or null at its end. */
  async next(): Promise<unknown> {
    if (this.iterator === null) return null;
    const r = await this.iterator.next();
    if (r.done) return null;
    this.inPass++;
    if (r.value === undefined || r.value === null) {
      throw new Error(
        `${this.where}: element ${this.inPass} of the dataset is ${r.value}; expected { xs, ys }`,
      );
    }
    return r.value;
  }

  /** Like next, but an empty pass is an error. */
  async nextNonEmpty(): Promise<unknown> {
    const value = await this.next();
    if (value === null && this.inPass === 0) {
      throw new Error(
        this.passes <= 1
          ? `${this.where}: the dataset is empty: it yielded no batches`
          : `${this.where}: the dataset yielded no batches on pass ${this.passes}, though pass 1 had some; it must be ${DATASET_HINT} (a generator object can be read only once: pass () => gen(), or ax.data.generator(gen))`,
      );
    }
    return value;
  }

  /** Ends the current pass; a file behind the iterator closes. */
  async close(): Promise<void> {
    const it = this.iterator;
    this.iterator = null;
    if (it?.return) await it.return();
  }
}

/** A checked batch, ready for a step. */
interface Prepared {
  x: Tensor;
  y: Tensor;
  w: Tensor | undefined;
}

interface BatchContext {
  model: Sequential;
  compiled: CompiledState;
  classWeight: Readonly<Record<number, number>> | null;
}

/**
 * Unpacks and checks one element; `at` names it (method, epoch, batch), `rowStart` is its first row in
 * `scope` (the epoch or the pass), so an error points at the rows of the stream.
 */
function prepareBatch(
  c: BatchContext,
  element: unknown,
  at: string,
  rowStart: number,
  scope = 'epoch',
): Prepared {
  let pair: readonly unknown[];
  if (Array.isArray(element) && element.length === 2) pair = element;
  else if (isObject(element) && 'xs' in element && 'ys' in element) pair = [element.xs, element.ys];
  else {
    const keys = isObject(element)
      ? `an object with keys ${Object.keys(element).join(', ') || '(none)'}`
      : typeof element;
    throw new Error(`${at}: a batch must be { xs, ys } or [xs, ys], got ${keys}`);
  }
  const x = asTensor(at, 'xs', pair[0] as TensorLike);
  const y = asTensor(at, 'ys', pair[1] as TensorLike);
  const n = x.shape[0];
  if (n === 0) throw new Error(`${at}: the batch has no rows`);
  const where = `${at} (rows ${rowStart}–${rowStart + n - 1} of the ${scope})`;
  c.model.prepareInput(where, x, 'xs');
  checkSameRows(where, x, y, 'xs', 'ys');
  checkFinite(where, 'xs', x);
  checkFinite(where, 'ys', y);
  const targets = prepareTargets(where, c.compiled, y, c.model.outputShape);
  const w = c.classWeight === null ? undefined : classSampleWeights(where, targets, c.classWeight);
  return { x, y: targets, w };
}

/** Loss and metrics over a dataset's batches (a whole pass, or `limit` batches). */
async function evaluateBatches(
  where: string,
  c: BatchContext,
  dataset: unknown,
  boundMetrics: readonly NamedMetric[] | null,
  limit: number | null,
): Promise<Logs> {
  const reader = new BatchReader(where, dataset);
  let acc: TestAccumulator | null = null;
  let rows = 0;
  try {
    await reader.open();
    for (let b = 0; limit === null || b < limit; b++) {
      const element = b === 0 ? await reader.nextNonEmpty() : await reader.next();
      if (element === null) break;
      const batch = prepareBatch(c, element, `${where}: batch ${b + 1}`, rows, 'pass');
      // Metrics need the output shape, known once the first batch has built the model.
      acc ??= new TestAccumulator(
        c.model,
        c.compiled,
        boundMetrics ?? bindMetrics(c.compiled, c.model.outputShape),
      );
      acc.add(batch.x, batch.y);
      rows += batch.x.shape[0];
    }
  } finally {
    await reader.close();
  }
  return (acc as TestAccumulator).result();
}

function optionalPositive(where: string, key: string, value: number | undefined | null): number | null {
  return value === undefined || value === null ? null : positiveInteger(where, key, value, 1);
}

/** The fitDataset implementation behind `Sequential.fitDataset`. */
export async function fitDatasetModel(
  model: Sequential,
  dataset: Dataset,
  args: FitDatasetArgs,
): Promise<History> {
  const where = 'fitDataset';
  const { compiled, epochs, initialEpoch, verbose, callbacks } = commonFitArgs(where, model, args);
  if ('validationSplit' in args) {
    throw new Error(
      `${where}: validationSplit is not supported (a stream cannot be split); pass validationData: [xVal, yVal] or a validation dataset`,
    );
  }
  const batchesPerEpoch = optionalPositive(where, 'batchesPerEpoch', args.batchesPerEpoch);
  const validationBatchSize = positiveInteger(where, 'validationBatchSize', args.validationBatchSize, 32);
  const validationBatches = optionalPositive(where, 'validationBatches', args.validationBatches);
  const c: BatchContext = { model, compiled, classWeight: args.classWeight ?? null };
  const reader = new BatchReader(where, dataset);
  model.isTraining = true;
  try {
    // The first batch is read up front: it builds an unbuilt model (metrics need the output shape) and an
    // empty or malformed dataset fails before any callback runs.
    await reader.open();
    let pending: Prepared | null = prepareBatch(
      c,
      await reader.nextNonEmpty(),
      `${where}: epoch ${initialEpoch + 1}, batch 1`,
      0,
    );
    const metrics = bindMetrics(compiled, model.outputShape);
    const vd = args.validationData;
    let validate: (() => Logs | Promise<Logs>) | null = null;
    let validationSamples: number | null = 0;
    if (Array.isArray(vd)) {
      if (vd.length !== 2) throw new Error(`${where}: validationData must be [xVal, yVal] or a dataset`);
      const v = prepareXY(where, model, compiled, vd[0], vd[1], ['validationData[0]', 'validationData[1]']);
      validationSamples = v.x.shape[0];
      validate = () => testLoop(model, compiled, metrics, v.x, v.y, validationBatchSize);
    } else if (vd !== undefined && vd !== null) {
      validationSamples = null;
      validate = () => evaluateBatches(`${where}: validationData`, c, vd, metrics, validationBatches);
    }
    const keys = ['loss', ...metrics.map((m) => m.key)];
    // A dataset may know its batches per pass (TF.js `dataset.size`, ax.csvDataset after a counting pass).
    const size: unknown = isObject(dataset) ? (dataset as { size?: unknown }).size : undefined;
    const known = typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : null;
    const params: TrainParams = {
      epochs,
      initialEpoch,
      samples: null,
      batchSize: null,
      steps: batchesPerEpoch ?? known,
      validationSamples,
      verbose,
      metrics: validate === null ? keys : [...keys, ...keys.map((k) => `val_${k}`)],
    };

    const runEpoch = async (run: TrainingRun, epoch: number): Promise<void> => {
      const totals = await beginEpoch(run, epoch);
      // Without batchesPerEpoch an epoch is a pass; the first epoch's pass is already open.
      if (batchesPerEpoch === null && pending === null) await reader.open();
      for (let b = 0; batchesPerEpoch === null || b < batchesPerEpoch; b++) {
        let batch = pending;
        pending = null;
        if (batch === null) {
          let element = await reader.nextNonEmpty();
          if (element === null && batchesPerEpoch !== null) {
            await reader.open();
            element = await reader.nextNonEmpty();
          }
          if (element === null) break;
          batch = prepareBatch(c, element, `${where}: epoch ${epoch + 1}, batch ${b + 1}`, totals.seen);
        }
        const stepping = trainBatch(run, epoch, b, totals, batch.x, batch.y, batch.w);
        if (stepping !== undefined) await stepping;
        if (model.stopTraining) break;
      }
      await endEpoch(run, epoch, totals, validate);
    };
    return await trainingLoop({ where, model, compiled, metrics }, params, callbacks, runEpoch);
  } finally {
    model.isTraining = false;
    await reader.close();
  }
}

/** The evaluateDataset implementation behind `Sequential.evaluateDataset`. */
export async function evaluateDatasetModel(
  model: Sequential,
  dataset: Dataset,
  args: EvaluateDatasetArgs = {},
): Promise<Logs> {
  const where = 'evaluateDataset';
  const compiled = compiledOrThrow(model, where);
  const limit = optionalPositive(where, 'batches', args?.batches);
  return evaluateBatches(where, { model, compiled, classWeight: null }, dataset, null, limit);
}

/**
 * A re-iterable dataset from a generator function (TF.js `tf.data.generator`): each pass calls `fn`
 * again, so every epoch of fitDataset gets a fresh generator.
 * @example
 * const ds = ax.data.generator(function* () {
 *   for (let i = 0; i < 100; i++) yield { xs: ax.randomNormal([32, 4]), ys: ax.zeros([32, 1]) };
 * });
 * await model.fitDataset(ds, { epochs: 3 });
 */
function generator(
  fn: () => Iterator<DatasetBatch> | AsyncIterator<DatasetBatch>,
): AsyncIterable<DatasetBatch> {
  if (typeof fn !== 'function') {
    throw new Error(
      `data.generator: expected a generator function (function* or async function*), got ${typeof fn}`,
    );
  }
  return {
    [Symbol.asyncIterator]: () => {
      const it = fn();
      return {
        next: async () => it.next(),
        return: async () => (it.return ? it.return() : { done: true, value: undefined }),
      };
    },
  };
}

/**
 * Dataset helpers (TF.js `tf.data`).
 * @example const ds = ax.data.generator(function* () { yield { xs: ax.ones([2, 3]), ys: ax.ones([2, 1]) }; });
 */
export const data = { generator };
