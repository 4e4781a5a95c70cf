/**
 * The layer base: a named function of its input with weights (`Variable`s) created at build time from the
 * input shape, as in Keras/TF.js. Shapes are batch first with `null` for the unknown batch size.
 */
import { mul } from '../../ops/elementwise.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor, Variable } from '../../tensor/tensor.js';
import type { Initializer } from '../initializers.js';
import type { Regularizer } from '../regularizers.js';
import type { ConfigValue } from './serialize.js';

/** A batch-first shape; `null` where the size is unknown (the batch axis). */
export type Shape = (number | null)[];

/** Options every layer takes (TF.js `LayerArgs`). */
export interface LayerArgs {
  /** Unique name; default the Keras style `dense`, `dense_1`, ... */
  name?: string;
  /** Shape of one sample (no batch axis), for the first layer of a model: `[784]`. */
  inputShape?: readonly number[];
  /** Same as `inputShape: [inputDim]` (Keras's `input_dim`). */
  inputDim?: number;
  /** Full input shape with the batch axis: `[null, 784]` (wins over `inputShape`). */
  batchInputShape?: readonly (number | null)[];
  /** Fixed batch size used with `inputShape`. */
  batchSize?: number;
  /** Whether the layer's weights are updated by training. Default true. */
  trainable?: boolean;
  /** Only 'float32' exists. */
  dtype?: 'float32';
}

/** Options of one call of a layer. */
export interface CallArgs {
  /** Training mode: dropout drops, batch normalization uses batch statistics. Default false. */
  training?: boolean;
  /** Where penalties produced by the call (activity regularization) are collected. */
  losses?: Tensor[];
}

const nameCounts = new Map<string, number>();

/**
 * Keras-style unique names, per process: the first `dense`, then `dense_1`, `dense_2`...
 * @example uniqueName('dense') // 'dense', then 'dense_1'
 */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * 'BatchNormalization' → 'batch_normalization' (Keras's default name prefix of a class).
 * @example snakeCase('BatchNormalization') // 'batch_normalization'
 */
export function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * `(None, 3)`: a shape written as Keras's summary writes it (a Python tuple).
 * @example formatKerasShape([null, 3]) // '(None, 3)'
 */
export function formatKerasShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * `[null,3]`: a batch-first shape as error messages write it.
 * @example formatBatchShape([null, 3]) // '[null,3]'
 */
export function formatBatchShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

function checkDims(where: string, shape: readonly (number | null)[], allowNull: boolean): void {
  if (!Array.isArray(shape))
    throw new Error(`${where}: expected an array of dimensions, got ${String(shape)}`);
  shape.forEach((d, i) => {
    if (d === null && allowNull && i === 0) return;
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
      throw new Error(
        `${where}: dimension ${i} of ${JSON.stringify(shape)} must be a positive integer, got ${String(d)}`,
      );
    }
  });
}

/** The batch input shape a layer's args declare, or null. */
function declaredInputShape(className: string, args: LayerArgs): Shape | null {
  const where = `layers.${className.charAt(0).toLowerCase()}${className.slice(1)}`;
  if (args.batchInputShape !== undefined) {
    checkDims(`${where} batchInputShape`, args.batchInputShape, true);
    return [...args.batchInputShape];
  }
  let sample: readonly number[] | undefined = args.inputShape;
  if (sample !== undefined) checkDims(`${where} inputShape`, sample, false);
  if (args.inputDim !== undefined) {
    checkDims(`${where} inputDim`, [args.inputDim], false);
    if (sample !== undefined && (sample.length !== 1 || sample[0] !== args.inputDim)) {
      throw new Error(
        `${where}: inputDim ${args.inputDim} contradicts inputShape ${formatShape(sample)}; give only one`,
      );
    }
    sample = [args.inputDim];
  }
  if (sample === undefined) return null;
  const batch = args.batchSize ?? null;
  if (batch !== null) checkDims(`${where} batchSize`, [batch], false);
  return [batch, ...sample];
}

interface WeightEntry {
  variable: Variable;
  trainable: boolean;
  regularizer: Regularizer | null;
}

/**
 * Base class of layers. A subclass creates its weights in `build(inputShape)` with `addWeight`, computes its
 * output in `call(x, args)`, and describes itself in `computeOutputShape` and `getConfig`.
 * @example
 * const dense = ax.layers.dense({ units: 3, inputShape: [2] });
 * dense.apply(ax.tensor([[1, 2]])).shape; // [1, 3]
 */
export abstract class Layer {
  /** The class name as Keras/TF.js write it in model.json ('Dense'). */
  readonly className: string;
  readonly name: string;
  /** The input shape declared with inputShape/inputDim/batchInputShape, batch first, or null. */
  readonly batchInputShape: Shape | null;
  /** Penalty on the layer's output, added to the loss (Keras: penalty / batch size). */
  activityRegularizer: Regularizer | null = null;
  /** Whether `build` has run (the weights exist). */
  built = false;
  /** The input shape the layer was built for. */
  protected builtInputShape: Shape | null = null;
  private readonly entries: WeightEntry[] = [];
  private isTrainable: boolean;

