import type { Tensor } from './tensor.js';

const EDGE = 3; // values kept at each end of a long axis
const THRESHOLD = 8; // axes longer than this are elided

/** Formats one value with a shared precision so columns line up. */
function formatter(values: ArrayLike<number>): (v: number) => string {
  let allIntegers = true;
  let maxAbs = 0;
  let minNonZero = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allIntegers = false;
    maxAbs = Math.max(maxAbs, Math.abs(v));
    if (v !== 0) minNonZero = Math.min(minNonZero, Math.abs(v));
  }
  if (allIntegers && maxAbs < 1e9) return (v) => (Number.isFinite(v) ? String(v) : String(v));
  // As NumPy: exponent notation when a non-zero value would print as 0.0000 in fixed notation.
  const useExp = maxAbs >= 1e6 || minNonZero < 1e-4;
  return (v) => {
    if (!Number.isFinite(v)) return String(v);
    return useExp ? v.toExponential(4) : v.toFixed(4);
  };
}

/** `Tensor` followed by the values as nested brackets, TF.js style. */
export function formatTensor(t: Tensor): string {
  const fmt = formatter(t.values);
  if (t.rank === 0) return `Tensor\n    ${fmt(t.values[0]!)}`;
  // Collect the formatted strings first, to pad them to one width.
  const strides: number[] = [];
  let s = 1;
  for (let i = t.rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i]!;
  }
  const cells: string[] = [];
  const visit = (axis: number, offset: number): void => {
    const n = t.shape[axis]!;
    const idx = indicesToShow(n);
    for (const i of idx) {
      if (i < 0) continue;
      if (axis === t.rank - 1) cells.push(fmt(t.values[offset + i]!));
      else visit(axis + 1, offset + i * strides[axis]!);
    }
  };
  visit(0, 0);
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  let k = 0;
  const render = (axis: number, offset: number, indent: string): string => {
    const n = t.shape[axis]!;
    const parts: string[] = [];
    for (const i of indicesToShow(n)) {
      if (i < 0) parts.push('...');
      else if (axis === t.rank - 1) parts.push(cells[k++]!.padStart(width));
      else parts.push(render(axis + 1, offset + i * strides[axis]!, `${indent} `));
    }
    if (axis === t.rank - 1) return `[${parts.join(', ')}]`;
    const sep = `,${'\n'.repeat(t.rank - 1 - axis)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `Tensor\n    ${render(0, 0, '    ')}`;
}

/** Indices to print along an axis of length n; -1 marks the elision. */
function indicesToShow(n: number): number[] {
  if (n <= THRESHOLD) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE }, (_, i) => i);
  const tail = Array.from({ length: EDGE }, (_, i) => n - EDGE + i);
  return [...head, -1, ...tail];
}
