/**
 * The Sequential model (Keras/TF.js): a stack of layers, each feeding the next, with compile, fit,
 * evaluate, predict and the weight accessors. Training semantics are TF.js's, so given the same weights a
 * model trains step for step like its TF.js twin.
 */
import { noGrad } from '../autograd/backprop.js';
import { saveModel } from '../io/save.js';
import type { IOHandler, SaveConfig, SaveResult } from '../io/types.js';
import {
  type CallArgs,
  checkWeightShapes,
  formatBatchShape,
  Layer,
  type Shape,
  uniqueName,
} from '../nn/layers/layer.js';
import type { ConfigValue, SerializedObject } from '../nn/layers/serialize.js';
import type { Loss } from '../nn/losses.js';
import type { TensorLike } from '../ops/engine.js';
import type { Optimizer } from '../optim/optimizer.js';
import { allocData } from '../tensor/precision.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type Variable } from '../tensor/tensor.js';
import type { Logs } from './callback-list.js';
import { type CompileArgs, type CompiledState, checkDifferentiable, resolveCompileArgs } from './compile.js';
import { asTensor, checkInputShape, makeBatches, RowGatherer } from './data.js';
import { type EvaluateArgs, evaluateModel, type FitArgs, fitModel, trainOnBatchModel } from './fit.js';
import {
  type Dataset,
  type EvaluateDatasetArgs,
  evaluateDatasetModel,
  type FitDatasetArgs,
  fitDatasetModel,
} from './fit-dataset.js';
import type { History } from './history.js';
import { plannedPredict } from './plan/hooks.js';
import { type SummaryOptions, summaryText } from './summary.js';

/** Options of `ax.sequential`. */
export interface SequentialArgs {
  /** The layers, first to last; the first declares the input shape (inputShape / inputDim). */
  layers?: Layer[];
  /** Default 'sequential', 'sequential_1', ... */
  name?: string;
}

/** Options of `predict`. */
export interface PredictArgs {
  /** Rows per forward pass. Default 32. */
  batchSize?: number;
}

/**
 * A linear stack of layers.
 * @example
 * const model = ax.sequential({ layers: [
 *   ax.layers.dense({ units: 3, inputShape: [2], activation: 'sigmoid' }),
 *   ax.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]});
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(x, y, { epochs: 150, batchSize: 10 });
 */
export class Sequential {
  readonly name: string;
  readonly layers: Layer[] = [];
  /** Set true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** Axon's metadata (feature scalers, class names, ...): saved under `userDefinedMetadata.axon`, restored by loadModel. */
  metadata: Record<string, unknown> = {};
  /** @internal Compile results; null before compile. */
  compiled: CompiledState | null = null;
  /** @internal Whether a fit is running. */
  isTraining = false;
  private builtInput: Shape | null = null;

  constructor(args: SequentialArgs = {}) {
    if (typeof args !== 'object' || args === null) {
      throw new Error('sequential: expected an options object such as { layers: [...] }');
    }
    this.name = args.name ?? uniqueName('sequential');
    if (args.layers !== undefined && !Array.isArray(args.layers)) {
      throw new Error(`sequential: 'layers' must be an array of layers, got ${typeof args.layers}`);
    }
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /**
   * Appends a layer. Once the input shape is known (from the first layer's inputShape), each added layer
   * is built right away, so `summary()` and `countParams()` work before training.
   * @example model.add(ax.layers.dense({ units: 1, activation: 'sigmoid' }));
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new Error(
        `sequential.add: expected a layer (e.g. ax.layers.dense({ units: 3 })), got ${layer === null ? 'null' : typeof layer}`,
      );
    }
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new Error(
        `sequential.add: the model already has a layer named '${layer.name}'; layer names must be unique`,
      );
    }
    if (this.layers.includes(layer))
      throw new Error(`sequential.add: layer '${layer.name}' is already in the model`);
    if (this.layers.length === 0) {
      this.layers.push(layer);
      if (layer.batchInputShape !== null) this.build(layer.batchInputShape);
      return;
    }
    if (this.builtInput !== null) {
      const shape = this.outputShape;
      if (layer.batchInputShape !== null && !sameSampleShape(layer.batchInputShape, shape)) {
        throw new Error(
          `sequential.add: layer '${layer.name}' declares input shape ${formatBatchShape(layer.batchInputShape)} but the previous layer outputs ${formatBatchShape(shape)}`,
        );
      }
      layer.checkInputShape(shape);
      if (!layer.built) layer.build(shape);
    }
    this.layers.push(layer);
    this.compiled = this.compiled === null ? null : { ...this.compiled, metrics: null };
  }

  /**
   * Builds every layer for inputs of `inputShape` (batch first, e.g. [null, 4]); needed only when the first
   * layer declares no input shape and you want the weights before training.
   * @example model.build([null, 4]);
   */
  build(inputShape?: readonly (number | null)[]): void {
    const shape = inputShape ?? this.layers[0]?.batchInputShape;
    if (shape === undefined || shape === null) {
      throw new Error(
        'sequential.build: give the input shape, batch first (e.g. [null, 4]), or an inputShape on the first layer',
      );
    }
    let current: Shape = [...shape];
    for (const layer of this.layers) {
      layer.checkInputShape(current);
      if (!layer.built) layer.build(current);
      current = layer.computeOutputShape(current);
    }
    this.builtInput = [...shape];
  }

  /** Whether the weights exist (the input shape is known). */
  get built(): boolean {
    return this.builtInput !== null;
  }

  /** Input shape, batch first ([null, 784]). */
  get inputShape(): Shape {
    if (this.builtInput === null) throw this.notBuilt('inputShape');
    return [...this.builtInput];
  }

  /** Output shape, batch first ([null, 10]). */
  get outputShape(): Shape {
    if (this.builtInput === null) throw this.notBuilt('outputShape');
    let shape: Shape = [...this.builtInput];
    for (const layer of this.layers) shape = layer.computeOutputShape(shape);
    return shape;
  }

  /** The compiled optimizer, or null before compile. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The compiled loss, or null before compile. */
  get loss(): Loss | null {
    return this.compiled?.loss ?? null;
  }

  /** Every weight, Keras order: layer by layer, each layer's own order (Dense: kernel, bias). */
  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  /** The weights training updates. */
  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  /** The weights training leaves to other rules (moving statistics) or frozen layers. */
  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /** The layer with this name or index. @example model.getLayer('dense_1') */
  getLayer(nameOrIndex: string | number): Layer {
    const layer =
      typeof nameOrIndex === 'number'
        ? this.layers[nameOrIndex]
        : this.layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new Error(
        `getLayer: no layer ${JSON.stringify(nameOrIndex)} (layers: ${this.layers.map((l) => l.name).join(', ')})`,
      );
    }
    return layer;
  }

