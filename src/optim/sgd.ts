/**
 * Stochastic gradient descent, with optional (Nesterov) momentum — Keras `SGD`, which for a constant
 * rate is the same update as TF.js `tf.train.sgd` / `tf.train.momentum`.
 */
import type { DataArray } from '../tensor/precision.js';
import { BASE_OPTION_KEYS, BaseOptimizer, type OptimizerOptions } from './optimizer.js';
import { booleanOption, numberOption, readOptions, unitClosed } from './options.js';

/** Options of `optimizers.sgd`. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01 (Keras and TF.js Layers' 'sgd'). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Velocity decay in [0, 1]; 0 (default) is plain gradient descent. */
  momentum?: number;
  /** Nesterov momentum (TF.js calls it `useNesterov`). */
  nesterov?: boolean;
}

/**
 * w ← w − lr·g; with momentum, v ← μ·v − lr·g, then w ← w + v (or w ← w + μ·v − lr·g with Nesterov).
 * Keeping the rate inside the velocity (Keras's form) matters only when the rate changes over time: for
 * a constant rate it equals TF.js's accumulator form a ← μ·a + g, w ← w − lr·a (v = −lr·a).
 * @example
 * const opt = ax.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends BaseOptimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly slotNames: readonly string[];

  constructor(options: SGDOptions = {}) {
    const where = 'optimizers.sgd';
    const o = readOptions(where, options, [...BASE_OPTION_KEYS, 'momentum', 'nesterov'], {
      useNesterov: 'nesterov',
    });
    super('sgd', o, 0.01, null);
    this.momentum = numberOption(where, o, 'momentum', 0, unitClosed);
    this.nesterov = booleanOption(where, o, 'nesterov', false);
    // Plain SGD keeps no state; the velocity buffer exists only when it is used.
    this.slotNames = this.momentum === 0 ? [] : ['momentum'];
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number): void {
    const n = w.length;
    if (this.momentum === 0) {
      for (let i = 0; i < n; i++) w[i] = w[i]! - lr * g[i]!;
      return;
    }
    const mu = this.momentum;
    const v = slots[0]!;
    if (this.nesterov) {
      for (let i = 0; i < n; i++) {
        const step = -lr * g[i]!;
        const vi = mu * v[i]! + step;
        v[i] = vi;
        w[i] = w[i]! + mu * vi + step;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const vi = mu * v[i]! - lr * g[i]!;
        v[i] = vi;
        w[i] = w[i]! + vi;
      }
    }
  }

  /**
   * TF.js's Momentum keeps a ← μa + g and steps w ← w − lr·a; Axon (Keras) keeps v = −lr·a. The state
   * is saved in TF.js's units at the current rate.
   */
  protected override stateScale(slot: string): number {
    return slot === 'momentum' ? -1 / this.learningRate : 1;
  }

  protected ownConfig(): Record<string, number | boolean> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
