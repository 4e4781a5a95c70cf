/**
 * The training plan: a model's forward pass, loss gradient, backward pass and optimizer update over
 * buffers planned once — per model and compiled state for the weight gradients, per batch size for
 * the activations and deltas — so that a step allocates nothing. The arithmetic is the autodiff
 * graph's, op for op (fused kernels, loss heads), so a planned fit trains like the graph path.
 */
import type { Backend, BoundKernel, DenseDims } from '../../backend/backend.js';
import { kernels } from '../../backend/registry.js';
import { type DataArray, residentFloat32 } from '../../tensor/precision.js';
import { getRandom } from '../../tensor/random.js';
import { Tensor, type Variable } from '../../tensor/tensor.js';
import type { CompiledState } from '../compile.js';
import type { Sequential } from '../sequential.js';
import type { HeadArgs, LossHead } from './loss-heads.js';
import { lossHead } from './loss-select.js';
import { type ActivationStage, type DenseStage, planStages, type Stage } from './stages.js';

const NO_INPUT = new Float32Array(0);

/**
 * Every buffer one training step on `rows` samples touches.
 * @example
 * const buffers = plan.buffers(128); // a BatchBuffers, planned once, reused every step
 */
export class BatchBuffers {
  readonly rows: number;
  /** Per stage: the product's shape (dense stages). */
  readonly dims: (DenseDims | null)[];
  /** Per stage: its output (null for identity stages, which pass their input on). */
  readonly out: (Float32Array | null)[];
  /** Per dense stage with a non-linear activation: z = x·W + b. */
  readonly z: (Float32Array | null)[];
  /** Per dropout stage: the keep/drop mask of this step. */
  readonly mask: (Float32Array | null)[];
  /** Per dense stage whose input needs a gradient: ∂C/∂input. */
  readonly dIn: (Float32Array | null)[];
  /** Per stage: the buffer it read this step (set by the forward pass). */
  readonly inputs: DataArray[];
  /** The model's output and ∂C/∂output. */
  readonly pred: Float32Array;
  readonly dPred: Float32Array;
  readonly headArgs: HeadArgs;
  /** What `trainStep` returns: the loss and the predictions (as a tensor over `pred`). */
  readonly result: { loss: number; yPred: Tensor };
  /** Dense kernels bound to these buffers, per stage (undefined: not tried yet; null: not bindable). */
  readonly boundForward: (BoundKernel | null | undefined)[];
  readonly boundBackward: (BoundKernel | null | undefined)[];
  /** The backend the bindings were made on. */
  boundBackend: Backend | null = null;
  /**
   * The input batch, copied in when the first layer runs bound: then every caller (fit, fitDataset,
   * trainOnBatch) runs the same kernels on the same buffer, whatever array it passes.
   */
  readonly input: Float32Array;

  constructor(plan: TrainingPlan, rows: number) {
    const stages = plan.stages;
    this.rows = rows;
    this.dims = stages.map((s) => (s.kind === 'dense' ? { m: rows, k: s.inWidth, n: s.outWidth } : null));
    this.out = stages.map((s) => (s.kind === 'identity' ? null : residentFloat32(rows * widthOf(s))));
    this.z = stages.map((s) =>
      s.kind === 'dense' && s.activation !== 'linear' ? residentFloat32(rows * s.outWidth) : null,
    );
    this.mask = stages.map((s) => (s.kind === 'dropout' ? residentFloat32(rows * s.width) : null));
    this.dIn = stages.map((s, i) =>
      s.kind === 'dense' && i > plan.firstTrainable ? residentFloat32(rows * s.inWidth) : null,
    );
    this.inputs = stages.map(() => NO_INPUT);
    const last = plan.outputStage;
    this.pred = this.out[last] as Float32Array;
    const cols = plan.outputWidth;
    this.dPred = residentFloat32(rows * cols);
    this.headArgs = {
      rows,
      cols,
      perSample: residentFloat32(rows),
      grad: this.dPred,
      scratch: Array.from({ length: plan.head.scratchBuffers }, () => residentFloat32(rows * cols)),
      kernels: kernels(),
    };
    this.result = { loss: Number.NaN, yPred: new Tensor(this.pred, [rows, cols]) };
    this.boundForward = stages.map(() => undefined);
    this.boundBackward = stages.map(() => undefined);
    this.input = residentFloat32(rows * plan.inputWidth);
  }

  /** Drops bindings made on another backend. */
  checkBindings(k: Backend): void {
    if (this.boundBackend === k) return;
    this.boundForward.fill(undefined);
    this.boundBackward.fill(undefined);
    this.boundBackend = k;
  }
}

function widthOf(stage: Stage): number {
  return stage.kind === 'dense' ? stage.outWidth : stage.width;
}

/** a = f(x) of an activation stage, on the backend's kernels (the Activation layer's own ops). */
function activate(k: Backend, stage: ActivationStage, x: DataArray, out: DataArray, rows: number): void {
  if (stage.activation === 'softmax') k.softmax(x, rows, stage.width, out);
  else if (stage.activation === 'logSoftmax') k.logSoftmax(x, rows, stage.width, out);
  else if (stage.activation !== 'linear') k.unary(stage.activation, x, out, stage.alpha);
}

