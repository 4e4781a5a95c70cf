import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { assertValidShape, formatShape, normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { result, type TensorLike, toTensor } from './engine.js';

/**
 * The same values in a new shape; one dimension may be -1 and is then inferred.
 * @example ax.reshape(ax.range(0, 6), [2, -1]) // shape [2, 3]
 */
export function reshape(xIn: TensorLike, shape: readonly number[]): Tensor {
  const x = toTensor(xIn, 'reshape');
  const inferred = [...shape];
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    if (shape.indexOf(-1, unknown + 1) >= 0)
      throw new Error(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
    const known = sizeOf(shape.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new Error(
        `reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`,
      );
    }
    inferred[unknown] = x.size / known;
  }
  assertValidShape('reshape', inferred);
  if (sizeOf(inferred) !== x.size) {
    throw new Error(
      `reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${sizeOf(inferred)} elements)`,
    );
  }
  // Tensors are immutable, so the buffer is shared — except a Variable's, which `assign` overwrites.
  const values = x instanceof Variable ? x.values.slice() : x.values;
  return result(values, inferred, 'reshape', [x], (dy) => [reshape(dy, x.shape)], formatShape(inferred));
}

/**
 * Permutes the axes: output axis i is input axis perm[i] (default: reversed, the matrix transpose).
 * @example ax.transpose(w) // [in, out] → [out, in]
 */
export function transpose(xIn: TensorLike, perm?: readonly number[]): Tensor {
  const x = toTensor(xIn, 'transpose');
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const valid = p.length === x.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid)
    throw new Error(
      `transpose: perm ${formatShape(p)} is not a permutation of the ${x.rank} axes of a tensor of shape ${formatShape(x.shape)}`,
    );
  const shape = p.map((i) => x.shape[i]);
  const out = allocData(x.size);
  kernels().transpose(x.values, x.shape, p, out);
  const inverse = new Array<number>(p.length);
  p.forEach((axis, i) => {
    inverse[axis] = i;
  });
  return result(out, shape, 'transpose', [x], (dy) => [transpose(dy, inverse)], `perm=${p.join(',')}`);
}

/**
 * The box starting at `begin` of the given `size` (-1 means "to the end"). Numbers apply to axis 0.
 * @example ax.slice(x, [0, 1], [-1, 2]) // every row, columns 1..2
 */
export function slice(
  xIn: TensorLike,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  const x = toTensor(xIn, 'slice');
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  const start = x.shape.map((_, i) => b[i] ?? 0);
  const extent = x.shape.map((d, i) => {
    const want = s[i] ?? -1;
    return want === -1 ? d - start[i] : want;
  });
  x.shape.forEach((d, i) => {
    if (
      !Number.isInteger(start[i]) ||
      !Number.isInteger(extent[i]) ||
      start[i] < 0 ||
      extent[i] < 0 ||
      start[i] + extent[i] > d
    ) {
      throw new Error(
        `slice: begin ${formatShape(start)} with size ${formatShape(extent)} does not fit in a tensor of shape ${formatShape(x.shape)} (axis ${i})`,
      );
    }
  });
  const out = allocData(sizeOf(extent));
  kernels().sliceCopy(x.values, x.shape, start, extent, out, false);
  return result(out, extent, 'slice', [x], (dy) => {
    const dx = allocData(x.size);
    kernels().sliceCopy(dx, x.shape, start, extent, dy.values, true);
    return [new Tensor(dx, x.shape)];
  });
}

/**
 * The entries at `indices` along `axis` (rows by default).
 * @example ax.gather(x, [2, 0]) // rows 2 and 0
 */
export function gather(xIn: TensorLike, indices: TensorLike | readonly number[], axis = 0): Tensor {
  const x = toTensor(xIn, 'gather');
  const a = normalizeAxis('gather', axis, x.rank);
  const idxTensor = toTensor(indices as TensorLike, 'gather', 'indices');
  const idx = Int32Array.from(idxTensor.values);
  idxTensor.values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= x.shape[a]) {
      throw new Error(
        `gather: index ${v} at position ${i} is out of range for axis ${a} of length ${x.shape[a]} (shape ${formatShape(x.shape)})`,
      );
    }
  });
  const shape = [...x.shape.slice(0, a), ...idxTensor.shape, ...x.shape.slice(a + 1)];
  const out = allocData(sizeOf(shape));
  kernels().gather(x.values, x.shape, idx, a, out);
  return result(out, shape, 'gather', [x], (dy) => {
    const dx = allocData(x.size);
    kernels().scatterAdd(dy.values, x.shape, idx, a, dx);
    return [new Tensor(dx, x.shape)];
  });
}

