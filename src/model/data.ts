/**
 * Data checks and batching for fit/evaluate/predict. Every check runs on the whole data before the first
 * step and names what is wrong (which argument, row, column, shape), so a bad CSV cell or a transposed
 * matrix is reported as such instead of surfacing as a NaN loss many steps later.
 */
import { formatBatchShape, type Shape } from '../nn/layers/layer.js';
import { type TensorLike, toTensor } from '../ops/engine.js';
import { allocData, type DataArray } from '../tensor/precision.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';

/** A tensor from an argument of fit/evaluate/predict, with an error naming the method and argument. */
export function asTensor(where: string, arg: string, x: TensorLike | undefined | null): Tensor {
  if (x === undefined || x === null)
    throw new Error(`${where}: '${arg}' is required (a Tensor or nested number arrays)`);
  const t = toTensor(x, where, arg);
  if (t.rank === 0)
    throw new Error(`${where}: '${arg}' must have a batch axis (one row per sample), got a scalar`);
  return t;
}

/** Throws when x's per-sample shape does not match the model's input shape (both shapes named). */
export function checkInputShape(where: string, x: Tensor, expected: Shape, source: string, name = 'x'): void {
  const ok =
    x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (ok) return;
  const sample = expected.slice(1);
  const hint =
    x.rank === expected.length && sample.length === 1
      ? `: each row of ${name} must have ${sample[0]} features, got ${x.shape[1]}`
      : '';
  throw new Error(
    `${where}: ${name} has shape ${formatShape(x.shape)} but the model expects inputs of shape ${formatBatchShape(expected)} (${source})${hint}`,
  );
}

/** Throws when x and y have different numbers of rows. */
export function checkSameRows(where: string, x: Tensor, y: Tensor, xName = 'x', yName = 'y'): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(
      `${where}: ${xName} has ${x.shape[0]} rows (shape ${formatShape(x.shape)}) but ${yName} has ${y.shape[0]} (shape ${formatShape(y.shape)}); they need one row per sample`,
    );
  }
}

/** Throws at the first NaN or ±Infinity, naming the row and column (or position within the row). */
export function checkFinite(where: string, name: string, t: Tensor): void {
  const v = t.values;
  for (let i = 0; i < v.length; i++) {
    const value = v[i];
    if (value - value !== 0) {
      const rowSize = t.shape[0] === 0 ? 1 : t.size / t.shape[0];
      const r = Math.floor(i / rowSize);
      const within = i - r * rowSize;
      let place: string;
      if (t.rank === 1) place = `row ${r}`;
      else if (t.rank === 2) place = `row ${r}, column ${within}`;
      else place = `row ${r}, position [${unravel(within, t.shape.slice(1)).join(',')}]`;
      throw new Error(
        `${where}: ${name} contains ${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'} at ${place}; ` +
          'every value must be a finite number (clean or impute the data first)',
      );
    }
  }
}

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = index % shape[i];
    index = Math.floor(index / shape[i]);
  }
  return out;
}

/** Rows [start, end) of t as a new tensor (a copy). */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0];
  return new Tensor(t.values.slice(start * rowSize, end * rowSize), [end - start, ...t.shape.slice(1)]);
}

/**
 * Per-sample weights from Keras/TF.js class weights: the class of a row is its one-hot argmax, or its
 * value for a [n] or [n, 1] target. Every class found in y needs a weight.
 */
export function classSampleWeights(
  where: string,
  y: Tensor,
  classWeight: Readonly<Record<number, number>>,
): Tensor {
  if (typeof classWeight !== 'object' || classWeight === null) {
    throw new Error(
      `${where}: classWeight must be an object mapping class index to weight, e.g. { 0: 1, 1: 5 }`,
    );
  }
  for (const [k, w] of Object.entries(classWeight)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`${where}: classWeight[${k}] must be a finite number ≥ 0, got ${String(w)}`);
    }
  }
  if (y.rank > 2) {
    throw new Error(
      `${where}: classWeight needs targets of rank 1 or 2, got y of shape ${formatShape(y.shape)}`,
    );
  }
  const n = y.shape[0];
  const cols = y.rank === 2 ? y.shape[1] : 1;
  const out = allocData(n);
  const v = y.values;
  for (let r = 0; r < n; r++) {
    let cls = 0;
    if (cols > 1) {
      let best = v[r * cols];
      for (let c = 1; c < cols; c++) {
        if (v[r * cols + c] > best) {
          best = v[r * cols + c];
          cls = c;
        }
      }
    } else {
      cls = v[r];
    }
    const w = Number.isInteger(cls) ? classWeight[cls] : undefined;
    if (w === undefined) {
      throw new Error(
        `${where}: classWeight has no weight for class ${cls} (y row ${r}); give one for every class in y ` +
          `(given: ${Object.keys(classWeight).join(', ') || 'none'})`,
      );
    }
    out[r] = w;
  }
  return new Tensor(out, [n]);
}

/** Splits [0, n) into consecutive batches of `batchSize` (the last one smaller). */
export function makeBatches(n: number, batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(n, start + batchSize)]);
  return out;
}

/**
 * Gathers rows of a source tensor into reused buffers, one per batch size, so an epoch allocates no
 * batch buffers after the first (a batch tensor is only read within its step).
 */
export class RowGatherer {
  private readonly buffers = new Map<number, DataArray>();
  private readonly rowSize: number;

  constructor(private readonly source: Tensor) {
    this.rowSize = source.shape[0] === 0 ? 0 : source.size / source.shape[0];
  }

  /** Rows `order[start..end)` of the source as a [end − start, ...] tensor. */
  gather(order: Int32Array, start: number, end: number): Tensor {
    const count = end - start;
    let buffer = this.buffers.get(count);
    if (buffer === undefined) {
      buffer = allocData(count * this.rowSize);
      this.buffers.set(count, buffer);
    }
    const src = this.source.values;
    const size = this.rowSize;
    for (let i = 0; i < count; i++) {
      const r = order[start + i];
      buffer.set(src.subarray(r * size, (r + 1) * size), i * size);
    }
    return new Tensor(buffer, [count, ...this.source.shape.slice(1)]);
  }

  /**
   * Rows [start, end) in order (no index array needed): a view, or a copy when the source is a Variable
   * (its values change in place, and a view would not keep its buffer alive).
   */
  range(start: number, end: number): Tensor {
    const size = this.rowSize;
    const rows = this.source.values.subarray(start * size, end * size);
    return new Tensor(this.source instanceof Variable ? rows.slice() : rows, [
      end - start,
      ...this.source.shape.slice(1),
    ]);
  }
}
