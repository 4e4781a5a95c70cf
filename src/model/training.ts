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
import { BatchTensors, fitWillPlan, plannedTrainStep } from './plan/hooks.js';
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
  // The planned path (fused kernels, no allocation) when it supports this model, loss and step.
  const planned = plannedTrainStep(model, compiled, x, y, sampleWeight);
  if (planned !== null) return planned;
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

/**
 * Loss (with penalties) and metrics accumulated batch by batch in inference mode, as size-weighted means:
 * the evaluation of `evaluate`, of fit's validation and of the dataset loops.
 */
export class TestAccumulator {
  private lossSum = 0;
  private seen = 0;
  private readonly weightPenalty: number;

  constructor(
    private readonly model: Sequential,
    private readonly compiled: CompiledState,
    private readonly metrics: readonly NamedMetric[],
  ) {
    for (const m of metrics) m.metric.reset();
    let penalty = 0;
    noGrad(() => {
      for (const p of model.regularizationLosses()) penalty += p.item();
    });
    this.weightPenalty = penalty;
  }

  /** Adds one batch. */
  add(xb: Tensor, yb: Tensor): void {
    noGrad(() => {
      const penalties: Tensor[] = [];
      const yPred = this.model.apply(xb, { training: false, losses: penalties });
      let batchLoss = reduceLoss(this.compiled.loss.perSample(yb, yPred)).item() + this.weightPenalty;
      for (const p of penalties) batchLoss += p.item();
      const size = xb.shape[0];
      this.lossSum += batchLoss * size;
      this.seen += size;
      for (const m of this.metrics) m.metric.update(yb, yPred);
    });
  }

  /** Rows added so far. */
  get samples(): number {
    return this.seen;
  }

  /** `{ loss, ...metrics }` over every batch added. */
  result(): Logs {
    const logs: Logs = { loss: this.seen > 0 ? this.lossSum / this.seen : Number.NaN };
    noGrad(() => {
      for (const m of this.metrics) logs[m.key] = m.metric.result();
    });
    return logs;
  }
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
  const acc = new TestAccumulator(model, compiled, metrics);
  const xs = new RowGatherer(x);
  const ys = new RowGatherer(y);
  for (const [start, end] of makeBatches(x.shape[0], batchSize))
    acc.add(xs.range(start, end), ys.range(start, end));
  return acc.result();
}

let lastMacrotask = Date.now();

/** A macrotask: setImmediate where there is one (Node: no 1 ms timer floor), else setTimeout 0. */
function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return new Promise<void>((resolve) => void immediate(resolve));
  return new Promise<void>((resolve) => void globalThis.setTimeout(resolve, 0));
}

/**
 * Lets other work run between epochs: always a microtask turn, and a macrotask when the last one is
 * more than 50 ms old, so that I/O, timers and a browser page's repaints and input are served without
 * slowing down short epochs.
 */
async function yieldToEventLoop(): Promise<void> {
  await Promise.resolve();
  const now = Date.now();
  if (now - lastMacrotask > 50 && typeof globalThis.setTimeout === 'function') {
    await nextMacrotask();
    lastMacrotask = Date.now();
  }
}

/** What every epoch of one training run shares (fit and fitDataset). */
export interface TrainingRun {
  /** Names the caller in errors: 'fit' or 'fitDataset'. */
  where: string;
  model: Sequential;
  compiled: CompiledState;
  metrics: readonly NamedMetric[];
  /** The user's callbacks followed by the History. */
  callbacks: CallbackList;
  reporter: ProgressReporter | null;
}

/** Running sums of an epoch: the size-weighted batch losses and the rows seen. */
export interface EpochTotals {
  lossSum: number;
  seen: number;
}

/**
 * The training loop around the epochs, shared by fit and fitDataset: History (last, as Keras: it records
 * what the other callbacks added, e.g. reduceLROnPlateau's lr), callbacks, progress, stopTraining, and a
 * turn of the event loop between epochs. `runEpoch` does one epoch; everything is validated before this.
 */
