/**
 * The network `axon train` builds: hidden Dense layers, then an output layer and a loss that fit the
 * task (`--loss auto`: softmax + sparse categorical cross-entropy for classes, one sigmoid unit +
 * binary cross-entropy for two classes, a linear unit + mean squared error for regression).
 */
import * as ax from '../node.js';
import type { Task } from './builtins.js';
import { UserError } from './io.js';
import type { LossName, OptimizerName } from './options.js';

/** The output layer and how targets are fed to its loss. */
export interface Head {
  units: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  loss: Exclude<LossName, 'auto'>;
  metrics: string[];
  /** Targets as one-hot rows (categorical cross-entropy, or MSE on a softmax) instead of indices. */
  oneHot: boolean;
}

const CROSSENTROPIES = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy'];

/**
 * The head for a task, its number of classes and the requested loss; impossible pairs are UserErrors.
 * @example chooseHead('classification', 3, 'auto') // { units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', ... }
 */
export function chooseHead(task: Task, classes: number, loss: LossName, targetName: string | null): Head {
  if (task === 'regression') {
    if (CROSSENTROPIES.includes(loss)) {
      throw new UserError(
        `--loss ${loss} needs class labels, but the target${targetName ? ` '${targetName}'` : ''} holds real values (regression); use --task classification for a CSV with integer labels, or a regression loss`,
      );
    }
    const chosen = loss === 'auto' ? 'meanSquaredError' : loss;
    return {
      units: 1,
      activation: 'linear',
      loss: chosen,
      metrics: [chosen === 'meanAbsoluteError' ? 'mse' : 'mae'],
      oneHot: false,
    };
  }
  if (classes < 2) {
    throw new UserError(
      `the target${targetName ? ` '${targetName}'` : ''} holds a single class; classification needs at least 2`,
    );
  }
  const metrics = ['accuracy'];
  switch (loss) {
    case 'auto':
      return classes === 2
        ? { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', metrics, oneHot: false }
        : {
            units: classes,
            activation: 'softmax',
            loss: 'sparseCategoricalCrossentropy',
            metrics,
            oneHot: false,
          };
    case 'sparseCategoricalCrossentropy':
      return { units: classes, activation: 'softmax', loss, metrics, oneHot: false };
    case 'categoricalCrossentropy':
      return { units: classes, activation: 'softmax', loss, metrics, oneHot: true };
    case 'binaryCrossentropy':
      if (classes !== 2) {
        throw new UserError(
          `--loss binaryCrossentropy needs 2 classes but the target has ${classes}; use sparseCategoricalCrossentropy (or --loss auto)`,
        );
      }
      return { units: 1, activation: 'sigmoid', loss, metrics, oneHot: false };
    default:
      // MSE, MAE, Huber on classes: the course notes' sigmoid outputs, or a softmax over one-hot targets.
      return classes === 2
        ? { units: 1, activation: 'sigmoid', loss, metrics, oneHot: false }
        : { units: classes, activation: 'softmax', loss, metrics, oneHot: true };
  }
}

/** Options of `buildNetwork`. */
export interface NetworkSpec {
  inputs: number;
  layers: readonly number[];
  activation: string;
  head: Head;
  optimizer: OptimizerName;
  /** Undefined: the optimizer's Keras default. */
  learningRate?: number;
}

/**
 * A compiled Sequential model: inputs → hidden layers → head.
 * @example const model = buildNetwork({ inputs: 4, layers: [16], activation: 'relu', head, optimizer: 'adam' });
 */
export function buildNetwork(spec: NetworkSpec): ax.Sequential {
  const model = ax.sequential();
  spec.layers.forEach((units, i) => {
    model.add(
      ax.layers.dense({
        units,
        activation: spec.activation,
        ...(i === 0 ? { inputShape: [spec.inputs] } : {}),
      }),
    );
  });
  model.add(
    ax.layers.dense({
      units: spec.head.units,
      activation: spec.head.activation,
      ...(spec.layers.length === 0 ? { inputShape: [spec.inputs] } : {}),
    }),
  );
  const options = spec.learningRate === undefined ? {} : { learningRate: spec.learningRate };
  model.compile({
    optimizer: ax.optimizers[spec.optimizer](options),
    loss: spec.head.loss,
    metrics: spec.head.metrics,
  });
  return model;
}

/**
 * The targets the head's loss reads: class indices, or one-hot rows.
 * @example targetsFor(head, y, 3)
 */
export function targetsFor(head: Pick<Head, 'oneHot'>, y: ax.Tensor, classes: number): ax.Tensor {
  return head.oneHot ? ax.oneHot(y, classes) : y;
}

/**
 * The learning rate an optimizer runs with (Keras defaults when not given), for reports.
 * @example learningRateOf(model) // 0.001
 */
export function learningRateOf(model: ax.Sequential): number {
  const rate = (model.optimizer as { learningRate?: unknown } | null)?.learningRate;
  return typeof rate === 'number' ? rate : Number.NaN;
}
