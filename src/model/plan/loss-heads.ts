/**
 * Loss heads of the plan: for a batch of predictions ŷ [rows, cols] and targets, the per-sample losses
 * and ∂C/∂ŷ, with C the batch mean (Keras's SUM_OVER_BATCH_SIZE), in one pass over flat buffers.
 *
 * Each head runs the very arithmetic of its loss's op graph (src/nn/losses.ts, loss-crossentropy.ts)
 * and of that graph's backward rules, element by element, rounding to float32 where each op's output
 * is stored — so on the JS backend a planned step reproduces the autodiff graph's bits, including
 * Keras's ε-clipping (whose gradient is 0 where a probability was clipped). This file: the elementwise
 * losses (mean over the last axis); loss-categorical.ts: the categorical ones.
 */
import type { Backend } from '../../backend/backend.js';
import { sigmoid } from '../../backend/js/unary.js';
import { EPSILON } from '../../nn/loss-base.js';
import type { DataArray } from '../../tensor/precision.js';

const f = Math.fround;
/**
 * The clip bounds as clipByValue receives them, and as its gradient mask compares (float32 tensors).
 * @example Math.min(Math.max(p, CLIP_LO), CLIP_HI); // p clipped to [ε, 1 − ε]
 */
export const CLIP_LO = EPSILON;
export const CLIP_HI = 1 - EPSILON;
export const MASK_LO = f(EPSILON);
export const MASK_HI = f(1 - EPSILON);

/** What a head needs besides predictions and targets. */
export interface HeadArgs {
  rows: number;
  cols: number;
  /** Per-sample losses out, [rows]. */
  perSample: DataArray;
  /** ∂C/∂ŷ out, [rows, cols]. */
  grad: DataArray;
  /** `scratchBuffers` buffers of rows · cols floats each. */
  scratch: readonly DataArray[];
  kernels: Backend;
}

/** A loss as the plan runs it. */
export interface LossHead {
  readonly name: string;
  /** Targets are one class index per row (sparse) rather than a row of `cols` values. */
  readonly sparse: boolean;
  /** How many [rows, cols] scratch buffers `run` needs. */
  readonly scratchBuffers: number;
  /** Every buffer holds exactly one batch: pred and grad rows · cols floats, target rows · (1 or cols). */
  run(pred: DataArray, target: DataArray, args: HeadArgs): void;
}

/** ∂C/∂(per-sample loss) = 1/rows, as mean's backward rounds it. @example batchScale(32); // 0.03125 */
export function batchScale(rows: number): number {
  return f(1 / rows);
}

/** The per-element scale of a loss that is a mean over the last axis: (1/rows)/cols. */
function elementScale(rows: number, cols: number): number {
  return f(batchScale(rows) / cols);
}

/** perSample[r] = mean of row r of `values`: the f64 row sum rounded, then divided (mean's ops). */
function rowMeans(values: DataArray, rows: number, cols: number, perSample: DataArray): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += values[r * cols + c];
    perSample[r] = f(s) / cols;
  }
}

/**
 * mean((ŷ − y)², −1).
 * @example meanSquaredErrorHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const meanSquaredErrorHead: LossHead = {
  name: 'meanSquaredError',
  sparse: false,
  scratchBuffers: 0,
  run(p, y, { rows, cols, perSample, grad }) {
    const g = elementScale(rows, cols);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = r * cols; i < (r + 1) * cols; i++) {
        const d = f(p[i] - y[i]);
        s += f(d * d);
        grad[i] = 2 * d * g;
      }
      perSample[r] = f(s) / cols;
    }
  },
};

/**
 * mean(|ŷ − y|, −1); the derivative of |e| at 0 is sign(0) = 0.
 * @example meanAbsoluteErrorHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const meanAbsoluteErrorHead: LossHead = {
  name: 'meanAbsoluteError',
  sparse: false,
  scratchBuffers: 0,
  run(p, y, { rows, cols, perSample, grad }) {
    const g = elementScale(rows, cols);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = r * cols; i < (r + 1) * cols; i++) {
        const d = f(p[i] - y[i]);
        s += Math.abs(d);
        grad[i] = g * Math.sign(d);
      }
      perSample[r] = f(s) / cols;
    }
  },
};

/**
 * mean(max(0, 1 − y·ŷ), −1), labels 0/1 of the batch mapped to −1/1 as the loss maps them.
 * @example hingeHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const hingeHead: LossHead = {
  name: 'hinge',
  sparse: false,
  scratchBuffers: 0,
  run(p, y, { rows, cols, perSample, grad }) {
    const n = rows * cols;
    let zeroOne = true;
    for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) zeroOne = false;
    const g = elementScale(rows, cols);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = r * cols; i < (r + 1) * cols; i++) {
        const signed = zeroOne ? f(f(y[i] * 2) - 1) : y[i];
        const margin = f(1 - f(signed * p[i]));
        s += Math.max(0, margin);
        // maximum(0, m) sends the gradient to m where 0 ≥ m fails; then 1 − m, then signed·ŷ.
        const dMargin = f(g * (1 - (0 >= margin ? 1 : 0)));
        grad[i] = -dMargin * signed;
      }
      perSample[r] = f(s) / cols;
    }
  },
};

/**
 * Huber with threshold δ, written as the loss writes it: q = min(|e|, δ); ½q² + δ(|e| − q).
 * @example huberHead(1).run(pred, target, args);
 */
