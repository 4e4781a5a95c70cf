import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ax from '../../src/index.js';

const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      assert.equal(a, e, `${what}[${i}]`);
      continue;
    }
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: got ${a}, expected ${e}`);
  }
}

/** NumPy broadcasting written out index by index: the reference for every binary op. */
function broadcastReference(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): { shape: number[]; values: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: readonly number[]): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
  const pa = pad(aShape);
  const pb = pad(bShape);
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const size = shape.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let flatIndex = 0; flatIndex < size; flatIndex++) {
    let rest = flatIndex;
    let ia = 0;
    let ib = 0;
    let strideA = 1;
    let strideB = 1;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const idx = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
      ia += (pa[axis] === 1 ? 0 : idx) * strideA;
      ib += (pb[axis] === 1 ? 0 : idx) * strideB;
      strideA *= pa[axis];
      strideB *= pb[axis];
    }
    values.push(f(a[ia], b[ib]));
  }
  return { shape, values };
}

/** Two broadcast-compatible shapes: b is a suffix of a's rank with some dimensions set to 1 (or the reverse). */
const compatibleShapes = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 4 }),
    fc.boolean(),
  )
  .map(([full, onesA, onesB, drop, swap]) => {
    const a = full.map((d, i) => (onesA[i] ? 1 : d));
    const b = full.slice(Math.min(drop, full.length)).map((d, i) => (onesB[i] ? 1 : d));
    return swap ? [b, a] : [a, b];
  });

describe('broadcasting (NumPy rules)', () => {
  it('[2,1,3] + [4,1] → [2,4,3], element by element', () => {
    const a = ax.reshape(ax.range(0, 6), [2, 1, 3]); // a[i][0][k] = 3i + k
    const b = ax.tensor([[10], [20], [30], [40]]); // b[j][0] = 10(j + 1)
    const c = ax.add(a, b);
    assert.deepEqual(c.shape, [2, 4, 3]);
    const v = c.dataSync();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 3; k++) assert.equal(v[i * 12 + j * 3 + k], 3 * i + k + 10 * (j + 1));
  });

  it('row and column vectors, scalars on either side', () => {
    const col = ax.tensor([[1], [2], [3]]);
    const row = ax.tensor([10, 20]);
    assert.deepEqual(ax.mul(col, row).arraySync(), [
      [10, 20],
      [20, 40],
      [30, 60],
    ]);
    assert.deepEqual(flat(ax.sub(10, ax.tensor([1, 2]))), [9, 8]);
    assert.deepEqual(flat(ax.sub(ax.tensor([1, 2]), 10)), [-9, -8]);
    assert.deepEqual(flat(ax.div(1, ax.tensor([2, 4]))), [0.5, 0.25]);
    assert.deepEqual(ax.add(ax.scalar(1), ax.scalar(2)).shape, []);
    assert.deepEqual(ax.add(ax.zeros([1, 1]), ax.zeros([3])).shape, [1, 3]);
    assert.deepEqual(ax.add(ax.zeros([0, 3]), ax.zeros([3])).shape, [0, 3]);
  });

  it('every binary op matches the index-by-index reference on random compatible shapes', () => {
    const ops: [string, (a: ax.Tensor, b: ax.Tensor) => ax.Tensor, (x: number, y: number) => number][] = [
      ['add', ax.add, (x, y) => x + y],
      ['sub', ax.sub, (x, y) => x - y],
      ['mul', ax.mul, (x, y) => x * y],
      ['div', ax.div, (x, y) => x / y],
      ['pow', (a, b) => ax.pow(ax.abs(a), b), (x, y) => Math.abs(x) ** y],
      ['maximum', ax.maximum, Math.max],
      ['minimum', ax.minimum, Math.min],
      ['equal', ax.equal, (x, y) => (x === y ? 1 : 0)],
      ['notEqual', ax.notEqual, (x, y) => (x !== y ? 1 : 0)],
      ['less', ax.less, (x, y) => (x < y ? 1 : 0)],
      ['lessEqual', ax.lessEqual, (x, y) => (x <= y ? 1 : 0)],
      ['greater', ax.greater, (x, y) => (x > y ? 1 : 0)],
      ['greaterEqual', ax.greaterEqual, (x, y) => (x >= y ? 1 : 0)],
    ];
    fc.assert(
      fc.property(compatibleShapes, fc.integer({ min: 0, max: 1e6 }), ([aShape, bShape], seed) => {
        // Small integers make ties (for the comparisons) common.
        const a = ax.sub(ax.mul(ax.randomUniform(aShape, 0, 1, 'float32', seed), 4), 2);
        const b = ax.randomUniform(bShape, -2, 2, 'float32', seed + 1);
        const aInt = ax.tensor(a.dataSync().map(Math.round), aShape);
        for (const [name, op, f] of ops) {
          for (const [x, y] of [
            [a, b],
            [aInt, ax.tensor(b.dataSync().map(Math.round), bShape)],
          ]) {
            const expected = broadcastReference(x.dataSync(), x.shape, y.dataSync(), y.shape, f);
            const got = op(x, y);
            assert.deepEqual(got.shape, expected.shape, `${name} shape`);
            // One float op rounded to float32: exact (pow goes through Math.pow as well).
            assert.deepEqual(flat(got), expected.values.map(Math.fround), `${name} ${aShape} ${bShape}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('broadcastTo repeats along size-1 and missing axes', () => {
    const x = ax.tensor([[1], [2]]);
    const y = ax.broadcastTo(x, [3, 2, 4]);
    assert.deepEqual(y.shape, [3, 2, 4]);
    const expected = broadcastReference(x.dataSync(), x.shape, new Array(24).fill(0), [3, 2, 4], (p) => p);
    assert.deepEqual(flat(y), expected.values);
  });
});

