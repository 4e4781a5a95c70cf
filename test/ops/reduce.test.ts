import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ax from '../../src/index.js';

const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

/**
 * Reduction by brute force: every element is added to the output cell found by dropping (or zeroing,
 * for keepDims) the reduced axes of its index.
 */
function reduceReference(
  values: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  init: number,
  combine: (acc: number, v: number) => number,
): { kept: number[]; values: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const size = kept.reduce((p, d) => p * d, 1);
  const out = new Array<number>(size).fill(init);
  for (let flatIndex = 0; flatIndex < values.length; flatIndex++) {
    let rest = flatIndex;
    let o = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const idx = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
      if (!axes.includes(axis)) o += idx * stride;
      stride *= kept[axis];
    }
    out[o] = combine(out[o], values[flatIndex]);
  }
  return { kept, values: out };
}

describe('reductions', () => {
  const x = ax.tensor([
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    [
      [7, 8, 9],
      [10, 11, 12],
    ],
  ]); // shape [2, 2, 3]

  it('sum over all axes, one axis, negative axes, and with keepDims', () => {
    assert.equal(ax.sum(x).item(), 78);
    assert.deepEqual(ax.sum(x).shape, []);
    assert.deepEqual(ax.sum(x, 0).arraySync(), [
      [8, 10, 12],
      [14, 16, 18],
    ]);
    assert.deepEqual(ax.sum(x, -1).arraySync(), [
      [6, 15],
      [24, 33],
    ]);
    assert.deepEqual(ax.sum(x, 1, true).shape, [2, 1, 3]);
    assert.deepEqual(flat(ax.sum(x, 1, true)), [5, 7, 9, 17, 19, 21]);
    assert.deepEqual(ax.sum(x, undefined, true).shape, [1, 1, 1]);
  });

  it('non-contiguous axis sets: axes [0, 2] of a 3-D tensor', () => {
    // Row j of the middle axis: Σ over i and k of x[i][j][k].
    assert.deepEqual(flat(ax.sum(x, [0, 2])), [1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12]);
    assert.deepEqual(ax.sum(x, [2, 0], true).shape, [1, 2, 1]);
    assert.deepEqual(flat(ax.max(x, [0, -1])), [9, 12]);
    assert.deepEqual(flat(ax.min(x, [-3, 2])), [1, 4]);
    assert.deepEqual(flat(ax.mean(x, [0, 2])), [30 / 6, 48 / 6]);
  });

  it('mean, max, min by hand', () => {
    assert.equal(ax.mean(x).item(), 6.5);
    assert.deepEqual(ax.mean(x, 2).arraySync(), [
      [2, 5],
      [8, 11],
    ]);
    assert.deepEqual(ax.mean(x, -1, true).shape, [2, 2, 1]);
    assert.deepEqual(flat(ax.max(x, 1)), [4, 5, 6, 10, 11, 12]);
    assert.deepEqual(flat(ax.min(x, 0)), [1, 2, 3, 4, 5, 6]);
    assert.equal(ax.max(ax.tensor([-3, -1, -2])).item(), -1);
    assert.equal(ax.min(ax.tensor([3, 1, 2])).item(), 1);
  });

  it('logSumExp by hand, including a row of equal large values', () => {
    assert.ok(Math.abs(ax.logSumExp(ax.tensor([0, 0])).item() - Math.LN2) < 1e-7);
    assert.ok(Math.abs(ax.logSumExp(ax.tensor([1000, 1000])).item() - (1000 + Math.LN2)) < 1e-4);
    const rows = ax.logSumExp(
      ax.tensor([
        [1, 2, 3],
        [-1, -1, -1],
      ]),
      1,
    );
    assertClose(rows.dataSync(), [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), -1 + Math.log(3)], 1e-6);
  });

  it('every reduction matches brute force on random shapes and axis subsets', () => {
    const ops: [string, typeof ax.sum, number, (a: number, v: number) => number][] = [
      ['sum', ax.sum, 0, (a, v) => a + v],
      ['max', ax.max, Number.NEGATIVE_INFINITY, Math.max],
      ['min', ax.min, Number.POSITIVE_INFINITY, Math.min],
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (shape, pick, negative, keepDims, seed) => {
          const axes = shape.map((_, i) => i).filter((i) => pick[i]);
          const given = negative ? axes.map((a) => a - shape.length) : axes;
          const t = ax.randomNormal(shape, 0, 1, 'float32', seed);
          const v = t.dataSync();
          for (const [name, op, init, combine] of ops) {
            const ref = reduceReference(v, shape, axes, init, combine);
            const got = op(t, axes.length === 0 ? [] : given, keepDims);
            const expectedShape = keepDims ? ref.kept : shape.filter((_, i) => !axes.includes(i));
            assert.deepEqual(got.shape, expectedShape, `${name} shape ${shape} axes ${given}`);
            assertClose(got.dataSync(), ref.values, 1e-5, `${name} ${shape} axes ${given}`);
          }
          const count = axes.reduce((p, a) => p * shape[a], 1);
          const sums = reduceReference(v, shape, axes, 0, (a, x) => a + x).values;
          assertClose(
            ax.mean(t, given, keepDims).dataSync(),
            sums.map((s) => s / count),
            1e-5,
            'mean',
          );
          const maxes = reduceReference(v, shape, axes, Number.NEGATIVE_INFINITY, Math.max).values;
          const lse = reduceReference(v, shape, axes, 0, (a, x) => a + Math.exp(x)).values.map(Math.log);
          assertClose(ax.logSumExp(t, given, keepDims).dataSync(), lse, 1e-5, 'logSumExp');
          for (let i = 0; i < maxes.length; i++) assert.ok(lse[i] >= maxes[i] - 1e-6);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('argMax and argMin', () => {
  const m = ax.tensor([
    [3, 7, 7, 1],
    [5, 5, 0, 0],
    [-1, -2, -3, -2],
  ]);

  it('along each axis, with the first index winning ties', () => {
    assert.deepEqual(flat(ax.argMax(m, 1)), [1, 0, 0]);
    assert.deepEqual(flat(ax.argMin(m, 1)), [3, 2, 2]);
    assert.deepEqual(flat(ax.argMax(m, -1)), [1, 0, 0]);
    assert.deepEqual(flat(ax.argMax(m, 0)), [1, 0, 0, 0]);
    assert.deepEqual(flat(ax.argMin(m)), [2, 2, 2, 2]);
    assert.deepEqual(flat(ax.argMax(ax.tensor([2, 2, 2]))), [0]);
    assert.deepEqual(ax.argMax(ax.tensor([2, 9, 2])).shape, []);
  });

  it('on the middle axis of a 3-D tensor', () => {
    const t = ax.tensor([
      [
        [1, 9],
        [8, 2],
        [8, 9],
      ],
      [
        [0, 0],
        [0, 1],
        [-1, 1],
      ],
    ]);
    assert.deepEqual(ax.argMax(t, 1).arraySync(), [
      [1, 0],
      [0, 1],
    ]);
    assert.deepEqual(ax.argMin(t, 1).arraySync(), [
      [0, 1],
      [2, 0],
    ]);
  });

  it('matches a plain loop on random tensors, and records no graph', () => {
    const t = ax.randomUniform([5, 6, 7], 0, 4, 'float32', 12);
    const r = ax.tensor(t.dataSync().map(Math.floor), [5, 6, 7]); // many ties
    const v = r.dataSync();
    const am = ax.argMax(r, 1).dataSync();
    for (let i = 0; i < 5; i++)
      for (let k = 0; k < 7; k++) {
        let best = 0;
        for (let j = 1; j < 6; j++) if (v[i * 42 + j * 7 + k] > v[i * 42 + best * 7 + k]) best = j;
        assert.equal(am[i * 7 + k], best);
      }
    assert.equal(ax.argMax(ax.variable(t), 0).requiresGrad, false);
  });
});