  /**
   * The model's function on a batch, recorded for autodiff (TF.js `model.apply`). `training: true` turns
   * on dropout and batch statistics.
   * @example const y = model.apply(x, { training: false });
   */
  apply(x: Tensor, args: CallArgs = {}): Tensor {
    if (this.layers.length === 0) throw new Error('apply: the model has no layers; add some first');
    if (this.builtInput === null) this.build([null, ...x.shape.slice(1)]);
    let out = x;
    for (const layer of this.layers) out = layer.apply(out, args);
    return out;
  }

  /** @internal Builds from x when needed and checks x against the input shape. */
  prepareInput(where: string, x: Tensor, name = 'x'): void {
    if (this.layers.length === 0) throw new Error(`${where}: the model has no layers; add some first`);
    if (this.builtInput === null) {
      this.build([null, ...x.shape.slice(1)]);
      return;
    }
    const first = this.layers[0];
    const source =
      first.batchInputShape !== null
        ? `from the inputShape of layer '${first.name}'`
        : `the shape it was built for`;
    checkInputShape(where, x, this.builtInput, source, name);
  }

  /** @internal Kernel/bias penalties of every layer. */
  regularizationLosses(): Tensor[] {
    return this.layers.flatMap((l) => l.regularizationLosses());
  }

  /**
   * Sets the optimizer, the loss and the metrics. Unknown names throw, listing the valid ones.
   * @example model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
   */
  compile(args: CompileArgs): void {
    const state = resolveCompileArgs(args);
    checkDifferentiable('compile', this.layers);
    this.compiled = state;
  }

  /**
   * Trains for `epochs` passes over (x, y); resolves to the History of per-epoch logs.
   * @example
   * const h = await model.fit(x, y, { epochs: 20, batchSize: 32, validationSplit: 0.2 });
   * h.history.val_loss;
   */
  fit(x: TensorLike, y: TensorLike, args: FitArgs = {}): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /**
   * Trains on a stream of batches `{ xs, ys }` (or `[xs, ys]`), re-read each epoch; only the current batch
   * is held in memory. Same callbacks, History, metrics and progress as fit. See `Dataset` for what can be
   * streamed and `FitDatasetArgs` for batchesPerEpoch.
   * @example
   * const ds = ax.data.generator(function* () {
   *   for (let i = 0; i < 100; i++) yield { xs: ax.randomNormal([32, 4]), ys: ax.randomUniform([32, 1]) };
   * });
   * const h = await model.fitDataset(ds, { epochs: 5, validationData: [xVal, yVal] });
   */
  fitDataset(dataset: Dataset, args: FitDatasetArgs = {}): Promise<History> {
    return fitDatasetModel(this, dataset, args);
  }

  /**
   * Loss and metrics over a dataset's batches (one pass, or `batches` of them), in inference mode.
   * @example const { loss, accuracy } = await model.evaluateDataset(await ax.csvDataset('test.csv', { schema }));
   */
  evaluateDataset(dataset: Dataset, args: EvaluateDatasetArgs = {}): Promise<Logs> {
    return evaluateDatasetModel(this, dataset, args);
  }

