/**
 * The categorical loss heads (see loss-heads.ts for the contract): categorical and sparse categorical
 * cross-entropy, on probabilities (TF.js's normalize-by-row-sum, clip to [ε, 1 − ε], log — and the
 * backward of each of those ops) or on logits (the fused softmax cross-entropy kernel).
 */
import type { DataArray } from '../../tensor/precision.js';
import {
  batchScale,
  CLIP_HI,
  CLIP_LO,
  type HeadArgs,
  type LossHead,
  MASK_HI,
  MASK_LO,
} from './loss-heads.js';

const f = Math.fround;

/**
 * −Σ y·log clip(p / Σp) per row and its gradient with respect to p, as categoricalFromProbabilities's
 * graph computes them: ∂/∂p reaches p through the numerator of p / Σp and through Σp.
 */
function categoricalRows(p: DataArray, y: DataArray, args: HeadArgs): void {
  const { rows, cols, perSample, grad } = args;
  const upstream = -batchScale(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let total = 0;
    for (let c = 0; c < cols; c++) total += p[base + c];
    const s = f(total);
    let dot = 0;
    for (let i = base; i < base + cols; i++) {
      const normalized = f(p[i] / s);
      const clipped = f(Math.min(Math.max(normalized, CLIP_LO), CLIP_HI));
      dot += f(y[i] * f(Math.log(clipped)));
      const dClipped = f(f(upstream * y[i]) / clipped);
      grad[i] = dClipped * ((normalized >= MASK_LO ? 1 : 0) * (normalized <= MASK_HI ? 1 : 0));
    }
    perSample[r] = -f(dot);
    // ∂/∂Σp = −Σ dn·p / (Σp)², summed over the row in f64 (sumTo's reduction).
    const s2 = f(s * s);
    let dSum = 0;
    for (let i = base; i < base + cols; i++) dSum += -f(f(grad[i] * p[i]) / s2);
    const ds = f(dSum);
    for (let i = base; i < base + cols; i++) grad[i] = f(grad[i] / s) + ds;
  }
}

/** One-hot rows from class indices (oneHotTargets: floored; an index outside [0, cols) throws). */
function oneHot(name: string, indices: DataArray, rows: number, cols: number, out: DataArray): void {
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(indices[r]);
    if (!(c >= 0 && c < cols)) {
      throw new Error(`${name}: target row ${r} is class ${indices[r]}, outside 0..${cols - 1}`);
    }
    for (let j = 0; j < cols; j++) out[r * cols + j] = 0;
    out[r * cols + c] = 1;
  }
}

/**
 * Categorical cross-entropy on probabilities (one-hot or soft targets).
 * @example categoricalCrossentropyHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const categoricalCrossentropyHead: LossHead = {
  name: 'categoricalCrossentropy',
  sparse: false,
  scratchBuffers: 0,
  run(p, y, args) {
    categoricalRows(p, y, args);
  },
};

/**
 * Sparse categorical cross-entropy on probabilities: p is clipped first, then as categorical.
 * @example sparseCategoricalCrossentropyHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const sparseCategoricalCrossentropyHead: LossHead = {
  name: 'sparseCategoricalCrossentropy',
  sparse: true,
  scratchBuffers: 2,
  run(p, y, args) {
    const { rows, cols, grad, scratch } = args;
    const n = rows * cols;
    const labels = scratch[0];
    const clipped = scratch[1];
    oneHot('sparseCategoricalCrossentropy', y, rows, cols, labels);
    for (let i = 0; i < n; i++) clipped[i] = Math.min(Math.max(p[i], CLIP_LO), CLIP_HI);
    categoricalRows(clipped, labels, args);
    for (let i = 0; i < n; i++) grad[i] = grad[i] * ((p[i] >= MASK_LO ? 1 : 0) * (p[i] <= MASK_HI ? 1 : 0));
  },
};

/**
 * Categorical cross-entropy on logits: the fused softmax cross-entropy kernel.
 * @example categoricalCrossentropyLogitsHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const categoricalCrossentropyLogitsHead: LossHead = {
  name: 'categoricalCrossentropy',
  sparse: false,
  scratchBuffers: 0,
  run(p, y, { rows, cols, perSample, grad, kernels }) {
    kernels.softmaxCrossEntropy(p, y, rows, cols, batchScale(rows), perSample, grad);
  },
};

/**
 * Sparse categorical cross-entropy on logits: one-hot targets, then the fused kernel.
 * @example sparseCategoricalCrossentropyLogitsHead.run(pred, target, args); // per-sample losses and ∂C/∂ŷ into args
 */
export const sparseCategoricalCrossentropyLogitsHead: LossHead = {
  name: 'sparseCategoricalCrossentropy',
  sparse: true,
  scratchBuffers: 1,
  run(p, y, { rows, cols, perSample, grad, scratch, kernels }) {
    oneHot('sparseCategoricalCrossentropy', y, rows, cols, scratch[0]);
    kernels.softmaxCrossEntropy(p, scratch[0], rows, cols, batchScale(rows), perSample, grad);
  },
};
