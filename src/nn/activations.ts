/**
 * Activation functions by name, as layers take them (`activation: 'relu'`). Each one is the engine's op, so
 * it is recorded for autodiff with the op's own backward rule. Semantics follow TF.js 4.22
 * (tfjs-layers/src/activations.ts); where TF.js has no string id (leakyRelu, sign, step), Keras's is used.
 */
import {
  add,
  elu,
  gelu,
  hardSigmoid,
  leakyRelu,
  logSoftmax,
  minimum,
  mul,
  relu,
  selu,
  sigmoid,
  softmax,
  softplus,
  softsign,
  square,
  step,
  sub,
  swish,
  tanh,
} from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveIdentifier } from './identifiers.js';

/** A named elementwise (or, for softmax, last-axis) function applied to a layer's pre-activation z. */
export interface Activation {
  /** Canonical camelCase name, e.g. 'leakyRelu'. */
  readonly name: string;
  /** False for sign and step: their derivative is 0 almost everywhere, so gradient training cannot use them. */
  readonly differentiable: boolean;
  /** a = f(z), recorded for autodiff. */
  apply(x: Tensor): Tensor;
}

function define(name: string, apply: (x: Tensor) => Tensor, differentiable = true): Activation {
  return Object.freeze({ name, differentiable, apply });
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const LINEAR = define('linear', (x) => x);

/**
 * Factories for every activation; each returns an {@link Activation}. Parameterized ones take an options
 * object (TF.js style), the others none.
 * @example
 * const f = ax.activations.leakyRelu({ alpha: 0.1 });
 * f.apply(ax.tensor([-1, 2])); // [-0.1, 2]
 */
export const activations = {
  /** f(x) = x. The default when a layer is given no activation. @example ax.activations.linear() */
  linear: (): Activation => LINEAR,
  /** σ(x) = 1 / (1 + e⁻ˣ). @example ax.activations.sigmoid().apply(ax.tensor([0])) // [0.5] */
  sigmoid: (): Activation => define('sigmoid', sigmoid),
  /** tanh(x). @example ax.activations.tanh() */
  tanh: (): Activation => define('tanh', tanh),
  /** max(x, 0). @example ax.activations.relu().apply(ax.tensor([-1, 2])) // [0, 2] */
  relu: (): Activation => define('relu', relu),
  /**
   * min(max(x, 0), 6). Written min(6, relu(x)) as TF.js does, so at x = 6 the gradient is 0 like TF.js's.
   * @example ax.activations.relu6().apply(ax.tensor([-1, 3, 9])) // [0, 3, 6]
   */
  relu6: (): Activation => define('relu6', (x) => minimum(6, relu(x))),
  /**
   * x for x > 0, else αx. α = 0.2 by default, as tf.leakyRelu and Keras's 'leaky_relu' (the LeakyReLU
   * *layer* of TF.js defaults to 0.3; this is the activation).
   * @example ax.activations.leakyRelu({ alpha: 0.1 }).apply(ax.tensor([-1])) // [-0.1]
   */
  leakyRelu: ({ alpha = 0.2 }: { alpha?: number } = {}): Activation =>
    define('leakyRelu', (x) => leakyRelu(x, alpha)),
  /** x for x > 0, else α(eˣ − 1), α = 1 by default. @example ax.activations.elu() */
  elu: ({ alpha = 1 }: { alpha?: number } = {}): Activation => define('elu', (x) => elu(x, alpha)),
  /**
   * scale·elu(x, α) with the self-normalizing constants α = 1.6732632423543772, scale = 1.0507009873554805.
   * @example ax.activations.selu()
   */
  selu: (): Activation => define('selu', selu),
  /** log(1 + eˣ). @example ax.activations.softplus() */
  softplus: (): Activation => define('softplus', softplus),
  /** x / (1 + |x|). @example ax.activations.softsign() */
  softsign: (): Activation => define('softsign', softsign),
  /** exp(xᵢ) / Σⱼ exp(xⱼ) over the last axis. @example ax.activations.softmax().apply(ax.tensor([[1, 1]])) // [[0.5, 0.5]] */
  softmax: (): Activation => define('softmax', (x) => softmax(x, -1)),
  /** log softmax over the last axis (TF.js registers it as an activation). @example ax.activations.logSoftmax() */
  logSoftmax: (): Activation => define('logSoftmax', (x) => logSoftmax(x, -1)),
  /**
   * x·Φ(x) = ½x(1 + erf(x/√2)), the exact form: TF.js's 'gelu' and Keras's default (approximate=False).
   * @example ax.activations.gelu()
   */
  gelu: (): Activation => define('gelu', gelu),
  /**
   * The tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))): TF.js's 'gelu_new', Keras's
   * gelu(approximate=True).
   * @example ax.activations.geluNew()
   */
  geluNew: (): Activation =>
    define('geluNew', (x) =>
      mul(mul(0.5, x), add(1, tanh(mul(SQRT_2_OVER_PI, add(x, mul(0.044715, mul(x, square(x)))))))),
    ),
  /** x·tanh(softplus(x)). @example ax.activations.mish() */
  mish: (): Activation => define('mish', (x) => mul(x, tanh(softplus(x)))),
  /** x·σ(x) (SiLU). @example ax.activations.swish() */
  swish: (): Activation => define('swish', swish),
  /** clip(0.2x + 0.5, 0, 1), as TF.js and tf.keras 2. @example ax.activations.hardSigmoid() */
  hardSigmoid: (): Activation => define('hardSigmoid', hardSigmoid),
  /**
   * A ±1 threshold unit for layers: 1 for x ≥ 0, else −1 (sign(0) = 1, matching step(0) = 1; ax.sign,
   * the math op, gives 0 there). `ax.Perceptron` follows the course notes instead and predicts −1 when
   * w·x + b is exactly 0. Not differentiable.
   * @example ax.activations.sign().apply(ax.tensor([-2, 0, 3])) // [-1, 1, 1]
   */
  sign: (): Activation => define('sign', (x) => sub(mul(step(x), 2), 1), false),
  /**
   * Heaviside step: 1 for x ≥ 0, else 0. Not differentiable (its recorded gradient is 0).
   * @example ax.activations.step().apply(ax.tensor([-2, 0, 3])) // [0, 1, 1]
   */
  step: (): Activation => define('step', step, false),
} as const;

/** Names accepted by {@link getActivation}, camelCase (snake_case spellings are accepted too). */
export type ActivationName = keyof typeof activations;

const DEFAULTS: Readonly<Record<ActivationName, Activation>> = Object.freeze(
  Object.fromEntries(Object.entries(activations).map(([k, make]) => [k, make()])) as Record<
    ActivationName,
    Activation
  >,
);

/** Other spellings Keras uses for the same functions. */
const ALIASES: Readonly<Record<string, string>> = { silu: 'swish', geluApproximate: 'geluNew' };

/**
 * Every activation name, canonical camelCase, e.g. for a menu.
 * @example ax.activationNames.includes('relu') // true
 */
export const activationNames: readonly ActivationName[] = Object.freeze(
  Object.keys(DEFAULTS) as ActivationName[],
);

function isActivation(id: unknown): id is Activation {
  return (
    typeof id === 'object' &&
    id !== null &&
    typeof (id as Activation).apply === 'function' &&
    typeof (id as Activation).name === 'string'
  );
}

/**
 * The activation an id names: a camelCase or snake_case string ('leakyRelu', 'leaky_relu', 'hard_sigmoid'),
 * an {@link Activation} (returned as is), or nothing (→ linear). Unknown names throw, listing the valid ones.
 * @example
 * ax.getActivation('relu').apply(ax.tensor([-1, 2])); // [0, 2]
 * ax.getActivation(undefined).name; // 'linear'
 */
export function getActivation(id?: string | Activation | null): Activation {
  if (id === undefined || id === null) return LINEAR;
  if (isActivation(id)) return id;
  if (typeof id !== 'string') {
    throw new Error(`activation: expected a name or an Activation object, got ${JSON.stringify(id)}`);
  }
  return resolveIdentifier('activation', id, DEFAULTS, ALIASES);
}