/**
 * Joins tensors along an existing axis; the other dimensions must agree.
 * @example ax.concat([a, b], 1)
 */
export function concat(tensorsIn: readonly TensorLike[], axis = 0): Tensor {
  if (tensorsIn.length === 0) throw new Error('concat: needs at least one tensor');
  const tensors = tensorsIn.map((t, i) => toTensor(t, 'concat', `tensors[${i}]`));
  const first = tensors[0];
  const a = normalizeAxis('concat', axis, first.rank);
  tensors.forEach((t, i) => {
    const mismatch = t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j]);
    if (mismatch) {
      throw new Error(
        `concat: tensors[${i}] has shape ${formatShape(t.shape)}, incompatible with tensors[0] of shape ${formatShape(first.shape)} along axis ${a} (all other dimensions must match)`,
      );
    }
  });
  const shape = [...first.shape];
  shape[a] = tensors.reduce((s, t) => s + t.shape[a], 0);
  const out = allocData(sizeOf(shape));
  kernels().concat(
    tensors.map((t) => t.values),
    tensors.map((t) => t.shape),
    a,
    out,
  );
  return result(
    out,
    shape,
    'concat',
    tensors,
    (dy) => {
      let offset = 0;
      return tensors.map((t) => {
        const begin = shape.map((_, j) => (j === a ? offset : 0));
        offset += t.shape[a];
        return slice(dy, begin, t.shape);
      });
    },
    `axis=${a}`,
  );
}

/**
 * Adds an axis of length 1 at `axis`.
 * @example ax.expandDims(ax.tensor([1, 2]), 1) // shape [2, 1]
 */
export function expandDims(xIn: TensorLike, axis = 0): Tensor {
  const x = toTensor(xIn, 'expandDims');
  // A new axis may go anywhere from before the first axis to after the last: rank + 1 positions.
  if (!Number.isInteger(axis) || axis < -(x.rank + 1) || axis > x.rank) {
    throw new Error(
      `expandDims: axis ${axis} is out of range for a tensor of rank ${x.rank} (valid: ${-(x.rank + 1)}..${x.rank})`,
    );
  }
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/**
 * Removes axes of length 1 (all of them, or those listed).
 * @example ax.squeeze(ax.zeros([3, 1])) // shape [3]
 */
export function squeeze(xIn: TensorLike, axes?: readonly number[]): Tensor {
  const x = toTensor(xIn, 'squeeze');
  const drop =
    axes === undefined
      ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : normalizeAxes('squeeze', axes, x.rank);
  drop.forEach((i) => {
    if (x.shape[i] !== 1)
      throw new Error(`squeeze: axis ${i} of shape ${formatShape(x.shape)} has length ${x.shape[i]}, not 1`);
  });
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

/**
 * Stacks tensors of one shape along a new axis.
 * @example ax.stack([a, b]) // shape [2, ...a.shape]
 */
export function stack(tensorsIn: readonly TensorLike[], axis = 0): Tensor {
  if (tensorsIn.length === 0) throw new Error('stack: needs at least one tensor');
  const tensors = tensorsIn.map((t, i) => toTensor(t, 'stack', `tensors[${i}]`));
  tensors.forEach((t, i) => {
    if (t.rank !== tensors[0].rank || t.shape.some((d, j) => d !== tensors[0].shape[j])) {
      throw new Error(
        `stack: tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has ${formatShape(tensors[0].shape)}; all must match`,
      );
    }
  });
  return concat(
    tensors.map((t) => expandDims(t, axis)),
    axis,
  );
}

/**
 * Splits a tensor along `axis` into tensors of one less rank.
 * @example const [row0, row1] = ax.unstack(x)
 */
export function unstack(xIn: TensorLike, axis = 0): Tensor[] {
  const x = toTensor(xIn, 'unstack');
  const a = normalizeAxis('unstack', axis, x.rank);
  return Array.from({ length: x.shape[a] }, (_, i) => {
    const begin = x.shape.map((_, j) => (j === a ? i : 0));
    const size = x.shape.map((d, j) => (j === a ? 1 : d));
    return squeeze(slice(x, begin, size), [a]);
  });
}
