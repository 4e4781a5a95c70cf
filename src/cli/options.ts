/**
 * Parsers of option values for commander: each returns the typed value or throws commander's
 * InvalidArgumentError, which commander reports as one line ("option '--lr <rate>' argument 'x' is
 * invalid. …") with exit code 1.
 */
import { InvalidArgumentError } from 'commander';
import * as ax from '../node.js';

/** A whole number ≥ 1. @example positiveInteger('32') // 32 */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number ≥ 1.');
  }
  return n;
}

/** A number > 0. @example positiveNumber('1e-3') // 0.001 */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('expected a number > 0.');
  }
  return n;
}

/** A number ≥ 0. @example nonNegativeNumber('0.1') // 0.1 */
export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('expected a number ≥ 0.');
  }
  return n;
}

/** A fraction in [0, 1): 0 turns the split off. @example fraction('0.2') // 0.2 */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) {
    throw new InvalidArgumentError('expected a fraction in [0, 1), such as 0.2.');
  }
  return n;
}

/** A seed: a whole number in 0 … 2³² − 1. @example seed('42') // 42 */
export function seed(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n > 0xffffffff) {
    throw new InvalidArgumentError('expected a whole number in 0 … 4294967295.');
  }
  return n;
}

/**
 * Hidden layer widths, comma-separated ('256,128'); 'none' or '' for no hidden layer (a linear or
 * logistic model).
 * @example layerSizes('256,128') // [256, 128]
 */
export function layerSizes(value: string): number[] {
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'none') return [];
  const parts = text.split(',').map((p) => p.trim());
  const sizes = parts.map(Number);
  if (parts.some((p, i) => !/^\d+$/.test(p) || sizes[i] < 1 || sizes[i] > 1_000_000)) {
    throw new InvalidArgumentError("expected comma-separated layer widths ≥ 1, such as 256,128 (or 'none').");
  }
  return sizes;
}

/**
 * A hidden-layer activation, canonical name; sign/step are refused (no useful gradient).
 * @example activation('leaky_relu') // 'leakyRelu'
 */
export function activation(value: string): string {
  let name: string;
  try {
    name = ax.getActivation(value).name;
  } catch {
    throw new InvalidArgumentError(`expected one of ${trainableActivations().join(', ')}.`);
  }
  if (!ax.getActivation(name).differentiable) {
    throw new InvalidArgumentError(
      `'${name}' has a zero derivative almost everywhere, so backpropagation cannot train through it; use one of ${trainableActivations().join(', ')}.`,
    );
  }
  return name;
}

function trainableActivations(): string[] {
  return ax.activationNames.filter(
    (n) => ax.getActivation(n).differentiable && n !== 'softmax' && n !== 'logSoftmax',
  );
}

/** The losses `axon train` knows how to pair with an output layer. @example LOSS_NAMES.includes('huber') */
export const LOSS_NAMES = [
  'auto',
  'sparseCategoricalCrossentropy',
  'categoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
] as const;
/** One of LOSS_NAMES. */
export type LossName = (typeof LOSS_NAMES)[number];

/** A loss in any spelling ('mse', 'binary_crossentropy'), canonical. @example loss('mse') // 'meanSquaredError' */
export function loss(value: string): LossName {
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  let name: string;
  try {
    name = ax.getLoss(value).name;
  } catch {
    throw new InvalidArgumentError(`expected one of ${LOSS_NAMES.join(', ')} (or mse, mae, ...).`);
  }
  if (!(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(
      `'${name}' is not supported by axon train; expected one of ${LOSS_NAMES.join(', ')}.`,
    );
  }
  return name as LossName;
}

/** The optimizers `axon train` offers. @example OPTIMIZER_NAMES.join(', ') */
export const OPTIMIZER_NAMES = ['sgd', 'rmsprop', 'adagrad', 'adam', 'adamax', 'adamw'] as const;
/** One of OPTIMIZER_NAMES. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** An optimizer name, any case ('Adam', 'RMSProp'). @example optimizer('Adam') // 'adam' */
export function optimizer(value: string): OptimizerName {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
  const found = OPTIMIZER_NAMES.find((n) => n === key);
  if (found === undefined) throw new InvalidArgumentError(`expected one of ${OPTIMIZER_NAMES.join(', ')}.`);
  return found;
}

/** Feature scaling choices. @example SCALE_NAMES[1] // 'standard' */
export const SCALE_NAMES = ['auto', 'standard', 'minmax', 'none'] as const;
/** One of SCALE_NAMES. */
export type ScaleName = (typeof SCALE_NAMES)[number];

/** A scaling choice. @example scale('MinMax') // 'minmax' */
export function scale(value: string): ScaleName {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
  const found = SCALE_NAMES.find((n) => n === key);
  if (found === undefined) throw new InvalidArgumentError(`expected one of ${SCALE_NAMES.join(', ')}.`);
  return found;
}

/** The task of a CSV target. @example TASK_NAMES.includes('regression') // true */
export const TASK_NAMES = ['auto', 'classification', 'regression'] as const;
/** One of TASK_NAMES. */
export type TaskName = (typeof TASK_NAMES)[number];