/** ∂C/∂x of an activation stage, in place over ∂C/∂a (the ops' backward kernels). */
function activateBackward(
  k: Backend,
  stage: ActivationStage,
  x: DataArray,
  a: DataArray,
  d: DataArray,
  rows: number,
): void {
  if (stage.activation === 'softmax') k.softmaxGrad(a, d, rows, stage.width, d);
  else if (stage.activation === 'logSoftmax') k.logSoftmaxGrad(a, d, rows, stage.width, d);
  else if (stage.activation !== 'linear') k.unaryGrad(stage.activation, x, a, d, d, stage.alpha);
}

/** How many batch sizes keep their buffers (a fit uses one or two: full batches and the last one). */
const BATCH_SIZES_KEPT = 4;

/**
 * A compiled model as stages, loss head, weights and their gradient buffers.
 * @example
 * const plan = buildTrainingPlan(model, model.compiled) as TrainingPlan;
 * const loss = plan.step(plan.buffers(32), xBatch, yBatch);
 */
export class TrainingPlan {
  readonly stages: readonly Stage[];
  readonly head: LossHead;
  readonly compiled: CompiledState;
  readonly inputWidth: number;
  readonly outputWidth: number;
  /** The stage whose output is the model's output (the last one that is not an identity). */
  readonly outputStage: number;
  /** The first stage with trainable weights (stages.length when none): the backward pass stops there. */
  readonly firstTrainable: number;
  /** The first stage that reads the input batch itself (identity stages before it pass it on). */
  readonly firstReader: number;
  /** The trainable weights, in the model's order, and their gradients (tensors over planned buffers). */
  readonly variables: Variable[] = [];
  readonly grads: Tensor[] = [];
  private readonly dW: (Float32Array | null)[];
  private readonly dB: (Float32Array | null)[];
  private readonly batches = new Map<number, BatchBuffers>();

  constructor(stages: Stage[], inputWidth: number, head: LossHead, compiled: CompiledState) {
    this.stages = stages;
    this.head = head;
    this.compiled = compiled;
    this.inputWidth = inputWidth;
    let last = stages.length - 1;
    while (stages[last].kind === 'identity') last--;
    this.outputStage = last;
    this.outputWidth = widthOf(stages[last]);
    const first = stages.findIndex((s) => s.kind === 'dense' && s.trainable);
    this.firstTrainable = first < 0 ? stages.length : first;
    const reader = stages.findIndex((s) => s.kind !== 'identity');
    this.firstReader = reader < 0 ? 0 : reader;
    this.dW = stages.map((s) => (s.kind === 'dense' && s.trainable ? residentFloat32(s.kernel.size) : null));
    this.dB = stages.map((s) =>
      s.kind === 'dense' && s.trainable && s.bias !== null ? residentFloat32(s.bias.size) : null,
    );
    stages.forEach((s, i) => {
      if (s.kind !== 'dense' || !s.trainable) return;
      this.variables.push(s.kernel);
      this.grads.push(new Tensor(this.dW[i] as Float32Array, s.kernel.shape));
      if (s.bias !== null) {
        this.variables.push(s.bias);
        this.grads.push(new Tensor(this.dB[i] as Float32Array, s.bias.shape));
      }
    });
  }

  /** The buffers for batches of `rows` samples (planned on first use, then reused). */
  buffers(rows: number): BatchBuffers {
    let buffers = this.batches.get(rows);
    if (buffers === undefined) {
      if (this.batches.size >= BATCH_SIZES_KEPT) {
        const oldest = this.batches.keys().next().value as number;
        this.batches.delete(oldest);
      }
      buffers = new BatchBuffers(this, rows);
      this.batches.set(rows, buffers);
    }
    return buffers;
  }

  /**
   * One training step on x [rows, inputWidth] and targets y (rows · outputWidth values, or rows class
   * indices): forward, loss, backward, optimizer update. Returns the batch loss; a non-finite loss
   * changes no weight (as the graph path).
   */
  step(buf: BatchBuffers, x: DataArray, y: DataArray): number {
    const k = kernels();
    buf.headArgs.kernels = k;
    buf.checkBindings(k);
    this.forward(k, buf, this.inputFor(k, buf, x));
    this.head.run(buf.pred, y, buf.headArgs);
    // mean(perSample): the f64 sum rounded, then divided by the batch size, as reduceLoss's ops.
    const perSample = buf.headArgs.perSample;
    let total = 0;
    for (let r = 0; r < buf.rows; r++) total += perSample[r];
    const loss = Math.fround(Math.fround(total) / buf.rows);
    if (this.variables.length === 0 || !Number.isFinite(loss)) return loss;
    this.backward(k, buf);
    this.compiled.optimizer.applyGradients(this.variables, this.grads);
    return loss;
  }