describe('unary elementwise ops', () => {
  const xs = [-1000, -20, -3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 2.5, 3, 20, 1000];
  const x = ax.tensor(xs);
  const sigma = (v: number): number => 1 / (1 + Math.exp(-v));
  // erf by its Taylor series (accurate to 1e-12 for |v| ≤ 3), an independent reference for gelu.
  const erfSeries = (v: number): number => {
    let term = v;
    let total = v;
    for (let n = 1; n < 120; n++) {
      term *= (-v * v) / n;
      total += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * total;
  };
  const geluRef = (v: number): number =>
    Math.abs(v) > 6 ? Math.max(v, 0) : 0.5 * v * (1 + erfSeries(v / Math.SQRT2));
  const selu = (v: number): number => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v));
  const cases: [string, (t: ax.Tensor) => ax.Tensor, (v: number) => number][] = [
    ['neg', ax.neg, (v) => -v],
    ['abs', ax.abs, Math.abs],
    ['sign', ax.sign, Math.sign],
    ['square', ax.square, (v) => v * v],
    ['exp', ax.exp, Math.exp],
    ['sqrt', ax.sqrt, Math.sqrt],
    ['log', ax.log, Math.log],
    ['log1p', ax.log1p, Math.log1p],
    ['reciprocal', ax.reciprocal, (v) => 1 / v],
    ['sigmoid', ax.sigmoid, (v) => (v < -700 ? 0 : sigma(v))],
    ['tanh', ax.tanh, Math.tanh],
    ['relu', ax.relu, (v) => Math.max(v, 0)],
    ['leakyRelu', (t) => ax.leakyRelu(t), (v) => (v > 0 ? v : 0.2 * v)],
    ['leakyRelu(0.01)', (t) => ax.leakyRelu(t, 0.01), (v) => (v > 0 ? v : 0.01 * v)],
    ['elu', (t) => ax.elu(t), (v) => (v > 0 ? v : Math.exp(v) - 1)],
    ['elu(2)', (t) => ax.elu(t, 2), (v) => (v > 0 ? v : 2 * (Math.exp(v) - 1))],
    ['selu', ax.selu, selu],
    ['softplus', ax.softplus, (v) => (v > 30 ? v : Math.log(1 + Math.exp(v)))],
    ['softsign', ax.softsign, (v) => v / (1 + Math.abs(v))],
    ['gelu', ax.gelu, geluRef],
    ['swish', ax.swish, (v) => (v < -700 ? 0 : v * sigma(v))],
    ['hardSigmoid', ax.hardSigmoid, (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5))],
    ['step', ax.step, (v) => (v >= 0 ? 1 : 0)],
  ];

  for (const [name, op, f] of cases) {
    it(`${name} matches its formula`, () => {
      const y = op(x);
      assert.deepEqual(y.shape, [xs.length]);
      assertClose(
        y.dataSync(),
        xs.map((v) => Math.fround(f(Math.fround(v)))),
        2e-7,
        name,
      );
    });
  }

  it('ops keep the shape and accept plain numbers and arrays', () => {
    assert.deepEqual(ax.exp([[0, 1]]).shape, [1, 2]);
    assert.equal(ax.exp(0).item(), 1);
    assert.deepEqual(ax.relu(ax.zeros([2, 0, 3])).shape, [2, 0, 3]);
  });

  it('a few values by hand', () => {
    assert.equal(ax.sigmoid(0).item(), 0.5);
    assert.equal(ax.tanh(0).item(), 0);
    assert.equal(ax.softplus(0).item(), Math.fround(Math.LN2));
    assert.equal(ax.hardSigmoid(2.5).item(), 1);
    assert.equal(ax.hardSigmoid(-1).item(), Math.fround(0.3));
    assert.equal(ax.gelu(0).item(), 0);
    assert.ok(Math.abs(ax.gelu(1).item() - 0.8413447) < 1e-6);
    assert.ok(Math.abs(ax.selu(-10).item() - -1.0507009873554805 * 1.6732632423543772) < 1e-4);
    assert.deepEqual(flat(ax.sqrt(ax.tensor([-1]))).map(Number.isNaN), [true]);
    assert.deepEqual(flat(ax.log(ax.tensor([0]))), [Number.NEGATIVE_INFINITY]);
  });
});

