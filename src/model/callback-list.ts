/**
 * The callback protocol of `fit` (TF.js/Keras): hooks at train, epoch and batch boundaries receiving logs.
 * Hooks may be async; `fit` awaits them, so a callback can pause training (e.g. to draw a chart).
 */
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Values reported by training: `loss`, metrics, `val_*`, and for batches `batch` and `size`. */
export type Logs = Record<string, number>;

/** What a callback can reach of the model being trained. */
export interface CallbackModel {
  /** Set true to stop training after the current batch. */
  stopTraining: boolean;
  /** Copies of the weights, Keras order. */
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** The compiled optimizer (its `learningRate` is settable). */
  readonly optimizer: Optimizer | null;
}

/** The training parameters `fit` runs with (Keras's `callback.params`). */
export interface TrainParams {
  epochs: number;
  initialEpoch: number;
  /** Training samples (after the validation split); null when unknown (fitDataset). */
  samples: number | null;
  /** null when the batches come from a dataset. */
  batchSize: number | null;
  /** Batches per epoch; null when unknown (fitDataset without batchesPerEpoch). */
  steps: number | null;
  /** Validation samples (0 without validation; null for a validation dataset). */
  validationSamples: number | null;
  verbose: number;
  /** The keys epoch logs will hold: loss, metric names, and their val_ forms. */
  metrics: string[];
}

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/**
 * A training callback: any subset of the hooks. Plain objects work (`{ onEpochEnd: (epoch, logs) => ... }`);
 * `setModel` and `setParams`, when present, are called before `onTrainBegin`.
 * @example
 * await model.fit(x, y, { epochs: 5, callbacks: { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) } });
 */
export interface Callback {
  setModel?(model: CallbackModel): void;
  setParams?(params: TrainParams): void;
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
] as const;

/**
 * Validates the user's callbacks (one object or an array) and calls them in order.
 * @example
 * const list = new CallbackList([ax.callbacks.terminateOnNaN()]);
 */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: Callback | readonly Callback[] | undefined | null) {
    const list =
      callbacks === undefined || callbacks === null ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
    list.forEach((cb, i) => {
      if (typeof cb !== 'object' || cb === null) {
        throw new Error(
          `fit: callbacks[${i}] must be an object with hooks such as onEpochEnd, got ${cb === null ? 'null' : typeof cb}`,
        );
      }
      for (const hook of HOOKS) {
        const f = (cb as Record<string, unknown>)[hook];
        if (f !== undefined && typeof f !== 'function') {
          throw new Error(`fit: callbacks[${i}].${hook} must be a function, got ${typeof f}`);
        }
      }
    });
    this.callbacks = [...(list as Callback[])];
  }

  setModel(model: CallbackModel): void {
    for (const cb of this.callbacks) cb.setModel?.(model);
  }

  setParams(params: TrainParams): void {
    for (const cb of this.callbacks) cb.setParams?.(params);
  }

  async onTrainBegin(logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin?.(logs);
  }

  async onTrainEnd(logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd?.(logs);
  }

  async onEpochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochBegin?.(epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd?.(epoch, logs);
  }

  /**
   * Batch hooks run synchronously until one returns a promise; only then is there something to await
   * (undefined otherwise). A step of a small network takes microseconds: a microtask turn per hook
   * would be a fair part of it.
   */
  onBatchBegin(batch: number, logs: Logs): Promise<void> | undefined {
    return this.runBatchHook('onBatchBegin', 0, batch, logs);
  }

  onBatchEnd(batch: number, logs: Logs): Promise<void> | undefined {
    return this.runBatchHook('onBatchEnd', 0, batch, logs);
  }

  private runBatchHook(
    hook: 'onBatchBegin' | 'onBatchEnd',
    from: number,
    batch: number,
    logs: Logs,
  ): Promise<void> | undefined {
    const callbacks = this.callbacks;
    for (let i = from; i < callbacks.length; i++) {
      const r = callbacks[i][hook]?.(batch, logs);
      if (r !== undefined) {
        return Promise.resolve(r).then(() => this.runBatchHook(hook, i + 1, batch, logs));
      }
    }
    return undefined;
  }
}
