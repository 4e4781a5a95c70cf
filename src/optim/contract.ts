/**
 * The optimizer contract: what `compile`, `fit` and the model files need of an optimizer, and the
 * options every built-in one accepts. `BaseOptimizer` (optimizer.ts) implements it.
 */
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { LearningRate } from './schedules.js';

/** One tensor of an optimizer's state, as TF.js's `optimizer.getWeights()` lists them. */
export interface OptimizerStateEntry {
  /** 'iter', or `${weight name}/${slot}` (e.g. 'dense_1/kernel/m'). */
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/**
 * Updates weights from their gradients.
 * @example
 * const w = ax.variable(ax.tensor([1, 2]), true, 'w');
 * const opt = ax.optimizers.sgd({ learningRate: 0.1 });
 * opt.applyGradients([w], [ax.tensor([1, 1])]);
 * w.arraySync(); // [0.9, 1.9]
 */
export interface Optimizer {
  /** The registry name: 'sgd', 'rmsprop', 'adagrad', 'adam', 'adamax' or 'adamw'. */
  readonly name: string;
  /** The rate the next update uses (a schedule's value at the current step). Settable when not scheduled. */
  learningRate: number;
  /** Number of updates applied so far. */
  readonly iterations: number;
  /** One update, in place on each variable's buffer. */
  applyGradients(variables: readonly Variable[], grads: readonly Tensor[]): void;
  /** Hyperparameters, TF.js camelCase names. */
  getConfig(): Record<string, number | boolean | string | null>;
  /**
   * The state of training (the step count, moments, accumulators) in TF.js's layout, for saving; null
   * when it has none TF.js could read back.
   */
  getState?(variables: readonly Variable[]): OptimizerStateEntry[] | null;
  /** Restores state listed as `getState` lists it (also what TF.js saves with `includeOptimizer`). */
  setState?(variables: readonly Variable[], entries: readonly OptimizerStateEntry[], where: string): void;
}

/** Options every optimizer accepts (Keras `clipnorm`, `clipvalue`, `global_clipnorm`, `weight_decay`). */
export interface OptimizerOptions {
  /** A constant rate ≥ 0 or a schedule from `ax.schedules`. */
  learningRate?: LearningRate;
  /** Rescale each variable's gradient g to norm ≤ clipNorm: g · clipNorm / max(‖g‖, clipNorm). */
  clipNorm?: number;
  /** Clamp every gradient element to [−clipValue, clipValue]. */
  clipValue?: number;
  /** Rescale all gradients together so that their joint norm is ≤ globalClipNorm. */
  globalClipNorm?: number;
  /** Decoupled weight decay, applied before the update as Keras does: w ← w − lr · weightDecay · w. */
  weightDecay?: number;
}

/** Keys of `OptimizerOptions`, for option parsing. */
export const BASE_OPTION_KEYS = [
  'learningRate',
  'clipNorm',
  'clipValue',
  'globalClipNorm',
  'weightDecay',
] as const;
