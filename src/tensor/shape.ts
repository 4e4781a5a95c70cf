/** Shape arithmetic shared by the ops and the kernels: sizes, strides, broadcasting, axes. */

/** Number of elements of a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: how far to step in the flat buffer for +1 along each axis. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** `[2,3]` — the way error messages and summaries print a shape. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * NumPy broadcasting: shapes are aligned on their last axes; each pair of dimensions must be equal
 * or one of them 1. Throws an error naming the op and both shapes otherwise.
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(axis ${i} of the result: ${da} vs ${db}; each pair of dimensions must be equal or 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative axis against a rank, with an error naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (valid: ${-rank}..${rank - 1})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, de-duplicated, non-negative axes; `undefined` means every axis. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))];
  return out.sort((x, y) => x - y);
}

/** Checks that a user-given shape is a list of non-negative integers. */
export function assertValidShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape))
    throw new Error(`${op}: shape must be an array of integers, got ${String(shape)}`);
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(
        `${op}: shape ${formatShape(shape)} has an invalid dimension ${d} at index ${i} (expected a non-negative integer)`,
      );
    }
  });
}
