/**
 * Where the model code enters the plan: `plannedTrainStep` (from trainStep), `plannedPredict` (from
 * predict) and `BatchTensors` (fit's batch gathering). Each returns null when the graph path must run
 * — unsupported model or loss, class weights, float64 gradient checking, or the 'graph' mode — and
 * caches plans per model, rebuilt when the model's layers, trainable flags or compile state change.
 */

import type { Layer } from '../../nn/layers/layer.js';
import { isFloat64 } from '../../tensor/precision.js';
import { Tensor } from '../../tensor/tensor.js';
import type { CompiledState } from '../compile.js';
import type { Sequential } from '../sequential.js';
import { buildInferencePlan, type InferencePlan } from './inference-plan.js';
import { getPlanMode, recordPath } from './mode.js';
import { buildTrainingPlan, type TrainingPlan } from './training-plan.js';

/** A plan (or the reason there is none) with what it was made for. */
interface CachedTraining {
  compiled: CompiledState;
  layers: Layer[];
  trainable: boolean[];
  plan: TrainingPlan | string;
}

const trainingPlans = new WeakMap<Sequential, CachedTraining>();
const inferencePlans = new WeakMap<Sequential, InferencePlan | { layers: Layer[]; reason: string }>();

function sameLayers(model: Sequential, layers: readonly Layer[]): boolean {
  const current = model.layers;
  if (current.length !== layers.length) return false;
  for (let i = 0; i < layers.length; i++) if (current[i] !== layers[i]) return false;
  return true;
}

/**
 * The model's training plan for this compile state, or why it has none (cached; checked against the
 * model at every call, which costs a few comparisons).
 * @example
 * const plan = trainingPlanFor(model, model.compiled);
 */
export function trainingPlanFor(model: Sequential, compiled: CompiledState): TrainingPlan | string {
  const cached = trainingPlans.get(model);
  if (cached !== undefined && cached.compiled === compiled && sameLayers(model, cached.layers)) {
    let same = true;
    for (let i = 0; i < cached.layers.length; i++) {
      if (cached.layers[i].trainable !== cached.trainable[i]) same = false;
    }
    if (same) return cached.plan;
  }
  const layers = [...model.layers];
  const plan = buildTrainingPlan(model, compiled);
  trainingPlans.set(model, { compiled, layers, trainable: layers.map((l) => l.trainable), plan });
  return plan;
}

/** Why a training step cannot be planned, or null when it can. */
function refusal(
  plan: TrainingPlan | string,
  x: Tensor,
  y: Tensor,
  sampleWeight: Tensor | undefined,
): string | null {
  if (sampleWeight !== undefined) return 'the step has sample weights (classWeight)';
  if (isFloat64()) return 'tensors are stored as float64 (gradient checking)';
  if (typeof plan === 'string') return plan;
  const rows = x.shape[0];
  if (!(x.values instanceof Float32Array) || !(y.values instanceof Float32Array)) return 'float64 batch';
  if (rows === 0 || x.size !== rows * plan.inputWidth) return 'the batch does not match the input shape';
  if (y.size !== rows * (plan.head.sparse ? 1 : plan.outputWidth))
    return 'the targets do not match the output';
  return null;
}

/**
 * One training step on the plan, or null when this step must run on the graph. The result object and
 * its `yPred` tensor are the plan's own, reused by the next step of the same batch size.
 * @example
 * const r = plannedTrainStep(model, compiled, xb, yb, undefined) ?? graphStep();
 */
export function plannedTrainStep(
  model: Sequential,
  compiled: CompiledState,
  x: Tensor,
  y: Tensor,
  sampleWeight: Tensor | undefined,
): { loss: number; yPred: Tensor } | null {
  const mode = getPlanMode();
  if (mode === 'graph') {
    recordPath(model, 'train', 'graph');
    return null;
  }
  const plan = sampleWeight === undefined && !isFloat64() ? trainingPlanFor(model, compiled) : '';
  const why = refusal(plan, x, y, sampleWeight);
  if (why !== null || typeof plan === 'string') {
    if (mode === 'plan') throw new Error(`planned training step: not possible here: ${why}`);
    recordPath(model, 'train', 'graph');
    return null;
  }
  const buffers = plan.buffers(x.shape[0]);
  buffers.result.loss = plan.step(buffers, x.values, y.values);
  recordPath(model, 'train', 'plan');
  return buffers.result;
}

/**
 * Whether fit's steps will run on the plan (then batches are gathered into reused tensors).
 * @example
 * if (fitWillPlan(model, compiled, null)) xs = new BatchTensors(x);
 */
export function fitWillPlan(
  model: Sequential,
  compiled: CompiledState,
  sampleWeight: Tensor | null,
): boolean {
  if (getPlanMode() === 'graph' || sampleWeight !== null || isFloat64()) return false;
  return typeof trainingPlanFor(model, compiled) !== 'string';
}

/**
 * The model's outputs for `input` on the inference plan, or null when predict must use the graph.
 * @example
 * const y = plannedPredict(model, x, 32) ?? graphPredict();
 */
export function plannedPredict(model: Sequential, input: Tensor, batchSize: number): Tensor | null {
  const mode = getPlanMode();
  let plan: InferencePlan | string = 'the plan mode is graph';
  if (mode !== 'graph') {
    const cached = inferencePlans.get(model);
    if (cached !== undefined && sameLayers(model, cached.layers)) {
      plan = 'reason' in cached ? cached.reason : cached;
    } else {
      plan = buildInferencePlan(model);
      inferencePlans.set(
        model,
        typeof plan === 'string' ? { layers: [...model.layers], reason: plan } : plan,
      );
    }
    if (isFloat64()) plan = 'tensors are stored as float64 (gradient checking)';
    else if (!(input.values instanceof Float32Array)) plan = 'the input is float64';
  }
  const n = input.shape[0];
  if (typeof plan !== 'string' && input.size !== n * plan.inputWidth) plan = 'the input does not match';
  if (typeof plan === 'string') {
    if (mode === 'plan') throw new Error(`planned predict: not possible here: ${plan}`);
    recordPath(model, 'predict', 'graph');
    return null;
  }
  const out = new Float32Array(n * plan.outputWidth);
  plan.run(input.values, n, out, plan.passRows(n, batchSize));
  recordPath(model, 'predict', 'plan');
  return new Tensor(out, [n, plan.outputWidth]);
}

/**
 * Gathers rows of a data tensor into one tensor per batch size, reused for every batch: fit's batch
 * gathering without a new tensor (or a row view) per step. A batch tensor is only read within its step.
 * @example
 * const xs = new BatchTensors(x);
 * const xb = xs.gather(order, 0, 32); // the same tensor object for every batch of 32
 */
export class BatchTensors {
  private readonly batches = new Map<number, Tensor>();
  private readonly rowSize: number;

  constructor(private readonly source: Tensor) {
    this.rowSize = source.shape[0] === 0 ? 0 : source.size / source.shape[0];
  }

  /** Rows `order[start..end)` of the source, in that order. */
  gather(order: Int32Array, start: number, end: number): Tensor {
    const count = end - start;
    let batch = this.batches.get(count);
    if (batch === undefined) {
      batch = new Tensor(new Float32Array(count * this.rowSize), [count, ...this.source.shape.slice(1)]);
      this.batches.set(count, batch);
    }
    const src = this.source.values;
    const dst = batch.values;
    const size = this.rowSize;
    for (let i = 0; i < count; i++) {
      const from = order[start + i] * size;
      const to = i * size;
      for (let j = 0; j < size; j++) dst[to + j] = src[from + j];
    }
    return batch;
  }
}
