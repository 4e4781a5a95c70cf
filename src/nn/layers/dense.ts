/**
 * The fully connected layer: a = f(x·W + b) with the kernel W of shape [in, units] (Keras's layout, so
 * each column holds one unit's incoming weights) and the bias b of shape [units].
 */
import { add } from '../../ops/elementwise.js';
import { matMul } from '../../ops/matmul.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { type Activation, getActivation } from '../activations.js';
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

/** Options of `layers.dense` (TF.js `DenseLayerArgs`). */
export interface DenseArgs extends LayerArgs {
  /** Number of units (output width). */
  units: number;
  /** Name ('relu', 'sigmoid', ...) or Activation; default linear. */
  activation?: string | Activation | null;
  /** Whether to add a bias. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras and TF.js). */
  kernelInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** Penalty on the layer's output a, divided by the batch size (Keras). */
  activityRegularizer?: RegularizerSpec;
}

/**
 * Fully connected layer, y = activation(x·W + b), W of shape [in, units].
 * @example
 * const layer = ax.layers.dense({ units: 3, inputShape: [2], activation: 'sigmoid' });
 */
export class Dense extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** W, shape [in, units]; null before build. */
  kernel: Variable | null = null;
  /** b, shape [units]; null before build or without bias. */
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    if (typeof args !== 'object' || args === null) {
      throw new Error('layers.dense: expected an options object such as { units: 3, activation: "relu" }');
    }
    super('Dense', args);
    if (typeof args.units !== 'number' || !Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`layers.dense: 'units' must be a positive integer, got ${String(args.units)}`);
    }
    this.units = args.units;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null || inputDim === undefined) {
      throw new Error(
        `layer '${this.name}' (Dense) needs inputs of known width, batch first (e.g. [null, 4]); got ${formatBatchShape(inputShape)}`,
      );
    }
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, this.units],
      this.kernelInitializer,
      true,
      this.kernelRegularizer,
    );
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, true, this.biasRegularizer);
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override checkInputShape(shape: readonly (number | null)[]): void {
    if (shape.length < 2) {
      throw new Error(
        `layer '${this.name}' (Dense) expects inputs batch first with at least 2 axes, got shape ${formatBatchShape(shape)}`,
      );
    }
    if (this.kernel !== null) {
      const inputDim = this.kernel.shape[0];
      const got = shape[shape.length - 1];
      if (got !== null && got !== inputDim) {
        throw new Error(
          `layer '${this.name}' (Dense) expects ${inputDim} input features per sample (kernel [${inputDim},${this.units}]) but got inputs of shape ${formatBatchShape(shape)}`,
        );
      }
      return;
    }
    super.checkInputShape(shape);
  }

  /** z = x·W + b, then a = f(z); a rank > 2 input is multiplied along its last axis. */
  call(x: Tensor, _args: CallArgs): Tensor {
    if (this.kernel === null) throw new Error(`layer '${this.name}' has not been built`);
    let z = matMul(x, this.kernel);
    if (this.bias !== null) z = add(z, this.bias);
    return this.activation.apply(z);
  }

  override getConfig(): { [key: string]: ConfigValue } {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: null,
      biasConstraint: null,
    };
  }
}
