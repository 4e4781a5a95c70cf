import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

/** Flat values as plain numbers, for deepEqual against hand-written arrays. */
const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

describe('tensor()', () => {
  it('infers the shape of nested arrays and stores them row-major', () => {
    const t = ax.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [7, 8, 9],
        [10, 11, 12],
      ],
    ]);
    assert.deepEqual(t.shape, [2, 2, 3]);
    assert.equal(t.size, 12);
    assert.equal(t.rank, 3);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(flat(t), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('takes flat values with a shape', () => {
    const t = ax.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(t.arraySync(), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('takes every supported typed array, converting to float32', () => {
    assert.deepEqual(flat(ax.tensor(Float32Array.of(1.5, -2), [2, 1])), [1.5, -2]);
    assert.deepEqual(ax.tensor(Float32Array.of(1.5, -2), [2, 1]).shape, [2, 1]);
    // 0.1 is not a float32: the stored value is its float32 rounding.
    assert.deepEqual(flat(ax.tensor(Float64Array.of(0.1, 1e300))), [
      Math.fround(0.1),
      Number.POSITIVE_INFINITY,
    ]);
    assert.deepEqual(flat(ax.tensor(Int32Array.of(-3, 7, 2 ** 30), [3])), [-3, 7, 2 ** 30]);
    assert.deepEqual(flat(ax.tensor(Uint8Array.of(0, 255))), [0, 255]);
    // Typed arrays nested in a plain array are rows.
    const rows = ax.tensor([Float32Array.of(1, 2), Float32Array.of(3, 4)]);
    assert.deepEqual(rows.shape, [2, 2]);
    assert.deepEqual(flat(rows), [1, 2, 3, 4]);
  });

  it('does not alias the typed array it was given', () => {
    const src = Float32Array.of(1, 2, 3);
    const t = ax.tensor(src);
    src[0] = 99;
    assert.equal(t.dataSync()[0], 1);
  });

  it('fills a shape from a single number (TF.js semantics)', () => {
    const t = ax.tensor(7, [2, 3]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(flat(t), [7, 7, 7, 7, 7, 7]);
    const one = ax.tensor(4, [1, 1]);
    assert.deepEqual(one.shape, [1, 1]);
    assert.equal(one.item(), 4);
  });

  it('makes a rank-0 tensor from a number and 1/0 from booleans', () => {
    const s = ax.tensor(2.5);
    assert.deepEqual(s.shape, []);
    assert.equal(s.size, 1);
    assert.equal(s.item(), 2.5);
    assert.deepEqual(flat(ax.tensor([true, false, true])), [1, 0, 1]);
  });

  it('handles empty arrays', () => {
    const e = ax.tensor([]);
    assert.deepEqual(e.shape, [0]);
    assert.equal(e.size, 0);
    assert.deepEqual(e.arraySync(), []);
    const e2 = ax.tensor([], [2, 0]);
    assert.deepEqual(e2.shape, [2, 0]);
    assert.deepEqual(e2.arraySync(), [[], []]);
  });
});

describe('creation functions', () => {
  it('scalar', () => {
    const s = ax.scalar(-3.25);
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), -3.25);
    assert.equal(s.arraySync(), -3.25);
  });

  it('zeros, ones, fill', () => {
    const z = ax.zeros([2, 3]);
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(flat(z), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(flat(ax.ones([4])), [1, 1, 1, 1]);
    assert.deepEqual(flat(ax.fill([2, 2], -0.5)), [-0.5, -0.5, -0.5, -0.5]);
    assert.deepEqual(ax.fill([], 3).shape, []);
    assert.equal(ax.fill([], 3).item(), 3);
    assert.equal(ax.zeros([3, 0, 2]).size, 0);
  });

  it('zerosLike and onesLike copy the shape, not the values', () => {
    const x = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const z = ax.zerosLike(x);
    const o = ax.onesLike(x);
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(o.shape, [2, 3]);
    assert.deepEqual(flat(z), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(flat(o), [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(flat(x), [1, 2, 3, 4, 5, 6]);
  });

  it('eye, square and rectangular', () => {
    assert.deepEqual(ax.eye(3).arraySync(), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(ax.eye(2, 4).arraySync(), [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    assert.deepEqual(ax.eye(3, 2).arraySync(), [
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    // eye is the identity of matMul.
    const a = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(flat(ax.matMul(a, ax.eye(3))), flat(a));
    assert.deepEqual(flat(ax.matMul(ax.eye(2), a)), flat(a));
  });

  it('linspace includes both ends', () => {
    assert.deepEqual(flat(ax.linspace(0, 1, 5)), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(flat(ax.linspace(3, -3, 4)), [3, 1, -1, -3]);
    assert.deepEqual(flat(ax.linspace(2, 9, 1)), [2]);
    const l = ax.linspace(-1, 1, 101);
    assert.equal(l.size, 101);
    assert.equal(l.dataSync()[100], 1);
    assert.equal(l.dataSync()[50], 0);
    assert.throws(() => ax.linspace(0, 1, 0), /linspace\(\): num must be a positive integer, got 0/);
  });

  it('range with positive, fractional and negative steps', () => {
    assert.deepEqual(flat(ax.range(0, 5)), [0, 1, 2, 3, 4]);
    assert.deepEqual(flat(ax.range(2, 9, 3)), [2, 5, 8]);
    assert.deepEqual(flat(ax.range(5, 0, -2)), [5, 3, 1]);
    assert.deepEqual(flat(ax.range(0, -3, -1)), [0, -1, -2]);
    assert.deepEqual(flat(ax.range(0, 1, 0.25)), [0, 0.25, 0.5, 0.75]);
    // A step pointing away from stop gives an empty range, as in TF.js and NumPy.
    assert.deepEqual(ax.range(0, 5, -1).shape, [0]);
    assert.deepEqual(ax.range(3, 3).shape, [0]);
    assert.throws(() => ax.range(0, 5, 0), /range\(\): step must be a non-zero finite number, got 0/);
  });
});

describe('random creation', () => {
  const N = 100_000;

  function moments(t: ax.Tensor): { mean: number; std: number; min: number; max: number } {
    const v = t.dataSync();
    let s = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const x of v) {
      s += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    const mean = s / v.length;
    let ss = 0;
    for (const x of v) ss += (x - mean) ** 2;
    return { mean, std: Math.sqrt(ss / v.length), min, max };
  }

  it('randomUniform stays in [minval, maxval) with the uniform moments', () => {
    ax.setSeed(1);
    const t = ax.randomUniform([N], -2, 6);
    assert.deepEqual(t.shape, [N]);
    const { mean, std, min, max } = moments(t);
    assert.ok(min >= -2 && max < 6, `range [${min}, ${max}]`);
    // The extremes of 100k draws come within 0.001 of the bounds (fails with probability ~e^-12).
    assert.ok(min < -1.999 && max > 5.999, `extremes ${min} ${max}`);
    // Mean 2, std 8/√12 ≈ 2.3094; the bounds are ~6 standard errors.
    assert.ok(Math.abs(mean - 2) < 0.045, `mean ${mean}`);
    assert.ok(Math.abs(std - 8 / Math.sqrt(12)) < 0.03, `std ${std}`);
    // Each of 8 unit bins holds 1/8 of the draws.
    const bins = new Array<number>(8).fill(0);
    for (const x of t.dataSync()) bins[Math.floor(x + 2)]++;
    for (const b of bins) assert.ok(Math.abs(b / N - 0.125) < 0.006, `bins ${bins}`);
  });

  it('randomNormal has the requested mean and standard deviation, and normal tails', () => {
    ax.setSeed(2);
    const t = ax.randomNormal([N], 3, 0.5);
    const { mean, std } = moments(t);
    assert.ok(Math.abs(mean - 3) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(std - 0.5) < 0.008, `std ${std}`);
    // P(|z| < 1) = 0.6827, P(|z| < 2) = 0.9545 for a normal.
    let within1 = 0;
    let within2 = 0;
    for (const x of t.dataSync()) {
      const z = Math.abs(x - 3) / 0.5;
      if (z < 1) within1++;
      if (z < 2) within2++;
    }
    assert.ok(Math.abs(within1 / N - 0.6827) < 0.008, `within 1σ: ${within1 / N}`);
    assert.ok(Math.abs(within2 / N - 0.9545) < 0.005, `within 2σ: ${within2 / N}`);
  });

  it('truncatedNormal stays within 2σ with the truncated-normal spread', () => {
    ax.setSeed(3);
    const t = ax.truncatedNormal([N], 1, 0.5);
    const { mean, std, min, max } = moments(t);
    assert.ok(min >= 0 && max <= 2, `range [${min}, ${max}]`);
    assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
    // Var of N(0,1) truncated to [-2, 2] is 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)) = 0.77374, so std = 0.87962σ.
    assert.ok(Math.abs(std - 0.5 * 0.87962) < 0.006, `std ${std}`);
    // The band 1.9σ < |z| ≤ 2σ holds 2(Φ(2) − Φ(1.9))/0.9545 = 1.25% of the draws: the tails are
    // redrawn, not clipped onto ±2σ (which would put 4.6% there) nor cut earlier (0%).
    let nearEdge = 0;
    for (const x of t.dataSync()) if (Math.abs(x - 1) > 0.95) nearEdge++;
    assert.ok(Math.abs(nearEdge / N - 0.0125) < 0.002, `near edge ${nearEdge / N}`);
  });

  it('random tensors of any shape', () => {
    const t = ax.randomNormal([2, 3, 4]);
    assert.deepEqual(t.shape, [2, 3, 4]);
    assert.equal(t.size, 24);
    assert.ok(t.dataSync().every((x) => Number.isFinite(x)));
  });
});

describe('reading values', () => {
  it('shape and size', () => {
    const t = ax.zeros([2, 3, 4]);
    assert.deepEqual(t.shape, [2, 3, 4]);
    assert.equal(t.size, 24);
    assert.equal(ax.scalar(1).size, 1);
    assert.deepEqual(ax.scalar(1).shape, []);
  });

  it('dataSync returns a copy: writing to it does not change the tensor', () => {
    const t = ax.tensor([1, 2, 3]);
    const d = t.dataSync();
    assert.ok(d instanceof Float32Array);
    d[0] = 100;
    assert.deepEqual(flat(t), [1, 2, 3]);
    assert.notEqual(t.dataSync(), t.dataSync());
  });

  it('arraySync nests like the shape', () => {
    const t = ax.reshape(ax.range(0, 12), [2, 3, 2]);
    assert.deepEqual(t.arraySync(), [
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      [
        [6, 7],
        [8, 9],
        [10, 11],
      ],
    ]);
    assert.deepEqual(ax.tensor([[5]]).arraySync(), [[5]]);
    assert.equal(ax.scalar(9).arraySync(), 9);
  });

  it('data() and array() resolve to the same values', async () => {
    const t = ax.tensor([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(Array.from(await t.data()), [1, 2, 3, 4]);
    assert.deepEqual(await t.array(), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('item() reads a one-element tensor of any rank and rejects others', () => {
    assert.equal(ax.scalar(4).item(), 4);
    assert.equal(ax.tensor([[[7]]]).item(), 7);
    assert.throws(
      () => ax.tensor([1, 2]).item(),
      /item\(\): the tensor has 2 elements \(shape \[2\]\); expected exactly 1/,
    );
  });
});
