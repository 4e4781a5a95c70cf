import type { DataArray } from '../../tensor/precision.js';
import { stridesOf } from '../../tensor/shape.js';

export function transpose(
  x: DataArray,
  shape: readonly number[],
  perm: readonly number[],
  out: DataArray,
): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  // Stride in x for +1 along each output axis.
  const srcStrides = perm.map((p) => inStrides[p]);
  const index = new Array<number>(rank).fill(0);
  const inner = outShape[rank - 1];
  const innerStride = srcStrides[rank - 1];
  let src = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0; j < inner; j++) out[o + j] = x[src + j * innerStride];
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]++;
      src += srcStrides[axis];
      if (index[axis] < outShape[axis]) break;
      src -= srcStrides[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
}

export function sliceCopy(
  full: DataArray,
  fullShape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  compact: DataArray,
  intoFull: boolean,
): void {
  const rank = fullShape.length;
  if (rank === 0) {
    if (intoFull) full[0] = compact[0];
    else compact[0] = full[0];
    return;
  }
  if (compact.length === 0) return;
  const strides = stridesOf(fullShape);
  const inner = size[rank - 1];
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let a = 0; a < rank; a++) src += begin[a] * strides[a];
  for (let o = 0; o < compact.length; o += inner) {
    if (intoFull) for (let j = 0; j < inner; j++) full[src + j] = compact[o + j];
    else for (let j = 0; j < inner; j++) compact[o + j] = full[src + j];
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]++;
      src += strides[axis];
      if (index[axis] < size[axis]) break;
      src -= strides[axis] * size[axis];
      index[axis] = 0;
    }
  }
}

function aroundAxis(shape: readonly number[], axis: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, inner };
}

export function gather(
  x: DataArray,
  shape: readonly number[],
  indices: Int32Array,
  axis: number,
  out: DataArray,
): void {
  const { outer, inner } = aroundAxis(shape, axis);
  const n = shape[axis];
  const k = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const src = (o * n + indices[j]) * inner;
      out.set(x.subarray(src, src + inner), (o * k + j) * inner);
    }
  }
}

export function scatterAdd(
  dy: DataArray,
  xShape: readonly number[],
  indices: Int32Array,
  axis: number,
  out: DataArray,
): void {
  const { outer, inner } = aroundAxis(xShape, axis);
  const n = xShape[axis];
  const k = indices.length;
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const dst = (o * n + indices[j]) * inner;
      const src = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += dy[src + i];
    }
  }
}

export function concat(
  inputs: readonly DataArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  out: DataArray,
): void {
  const { outer, inner } = aroundAxis(shapes[0], axis);
  const rowTotal = shapes.reduce((s, sh) => s + sh[axis] * inner, 0);
  let offset = 0;
  inputs.forEach((x, t) => {
    const row = shapes[t][axis] * inner;
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * row, (o + 1) * row), o * rowTotal + offset);
    offset += row;
  });
}
