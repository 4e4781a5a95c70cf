import type { DataArray } from '../../tensor/precision.js';
import type { ArgReduceOp, ReduceDims, ReduceOp } from '../backend.js';

export function reduce(op: ReduceOp, x: DataArray, dims: ReduceDims, out: DataArray): void {
  const { outer, reduced, inner } = dims;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduced * inner;
    switch (op) {
      case 'sum':
        acc.fill(0);
        for (let r = 0; r < reduced; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
        }
        break;
      case 'max':
      case 'logSumExp':
        acc.fill(Number.NEGATIVE_INFINITY);
        for (let r = 0; r < reduced; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++)
            if (x[row + i]! > acc[i]! || Number.isNaN(x[row + i]!)) acc[i] = x[row + i]!;
        }
        if (op === 'logSumExp') logSumExpGivenMax(x, base, reduced, inner, acc);
        break;
      case 'min':
        acc.fill(Number.POSITIVE_INFINITY);
        for (let r = 0; r < reduced; r++) {
          const row = base + r * inner;
          for (let i = 0; i < inner; i++)
            if (x[row + i]! < acc[i]! || Number.isNaN(x[row + i]!)) acc[i] = x[row + i]!;
        }
        break;
    }
    out.set(acc, o * inner);
  }
}

/** Replaces each max m in `acc` by m + log Σ exp(x − m): stable for any magnitude. */
function logSumExpGivenMax(
  x: DataArray,
  base: number,
  reduced: number,
  inner: number,
  acc: Float64Array,
): void {
  const sums = new Float64Array(inner);
  for (let r = 0; r < reduced; r++) {
    const row = base + r * inner;
    for (let i = 0; i < inner; i++) {
      const m = acc[i]!;
      sums[i]! += Number.isFinite(m) ? Math.exp(x[row + i]! - m) : 1;
    }
  }
  for (let i = 0; i < inner; i++) {
    const m = acc[i]!;
    acc[i] = Number.isFinite(m) ? m + Math.log(sums[i]!) : m;
  }
}

export function argReduce(op: ArgReduceOp, x: DataArray, dims: ReduceDims, out: DataArray): void {
  const { outer, reduced, inner } = dims;
  const sign = op === 'argMax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * reduced * inner + i;
      let best = 0;
      let bestValue = sign * x[base]!;
      for (let r = 1; r < reduced; r++) {
        const v = sign * x[base + r * inner]!;
        if (v > bestValue) {
          bestValue = v;
          best = r;
        }
      }
      out[o * inner + i] = best;
    }
  }
}

export function softmax(x: DataArray, rows: number, cols: number, out: DataArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[base + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[base + c]! - max);
      out[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) out[base + c]! /= sum;
  }
}

export function logSoftmax(x: DataArray, rows: number, cols: number, out: DataArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[base + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[base + c]! - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < cols; c++) out[base + c] = x[base + c]! - logSum;
  }
}

export function softmaxGrad(y: DataArray, dy: DataArray, rows: number, cols: number, out: DataArray): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += dy[base + c]! * y[base + c]!;
    for (let c = 0; c < cols; c++) out[base + c] = y[base + c]! * (dy[base + c]! - dot);
  }
}

export function logSoftmaxGrad(
  y: DataArray,
  dy: DataArray,
  rows: number,
  cols: number,
  out: DataArray,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += dy[base + c]!;
    for (let c = 0; c < cols; c++) out[base + c] = dy[base + c]! - Math.exp(y[base + c]!) * sum;
  }
}
