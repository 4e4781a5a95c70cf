/** Adam and Adamax — the TF.js `tf.train.adam` / `tf.train.adamax` update rules. */
import { kernels } from '../backend/registry.js';
import type { DataArray } from '../tensor/precision.js';
import { BASE_OPTION_KEYS, BaseOptimizer, type OptimizerOptions } from './optimizer.js';
import { nonNegative, numberOption, readOptions, unitHalfOpen } from './options.js';

/** Options of `optimizers.adam`. */
export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first moment, default 0.9. */
  beta1?: number;
  /** Decay of the second moment, default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * ε is added to the bias-corrected √v̂, as TF.js does (Keras adds it to the uncorrected √v).
 * @example
 * const opt = ax.optimizers.adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999 });
 */
export class Adam extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotNames: readonly string[] = ['m', 'v'];

  constructor(options: AdamOptions = {}) {
    const where = 'optimizers.adam';
    const o = readOptions(where, options, [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon']);
    super('adam', o, 0.001, null);
    this.beta1 = numberOption(where, o, 'beta1', 0.9, unitHalfOpen);
    this.beta2 = numberOption(where, o, 'beta2', 0.999, unitHalfOpen);
    this.epsilon = numberOption(where, o, 'epsilon', 1e-7, nonNegative);
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number, t: number): void {
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    // The backend's fused kernel runs exactly this update (tested bit for bit against it):
    // m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − lr·(m/c₁)/(√(v/c₂) + ε).
    kernels().adamUpdate(w, g, slots[0]!, slots[1]!, lr, b1, b2, eps, c1, c2);
  }

  protected ownConfig(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Options of `optimizers.adamax`. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Default 0.002. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** TF.js's time decay of the rate: lr / (1 + decay · (t − 1)). Default 0. */
  decay?: number;
}

/**
 * Adamax (Adam with the infinity norm): m ← β₁m + (1−β₁)g; u ← max(β₂u, |g|);
 * w ← w − lr/(1 + decay·(t−1)) / (1−β₁ᵗ) · m / (u + ε).
 * @example
 * const opt = ax.optimizers.adamax({ learningRate: 0.002 });
 */
export class Adamax extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly decay: number;
  protected readonly slotNames: readonly string[] = ['m', 'u'];

  constructor(options: AdamaxOptions = {}) {
    const where = 'optimizers.adamax';
    const o = readOptions(where, options, [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon', 'decay']);
    super('adamax', o, 0.002, null);
    this.beta1 = numberOption(where, o, 'beta1', 0.9, unitHalfOpen);
    this.beta2 = numberOption(where, o, 'beta2', 0.999, unitHalfOpen);
    this.epsilon = numberOption(where, o, 'epsilon', 1e-7, nonNegative);
    this.decay = numberOption(where, o, 'decay', 0, nonNegative);
  }

  /** TF.js's Adamax cannot set its state (its setWeights throws), so none is saved for it. */
  protected override stateLayout(): null {
    return null;
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number, t: number): void {
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const stepSize = lr / (1 + this.decay * (t - 1)) / (1 - b1 ** t);
    const m = slots[0]!;
    const u = slots[1]!;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const ui = Math.max(b2 * u[i]!, Math.abs(gi));
      m[i] = mi;
      u[i] = ui;
      w[i] = w[i]! - (stepSize * mi) / (ui + eps);
    }
  }

  protected ownConfig(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay: this.decay };
  }
}
