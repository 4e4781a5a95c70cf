/**
 * Learning-rate schedules: functions of the optimizer's step, as in Keras (`keras.optimizers.schedules`).
 * An optimizer built with a schedule evaluates it at its iteration count, which is 0 for the first update
 * (Keras: `learning_rate(self.iterations)` before `iterations += 1`).
 */
import {
  booleanOption,
  checkNumber,
  describe,
  nonNegative,
  numberOption,
  positive,
  readOptions,
  requiredNumber,
  unitClosed,
} from './options.js';

/**
 * A learning rate as a function of the optimizer step (0 for the first update), with its settings.
 * `config.className` is the Keras class name (`ExponentialDecay`, `PiecewiseConstantDecay`, `CosineDecay`).
 */
export interface LearningRateSchedule {
  (step: number): number;
  readonly config: Readonly<Record<string, number | boolean | string>>;
}

/** A constant rate or a schedule. */
export type LearningRate = number | LearningRateSchedule;

function makeSchedule(
  rate: (step: number) => number,
  config: Record<string, number | boolean | string>,
): LearningRateSchedule {
  return Object.assign(rate, { config: Object.freeze(config) });
}

/** Options of `schedules.exponentialDecay`. */
export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate`. */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole multiples of `decaySteps` (⌊step / decaySteps⌋) instead of continuously. */
  staircase?: boolean;
}

/**
 * lr(step) = initialLearningRate · decayRate^(step / decaySteps), the exponent floored when `staircase`.
 * @example
 * const lr = ax.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr(100); // 0.05
 * const opt = ax.optimizers.sgd({ learningRate: lr });
 */
function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const where = 'schedules.exponentialDecay';
  const o = readOptions(where, options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
  const initial = requiredNumber(where, o, 'initialLearningRate', nonNegative);
  const decaySteps = requiredNumber(where, o, 'decaySteps', positive);
  const decayRate = requiredNumber(where, o, 'decayRate', positive);
  const staircase = booleanOption(where, o, 'staircase', false);
  return makeSchedule(
    (step) => {
      const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
      return initial * decayRate ** p;
    },
    { className: 'ExponentialDecay', initialLearningRate: initial, decaySteps, decayRate, staircase },
  );
}

/** Options of `schedules.stepDecay`. */
export interface StepDecayOptions {
  initialLearningRate: number;
  /** The rate is multiplied by `decayRate` every `decaySteps` steps. */
  decaySteps: number;
  decayRate: number;
}

/**
 * Step decay: lr(step) = initialLearningRate · decayRate^⌊step / decaySteps⌋ — `exponentialDecay` with
 * `staircase: true` (its config says so, for Keras).
 * @example
 * const lr = ax.schedules.stepDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
 * lr(9);  // 0.1
 * lr(10); // 0.05
 */
function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const where = 'schedules.stepDecay';
  const o = readOptions(where, options, ['initialLearningRate', 'decaySteps', 'decayRate']);
  return exponentialDecay({
    initialLearningRate: requiredNumber(where, o, 'initialLearningRate', nonNegative),
    decaySteps: requiredNumber(where, o, 'decaySteps', positive),
    decayRate: requiredNumber(where, o, 'decayRate', positive),
    staircase: true,
  });
}

/** Options of `schedules.piecewiseConstant`. */
export interface PiecewiseConstantOptions {
  /** Strictly increasing step boundaries. */
  boundaries: readonly number[];
  /** One more value than boundaries. */
  values: readonly number[];
}

/**
 * Keras `PiecewiseConstantDecay`: values[0] while step ≤ boundaries[0], values[1] while
 * boundaries[0] < step ≤ boundaries[1], …, values[n] once step > boundaries[n−1].
 * @example
 * const lr = ax.schedules.piecewiseConstant({ boundaries: [100, 200], values: [0.1, 0.01, 0.001] });
 * lr(100); // 0.1
 * lr(101); // 0.01
 */
function piecewiseConstant(options: PiecewiseConstantOptions): LearningRateSchedule {
  const where = 'schedules.piecewiseConstant';
  const o = readOptions(where, options, ['boundaries', 'values']);
  const boundaries = numberList(where, 'boundaries', o.get('boundaries'));
  const values = numberList(where, 'values', o.get('values'));
  if (values.length !== boundaries.length + 1) {
    throw new Error(
      `${where}: values needs one more entry than boundaries; got ${boundaries.length} boundaries and ${values.length} values`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i]! > boundaries[i - 1]!)) {
      throw new Error(`${where}: boundaries must be strictly increasing, got [${boundaries.join(', ')}]`);
    }
  }
  for (let i = 0; i < values.length; i++) checkNumber(where, `values[${i}]`, values[i], nonNegative);
  return makeSchedule(
    (step) => {
      let i = 0;
      while (i < boundaries.length && step > boundaries[i]!) i++;
      return values[i]!;
    },
    {
      className: 'PiecewiseConstantDecay',
      boundaries: JSON.stringify(boundaries),
      values: JSON.stringify(values),
    },
  );
}

function numberList(where: string, key: string, value: unknown): number[] {
  if (!Array.isArray(value))
    throw new Error(`${where}: ${key} must be an array of numbers, got ${describe(value)}`);
  return value.map((v: unknown, i) =>
    checkNumber(where, `${key}[${i}]`, v, { test: () => true, expected: 'a number' }),
  );
}

/** Options of `schedules.cosineDecay`. */
export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps over which the rate falls (after the warm-up, if any). */
  decaySteps: number;
  /** The final rate as a fraction of the starting one (default 0). */
  alpha?: number;
  /** With `warmupSteps`: rise linearly from `initialLearningRate` to this rate, then decay from it. */
  warmupTarget?: number;
  warmupSteps?: number;
}

/**
 * Keras `CosineDecay`: lr(step) = lr₀ · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha).
 * With `warmupTarget`, the first `warmupSteps` steps rise linearly from `initialLearningRate` to
 * `warmupTarget`, and the cosine then starts from `warmupTarget`.
 * @example
 * const lr = ax.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
 * lr(0);    // 0.1
 * lr(1000); // 0.01
 */
function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const where = 'schedules.cosineDecay';
  const o = readOptions(where, options, [
    'initialLearningRate',
    'decaySteps',
    'alpha',
    'warmupTarget',
    'warmupSteps',
  ]);
  const initial = requiredNumber(where, o, 'initialLearningRate', nonNegative);
  const decaySteps = requiredNumber(where, o, 'decaySteps', positive);
  const alpha = numberOption(where, o, 'alpha', 0, unitClosed);
  const target =
    o.get('warmupTarget') == null
      ? null
      : checkNumber(where, 'warmupTarget', o.get('warmupTarget'), nonNegative);
  const warmupSteps = numberOption(where, o, 'warmupSteps', 0, nonNegative);
  if (target !== null) checkNumber(where, 'warmupSteps (with warmupTarget)', warmupSteps, positive);
  const decay = (step: number, from: number): number =>
    from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, decaySteps)) / decaySteps)) + alpha);
  const config: Record<string, number | boolean | string> = {
    className: 'CosineDecay',
    initialLearningRate: initial,
    decaySteps,
    alpha,
  };
  if (target === null) return makeSchedule((step) => decay(step, initial), config);
  config.warmupTarget = target;
  config.warmupSteps = warmupSteps;
  return makeSchedule(
    (step) =>
      step < warmupSteps
        ? initial + ((target - initial) * step) / warmupSteps
        : decay(step - warmupSteps, target),
    config,
  );
}

/**
 * Learning-rate schedules (Keras semantics). Pass one as any optimizer's `learningRate`.
 * @example
 * const opt = ax.optimizers.adam({
 *   learningRate: ax.schedules.cosineDecay({ initialLearningRate: 1e-3, decaySteps: 5000 }),
 * });
 */
export const schedules = { exponentialDecay, stepDecay, piecewiseConstant, cosineDecay };
