/**
 * The inference plan of `predict`: the forward pass over planned buffers, dropout off. Rows are
 * independent in every stage the plan runs, so it takes as many rows per pass as keep its widest
 * activation buffer near a megabyte (at least the caller's batch size): the results are the same bits
 * as any other batching, with far fewer kernel calls.
 */
import type { Backend, DenseDims } from '../../backend/backend.js';
import { kernels } from '../../backend/registry.js';
import type { Layer } from '../../nn/layers/layer.js';
import { type DataArray, residentFloat32 } from '../../tensor/precision.js';
import type { Sequential } from '../sequential.js';
import { planStages, type Stage } from './stages.js';

/** Floats per activation buffer that set how many rows one pass takes. */
const PASS_FLOATS = 1 << 18;
const PASS_SIZES_KEPT = 4;
const NO_OUTPUT = new Float32Array(0);

/**
 * Buffers of one pass over `rows` rows: per stage its product's dims and its output (the last stage
 * writes into the caller's result instead). Each output is a whole array of its own, resident in the
 * kernels' memory where it can be, so the kernels write it in place.
 */
interface PassBuffers {
  dims: (DenseDims | null)[];
  outputs: Float32Array[];
}

/**
 * A model's forward pass in inference mode, as stages over planned buffers.
 * @example
 * const plan = buildInferencePlan(model) as InferencePlan;
 * plan.run(x.values, n, out, plan.passRows(n, 32));
 */
export class InferencePlan {
  readonly layers: readonly Layer[];
  /** The stages that compute something in inference (dropout and identities left out). */
  readonly stages: readonly Stage[];
  readonly inputWidth: number;
  readonly outputWidth: number;
  private readonly maxWidth: number;
  private readonly passes = new Map<number, PassBuffers>();

  constructor(layers: readonly Layer[], stages: readonly Stage[], inputWidth: number) {
    this.layers = [...layers];
    this.stages = stages.filter((s) => s.kind === 'dense' || s.kind === 'activation');
    this.inputWidth = inputWidth;
    const widths = this.stages.map((s) => (s.kind === 'dense' ? s.outWidth : s.width));
    this.outputWidth = widths[widths.length - 1];
    this.maxWidth = Math.max(...widths);
  }

  /** Whether the model still has exactly the layers this plan was made for. */
  matches(model: Sequential): boolean {
    const layers = model.layers;
    if (layers.length !== this.layers.length) return false;
    for (let i = 0; i < layers.length; i++) if (layers[i] !== this.layers[i]) return false;
    return true;
  }

  /** Rows per pass for a caller's batch size. */
  passRows(n: number, batchSize: number): number {
    return Math.max(1, Math.min(n, Math.max(batchSize, Math.floor(PASS_FLOATS / this.maxWidth))));
  }

  private buffers(rows: number): PassBuffers {
    let p = this.passes.get(rows);
    if (p === undefined) {
      if (this.passes.size >= PASS_SIZES_KEPT) this.passes.delete(this.passes.keys().next().value as number);
      const last = this.stages.length - 1;
      p = {
        dims: this.stages.map((s) => (s.kind === 'dense' ? { m: rows, k: s.inWidth, n: s.outWidth } : null)),
        outputs: this.stages.map((s, i) =>
          i === last ? NO_OUTPUT : residentFloat32(rows * (s.kind === 'dense' ? s.outWidth : s.width)),
        ),
      };
      this.passes.set(rows, p);
    }
    return p;
  }

  /** out[n, outputWidth] = the model's outputs for x[n, inputWidth], `rows` rows per pass. */
  run(x: DataArray, n: number, out: DataArray, rows: number): void {
    const k = kernels();
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const p = this.buffers(count);
      const whole = count === n;
      const input = whole ? x : x.subarray(start * this.inputWidth, (start + count) * this.inputWidth);
      const target = whole ? out : out.subarray(start * this.outputWidth, (start + count) * this.outputWidth);
      this.pass(k, p, count, input, target);
    }
  }

  private pass(k: Backend, p: PassBuffers, rows: number, x: DataArray, out: DataArray): void {
    const stages = this.stages;
    let current = x;
    for (let s = 0; s < stages.length; s++) {
      const stage = stages[s];
      const dst = s === stages.length - 1 ? out : p.outputs[s];
      if (stage.kind === 'dense') {
        const bias = stage.bias === null ? null : stage.bias.values;
        const dims = p.dims[s] as DenseDims;
        k.denseForward(current, stage.kernel.values, bias, dims, stage.activation, stage.alpha, dst, dst);
      } else if (stage.kind === 'activation') {
        if (stage.activation === 'softmax') k.softmax(current, rows, stage.width, dst);
        else if (stage.activation === 'logSoftmax') k.logSoftmax(current, rows, stage.width, dst);
        else if (stage.activation === 'linear') dst.set(current);
        else k.unary(stage.activation, current, dst, stage.alpha);
      }
      current = dst;
    }
  }
}

/**
 * The inference plan of a model, or the reason it cannot have one.
 * @example
 * const plan = buildInferencePlan(model);
 */
export function buildInferencePlan(model: Sequential): InferencePlan | string {
  const planned = planStages(model);
  if ('reason' in planned) return planned.reason;
  return new InferencePlan(model.layers, planned.stages, planned.inputWidth);
}
