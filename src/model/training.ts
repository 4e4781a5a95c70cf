/**
 * The training and evaluation loops of `Sequential`, with TF.js/Keras semantics: forward in training mode,
 * loss = Σ(w·l)/batch + regularization penalties, gradients by reverse-mode autodiff, one optimizer update
 * per batch; epoch values are batch means weighted by batch size.
 */
import { backpropagate, noGrad } from '../autograd/backprop.js';
import { reduceLoss } from '../nn/losses.js';
import { add } from '../ops/elementwise.js';
import { ones, zeros } from '../tensor/create.js';
import { getRandom } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { CallbackList, type Logs, type TrainParams } from './callback-list.js';
import type { CompiledState, NamedMetric } from './compile.js';
import { makeBatches, RowGatherer } from './data.js';
import { History } from './history.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import type { Sequential } from './sequential.js';

/** Data of one fit run, checked and split. */
export interface FitData {
  x: Tensor;
  y: Tensor;
  /** Per-sample weights from classWeight, or null. */
  sampleWeight: Tensor | null;
  validation: { x: Tensor; y: Tensor } | null;
}

/** Resolved options of one fit run. */
export interface FitOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  initialEpoch: number;
  verbose: number;
  callbacks: CallbackList;
}

/**
 * One optimizer step on a batch; returns the batch's total loss and the predictions (for metrics). A
 * non-finite loss changes no weight.
 */
export function trainStep(
  model: Sequential,
  compiled: CompiledState,
  x: Tensor,
  y: Tensor,
  sampleWeight: Tensor | undefined,
): { loss: number; yPred: Tensor } {
  const penalties: Tensor[] = [];
  const yPred = model.apply(x, { training: true, losses: penalties });
  let total = reduceLoss(compiled.loss.perSample(y, yPred), sampleWeight);
  // Keras adds the weight penalties and the activity penalties to the mean data loss.
  for (const p of model.regularizationLosses()) total = add(total, p);
  for (const p of penalties) total = add(total, p);
  const loss = total.item();
  const variables = model.trainableWeights;
  // A non-finite loss gives non-finite gradients: leave the weights as they are and let the caller
  // stop (terminateOnNaN) or report it.
  if (variables.length > 0 && Number.isFinite(loss)) {
    const grads = backpropagate(total, ones([]), false);
    compiled.optimizer.applyGradients(
      variables,
      variables.map((v) => grads.get(v) ?? zeros(v.shape)),
    );
  }
  return { loss, yPred };
}

/** Loss (with penalties) and metrics of a model on data, batched, without recording gradients. */
export function testLoop(
  model: Sequential,
  compiled: CompiledState,
  metrics: readonly NamedMetric[],
  x: Tensor,
  y: Tensor,
  batchSize: number,
): Logs {
  return noGrad(() => {
    for (const m of metrics) m.metric.reset();
    const n = x.shape[0];
    const xs = new RowGatherer(x);
    const ys = new RowGatherer(y);
    let weightPenalty = 0;
    for (const p of model.regularizationLosses()) weightPenalty += p.item();
    let lossSum = 0;
    for (const [start, end] of makeBatches(n, batchSize)) {
      const xb = xs.range(start, end);
      const yb = ys.range(start, end);
      const penalties: Tensor[] = [];
      const yPred = model.apply(xb, { training: false, losses: penalties });
      let batchLoss = reduceLoss(compiled.loss.perSample(yb, yPred)).item() + weightPenalty;
      for (const p of penalties) batchLoss += p.item();
      lossSum += batchLoss * (end - start);
      for (const m of metrics) m.metric.update(yb, yPred);
    }
    const logs: Logs = { loss: n > 0 ? lossSum / n : Number.NaN };
    for (const m of metrics) logs[m.key] = m.metric.result();
    return logs;
  });
}

let lastMacrotask = Date.now();

/**
 * Lets other work run between epochs: always a microtask turn, and a macrotask (setTimeout 0, where one
 * exists) when the last one is more than 50 ms old, so a browser page can repaint and handle input
 * without slowing down short epochs.
 */
async function yieldToEventLoop(): Promise<void> {
  await Promise.resolve();
  const now = Date.now();
  if (now - lastMacrotask > 50 && typeof globalThis.setTimeout === 'function') {
    await new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0));
    lastMacrotask = Date.now();
  }
}