  /**
   * Loss and metrics on (x, y), batched, in inference mode: `{ loss, accuracy, ... }` keyed as compiled.
   * @example model.evaluate(xTest, yTest); // { loss: 0.31, accuracy: 0.9 }
   */
  evaluate(x: TensorLike, y: TensorLike, args: EvaluateArgs = {}): Logs {
    return evaluateModel(this, x, y, args);
  }

  /**
   * One optimizer step on one batch; resolves to the loss, or [loss, ...metrics] when metrics were compiled
   * (TF.js). Metrics are of this batch only.
   * @example const loss = await model.trainOnBatch(xBatch, yBatch);
   */
  trainOnBatch(x: TensorLike, y: TensorLike): Promise<number | number[]> {
    return trainOnBatchModel(this, x, y);
  }

  /**
   * Outputs for x in inference mode (no dropout, moving statistics), batched, without recording gradients.
   * @example model.predict(ax.tensor([[0, 1]])).arraySync(); // [[0.93]]
   */
  predict(x: TensorLike, args: PredictArgs = {}): Tensor {
    const input = asTensor('predict', 'x', x);
    const batchSize = args.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`predict: batchSize must be a positive integer, got ${String(args.batchSize)}`);
    }
    this.prepareInput('predict', input);
    const planned = plannedPredict(this, input, batchSize);
    if (planned !== null) return planned;
    const n = input.shape[0];
    const rowShape = this.outputShape.slice(1) as number[];
    const rowSize = rowShape.reduce((size, d) => size * d, 1);
    const out = allocData(n * rowSize);
    const rows = new RowGatherer(input);
    noGrad(() => {
      for (const [start, end] of makeBatches(n, batchSize)) {
        const y = this.apply(rows.range(start, end), { training: false });
        out.set(y.values, start * rowSize);
      }
    });
    return new Tensor(out, [n, ...rowShape]);
  }

  /** Copies of every weight, Keras order (per Dense layer: kernel [in, units], bias [units]). */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /**
   * Sets every weight from tensors in Keras order; all shapes are checked before any weight changes.
   * @example model.setWeights([w1, b1, w2, b2]);
   */
  setWeights(weights: readonly Tensor[]): void {
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new Error(
        `setWeights: the model has ${vars.length} weights (${vars.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}) but ${Array.isArray(weights) ? weights.length : 'no array'} were given`,
      );
    }
    checkWeightShapes('setWeights', vars, weights, 0);
    for (let i = 0; i < vars.length; i++) vars[i].assign(weights[i]);
  }

  /** Number of weight values (trainable and not). @example model.countParams(); // 43 for 4-5-3 */
  countParams(): number {
    if (this.builtInput === null) throw this.notBuilt('countParams');
    let n = 0;
    for (const layer of this.layers) n += layer.countParams();
    return n;
  }

  /**
   * The Keras 2 summary table (layers, output shapes, parameter counts); printed unless `print: false`.
   * @example const text = model.summary({ print: false });
   */
  summary(options: SummaryOptions = {}): string {
    if (this.builtInput === null) throw this.notBuilt('summary');
    const text = summaryText(this.name, this.layers, options);
    if (options.print ?? true) {
      const print = options.printFn ?? ((line: string) => console.log(line));
      for (const line of text.split('\n')) print(line);
    }
    return text;
  }

  /** `{ name, layers: [{ className, config }, ...] }`, TF.js's Sequential config. */
  getConfig(): { name: string; layers: SerializedObject[] } {
    const layers = this.layers.map((l) => ({ className: l.className, config: l.getConfig() }));
    if (this.builtInput !== null && layers.length > 0 && layers[0].config.batchInputShape === undefined) {
      layers[0].config.batchInputShape = [...this.builtInput] as ConfigValue[];
    }
    return { name: this.name, layers };
  }

  /**
   * Saves the model in the TF.js Layers format (model.json + weights.bin) through a URL ('file://dir' in
   * Node, atomically) or an IOHandler (`ax.io.withSaveHandler(fn)`, `ax.io.memory()`).
   * @example await model.save('file://models/iris'); // then ax.loadModel('file://models/iris/model.json')
   */
  save(handlerOrUrl: string | IOHandler, config?: SaveConfig): Promise<SaveResult> {
    return saveModel(this, handlerOrUrl, config);
  }

  private notBuilt(what: string): Error {
    return new Error(
      `${what}: the model has not been built yet; give the first layer an inputShape (or inputDim), call build([null, features]), or fit/predict once`,
    );
  }
}

function sameSampleShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => i === 0 || d === null || b[i] === null || d === b[i]);
}

/**
 * A new Sequential model (TF.js `tf.sequential`).
 * @example
 * const model = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [3] })] });
 */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
