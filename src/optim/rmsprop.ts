/**
 * RMSprop — TF.js `tf.train.rmsprop` (and Keras `RMSprop`): divide the gradient by a running RMS of
 * recent gradients, optionally centered and with momentum.
 */
import type { DataArray } from '../tensor/precision.js';
import { BASE_OPTION_KEYS, BaseOptimizer, type OptimizerOptions } from './optimizer.js';
import {
  booleanOption,
  nonNegative,
  numberOption,
  readOptions,
  unitClosed,
  unitHalfOpen,
} from './options.js';

/** Options of `optimizers.rmsprop`. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001 (Keras and TF.js Layers' 'rmsprop'). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the mean square, default 0.9 (TF.js calls it `decay`). */
  rho?: number;
  /** Momentum in [0, 1], default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalise by the estimated variance (mean square − squared mean) instead of the mean square. */
  centered?: boolean;
}

/**
 * ms ← ρ·ms + (1−ρ)·g²; (centered: mg ← ρ·mg + (1−ρ)·g); Δ = lr·g / √(ms [− mg²] + ε);
 * mom ← μ·mom + Δ; w ← w − mom (w ← w − Δ without momentum).
 * The centered denominator is Keras's √(ms − mg² + ε). TF.js 4.22 computes √(ms − mg² − ε) (a sign slip
 * that yields NaN once the variance falls below ε); the two agree to ~ε/(ms − mg²) otherwise.
 * @example
 * const opt = ax.optimizers.rmsprop({ learningRate: 0.001, rho: 0.9, centered: true });
 */
export class RMSprop extends BaseOptimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  protected readonly slotNames: readonly string[];

  constructor(options: RMSpropOptions = {}) {
    const where = 'optimizers.rmsprop';
    const keys = [...BASE_OPTION_KEYS, 'rho', 'momentum', 'epsilon', 'centered'];
    const o = readOptions(where, options, keys, { decay: 'rho' });
    super('rmsprop', o, 0.001, null);
    this.rho = numberOption(where, o, 'rho', 0.9, unitHalfOpen);
    this.momentum = numberOption(where, o, 'momentum', 0, unitClosed);
    this.epsilon = numberOption(where, o, 'epsilon', 1e-7, nonNegative);
    this.centered = booleanOption(where, o, 'centered', false);
    const names = ['rms'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('mg');
    this.slotNames = names;
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number): void {
    const n = w.length;
    const rho = this.rho;
    const eps = this.epsilon;
    const ms = slots[0]!;
    const mom = this.momentum > 0 ? slots[1]! : null;
    const mg = this.centered ? slots[slots.length - 1]! : null;
    const mu = this.momentum;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const msi = rho * ms[i]! + (1 - rho) * gi * gi;
      ms[i] = msi;
      let denominator = msi + eps;
      if (mg !== null) {
        const mgi = rho * mg[i]! + (1 - rho) * gi;
        mg[i] = mgi;
        denominator -= mgi * mgi;
      }
      const delta = (lr * gi) / Math.sqrt(denominator);
      if (mom !== null) {
        const mi = mu * mom[i]! + delta;
        mom[i] = mi;
        w[i] = w[i]! - mi;
      } else {
        w[i] = w[i]! - delta;
      }
    }
  }

  /** TF.js's RMSProp always keeps the momentum accumulator (and 'mg' when centered). */
  protected override stateLayout(): readonly string[] {
    return this.centered ? ['rms', 'momentum', 'mg'] : ['rms', 'momentum'];
  }

  protected ownConfig(): Record<string, number | boolean> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
