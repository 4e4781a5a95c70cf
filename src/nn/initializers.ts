/**
 * Weight initializers, as TF.js 4.22 defines them (tfjs-layers/src/initializers.ts): the same defaults,
 * the same fan computation and the same VarianceScaling scales. Draws come from Axon's seeded generator
 * (the global one of ax.setSeed, or a private one when `seed` is given), so the statistics match TF.js, not
 * the individual numbers.
 */
import { eye, fill, randomNormal, randomUniform, truncatedNormal } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { canonicalIdentifier, resolveIdentifier } from './identifiers.js';

/** Makes a weight tensor of a given shape. */
export interface Initializer {
  /** Canonical camelCase name, e.g. 'glorotUniform'. */
  readonly name: string;
  /** A new tensor of `shape`. With a fixed `seed` every call returns the same values (as in TF.js). */
  generate(shape: readonly number[]): Tensor;
  /** The options that rebuild this initializer (TF.js's getConfig; `seed` is null when unset). */
  getConfig(): Record<string, number | string | null>;
}

/** VarianceScaling's fan mode: which fan divides the scale. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/**
 * VarianceScaling's distribution. 'normal' is TF.js's: a normal truncated at ±2σ with σ = √scale, so the
 * samples' standard deviation is ≈ 0.88·√scale. 'truncatedNormal' is Keras's: truncated at ±2σ with
 * σ = √scale / 0.8796, so the samples' standard deviation is √scale. 'untruncatedNormal': plain normal, σ = √scale.
 */
