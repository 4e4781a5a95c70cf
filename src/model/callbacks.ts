/**
 * The built-in callbacks, with Keras 2 semantics: earlyStopping, reduceLROnPlateau, terminateOnNaN.
 * (csvLogger writes files, so it lives in the Node entry, `axon-nn/node`.)
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, CallbackModel, Logs } from './callback-list.js';

/** 'min': lower is better (losses); 'max': higher is better (accuracy); 'auto': decided from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Whether a monitored quantity improves upward: accuracy, AUC, precision, recall (Keras's 'auto' rule). */
function resolveMode(where: string, monitor: string, mode: MonitorMode): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto')
    throw new Error(`${where}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  const name = monitor.replace(/^val_/, '').toLowerCase();
  return /(acc|accuracy|auc|precision|recall)$/.test(name) ? 'max' : 'min';
}

function checkNonNegative(where: string, key: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}: '${key}' must be a finite number ≥ 0, got ${String(value)}`);
  }
}

/** The monitored value, or undefined with a warning naming the available keys (as Keras warns). */
function monitored(where: string, monitor: string, logs: Logs): number | undefined {
  const v = logs[monitor];
  if (v === undefined) {
    console.warn(
      `${where}: the monitored quantity '${monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); ` +
        `did you mean '${monitor.startsWith('val_') ? 'loss' : `val_${monitor}`}', or forget validationSplit/validationData?`,
    );
  }
  return v;
}

/** Options of `callbacks.earlyStopping` (Keras `EarlyStopping`). */
export interface EarlyStoppingArgs {
  /** Quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change counted as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** Default 'auto'. */
  mode?: MonitorMode;
  /** Training must beat this value; epochs that don't count toward patience. */
  baseline?: number;
  /** On stopping, set the weights back to those of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Print a line when stopping. Default 0. */
  verbose?: number;
}

/**
 * Stops training when the monitored quantity stops improving (Keras 2 EarlyStopping).
 * @example
 * const stop = ax.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 200, validationSplit: 0.2, callbacks: [stop] });
 * stop.stoppedEpoch; stop.bestEpoch;
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly verbose: number;
  /** Epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** Epoch with the best monitored value so far. */
  bestEpoch = 0;
  /** Best monitored value so far. */
  best = Number.POSITIVE_INFINITY;
  /** Weights of the best epoch (only with restoreBestWeights). */
  bestWeights: Tensor[] | null = null;
  private wait = 0;
  private model: CallbackModel | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    const where = 'callbacks.earlyStopping';
    this.monitor = args.monitor ?? 'val_loss';
    this.mode = resolveMode(where, this.monitor, args.mode ?? 'auto');
    this.minDelta = Math.abs(args.minDelta ?? 0);
    checkNonNegative(where, 'minDelta', this.minDelta);
    this.patience = args.patience ?? 0;
    checkNonNegative(where, 'patience', this.patience);
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.verbose = args.verbose ?? 0;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  private isImprovement(value: number, reference: number): boolean {
    // An improvement must beat the reference by more than minDelta (Keras's _is_improvement).
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = monitored('earlyStopping', this.monitor, logs);
    if (current === undefined || this.model === null) return;
    // Keras: start from the first epoch's weights, so a run that never improves still restores something.
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = this.model.getWeights();
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model.getWeights();
      // Only restart the wait when both the baseline and the previous best are beaten.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights !== null) {
        if (this.verbose > 0)
          console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
        this.model.setWeights(this.bestWeights);
      }
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0)
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
  }
}

/** Options of `callbacks.reduceLROnPlateau` (Keras `ReduceLROnPlateau`). */
export interface ReduceLROnPlateauArgs {
  /** Quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** new rate = rate · factor (< 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** Default 'auto'. */
  mode?: MonitorMode;
  /** Smallest change counted as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before resuming normal operation. Default 0. */
  cooldown?: number;
  /** Lower bound of the rate. Default 0. */
  minLr?: number;
  /** Print a line on each reduction. Default 0. */
  verbose?: number;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when the monitored quantity has stopped improving
 * for `patience` epochs (Keras semantics; the rate is also logged as `lr`).
 * @example
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [ax.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 3 })] });
 */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  best = Number.POSITIVE_INFINITY;
  private wait = 0;
  private cooldownCounter = 0;
  private model: CallbackModel | null = null;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const where = 'callbacks.reduceLROnPlateau';
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1) || !(this.factor >= 0)) {
      throw new Error(
        `${where}: 'factor' must be in [0, 1) (the rate is multiplied by it), got ${String(args.factor)}`,
      );
    }
    this.patience = args.patience ?? 10;
    checkNonNegative(where, 'patience', this.patience);
    this.mode = resolveMode(where, this.monitor, args.mode ?? 'auto');
    this.minDelta = args.minDelta ?? 1e-4;
    checkNonNegative(where, 'minDelta', this.minDelta);
    this.cooldown = args.cooldown ?? 0;
    checkNonNegative(where, 'cooldown', this.cooldown);
    this.minLr = args.minLr ?? 0;
    checkNonNegative(where, 'minLr', this.minLr);
    this.verbose = args.verbose ?? 0;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer) return;
    logs.lr = optimizer.learningRate;
    const current = monitored('reduceLROnPlateau', this.monitor, logs);
    if (current === undefined) return;
    const inCooldown = this.cooldownCounter > 0;
    if (inCooldown) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const improved =
      this.mode === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
    if (improved) {
      this.best = current;
      this.wait = 0;
    } else if (!(this.cooldownCounter > 0)) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = optimizer.learningRate;
        // Compared in float32 as Keras does, so a rate already at minLr is left alone.
        if (Math.fround(old) > Math.fround(this.minLr)) {
          const next = Math.max(old * this.factor, this.minLr);
          optimizer.learningRate = next;
          if (this.verbose > 0) {
            console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
          }
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Options of `callbacks.terminateOnNaN`. */
export interface TerminateOnNaNArgs {
  /** Print a line when stopping (as Keras). Default 1. */
  verbose?: number;
}

/**
 * Stops training as soon as a batch's loss is NaN or ±Infinity.
 * @example await model.fit(x, y, { callbacks: [ax.callbacks.terminateOnNaN()] });
 */
export class TerminateOnNaN implements Callback {
  readonly verbose: number;
  /** The batch at which training was stopped, or null. */
  stoppedBatch: number | null = null;
  private model: CallbackModel | null = null;

  constructor(args: TerminateOnNaNArgs = {}) {
    this.verbose = args.verbose ?? 1;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss) && this.model !== null) {
      this.stoppedBatch = batch;
      if (this.verbose > 0) console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model.stopTraining = true;
    }
  }
}

/**
 * Factories of the built-in callbacks (`ax.callbacks.earlyStopping(...)`, as TF.js's `tf.callbacks`).
 * @example
 * const cbs = [ax.callbacks.earlyStopping({ patience: 3 }), ax.callbacks.terminateOnNaN()];
 */
export const callbacks = {
  /** @example ax.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true }) */
  earlyStopping: (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args),
  /** @example ax.callbacks.reduceLROnPlateau({ factor: 0.5, patience: 2 }) */
  reduceLROnPlateau: (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args),
  /** @example ax.callbacks.terminateOnNaN() */
  terminateOnNaN: (args: TerminateOnNaNArgs = {}): TerminateOnNaN => new TerminateOnNaN(args),
};
