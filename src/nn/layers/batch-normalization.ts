/**
 * Batch normalization (Ioffe & Szegedy 2015) with Keras/TF.js semantics: in training each feature is
 * normalized with the batch's mean and (biased) variance, and the moving statistics move toward them,
 * moving ← moving − (moving − batch)·(1 − momentum); at inference the moving statistics are used.
 * y = γ·(x − μ)/√(σ² + ε) + β.
 */
import { add, mul, reciprocal, sqrt, square, sub } from '../../ops/elementwise.js';
import { mean } from '../../ops/reduce.js';
import { reshape } from '../../ops/shape.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import type { Initializer } from '../initializers.js';
import type { Regularizer } from '../regularizers.js';
import { type CallArgs, formatBatchShape, Layer, type LayerArgs, type Shape } from './layer.js';
import {
  type ConfigValue,
  type InitializerSpec,
  type RegularizerSpec,
  resolveInitializer,
  resolveRegularizer,
  serializeInitializer,
  serializeRegularizer,
} from './serialize.js';

/** Options of `layers.batchNormalization` (TF.js `BatchNormalizationLayerArgs`). */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis, normalized per entry. Default -1 (last). */
  axis?: number;
  /** Moving-average momentum. Default 0.99. */
  momentum?: number;
  /** Added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Learn the offset β. Default true. */
  center?: boolean;
  /** Learn the scale γ. Default true. */
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  movingMeanInitializer?: InitializerSpec;
  movingVarianceInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec;
  gammaRegularizer?: RegularizerSpec;
}

/**
 * Normalizes each feature by batch statistics in training and by moving statistics at inference.
 * Weights, in order: gamma, beta (trainable), movingMean, movingVariance (not trainable).
 * @example ax.layers.batchNormalization({ momentum: 0.9 })
 */
export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super('BatchNormalization', args);
    const where = 'layers.batchNormalization';
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis))
      throw new Error(`${where}: 'axis' must be an integer, got ${args.axis}`);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new Error(`${where}: 'momentum' must be in [0, 1], got ${String(args.momentum)}`);
    }
    if (!(this.epsilon > 0) || !Number.isFinite(this.epsilon)) {
      throw new Error(`${where}: 'epsilon' must be a positive number, got ${String(args.epsilon)}`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = resolveInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = resolveInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = resolveInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer);
  }

  private featureAxis(rank: number): number {
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 1 || axis >= rank) {
      throw new Error(
        `layer '${this.name}' (BatchNormalization): axis ${this.axis} is not a feature axis of inputs of rank ${rank}`,
      );
    }
    return axis;
  }

  override build(inputShape: Shape): void {
    const axis = this.featureAxis(inputShape.length);
    const dim = inputShape[axis];
    if (dim === null) {
      throw new Error(
        `layer '${this.name}' (BatchNormalization): axis ${axis} of the input shape ${formatBatchShape(inputShape)} must be known`,
      );
    }
    if (this.scale)
      this.gamma = this.addWeight('gamma', [dim], this.gammaInitializer, true, this.gammaRegularizer);
    if (this.center)
      this.beta = this.addWeight('beta', [dim], this.betaInitializer, true, this.betaRegularizer);
    this.movingMean = this.addWeight('moving_mean', [dim], this.movingMeanInitializer, false);
    this.movingVariance = this.addWeight('moving_variance', [dim], this.movingVarianceInitializer, false);
    super.build(inputShape);
  }

  override checkInputShape(shape: readonly (number | null)[]): void {
    const expected = this.builtInputShape;
    if (expected !== null && this.movingMean !== null) {
      const axis = this.featureAxis(expected.length);
      if (shape.length !== expected.length || shape[axis] !== this.movingMean.size) {
        throw new Error(
          `layer '${this.name}' (BatchNormalization) expects inputs of shape ${formatBatchShape(expected)} (${this.movingMean.size} features on axis ${axis}) but got ${formatBatchShape(shape)}`,
        );
      }
      return;
    }
    super.checkInputShape(shape);
  }

  call(x: Tensor, args: CallArgs): Tensor {
    if (this.movingMean === null || this.movingVariance === null) {
      throw new Error(`layer '${this.name}' has not been built`);
    }
    const axis = this.featureAxis(x.rank);
    const reduced: number[] = [];
    for (let i = 0; i < x.rank; i++) if (i !== axis) reduced.push(i);
    // Statistics and weights broadcast against x from this shape ([1, C] for 2-D inputs).
    const statShape = x.shape.map((d, i) => (i === axis ? d : 1));
    const asStat = (t: Tensor): Tensor => (axis === x.rank - 1 ? t : reshape(t, statShape));
    let centered: Tensor;
    let variance: Tensor;
    if (args.training) {
      const mu = mean(x, reduced, true);
      centered = sub(x, mu);
      // Biased variance (divide by n), as tf.moments in TF.js and Keras.
      variance = mean(square(centered), reduced, true);
      this.updateMoving(this.movingMean, mu);
      this.updateMoving(this.movingVariance, variance);
    } else {
      centered = sub(x, asStat(this.movingMean));
      variance = asStat(this.movingVariance);
    }
    let y = mul(centered, reciprocal(sqrt(add(variance, this.epsilon))));
    if (this.gamma !== null) y = mul(y, asStat(this.gamma));
    if (this.beta !== null) y = add(y, asStat(this.beta));
    return y;
  }

  /** moving ← moving − (moving − batch)·(1 − momentum), in place (TF.js's doMovingAverage). */
  private updateMoving(moving: Variable, batch: Tensor): void {
    const m = moving.values;
    const b = batch.values;
    const decay = 1 - this.momentum;
    for (let i = 0; i < m.length; i++) m[i] = m[i] - (m[i] - b[i]) * decay;
  }

  override getConfig(): { [key: string]: ConfigValue } {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: null,
      gammaConstraint: null,
    };
  }
}