export type Distribution = 'normal' | 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Standard deviation of a standard normal truncated to [−2, 2] (Keras's correction constant). */
const TRUNCATED_STD = 0.8796256610342398;

const FAN_MODES: Readonly<Record<FanMode, FanMode>> = { fanIn: 'fanIn', fanOut: 'fanOut', fanAvg: 'fanAvg' };
const DISTRIBUTIONS: Readonly<Record<Distribution, Distribution>> = {
  normal: 'normal',
  truncatedNormal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  uniform: 'uniform',
};

/**
 * [fanIn, fanOut] of a weight shape, exactly as TF.js computes them: a 2-D kernel [in, out] gives [in, out];
 * a 3-to-5-D convolution kernel (channels last) multiplies both by the receptive field size; any other rank
 * (a bias, a scalar) gives √size for both.
 * @example ax.computeFans([784, 128]) // [784, 128]
 */
export function computeFans(shape: readonly number[]): [number, number] {
  const rank = shape.length;
  if (rank === 2) return [shape[0], shape[1]];
  if (rank >= 3 && rank <= 5) {
    let receptive = 1;
    for (let i = 0; i < rank - 2; i++) receptive *= shape[i];
    return [shape[rank - 2] * receptive, shape[rank - 1] * receptive];
  }
  let size = 1;
  for (let i = 0; i < rank; i++) size *= shape[i];
  return [Math.sqrt(size), Math.sqrt(size)];
}

function checkFinite(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where}: '${name}' must be a finite number, got ${String(value)}`);
  }
}

function checkStddev(where: string, stddev: number): void {
  checkFinite(where, 'stddev', stddev);
  if (stddev < 0) throw new Error(`${where}: 'stddev' must be ≥ 0, got ${stddev}`);
}

function make(
  name: string,
  config: Record<string, number | string | null>,
  generate: (shape: readonly number[]) => Tensor,
): Initializer {
  const frozen = Object.freeze({ ...config });
  return Object.freeze({ name, generate, getConfig: () => ({ ...frozen }) });
}

/** Options of the VarianceScaling family. */
export interface VarianceScalingOptions {
  /** Multiplier of the variance (> 0). Default 1. */
  scale?: number;
  /** 'fanIn' (default), 'fanOut' or 'fanAvg'; 'fan_in' etc. accepted. */
  mode?: FanMode | string;
  /** 'normal' (default, TF.js's truncated form), 'truncatedNormal', 'untruncatedNormal' or 'uniform'. */
  distribution?: Distribution | string;
  /** Private seed; without it draws come from the global generator (ax.setSeed). */
  seed?: number;
}

function varianceScalingAs(name: string, options: VarianceScalingOptions): Initializer {
  const where = `initializers.${name}`;
  const scale = options.scale ?? 1;
  checkFinite(where, 'scale', scale);
  if (scale <= 0) throw new Error(`${where}: 'scale' must be positive, got ${scale}`);
  const mode = resolveIdentifier(`${where} mode`, options.mode ?? 'fanIn', FAN_MODES);
  const distribution = resolveIdentifier(
    `${where} distribution`,
    options.distribution ?? 'normal',
    DISTRIBUTIONS,
  );
  const seed = options.seed;
  if (seed !== undefined) checkFinite(where, 'seed', seed);
  return make(name, { scale, mode, distribution, seed: seed ?? null }, (shape) => {
    const [fanIn, fanOut] = computeFans(shape);
    // Max(1, fan) as in TF.js: an empty or tiny fan must not blow the variance up.
    const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, fan);
    switch (distribution) {
      case 'normal':
        return truncatedNormal(shape, 0, Math.sqrt(variance), 'float32', seed);
      case 'truncatedNormal':
        return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STD, 'float32', seed);
      case 'untruncatedNormal':
        return randomNormal(shape, 0, Math.sqrt(variance), 'float32', seed);
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, -limit, limit, 'float32', seed);
      }
    }
  });
}

/** Options of initializers that only take a seed. */
export interface SeedOptions {
  /** Private seed; without it draws come from the global generator (ax.setSeed). */
  seed?: number;
}

/** Options of the normal initializers: N(mean, stddev²), default N(0, 0.05²). */
export interface NormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
}

/** randomNormal and truncatedNormal differ only in their sampler. */
function normalInitializer(
  name: 'randomNormal' | 'truncatedNormal',
  sample: typeof randomNormal,
  { mean = 0, stddev = 0.05, seed }: NormalOptions,
): Initializer {
  checkFinite(`initializers.${name}`, 'mean', mean);
  checkStddev(`initializers.${name}`, stddev);
  return make(name, { mean, stddev, seed: seed ?? null }, (shape) =>
    sample(shape, mean, stddev, 'float32', seed),
  );
}

/**
 * Factories for every initializer; each returns an {@link Initializer}.
 * @example
 * ax.setSeed(0);
 * const w = ax.initializers.glorotUniform().generate([2, 3]); // uniform in ±√(6/5)
 */
export const initializers = {
  /** All zeros (the default bias initializer). @example ax.initializers.zeros().generate([3]) */
  zeros: (): Initializer => make('zeros', {}, (shape) => fill(shape, 0)),
  /** All ones. @example ax.initializers.ones().generate([3]) */
  ones: (): Initializer => make('ones', {}, (shape) => fill(shape, 1)),
  /** Every entry `value` (default 0, as Keras). @example ax.initializers.constant({ value: 0.1 }) */
  constant: ({ value = 0 }: { value?: number } = {}): Initializer => {
    checkFinite('initializers.constant', 'value', value);
    return make('constant', { value }, (shape) => fill(shape, value));
  },
  /**
   * Uniform in [minval, maxval), default [−0.05, 0.05].
   * @example ax.initializers.randomUniform({ minval: -1, maxval: 1, seed: 7 })
   */
  randomUniform: ({
    minval = -0.05,
    maxval = 0.05,
    seed,
  }: {
    minval?: number;
    maxval?: number;
    seed?: number;
  } = {}): Initializer => {
    const where = 'initializers.randomUniform';
    checkFinite(where, 'minval', minval);
    checkFinite(where, 'maxval', maxval);
    if (minval > maxval)
      throw new Error(`${where}: 'minval' (${minval}) must not exceed 'maxval' (${maxval})`);
    return make('randomUniform', { minval, maxval, seed: seed ?? null }, (shape) =>
      randomUniform(shape, minval, maxval, 'float32', seed),
    );
  },
  /** Normal(mean, stddev), default N(0, 0.05²). @example ax.initializers.randomNormal({ stddev: 0.1 }) */
  randomNormal: (options: NormalOptions = {}): Initializer =>
    normalInitializer('randomNormal', randomNormal, options),
  /**
   * Normal(mean, stddev) redrawn outside mean ± 2·stddev (default stddev 0.05); as in TF.js and Keras the
   * samples' own standard deviation is then ≈ 0.88·stddev.
   * @example ax.initializers.truncatedNormal({ stddev: 0.1 })
   */
  truncatedNormal: (options: NormalOptions = {}): Initializer =>
    normalInitializer('truncatedNormal', truncatedNormal, options),
  /** gain·I for a square 2-D shape. @example ax.initializers.identity().generate([3, 3]) */
  identity: ({ gain = 1 }: { gain?: number } = {}): Initializer => {
    checkFinite('initializers.identity', 'gain', gain);
    return make('identity', { gain }, (shape) => {
      if (shape.length !== 2 || shape[0] !== shape[1]) {
        throw new Error(`initializers.identity: needs a square 2-D shape, got [${shape.join(', ')}]`);
      }
      const i = eye(shape[0]);
      if (gain !== 1) for (let k = 0; k < i.values.length; k++) i.values[k] *= gain;
      return i;
    });
  },
  /**
   * Uniform in ±√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010; the default kernel initializer).
   * @example ax.initializers.glorotUniform({ seed: 1 }).generate([784, 128])
   */
  glorotUniform: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('glorotUniform', { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed }),
  /** TF.js's truncated normal with σ = √(2 / (fanIn + fanOut)). @example ax.initializers.glorotNormal() */
  glorotNormal: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('glorotNormal', { scale: 1, mode: 'fanAvg', distribution: 'normal', seed }),
  /** Uniform in ±√(6 / fanIn) (He et al. 2015, for ReLU). @example ax.initializers.heUniform() */
  heUniform: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('heUniform', { scale: 2, mode: 'fanIn', distribution: 'uniform', seed }),
  /** TF.js's truncated normal with σ = √(2 / fanIn). @example ax.initializers.heNormal() */
  heNormal: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('heNormal', { scale: 2, mode: 'fanIn', distribution: 'normal', seed }),
  /** Uniform in ±√(3 / fanIn) (LeCun 1998, for SELU). @example ax.initializers.lecunUniform() */
  lecunUniform: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('lecunUniform', { scale: 1, mode: 'fanIn', distribution: 'uniform', seed }),
  /** TF.js's truncated normal with σ = √(1 / fanIn). @example ax.initializers.lecunNormal() */
  lecunNormal: ({ seed }: SeedOptions = {}): Initializer =>
    varianceScalingAs('lecunNormal', { scale: 1, mode: 'fanIn', distribution: 'normal', seed }),
  /**
   * variance = scale / max(1, fan) with fan = fanIn, fanOut or their mean; uniform draws use ±√(3·variance).
   * @example ax.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform' })
   */
  varianceScaling: (options: VarianceScalingOptions = {}): Initializer =>
    varianceScalingAs('varianceScaling', options),
} as const;

/** Names accepted by {@link getInitializer} (snake_case spellings too). */
export type InitializerName = keyof typeof initializers;

/** Keras's short aliases; TF.js's 'leCunNormal' spelling already folds onto 'lecunNormal'. */
const ALIASES: Readonly<Record<string, string>> = {
  zero: 'zeros',
  one: 'ones',
  uniform: 'randomUniform',
  normal: 'randomNormal',
};

function isInitializer(id: unknown): id is Initializer {
  return (
    typeof id === 'object' &&
    id !== null &&
    typeof (id as Initializer).generate === 'function' &&
    typeof (id as Initializer).name === 'string'
  );
}

/**
 * The initializer an id names, with default options: 'glorotUniform' / 'glorot_uniform', 'heNormal', 'zeros'...
 * An {@link Initializer} is returned as is. Unknown names throw, listing the valid ones.
 * @example ax.getInitializer('he_normal').generate([256, 128])
 */
export function getInitializer(id: string | Initializer): Initializer {
  if (isInitializer(id)) return id;
  if (typeof id !== 'string') {
    throw new Error(`initializer: expected a name or an Initializer object, got ${JSON.stringify(id)}`);
  }
  const name = canonicalIdentifier('initializer', id, initializers, ALIASES) as InitializerName;
  return initializers[name]();
}
