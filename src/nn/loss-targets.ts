/**
 * Target validation for the losses: every check runs once before training, on the whole target tensor,
 * and names the loss, the offending row and what was expected, so a mistake in the data (class indices
 * given to categoricalCrossentropy, labels −1/1 given to binaryCrossentropy, NaN from a bad CSV cell)
 * is reported as such instead of surfacing as a NaN loss or a broadcasting error many steps later.
 */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A model output's shape, batch first; the batch entry (often unknown: null or -1) is ignored. */
export type OutputShape = readonly (number | null)[];

function formatOutputShape(shape: OutputShape): string {
  return `[${shape.map((d, i) => (i === 0 ? 'batch' : d === null || d < 0 ? '?' : d)).join(',')}]`;
}

/** Values per target row (1 for a rank-1 target). */
function rowSize(y: Tensor): number {
  return y.shape[0] === 0 ? 0 : y.size / y.shape[0];
}

/** The output's per-sample shape (everything after the batch axis), as given. */
function featureShape(loss: string, outputShape: OutputShape): (number | null)[] {
  if (!Array.isArray(outputShape) || outputShape.length < 2) {
    throw new Error(
      `${loss}: the model output shape must be batch first with at least 2 entries (e.g. [null, 3]), got ${JSON.stringify(outputShape)}`,
    );
  }
  return outputShape.slice(1);
}

/** The output's last dimension, or null when unknown. */
export function outputWidth(outputShape: OutputShape): number | null {
  const w = outputShape[outputShape.length - 1];
  return w === null || w === undefined || w < 0 ? null : w;
}

/** Throws when the targets are not a tensor with a batch axis, or hold NaN/±∞ (naming the first such row). */
export function checkFiniteTargets(loss: string, y: Tensor): void {
  if (y === null || typeof y !== 'object' || !('shape' in y) || !('values' in y)) {
    throw new Error(`${loss}: targets must be a Tensor, got ${y === null ? 'null' : typeof y}`);
  }
  if (y.rank === 0) {
    throw new Error(`${loss}: targets must have a batch axis (shape [batch, ...]), got a scalar`);
  }
  const v = y.values;
  const row = rowSize(y);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      const r = Math.floor(i / row);
      const where = row > 1 ? `, column ${i - r * row}` : '';
      throw new Error(
        `${loss}: target row ${r}${where} is ${v[i]}; targets must be finite numbers (check for missing or non-numeric values in the data)`,
      );
    }
  }
}

/** Whether every value is an integer in [0, k): what class indices look like. */
function looksLikeClassIndices(y: Tensor, k: number): boolean {
  const v = y.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0 || v[i] >= k) return false;
  }
  return true;
}

/**
 * Targets must have the output's per-sample shape; a rank-1 target [n] also fits an output [batch, 1].
 * The error says what was expected and, when the targets look like class indices, how to fix it.
 */
export function checkSameShape(loss: string, y: Tensor, outputShape: OutputShape): void {
  const want = featureShape(loss, outputShape);
  const got = y.shape.slice(1);
  const matches = (a: readonly number[], b: readonly (number | null)[]) =>
    a.length === b.length && a.every((d, i) => b[i] === null || (b[i] as number) < 0 || d === b[i]);
  if (matches(got, want) || (got.length === 0 && matches([1], want))) return;
  const width = outputWidth(outputShape);
  let hint = '';
  if ((got.length === 0 || (got.length === 1 && got[0] === 1)) && width !== null && width > 1) {
    if (looksLikeClassIndices(y, width)) {
      hint =
        ' The targets look like class indices: use sparseCategoricalCrossentropy, or one-hot encode them to shape ' +
        `[${y.shape[0]},${width}].`;
    }
  }
  throw new Error(
    `${loss}: targets of shape ${formatShape(y.shape)} don't match the model output of shape ${formatOutputShape(outputShape)}; ` +
      `this loss compares them elementwise, so each target row must have shape ${formatShape(want.map((d) => d ?? -1))}.${hint}`,
  );
}

/** Labels must be probabilities in [0, 1] (hard 0/1 labels or soft ones). */
export function checkUnitInterval(loss: string, y: Tensor, hint: string): void {
  const v = y.values;
  const row = rowSize(y);
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] > 1) {
      throw new Error(
        `${loss}: target row ${Math.floor(i / row)} has the value ${v[i]}, but labels must lie in [0, 1] ` +
          `(0/1 classes or probabilities).${hint}`,
      );
    }
  }
}