export async function trainingLoop(
  base: Omit<TrainingRun, 'callbacks' | 'reporter'>,
  params: TrainParams,
  userCallbacks: CallbackList,
  runEpoch: (run: TrainingRun, epoch: number) => Promise<void>,
): Promise<History> {
  const { model } = base;
  const history = new History();
  const callbacks = new CallbackList([...userCallbacks.callbacks, history]);
  const reporter = createProgressReporter(params.verbose);
  const run: TrainingRun = { ...base, callbacks, reporter };
  callbacks.setModel(model);
  callbacks.setParams(params);
  model.stopTraining = false;
  await callbacks.onTrainBegin({});
  reporter?.onTrainBegin(params);
  try {
    for (let epoch = params.initialEpoch; epoch < params.epochs; epoch++) {
      await runEpoch(run, epoch);
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

/** Starts an epoch: callbacks, progress, metric state. */
export async function beginEpoch(run: TrainingRun, epoch: number): Promise<EpochTotals> {
  await run.callbacks.onEpochBegin(epoch, {});
  run.reporter?.onEpochBegin(epoch);
  for (const m of run.metrics) m.metric.reset();
  return { lossSum: 0, seen: 0 };
}

/**
 * One training step on a batch with its callbacks; updates the running totals. Synchronous (returns
 * undefined) unless a batch hook returned a promise, so that callers await only when there is something
 * to wait for.
 */
export function trainBatch(
  run: TrainingRun,
  epoch: number,
  b: number,
  totals: EpochTotals,
  xb: Tensor,
  yb: Tensor,
  wb: Tensor | undefined,
): Promise<void> | undefined {
  const batchLogs: Logs = { batch: b, size: xb.shape[0] };
  const begun = run.callbacks.onBatchBegin(b, batchLogs);
  if (begun !== undefined) return begun.then(() => stepAndEnd(run, epoch, b, totals, xb, yb, wb, batchLogs));
  return stepAndEnd(run, epoch, b, totals, xb, yb, wb, batchLogs);
}

function stepAndEnd(
  run: TrainingRun,
  epoch: number,
  b: number,
  totals: EpochTotals,
  xb: Tensor,
  yb: Tensor,
  wb: Tensor | undefined,
  batchLogs: Logs,
): Promise<void> | undefined {
  const { model, metrics } = run;
  const size = xb.shape[0];
  const { loss, yPred } = trainStep(model, run.compiled, xb, yb, wb);
  totals.lossSum += loss * size;
  totals.seen += size;
  // Batch logs carry running means over the epoch so far, as Keras reports them.
  batchLogs.loss = totals.lossSum / totals.seen;
  noGrad(() => {
    for (const m of metrics) {
      m.metric.update(yb, yPred);
      batchLogs[m.key] = m.metric.result();
    }
  });
  const ended = run.callbacks.onBatchEnd(b, batchLogs);
  if (ended !== undefined) return ended.then(() => afterBatch(run, epoch, b, loss, batchLogs));
  afterBatch(run, epoch, b, loss, batchLogs);
  return undefined;
}

function afterBatch(run: TrainingRun, epoch: number, b: number, loss: number, batchLogs: Logs): void {
  run.reporter?.onBatchEnd(b, batchLogs);
  if (!run.model.stopTraining && !Number.isFinite(loss)) {
    throw new Error(
      `${run.where}: the loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1}; that batch changed no weight. ` +
        'The training has diverged: lower the learning rate, clip gradients (clipNorm), or scale the data; ' +
        'add ax.callbacks.terminateOnNaN() to stop quietly instead',
    );
  }
}

/**
 * Ends an epoch: the epoch logs (training means, then `val_*` from `validate`, which runs after the
 * training metrics are read because it reuses the metric objects), callbacks and progress.
 */
export async function endEpoch(
  run: TrainingRun,
  epoch: number,
  totals: EpochTotals,
  validate: (() => Logs | Promise<Logs>) | null,
): Promise<void> {
  const epochLogs: Logs = { loss: totals.seen > 0 ? totals.lossSum / totals.seen : Number.NaN };
  for (const m of run.metrics) epochLogs[m.key] = m.metric.result();
  if (validate !== null) {
    const val = await validate();
    for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
  }
  await run.callbacks.onEpochEnd(epoch, epochLogs);
  run.reporter?.onEpochEnd(epoch, epochLogs);
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
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Planned steps read each batch from a tensor reused per batch size: nothing allocated per step.
  const reuse = fitWillPlan(model, compiled, sampleWeight);
  const xs = reuse ? new BatchTensors(x) : new RowGatherer(x);
  const ys = reuse ? new BatchTensors(y) : new RowGatherer(y);
  const ws = sampleWeight === null ? null : new RowGatherer(sampleWeight);
  const validate =
    validation === null
      ? null
      : () => testLoop(model, compiled, metrics, validation.x, validation.y, batchSize);

  // One epoch: shuffle, one step per batch, epoch logs (with validation), callbacks.
  const runEpoch = async (run: TrainingRun, epoch: number): Promise<void> => {
    const totals = await beginEpoch(run, epoch);
    if (options.shuffle) getRandom().shuffle(order);
    for (let b = 0; b < batches.length; b++) {
      const [start, end] = batches[b];
      const wb = ws === null ? undefined : ws.gather(order, start, end);
      const pending = trainBatch(
        run,
        epoch,
        b,
        totals,
        xs.gather(order, start, end),
        ys.gather(order, start, end),
        wb,
      );
      if (pending !== undefined) await pending;
      if (model.stopTraining) break;
    }
    await endEpoch(run, epoch, totals, validate);
  };
  return trainingLoop({ where: 'fit', model, compiled, metrics }, params, options.callbacks, runEpoch);
}