  protected constructor(className: string, args: LayerArgs = {}) {
    this.className = className;
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw new Error(`layers: 'name' must be a non-empty string, got ${JSON.stringify(args.name)}`);
    }
    this.name = args.name ?? uniqueName(snakeCase(className));
    this.batchInputShape = declaredInputShape(className, args);
    this.isTrainable = args.trainable ?? true;
  }

  /** Whether training updates this layer's weights; setting false freezes them (Keras semantics). */
  get trainable(): boolean {
    return this.isTrainable;
  }

  set trainable(value: boolean) {
    this.isTrainable = value;
    // Frozen weights need no gradient: stop recording them.
    for (const e of this.entries) e.variable.requiresGrad = value && e.trainable;
  }

  /** Every weight, in Keras order (Dense: kernel, bias; BatchNormalization: gamma, beta, movingMean, movingVariance). */
  get weights(): Variable[] {
    return this.entries.map((e) => e.variable);
  }

  /** The weights gradient training updates. */
  get trainableWeights(): Variable[] {
    return this.isTrainable ? this.entries.filter((e) => e.trainable).map((e) => e.variable) : [];
  }

  /** The weights training does not update by gradient (moving statistics, frozen weights). */
  get nonTrainableWeights(): Variable[] {
    return this.entries.filter((e) => !(this.isTrainable && e.trainable)).map((e) => e.variable);
  }

  /** The shape of the output for a batch-first input shape. */
  get outputShape(): Shape {
    if (this.builtInputShape === null) {
      throw new Error(`layer '${this.name}' has not been built yet: its output shape is unknown`);
    }
    return this.computeOutputShape(this.builtInputShape);
  }

  /** The shape the layer was built for (batch first), or null before build. */
  get inputShape(): Shape | null {
    return this.builtInputShape === null ? null : [...this.builtInputShape];
  }

  /** Creates a weight named `<layer>/<name>` from an initializer. */
  protected addWeight(
    name: string,
    shape: readonly number[],
    initializer: Initializer,
    trainable = true,
    regularizer: Regularizer | null = null,
  ): Variable {
    const variable = new Variable(initializer.generate(shape), trainable, `${this.name}/${name}`);
    variable.requiresGrad = trainable && this.isTrainable;
    this.entries.push({ variable, trainable, regularizer });
    return variable;
  }

  /** Creates the weights for inputs of `inputShape` (batch first). Subclasses call `super.build` last. */
  build(inputShape: Shape): void {
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  /** The output shape for an input shape; the identity unless a subclass changes it. */
  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  /** The layer's function. `apply` builds the layer first and adds activity penalties. */
  abstract call(x: Tensor, args: CallArgs): Tensor;

  /** Throws when `shape` (batch first) cannot feed this layer. Subclasses add their own rules. */
  checkInputShape(shape: readonly (number | null)[]): void {
    const expected = this.builtInputShape ?? this.batchInputShape;
    if (expected === null) return;
    const ok =
      shape.length === expected.length &&
      expected.every((d, i) => i === 0 || d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      throw new Error(
        `layer '${this.name}' expects inputs of shape ${formatBatchShape(expected)} but got ${formatBatchShape(shape)}`,
      );
    }
  }

  /**
   * Runs the layer on x: builds it for x's shape on first use, checks the shape, calls it, and collects
   * the activity penalty into `args.losses`.
   * @example ax.layers.dense({ units: 2 }).apply(ax.ones([4, 3])).shape // [4, 2]
   */
  apply(x: Tensor, args: CallArgs = {}): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`layer '${this.name}': apply() needs a Tensor`);
    const shape: Shape = [null, ...x.shape.slice(1)];
    this.checkInputShape(x.shape);
    if (!this.built) this.build(shape);
    const y = this.call(x, args);
    if (this.activityRegularizer !== null && args.losses !== undefined && x.shape[0] > 0) {
      // Keras divides the activity penalty by the batch size.
      args.losses.push(mul(this.activityRegularizer.apply(y), 1 / x.shape[0]));
    }
    return y;
  }

  /** Weight penalties (kernel/bias regularizers) for the current weights, recorded for autodiff. */
  regularizationLosses(): Tensor[] {
    if (!this.isTrainable) return [];
    const out: Tensor[] = [];
    for (const e of this.entries) if (e.regularizer !== null) out.push(e.regularizer.apply(e.variable));
    return out;
  }

  /** Number of weight values (trainable and not). */
  countParams(): number {
    if (!this.built)
      throw new Error(`layer '${this.name}' has not been built yet: call it or give an inputShape`);
    let n = 0;
    for (const e of this.entries) n += e.variable.size;
    return n;
  }

  /** Copies of the weights' current values, in Keras order. */
  getWeights(): Tensor[] {
    return this.entries.map((e) => new Tensor(e.variable.values.slice(), e.variable.shape));
  }

  /** Sets every weight (Keras order); shapes are checked before any weight changes. */
  setWeights(weights: readonly Tensor[]): void {
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new Error(
        `layer '${this.name}'.setWeights: expected ${vars.length} tensors (${vars.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}), got ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    }
    checkWeightShapes(`layer '${this.name}'.setWeights`, vars, weights, 0);
    for (let i = 0; i < vars.length; i++) vars[i].assign(weights[i]);
  }

  /** The layer's options, TF.js form (camelCase); `{ className, config }` rebuilds it. */
  getConfig(): { [key: string]: ConfigValue } {
    const config: { [key: string]: ConfigValue } = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape !== null) config.batchInputShape = [...this.batchInputShape];
    config.dtype = 'float32';
    return config;
  }
}

/** Shape check of `weights` against `vars`, naming the weight; `offset` numbers them within a model. */
export function checkWeightShapes(
  where: string,
  vars: readonly Variable[],
  weights: readonly Tensor[],
  offset: number,
): void {
  vars.forEach((v, i) => {
    const w = weights[i];
    if (!(w instanceof Tensor)) {
      throw new Error(`${where}: weight ${offset + i} (${v.name}) must be a Tensor, got ${typeof w}`);
    }
    const same = w.shape.length === v.shape.length && w.shape.every((d, k) => d === v.shape[k]);
    if (!same) {
      throw new Error(
        `${where}: weight ${offset + i} (${v.name}) has shape ${formatShape(v.shape)} but the given tensor has shape ${formatShape(w.shape)}`,
      );
    }
  });
}