export function huberHead(delta: number): LossHead {
  const d32 = f(delta);
  return {
    name: 'huber',
    sparse: false,
    scratchBuffers: 0,
    run(p, y, { rows, cols, perSample, grad }) {
      const g = elementScale(rows, cols);
      const dSquare = f(g * 0.5);
      const dLinear = f(g * d32);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = r * cols; i < (r + 1) * cols; i++) {
          const e = f(p[i] - y[i]);
          const error = Math.abs(e);
          const q = Math.min(error, d32);
          s += f(f(0.5 * f(q * q)) + f(d32 * f(error - q)));
          // q gets 2q·(½g) from the square and −δg from |e| − q; |e| gets δg and, where |e| ≤ δ, q's.
          const dq = f(f(2 * q * dSquare) - dLinear);
          const dError = f(dLinear + f(dq * (error <= d32 ? 1 : 0)));
          grad[i] = dError * Math.sign(e);
        }
        perSample[r] = f(s) / cols;
      }
    },
  };
}

/**
 * Binary cross-entropy on probabilities, TF.js's way: clip p to [ε, 1 − ε], back to the logit
 * log(p / (1 − p)), sigmoid cross-entropy of that; the gradient retraces every step (0 where clipped).
 * @example binaryCrossentropyHead.run(pred, target, args);
 */
export const binaryCrossentropyHead: LossHead = {
  name: 'binaryCrossentropy',
  sparse: false,
  scratchBuffers: 1,
  run(p, y, { rows, cols, perSample, grad, scratch }) {
    const g = elementScale(rows, cols);
    const loss = scratch[0];
    for (let i = 0; i < rows * cols; i++) {
      const pi = p[i];
      const yi = y[i];
      const c = f(Math.min(Math.max(pi, CLIP_LO), CLIP_HI));
      const oneMinus = f(1 - c);
      const ratio = f(c / oneMinus);
      const x = f(Math.log(ratio));
      loss[i] = f(Math.max(x, 0) - f(x * yi)) + Math.log1p(Math.exp(-Math.abs(x)));
      const dx = f(g * f(f(sigmoid(x)) - yi));
      const dRatio = f(dx / ratio);
      // c reaches the loss as the numerator and through 1 − c: both gradients, summed.
      const dc = f(f(dRatio / oneMinus) + f(f(dRatio * c) / f(oneMinus * oneMinus)));
      grad[i] = dc * ((pi >= MASK_LO ? 1 : 0) * (pi <= MASK_HI ? 1 : 0));
    }
    rowMeans(loss, rows, cols, perSample);
  },
};

/**
 * Binary cross-entropy on logits: the fused sigmoid cross-entropy kernel, mean over the last axis.
 * @example binaryCrossentropyLogitsHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const binaryCrossentropyLogitsHead: LossHead = {
  name: 'binaryCrossentropy',
  sparse: false,
  scratchBuffers: 1,
  run(p, y, { rows, cols, perSample, grad, scratch, kernels }) {
    kernels.sigmoidCrossEntropy(p, y, elementScale(rows, cols), scratch[0], grad);
    rowMeans(scratch[0], rows, cols, perSample);
  },
};
