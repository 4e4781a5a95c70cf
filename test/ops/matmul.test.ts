import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ax from '../../src/index.js';

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

/** The matrix stored at batch entry t (or the only one) as a row-major [rows, cols] accessor. */
function entry(t: ax.Tensor, b: number): (i: number, j: number) => number {
  const v = t.dataSync();
  const [rows, cols] = t.shape.slice(-2);
  const offset = t.rank > 2 ? b * rows * cols : 0;
  return (i, j) => v[offset + i * cols + j];
}

/** op(A)·op(B) by the textbook triple loop, batch entry by batch entry. */
function naiveMatMul(
  a: ax.Tensor,
  b: ax.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): { shape: number[]; values: number[] } {
  const batchShape = a.rank > 2 ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  const values: number[] = [];
  for (let t = 0; t < batch; t++) {
    const A = entry(a, t);
    const B = entry(b, t);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (transposeA ? A(p, i) : A(i, p)) * (transposeB ? B(j, p) : B(p, j));
        values.push(s);
      }
  }
  return { shape: [...batchShape, m, n], values };
}

const combos: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe('matMul', () => {
  it('2-D by hand', () => {
    const a = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = ax.tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    assert.deepEqual(ax.matMul(a, b).arraySync(), [
      [58, 64],
      [139, 154],
    ]);
    assert.deepEqual(ax.matMul(b, a).arraySync(), [
      [39, 54, 69],
      [49, 68, 87],
      [59, 82, 105],
    ]);
    // [1, k]·[k, 1] is a dot product; [k, 1]·[1, k] an outer product.
    assert.equal(ax.matMul([[1, 2, 3]], [[4], [5], [6]]).item(), 32);
    assert.deepEqual(ax.matMul([[1], [2]], [[3, 4]]).arraySync(), [
      [3, 4],
      [6, 8],
    ]);
  });

  it('all four transpose combinations agree with transposing first', () => {
    const a = ax.randomNormal([3, 4], 0, 1, 'float32', 1);
    const b = ax.randomNormal([4, 5], 0, 1, 'float32', 2);
    const expected = ax.matMul(a, b).dataSync();
    const aT = ax.transpose(a);
    const bT = ax.transpose(b);
    assertClose(ax.matMul(aT, b, true, false).dataSync(), expected, 1e-6, 'Aᵀ');
    assertClose(ax.matMul(a, bT, false, true).dataSync(), expected, 1e-6, 'Bᵀ');
    assertClose(ax.matMul(aT, bT, true, true).dataSync(), expected, 1e-6, 'AᵀBᵀ');
    assert.deepEqual(ax.matMul(aT, bT, true, true).shape, [3, 5]);
  });

  it('a zero coefficient does not hide NaN or ∞ (IEEE 0·NaN = NaN), in every transpose combination', () => {
    const a = ax.tensor([[0, 1]]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const b = ax.tensor([[bad], [2]]);
      for (const [tA, tB] of combos) {
        const got = ax.matMul(tA ? ax.transpose(a) : a, tB ? ax.transpose(b) : b, tA, tB).item();
        assert.ok(Number.isNaN(got), `${bad} with transposeA=${tA} transposeB=${tB}: got ${got}`);
      }
    }
  });

  it('batched: [b, m, k]·[b, k, n], in every transpose combination', () => {
    const a = ax.randomNormal([3, 2, 4], 0, 1, 'float32', 3);
    const b = ax.randomNormal([3, 4, 5], 0, 1, 'float32', 4);
    for (const [tA, tB] of combos) {
      const x = tA ? ax.transpose(a, [0, 2, 1]) : a;
      const y = tB ? ax.transpose(b, [0, 2, 1]) : b;
      const got = ax.matMul(x, y, tA, tB);
      const ref = naiveMatMul(x, y, tA, tB);
      assert.deepEqual(got.shape, [3, 2, 5]);
      assert.deepEqual(ref.shape, [3, 2, 5]);
      assertClose(got.dataSync(), ref.values, 1e-5, `batched ${tA} ${tB}`);
    }
  });

  it('batch-broadcast: one matrix shared by every batch entry, on either side', () => {
    const batchA = ax.randomNormal([2, 3, 2, 4], 0, 1, 'float32', 5);
    const shared = ax.randomNormal([4, 3], 0, 1, 'float32', 6);
    const left = ax.matMul(batchA, shared);
    assert.deepEqual(left.shape, [2, 3, 2, 3]);
    assertClose(left.dataSync(), naiveMatMul(batchA, shared, false, false).values, 1e-5, 'shared B');
    // Each batch entry equals the 2-D product of its own slice.
    const slice = ax.reshape(ax.slice(batchA, [1, 2, 0, 0], [1, 1, 2, 4]), [2, 4]);
    assertClose(
      ax.reshape(ax.slice(left, [1, 2, 0, 0], [1, 1, 2, 3]), [2, 3]).dataSync(),
      ax.matMul(slice, shared).dataSync(),
      1e-6,
    );
    const sharedA = ax.randomNormal([5, 4], 0, 1, 'float32', 7);
    const batchB = ax.randomNormal([3, 4, 2], 0, 1, 'float32', 8);
    for (const [tA, tB] of combos) {
      const x = tA ? ax.transpose(sharedA) : sharedA;
      const y = tB ? ax.transpose(batchB, [0, 2, 1]) : batchB;
      const got = ax.matMul(x, y, tA, tB);
      assert.deepEqual(got.shape, [3, 5, 2]);
      assertClose(got.dataSync(), naiveMatMul(x, y, tA, tB).values, 1e-5, `shared A ${tA} ${tB}`);
    }
  });

  it('matches the naive triple loop on random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 6 }),
          k: fc.integer({ min: 1, max: 6 }),
          n: fc.integer({ min: 1, max: 6 }),
          batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
          mode: fc.constantFrom('both', 'sharedA', 'sharedB'),
          tA: fc.boolean(),
          tB: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        ({ m, k, n, batch, mode, tA, tB, seed }) => {
          const aBatch = mode === 'sharedA' ? [] : batch;
          const bBatch = mode === 'sharedB' ? [] : batch;
          const a = ax.randomNormal([...aBatch, ...(tA ? [k, m] : [m, k])], 0, 1, 'float32', seed);
          const b = ax.randomNormal([...bBatch, ...(tB ? [n, k] : [k, n])], 0, 1, 'float32', seed + 1);
          const got = ax.matMul(a, b, tA, tB);
          const ref = naiveMatMul(a, b, tA, tB);
          assert.deepEqual(got.shape, ref.shape);
          assertClose(got.dataSync(), ref.values, 1e-5, JSON.stringify({ m, k, n, batch, mode, tA, tB }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('empty inner dimension gives zeros; empty outer gives an empty result', () => {
    assert.deepEqual(
      Array.from(ax.matMul(ax.zeros([2, 0]), ax.zeros([0, 3])).dataSync()),
      [0, 0, 0, 0, 0, 0],
    );
    assert.deepEqual(ax.matMul(ax.zeros([0, 2]), ax.zeros([2, 3])).shape, [0, 3]);
  });
});