/** Everything one epoch needs, planned once per fit run. */
interface EpochContext {
  model: Sequential;
  compiled: CompiledState;
  metrics: readonly NamedMetric[];
  callbacks: CallbackList;
  reporter: ProgressReporter | null;
  batches: ReadonlyArray<[number, number]>;
  order: Int32Array;
  xs: RowGatherer;
  ys: RowGatherer;
  ws: RowGatherer | null;
  shuffle: boolean;
  batchSize: number;
  validation: FitData['validation'];
}

/** The epoch loop of `fit`. Everything is validated before this runs. */
export async function fitLoop(
  model: Sequential,
  compiled: CompiledState,
  metrics: readonly NamedMetric[],
  data: FitData,
  options: FitOptions,
): Promise<History> {
  const { x, y, sampleWeight, validation } = data;
  const { epochs, batchSize, initialEpoch, verbose } = options;
  const n = x.shape[0];
  const batches = makeBatches(n, batchSize);
  const keys = ['loss', ...metrics.map((m) => m.key)];
  const params: TrainParams = {
    epochs,
    initialEpoch,
    samples: n,
    batchSize,
    steps: batches.length,
    validationSamples: validation === null ? 0 : validation.x.shape[0],
    verbose,
    metrics: validation === null ? keys : [...keys, ...keys.map((k) => `val_${k}`)],
  };
  const history = new History();
  // History last, as Keras: it records what the other callbacks added (e.g. reduceLROnPlateau's lr).
  const callbacks = new CallbackList([...options.callbacks.callbacks, history]);
  const reporter = createProgressReporter(verbose);
  callbacks.setModel(model);
  callbacks.setParams(params);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const context: EpochContext = {
    model,
    compiled,
    metrics,
    callbacks,
    reporter,
    batches,
    order,
    xs: new RowGatherer(x),
    ys: new RowGatherer(y),
    ws: sampleWeight === null ? null : new RowGatherer(sampleWeight),
    shuffle: options.shuffle,
    batchSize,
    validation,
  };

  model.stopTraining = false;
  await callbacks.onTrainBegin({});
  reporter?.onTrainBegin(params);
  try {
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await runEpoch(context, epoch);
      if (model.stopTraining) break;
      await yieldToEventLoop();
    }
  } finally {
    // Also on an error, so a progress bar never keeps its timer (and the process) alive.
    reporter?.onTrainEnd();
  }
  await callbacks.onTrainEnd({});
  return history;
}

/** One epoch: shuffle, one step per batch, epoch logs (with validation), callbacks. */
async function runEpoch(c: EpochContext, epoch: number): Promise<void> {
  const { model, metrics, callbacks, reporter } = c;
  await callbacks.onEpochBegin(epoch, {});
  reporter?.onEpochBegin(epoch);
  for (const m of metrics) m.metric.reset();
  if (c.shuffle) getRandom().shuffle(c.order);
  let lossSum = 0;
  let seen = 0;
  for (let b = 0; b < c.batches.length; b++) {
    const [start, end] = c.batches[b];
    const size = end - start;
    const batchLogs: Logs = { batch: b, size };
    await callbacks.onBatchBegin(b, batchLogs);
    const xb = c.xs.gather(c.order, start, end);
    const yb = c.ys.gather(c.order, start, end);
    const wb = c.ws === null ? undefined : c.ws.gather(c.order, start, end);
    const { loss, yPred } = trainStep(model, c.compiled, xb, yb, wb);
    lossSum += loss * size;
    seen += size;
    // Batch logs carry running means over the epoch so far, as Keras reports them.
    batchLogs.loss = lossSum / seen;
    noGrad(() => {
      for (const m of metrics) {
        m.metric.update(yb, yPred);
        batchLogs[m.key] = m.metric.result();
      }
    });
    await callbacks.onBatchEnd(b, batchLogs);
    reporter?.onBatchEnd(b, batchLogs);
    if (model.stopTraining) break;
    if (!Number.isFinite(loss)) {
      throw new Error(
        `fit: the loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1}; that batch changed no weight. ` +
          'The training has diverged: lower the learning rate, clip gradients (clipNorm), or scale the data; ' +
          'add ax.callbacks.terminateOnNaN() to stop quietly instead',
      );
    }
  }
  const epochLogs: Logs = { loss: seen > 0 ? lossSum / seen : Number.NaN };
  for (const m of metrics) epochLogs[m.key] = m.metric.result();
  if (c.validation !== null) {
    const val = testLoop(model, c.compiled, metrics, c.validation.x, c.validation.y, c.batchSize);
    for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
  }
  await callbacks.onEpochEnd(epoch, epochLogs);
  reporter?.onEpochEnd(epoch, epochLogs);
}
