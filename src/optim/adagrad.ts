/** Adagrad — TF.js `tf.train.adagrad` (and Keras `Adagrad`): per-weight rates from the sum of squared gradients. */
import type { DataArray } from '../tensor/precision.js';
import { BASE_OPTION_KEYS, BaseOptimizer, type OptimizerOptions } from './optimizer.js';
import { nonNegative, numberOption, readOptions } from './options.js';

/** Options of `optimizers.adagrad`. */
export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.01 (TF.js Layers' 'adagrad'; Keras 3 uses 0.001). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Starting value of the accumulator, default 0.1 (TF.js and Keras). */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** acc ← acc + g²; w ← w − lr·g / √(acc + ε), with acc starting at `initialAccumulatorValue`. * @example
 * const opt = ax.optimizers.adagrad({ learningRate: 0.01, initialAccumulatorValue: 0.1 });
 */
export class Adagrad extends BaseOptimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  protected readonly slotNames: readonly string[] = ['accumulator'];

  constructor(options: AdagradOptions = {}) {
    const where = 'optimizers.adagrad';
    const o = readOptions(where, options, [...BASE_OPTION_KEYS, 'initialAccumulatorValue', 'epsilon']);
    super('adagrad', o, 0.01, null);
    this.initialAccumulatorValue = numberOption(where, o, 'initialAccumulatorValue', 0.1, nonNegative);
    this.epsilon = numberOption(where, o, 'epsilon', 1e-7, nonNegative);
  }

  protected override initialSlotValue(): number {
    return this.initialAccumulatorValue;
  }

  protected update(w: DataArray, g: DataArray, slots: readonly DataArray[], lr: number): void {
    const acc = slots[0]!;
    const eps = this.epsilon;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const a = acc[i]! + gi * gi;
      acc[i] = a;
      w[i] = w[i]! - (lr * gi) / Math.sqrt(a + eps);
    }
  }

  protected ownConfig(): Record<string, number> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