  /** The batch the first layer reads: `buf.input` (a copy of x) when that layer runs bound, else x. */
  private inputFor(k: Backend, buf: BatchBuffers, x: DataArray): DataArray {
    const s = this.firstReader;
    const stage = this.stages[s];
    if (stage.kind !== 'dense' || this.boundForward(k, buf, s, stage, buf.input) === null) return x;
    if (x !== buf.input) buf.input.set(x.length === buf.input.length ? x : x.subarray(0, buf.input.length));
    return buf.input;
  }

  /** Stage s's forward bound to its buffers and input `x` (made on first use), or null. */
  private boundForward(
    k: Backend,
    buf: BatchBuffers,
    s: number,
    stage: DenseStage,
    x: DataArray,
  ): BoundKernel | null {
    let bound = buf.boundForward[s];
    if (bound === undefined) {
      const a = buf.out[s] as Float32Array;
      const bias = stage.bias === null ? null : stage.bias.values;
      const dims = buf.dims[s] as DenseDims;
      bound =
        k.bindDenseForward?.(
          x,
          stage.kernel.values,
          bias,
          dims,
          stage.activation,
          stage.alpha,
          buf.z[s] ?? a,
          a,
        ) ?? null;
      buf.boundForward[s] = bound;
    }
    return bound;
  }

  private forward(k: Backend, buf: BatchBuffers, x: DataArray): void {
    const stages = this.stages;
    const rows = buf.rows;
    let current = x;
    for (let s = 0; s < stages.length; s++) {
      const stage = stages[s];
      buf.inputs[s] = current;
      if (stage.kind === 'dense') {
        const a = buf.out[s] as Float32Array;
        const bound = this.boundForward(k, buf, s, stage, current);
        if (bound) bound();
        else {
          const bias = stage.bias === null ? null : stage.bias.values;
          const z = buf.z[s] ?? a;
          const dims = buf.dims[s] as DenseDims;
          k.denseForward(current, stage.kernel.values, bias, dims, stage.activation, stage.alpha, z, a);
        }
        current = a;
      } else if (stage.kind === 'activation') {
        const out = buf.out[s] as Float32Array;
        activate(k, stage, current, out, rows);
        current = out;
      } else if (stage.kind === 'dropout') {
        const out = buf.out[s] as Float32Array;
        const mask = buf.mask[s] as Float32Array;
        // The Dropout layer's draws, in its order: keep where u ≥ rate, scaled by 1/(1 − rate).
        const rng = stage.random ?? getRandom();
        const rate = stage.rate;
        const keep = 1 / (1 - rate);
        for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= rate ? keep : 0;
        for (let i = 0; i < out.length; i++) out[i] = current[i] * mask[i];
        current = out;
      }
    }
  }

  private backward(k: Backend, buf: BatchBuffers): void {
    const stages = this.stages;
    let d: DataArray = buf.dPred;
    for (let s = stages.length - 1; s >= this.firstTrainable; s--) {
      const stage = stages[s];
      const x = buf.inputs[s];
      if (stage.kind === 'dense') {
        const a = buf.out[s] as Float32Array;
        const dx = buf.dIn[s];
        const dims = buf.dims[s] as DenseDims;
        const z = buf.z[s] ?? a;
        const w = stage.kernel.values;
        let bound = buf.boundBackward[s];
        // A binding fixes its operands: the first layer's input is fixed only when it is buf.input.
        if (bound === undefined && s === this.firstReader && x !== buf.input) bound = null;
        if (bound === undefined) {
          bound = k.bindDenseBackward?.(
            x,
            w,
            z,
            a,
            d,
            dims,
            stage.activation,
            stage.alpha,
            d,
            this.dW[s],
            this.dB[s],
            dx,
          );
          buf.boundBackward[s] = bound ?? null;
        }
        if (bound) bound();
        else
          k.denseBackward(x, w, z, a, d, dims, stage.activation, stage.alpha, d, this.dW[s], this.dB[s], dx);
        if (dx !== null) d = dx;
      } else if (stage.kind === 'activation') {
        activateBackward(k, stage, x, buf.out[s] as Float32Array, d, buf.rows);
      } else if (stage.kind === 'dropout') {
        const mask = buf.mask[s] as Float32Array;
        for (let i = 0; i < mask.length; i++) d[i] = d[i] * mask[i];
      }
    }
  }
}

/**
 * The training plan of a compiled model, or the reason it cannot have one.
 * @example
 * const plan = buildTrainingPlan(model, model.compiled); // a TrainingPlan, or 'layer ... is not ...'
 */
export function buildTrainingPlan(model: Sequential, compiled: CompiledState): TrainingPlan | string {
  const planned = planStages(model);
  if ('reason' in planned) return planned.reason;
  const head = lossHead(compiled.loss);
  if (head === null) return `the loss '${compiled.loss.name}' is not a built-in loss the plan runs`;
  const plan = new TrainingPlan(planned.stages, planned.inputWidth, head, compiled);
  // Every weight training updates must be one the plan computes a gradient for, in the same order.
  const expected = model.trainableWeights;
  const same = expected.length === plan.variables.length && expected.every((v, i) => v === plan.variables[i]);
  if (!same) return 'the model has trainable weights outside its Dense layers';
  return plan;
}
