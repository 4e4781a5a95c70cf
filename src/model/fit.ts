/**
 * fit / evaluate / trainOnBatch: argument and data checks (all before the first step, so a mistake leaves
 * the weights untouched), the validation split, then the loops of training.ts.
 */
import { noGrad } from '../autograd/backprop.js';
import type { Shape } from '../nn/layers/layer.js';
import type { TensorLike } from '../ops/engine.js';
import { reshape } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Callback, CallbackList, type Logs } from './callback-list.js';
import { bindMetrics, type CompiledState, checkDifferentiable, type NamedMetric } from './compile.js';
import { asTensor, checkFinite, checkSameRows, classSampleWeights, sliceRows } from './data.js';
import type { History } from './history.js';
import type { Sequential } from './sequential.js';
import { type FitData, fitLoop, testLoop, trainStep } from './training.js';

/** Options of `fit` (TF.js `ModelFitArgs`). */
export interface FitArgs {
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Samples per gradient step. Default 32. */
  batchSize?: number;
  /** Reshuffle the training rows before each epoch (global seeded generator). Default true. */
  shuffle?: boolean;
  /** Fraction of the data held out for validation: the LAST rows, taken before shuffling (Keras). */
  validationSplit?: number;
  /** [xVal, yVal] evaluated after each epoch (wins over validationSplit). */
  validationData?: readonly [TensorLike, TensorLike];
  /** Loss weight per class index, e.g. { 0: 1, 1: 5 } (Keras/TF.js class_weight). */
  classWeight?: Readonly<Record<number, number>>;
  /** Epoch to start at (resuming a run); epochs are numbered from 0. Default 0. */
  initialEpoch?: number;
  /** 0 silent, 1 progress bar (Node TTY) or one line per epoch, 2 one line per epoch. Default 1. */
  verbose?: number;
  /** Callback objects (hooks onEpochEnd, onBatchEnd, ...) or built-ins from ax.callbacks. */
  callbacks?: Callback | readonly Callback[];
}

/** Options of `evaluate`. */
export interface EvaluateArgs {
  /** Rows per forward pass. Default 32. */
  batchSize?: number;
}

/** The compiled state, or an error telling to compile first. */
export function compiledOrThrow(model: Sequential, where: string): CompiledState {
  if (model.compiled === null) {
    throw new Error(
      `${where}: the model must be compiled first: call model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' }) (with your optimizer and loss)`,
    );
  }
  return model.compiled;
}