describe('comparisons, where, clipByValue', () => {
  it('comparisons give 1/0 with broadcasting and record no graph', () => {
    const a = ax.variable(ax.tensor([[1, 2, 3]]));
    const b = ax.tensor([[2], [1]]);
    assert.deepEqual(ax.less(a, b).arraySync(), [
      [1, 0, 0],
      [0, 0, 0],
    ]);
    assert.deepEqual(ax.greaterEqual(a, b).arraySync(), [
      [0, 1, 1],
      [1, 1, 1],
    ]);
    assert.deepEqual(ax.equal(a, b).arraySync(), [
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const c = ax.notEqual(a, 2);
    assert.deepEqual(flat(c), [1, 0, 1]);
    assert.equal(c.requiresGrad, false);
    assert.equal(c.node, null);
    assert.deepEqual(flat(ax.equal(ax.tensor([Number.NaN]), ax.tensor([Number.NaN]))), [0]);
  });

  it('where picks by condition with all three broadcast', () => {
    const cond = ax.tensor([[1], [0]]); // [2,1]
    const a = ax.tensor([[1, 2, 3]]); // [1,3]
    const out = ax.where(cond, a, -1);
    assert.deepEqual(out.arraySync(), [
      [1, 2, 3],
      [-1, -1, -1],
    ]);
    // Any non-zero is true, including negative and NaN conditions.
    assert.deepEqual(flat(ax.where(ax.tensor([-2, 0, Number.NaN]), 1, 0)), [1, 0, 1]);
    assert.deepEqual(flat(ax.where(ax.greater(ax.tensor([-1, 2]), 0), ax.tensor([-1, 2]), 0)), [0, 2]);
  });

  it('clipByValue clamps to [lo, hi]', () => {
    assert.deepEqual(flat(ax.clipByValue(ax.tensor([-5, -1, 0, 0.5, 1, 7]), -1, 1)), [-1, -1, 0, 0.5, 1, 1]);
    assert.deepEqual(flat(ax.clipByValue([2, 3], 2.5, 2.5)), [2.5, 2.5]);
    const p = ax.clipByValue(ax.tensor([0, 1]), 1e-7, 1 - 1e-7);
    assert.deepEqual(flat(p), [Math.fround(1e-7), Math.fround(1 - 1e-7)]);
  });
});
