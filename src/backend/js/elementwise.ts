import type { DataArray } from '../../tensor/precision.js';
import type { BinaryOp } from '../backend.js';

/** Fills `out` (shape `outShape`) by repeating `x` along its broadcast (size-1 or missing) axes. */
export function broadcastTo(
  x: DataArray,
  xShape: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  if (x.length === out.length) {
    out.set(x);
    return;
  }
  if (x.length === 1) {
    out.fill(x[0]!);
    return;
  }
  const rank = outShape.length;
  // Stride of x along each output axis; 0 where x is broadcast.
  const xStrides = new Array<number>(rank).fill(0);
  for (let i = rank - 1, j = xShape.length - 1, s = 1; j >= 0; i--, j--) {
    xStrides[i] = xShape[j] === 1 ? 0 : s;
    s *= xShape[j]!;
  }
  const inner = outShape[rank - 1]!;
  const innerStride = xStrides[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = x[src + j * innerStride]!;
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]!++;
      src += xStrides[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      src -= xStrides[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
}

/** `x` expanded to `outShape`, or `x` itself when it already has that many elements. */
function expanded(
  x: DataArray,
  xShape: readonly number[],
  outShape: readonly number[],
  size: number,
): DataArray {
  if (x.length === size) return x;
  const full = new Float64Array(size);
  broadcastTo(x, xShape, full, outShape);
  return full;
}

export function binary(
  op: BinaryOp,
  aIn: DataArray,
  aShape: readonly number[],
  bIn: DataArray,
  bShape: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  // A scalar right operand is the commonest broadcast (x * 2, x + b for a scalar b): no copy for it.
  const a = expanded(aIn, aShape, outShape, n);
  if (bIn.length === 1 && n !== 1) {
    binaryScalar(op, a, bIn[0]!, out);
    return;
  }
  const b = expanded(bIn, bShape, outShape, n);
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) out[i] = a[i]! ** b[i]!;
      return;
    case 'maximum':
      for (let i = 0; i < n; i++) out[i] = Math.max(a[i]!, b[i]!);
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) out[i] = Math.min(a[i]!, b[i]!);
      return;
    case 'equal':
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      return;
    case 'notEqual':
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      return;
    case 'less':
      for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
      return;
    case 'lessEqual':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
      return;
    case 'greater':
      for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
      return;
    case 'greaterEqual':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
      return;
  }
}

function binaryScalar(op: BinaryOp, a: DataArray, b: number, out: DataArray): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b;
      return;
    default: {
      const full = new Float64Array(n).fill(b);
      binary(op, a, [n], full, [n], out, [n]);
    }
  }
}

export function where(
  cond: DataArray,
  condShape: readonly number[],
  a: DataArray,
  aShape: readonly number[],
  b: DataArray,
  bShape: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  const c = expanded(cond, condShape, outShape, n);
  const x = expanded(a, aShape, outShape, n);
  const y = expanded(b, bShape, outShape, n);
  for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? x[i]! : y[i]!;
}

export function clip(x: DataArray, lo: number, hi: number, out: DataArray): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.min(Math.max(x[i]!, lo), hi);
}