/** `value` (or the fallback when undefined), checked to be a positive integer. */
export function positiveInteger(
  where: string,
  key: string,
  value: number | undefined,
  fallback: number,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${where}: '${key}' must be a positive integer, got ${String(value)}`);
  }
  return v;
}

/**
 * Targets shaped for the model: a [n] vector becomes [n, 1] when the output is one unit wide (Keras
 * expands it the same way), then the loss checks the targets against the output.
 */
export function prepareTargets(
  where: string,
  compiled: CompiledState,
  y: Tensor,
  outputShape: Shape,
): Tensor {
  const width = outputShape[outputShape.length - 1];
  const targets = y.rank === 1 && outputShape.length === 2 && width === 1 ? reshape(y, [y.shape[0], 1]) : y;
  try {
    compiled.loss.checkTargets(targets, outputShape);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  return targets;
}

/** x, y as tensors, checked against the model and each other. */
export function prepareXY(
  where: string,
  model: Sequential,
  compiled: CompiledState,
  xIn: TensorLike,
  yIn: TensorLike,
  names: [string, string] = ['x', 'y'],
): { x: Tensor; y: Tensor } {
  const x = asTensor(where, names[0], xIn);
  const y = asTensor(where, names[1], yIn);
  model.prepareInput(where, x, names[0]);
  checkSameRows(where, x, y, names[0], names[1]);
  checkFinite(where, names[0], x);
  checkFinite(where, names[1], y);
  return { x, y: prepareTargets(where, compiled, y, model.outputShape) };
}

/** The checked options and model state that fit and fitDataset share. */
export interface CommonFitArgs {
  compiled: CompiledState;
  epochs: number;
  initialEpoch: number;
  verbose: number;
  callbacks: CallbackList;
}

/**
 * Checks what fit and fitDataset share — no other run in progress, a compiled and differentiable model,
 * epochs, initialEpoch, verbose, callbacks — before any step.
 */
export function commonFitArgs(
  where: string,
  model: Sequential,
  args: Pick<FitArgs, 'epochs' | 'initialEpoch' | 'verbose' | 'callbacks'>,
): CommonFitArgs {
  if (model.isTraining)
    throw new Error(`${where}: another fit() call on this model is still running; await it first`);
  if (typeof args !== 'object' || args === null)
    throw new Error(`${where}: the options must be an object, e.g. { epochs: 10 }`);
  const compiled = compiledOrThrow(model, where);
  const epochs = positiveInteger(where, 'epochs', args.epochs, 1);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new Error(`${where}: 'initialEpoch' must be an integer ≥ 0, got ${String(args.initialEpoch)}`);
  }
  const verbose = args.verbose ?? 1;
  if (![0, 1, 2].includes(verbose))
    throw new Error(`${where}: 'verbose' must be 0, 1 or 2, got ${String(verbose)}`);
  const callbacks = new CallbackList(args.callbacks);
  checkDifferentiable(where, model.layers);
  return { compiled, epochs, initialEpoch, verbose, callbacks };
}

/** The fit implementation behind `Sequential.fit`. */
export async function fitModel(
  model: Sequential,
  xIn: TensorLike,
  yIn: TensorLike,
  args: FitArgs,
): Promise<History> {
  const where = 'fit';
  const { compiled, epochs, initialEpoch, verbose, callbacks } = commonFitArgs(where, model, args);
  const batchSize = positiveInteger(where, 'batchSize', args.batchSize, 32);
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new Error(`fit: 'validationSplit' must be a number in [0, 1), got ${String(args.validationSplit)}`);
  }

  let { x, y } = prepareXY(where, model, compiled, xIn, yIn);
  let sampleWeight =
    args.classWeight === undefined || args.classWeight === null
      ? null
      : classSampleWeights(where, y, args.classWeight);
  let validation: FitData['validation'] = null;
  if (args.validationData !== undefined && args.validationData !== null) {
    if (!Array.isArray(args.validationData) || args.validationData.length !== 2) {
      throw new Error('fit: validationData must be [xVal, yVal]');
    }
    validation = prepareXY(where, model, compiled, args.validationData[0], args.validationData[1], [
      'validationData[0]',
      'validationData[1]',
    ]);
  } else if (split > 0) {
    const n = x.shape[0];
    // Keras: the last fraction of the rows, before any shuffling.
    const splitAt = Math.floor(n * (1 - split));
    if (splitAt === 0) {
      throw new Error(`fit: validationSplit ${split} of ${n} samples leaves no training samples`);
    }
    validation = { x: sliceRows(x, splitAt, n), y: sliceRows(y, splitAt, n) };
    x = sliceRows(x, 0, splitAt);
    y = sliceRows(y, 0, splitAt);
    if (sampleWeight !== null) sampleWeight = sliceRows(sampleWeight, 0, splitAt);
  }
  if (x.shape[0] === 0) throw new Error('fit: x has no rows to train on');
  const metrics = bindMetrics(compiled, model.outputShape);

  model.isTraining = true;
  try {
    return await fitLoop(
      model,
      compiled,
      metrics,
      { x, y, sampleWeight, validation },
      {
        epochs,
        batchSize,
        shuffle: args.shuffle ?? true,
        initialEpoch,
        verbose,
        callbacks,
      },
    );
  } finally {
    model.isTraining = false;
  }
}

/** The evaluate implementation behind `Sequential.evaluate`. */
export function evaluateModel(model: Sequential, xIn: TensorLike, yIn: TensorLike, args: EvaluateArgs): Logs {
  const where = 'evaluate';
  const compiled = compiledOrThrow(model, where);
  const batchSize = positiveInteger(where, 'batchSize', args?.batchSize, 32);
  const { x, y } = prepareXY(where, model, compiled, xIn, yIn);
  if (x.shape[0] === 0) throw new Error('evaluate: x has no rows');
  const metrics = bindMetrics(compiled, model.outputShape);
  return testLoop(model, compiled, metrics, x, y, batchSize);
}

/** The trainOnBatch implementation: one checked step; metrics of this batch only. */
export async function trainOnBatchModel(
  model: Sequential,
  xIn: TensorLike,
  yIn: TensorLike,
): Promise<number | number[]> {
  const where = 'trainOnBatch';
  const compiled = compiledOrThrow(model, where);
  checkDifferentiable(where, model.layers);
  const { x, y } = prepareXY(where, model, compiled, xIn, yIn);
  if (x.shape[0] === 0) throw new Error('trainOnBatch: x has no rows');
  const metrics: readonly NamedMetric[] = bindMetrics(compiled, model.outputShape);
  const { loss, yPred } = trainStep(model, compiled, x, y, undefined);
  if (metrics.length === 0) return loss;
  return noGrad(() => [
    loss,
    ...metrics.map((m) => {
      m.metric.reset();
      m.metric.update(y, yPred);
      return m.metric.result();
    }),
  ]);
}