/** binaryCrossentropy (probabilities or logits): same shape as the output, labels in [0, 1]. */
export function checkBinaryTargets(loss: string, y: Tensor, outputShape: OutputShape): void {
  checkSameShape(loss, y, outputShape);
  let hint =
    ' For more than two classes use a softmax output with categoricalCrossentropy (one-hot targets) ' +
    'or sparseCategoricalCrossentropy (class indices).';
  const v = y.values;
  let hasMinusOne = false;
  for (let i = 0; i < v.length; i++) if (v[i] === -1) hasMinusOne = true;
  if (hasMinusOne) hint = ' Labels −1/1: map them to 0/1 ((y + 1) / 2), or use the hinge loss.';
  checkUnitInterval(loss, y, hint);
}

/** categoricalCrossentropy: one-hot (or soft) rows as wide as the output. */
export function checkCategoricalTargets(loss: string, y: Tensor, outputShape: OutputShape): void {
  const width = outputWidth(outputShape);
  const lastY = y.rank === 1 ? 1 : y.shape[y.rank - 1];
  if (width === 1) {
    throw new Error(
      `${loss}: the model output has a single unit, so a softmax over it is always 1 and the loss always 0. ` +
        'For two classes use one sigmoid unit with binaryCrossentropy; for k classes use k softmax units.',
    );
  }
  if (lastY === 1 && (width === null || width > 1)) {
    throw new Error(
      `${loss}: targets of shape ${formatShape(y.shape)} look like class indices, but categoricalCrossentropy ` +
        `expects one-hot rows of shape [${y.shape[0]},${width ?? 'classes'}]. Use sparseCategoricalCrossentropy ` +
        'for class indices, or one-hot encode the targets.',
    );
  }
  checkSameShape(loss, y, outputShape);
  const v = y.values;
  const row = rowSize(y);
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] > 1) {
      throw new Error(
        `${loss}: target row ${Math.floor(i / row)} has the value ${v[i]} at column ${i % row}; one-hot (or ` +
          'probability) targets must lie in [0, 1]. For class indices use sparseCategoricalCrossentropy.',
      );
    }
  }
}

/** sparseCategoricalCrossentropy: one integer class index in [0, k) per row, shape [n] or [n, 1]. */
export function checkSparseTargets(loss: string, y: Tensor, outputShape: OutputShape): void {
  const want = featureShape(loss, outputShape);
  const width = outputWidth(outputShape);
  const got = y.shape.slice(1);
  const lead = want.slice(0, -1);
  const fits = (g: readonly number[]) =>
    g.length === lead.length &&
    g.every((d, i) => lead[i] === null || (lead[i] as number) < 0 || d === lead[i]);
  if (!fits(got) && !(got[got.length - 1] === 1 && fits(got.slice(0, -1)))) {
    const oneHot = width !== null && got.length === want.length && got[got.length - 1] === width;
    const hint = oneHot
      ? ' They look one-hot encoded: use categoricalCrossentropy, or pass class indices (the argMax of each row).'
      : '';
    throw new Error(
      `${loss}: targets of shape ${formatShape(y.shape)} don't suit the model output of shape ` +
        `${formatOutputShape(outputShape)}; expected one class index per sample, shape [${y.shape[0]}] or [${y.shape[0]},1].${hint}`,
    );
  }
  const v = y.values;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (!Number.isInteger(c) || c < 0) {
      throw new Error(
        `${loss}: target row ${i} is ${c}; class indices must be non-negative integers` +
          (width === null ? '.' : ` in 0..${width - 1}.`),
      );
    }
    if (width !== null && c >= width) {
      throw new Error(
        `${loss}: target row ${i} is class ${c}, but the model output has ${width} unit${width === 1 ? '' : 's'} ` +
          `(classes 0..${width - 1}). Give the last layer one unit per class` +
          (c === width ? ', or check that class indices start at 0.' : '.'),
      );
    }
  }
}

/** hinge: labels −1/1 (or 0/1, converted like Keras), never a mix of −1 and 0. */
export function checkHingeTargets(loss: string, y: Tensor, outputShape: OutputShape): void {
  checkSameShape(loss, y, outputShape);
  const v = y.values;
  const row = rowSize(y);
  let minusOneAt = -1;
  let zeroAt = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== -1 && v[i] !== 0 && v[i] !== 1) {
      throw new Error(
        `${loss}: target row ${Math.floor(i / row)} has the value ${v[i]}; hinge labels must be −1/1 (or 0/1).`,
      );
    }
    if (v[i] === -1 && minusOneAt < 0) minusOneAt = i;
    if (v[i] === 0 && zeroAt < 0) zeroAt = i;
  }
  if (minusOneAt >= 0 && zeroAt >= 0) {
    throw new Error(
      `${loss}: the targets mix −1 (row ${Math.floor(minusOneAt / row)}) and 0 (row ${Math.floor(zeroAt / row)}); ` +
        'use labels −1/1, or 0/1 (converted to −1/1).',
    );
  }
}
