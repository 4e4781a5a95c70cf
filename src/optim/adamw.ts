/** AdamW — Keras 3 `AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter). TF.js has no AdamW. */
import type { DataArray } from '../tensor/precision.js';
import { BASE_OPTION_KEYS, BaseOptimizer, type OptimizerOptions } from './optimizer.js';
import { nonNegative, numberOption, readOptions, unitHalfOpen } from './options.js';

/** Options of `optimizers.adamw`. */
export interface AdamWOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Default 0.004 (Keras 3). */
  weightDecay?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * Exactly Keras 3's AdamW step: first the decoupled decay w ← w − lr·weightDecay·w (done by the base
 * class, on every variable, biases included, as Keras does by default), then Keras's Adam:
 * m ← m + (g − m)(1−β₁); v ← v + (g² − v)(1−β₂); w ← w − α·m / (√v + ε) with α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
 * Note ε sits on the uncorrected √v here (Keras), whereas `adam` follows TF.js (ε on √v̂); the two differ
 * only by ε's effective size.
 * @example
 * const opt = ax.optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.004 });
 */
export class AdamW extends BaseOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected readonly slotNames: readonly string[] = ['m', 'v'];

  constructor(options: AdamWOptions = {}) {
    const where = 'optimizers.adamw';
    const o = readOptions(where, options, [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon']);
    super('adamw', o, 0.001, 0.004);
    this.beta1 = numberOption(where, o, 'beta1', 0.9, unitHalfOpen);
    this.beta2 = numberOption(where, o, 'beta2', 0.999, unitHalfOpen);
    this.epsilon = numberOption(where, o, 'epsilon', 1e-7, nonNegative);
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number, t: number): void {
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.epsilon;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    const m = slots[0]!;
    const v = slots[1]!;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = m[i]! + (gi - m[i]!) * (1 - b1);
      const vi = v[i]! + (gi * gi - v[i]!) * (1 - b2);
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i]! - (alpha * mi) / (Math.sqrt(vi) + eps);
    }
  }

  protected ownConfig(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
