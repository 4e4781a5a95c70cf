/**
 * The optimizer registry: `ax.optimizers.*` factories and `getOptimizer` for string identifiers.
 * A string id gives the defaults TF.js Layers uses for that string (so `compile({ optimizer: 'adam' })`
 * trains as in TF.js); the factories have the same defaults.
 */
import { canonicalIdentifier } from '../nn/identifiers.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, Adamax, type AdamaxOptions, type AdamOptions } from './adam.js';
import { AdamW, type AdamWOptions } from './adamw.js';
import { BaseOptimizer, type Optimizer } from './optimizer.js';
import { describe } from './options.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

export type { AdagradOptions } from './adagrad.js';
export type { AdamaxOptions, AdamOptions } from './adam.js';
export type { AdamWOptions } from './adamw.js';
export { BaseOptimizer, type Optimizer, type OptimizerOptions } from './optimizer.js';
export type { RMSpropOptions } from './rmsprop.js';
export {
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type LearningRate,
  type LearningRateSchedule,
  type PiecewiseConstantOptions,
  type StepDecayOptions,
  schedules,
} from './schedules.js';
export type { SGDOptions } from './sgd.js';

/**
 * Optimizer factories. Defaults: sgd lr 0.01; rmsprop lr 0.001, rho 0.9; adagrad lr 0.01, initial
 * accumulator 0.1; adam lr 0.001, β 0.9/0.999; adamax lr 0.002; adamw lr 0.001, weightDecay 0.004;
 * epsilon 1e-7 everywhere. All accept clipNorm, clipValue, globalClipNorm, weightDecay, and a schedule
 * as learningRate; Keras snake_case option names (learning_rate, beta_1, clipnorm) are accepted too.
 * @example
 * const opt = ax.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * model.compile({ optimizer: ax.optimizers.adam({ learningRate: 1e-3, clipNorm: 1 }), loss: 'mse' });
 */
export const optimizers = {
  /** Gradient descent, optionally with (Nesterov) momentum. @example ax.optimizers.sgd({ learningRate: 0.1 }) */
  sgd: (options?: SGDOptions): Optimizer => new SGD(options),
  /** RMSprop. @example ax.optimizers.rmsprop({ learningRate: 0.001, rho: 0.9 }) */
  rmsprop: (options?: RMSpropOptions): Optimizer => new RMSprop(options),
  /** Adagrad. @example ax.optimizers.adagrad({ learningRate: 0.01 }) */
  adagrad: (options?: AdagradOptions): Optimizer => new Adagrad(options),
  /** Adam. @example ax.optimizers.adam({ learningRate: 0.001 }) */
  adam: (options?: AdamOptions): Optimizer => new Adam(options),
  /** Adamax. @example ax.optimizers.adamax({ learningRate: 0.002 }) */
  adamax: (options?: AdamaxOptions): Optimizer => new Adamax(options),
  /** AdamW (Keras 3). @example ax.optimizers.adamw({ learningRate: 0.001, weightDecay: 0.004 }) */
  adamw: (options?: AdamWOptions): Optimizer => new AdamW(options),
};

/** Registry names, for error messages. */
const NAMES = Object.keys(optimizers) as (keyof typeof optimizers)[];

/**
 * An optimizer from a string id (any case; '_', '-' and spaces ignored: 'adam', 'Adam', 'RMSProp', 'adam_w')
 * with its defaults, or the given optimizer object unchanged. Unknown names throw, listing the valid ones.
 * @example
 * const opt = ax.getOptimizer('rmsprop'); // learningRate 0.001, rho 0.9
 */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (typeof id === 'string') {
    const name = canonicalIdentifier('optimizer', id, optimizers) as keyof typeof optimizers;
    return optimizers[name]();
  }
  if (id instanceof BaseOptimizer) return id;
  if (id !== null && typeof id === 'object' && typeof (id as Optimizer).applyGradients === 'function')
    return id;
  throw new Error(
    `getOptimizer: expected an optimizer name (${NAMES.join(', ')}) or an optimizer object, got ${describe(id)}`,
  );
}
