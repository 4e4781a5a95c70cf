import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// w = [[1, −2], [0.5, 0], [−0.25, 3]]: Σ|w| = 6.75, Σw² = 1 + 4 + 0.25 + 0 + 0.0625 + 9 = 14.3125.
const W = [
  [1, -2],
  [0.5, 0],
  [-0.25, 3],
];
const SUM_ABS = 6.75;
const SUM_SQ = 14.3125;

function assertClose(actual: number, expected: number, what: string, tol = 1e-6): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

describe('penalties', () => {
  it('l1 = 0.01·Σ|w| by default', () => {
    assertClose(ax.regularizers.l1().apply(ax.tensor(W)).item(), 0.01 * SUM_ABS, 'l1');
  });
  it('l2 = 0.01·Σw² by default (no ½)', () => {
    assertClose(ax.regularizers.l2().apply(ax.tensor(W)).item(), 0.01 * SUM_SQ, 'l2');
  });
  it('l1l2 = l1·Σ|w| + l2·Σw², defaults 0.01 each', () => {
    assertClose(ax.regularizers.l1l2().apply(ax.tensor(W)).item(), 0.01 * SUM_ABS + 0.01 * SUM_SQ, 'default');
    const r = ax.regularizers.l1l2({ l1: 0.1, l2: 0.2 });
    assertClose(r.apply(ax.tensor(W)).item(), 0.1 * SUM_ABS + 0.2 * SUM_SQ, 'given');
  });
  it('the penalty is a scalar', () => {
    assert.deepEqual(ax.regularizers.l2().apply(ax.tensor(W)).shape, []);
  });
  it('sums a million weights without float32 drift', () => {
    const n = 1_000_000;
    const w = ax.fill([1000, 1000], 0.1);
    const v = Math.fround(0.1);
    assertClose(ax.regularizers.l1l2({ l1: 1, l2: 1 }).apply(w).item(), n * v + n * v * v, 'large', 1e-6);
  });
  it('configs: l1 → {l1, l2: 0}, l2 → {l1: 0, l2}', () => {
    assert.deepEqual(ax.regularizers.l1({ l1: 0.5 }).getConfig(), { l1: 0.5, l2: 0 });
    assert.deepEqual(ax.regularizers.l2().getConfig(), { l1: 0, l2: 0.01 });
    assert.deepEqual(ax.regularizers.l1l2({ l2: 0.3 }).getConfig(), { l1: 0.01, l2: 0.3 });
  });
  it('rejects negative or non-finite factors', () => {
    assert.throws(
      () => ax.regularizers.l1({ l1: -1 }),
      /regularizers\.l1: 'l1' must be a finite number ≥ 0, got -1/,
    );
    assert.throws(
      () => ax.regularizers.l1l2({ l2: Number.NaN }),
      /'l2' must be a finite number ≥ 0, got NaN/,
    );
  });
});

describe('gradients', () => {
  const l1 = 0.1;
  const l2 = 0.2;
  const expected = (scale: number): number[] =>
    W.flat()
      .map((w) => scale * (l1 * Math.sign(w) + 2 * l2 * w))
      .map((g) => Math.fround(g));

  it('∂penalty/∂w = l1·sign(w) + 2·l2·w (0 for a zero weight)', () => {
    const r = ax.regularizers.l1l2({ l1, l2 });
    const g = ax.grad((w) => r.apply(w))(ax.tensor(W));
    assert.deepEqual(g.shape, [3, 2]);
    const got = Array.from(g.dataSync());
    const want = expected(1);
    for (let i = 0; i < want.length; i++) assertClose(got[i], want[i], `entry ${i}`);
    assert.equal(got[3], 0);
  });
  it('scales with the upstream gradient and chains through other ops', () => {
    const r = ax.regularizers.l1l2({ l1, l2 });
    const g = ax
      .grad((w) => r.apply(w))(ax.tensor(W), ax.scalar(3))
      .dataSync();
    const want = expected(3);
    for (let i = 0; i < want.length; i++) assertClose(g[i], want[i], `dy=3 entry ${i}`);
    // d/dw penalty(2w) = 2·(l1·sign(2w) + 2·l2·2w)
    const h = ax
      .grad((w) => r.apply(ax.mul(w, 2)))(ax.tensor(W))
      .dataSync();
    W.flat().forEach((w, i) => {
      assertClose(h[i], 2 * (l1 * Math.sign(w) + 4 * l2 * w), `chained entry ${i}`);
    });
  });
  it('matches finite differences away from zero', () => {
    const r = ax.regularizers.l1l2({ l1, l2 });
    const w0 = [0.3, -0.7, 1.1];
    const g = ax
      .grad((w) => r.apply(w))(ax.tensor(w0))
      .dataSync();
    const f = (w: number[]): number =>
      l1 * w.reduce((s, v) => s + Math.abs(v), 0) + l2 * w.reduce((s, v) => s + v * v, 0);
    const h = 1e-4;
    w0.forEach((_, i) => {
      const up = w0.map((v, j) => (j === i ? v + h : v));
      const down = w0.map((v, j) => (j === i ? v - h : v));
      assertClose(g[i], (f(up) - f(down)) / (2 * h), `fd ${i}`, 1e-5);
    });
  });
});

describe('agreement with TF.js', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  it('same penalty as tf.regularizers for l1, l2 and l1l2', () => {
    const pairs: [ax.Regularizer, ReturnType<typeof tf.regularizers.l1l2>][] = [
      [ax.regularizers.l1({ l1: 0.3 }), tf.regularizers.l1({ l1: 0.3 })],
      [ax.regularizers.l2({ l2: 0.03 }), tf.regularizers.l2({ l2: 0.03 })],
      [ax.regularizers.l1l2(), tf.regularizers.l1l2()],
    ];
    for (const [ours, theirs] of pairs) {
      const ref = tf.tidy(() => theirs.apply(tf.tensor2d(W)).dataSync()[0]);
      assertClose(ours.apply(ax.tensor(W)).item(), ref, ours.name);
    }
  });
  it('same gradient as tf.grad of the TF.js penalty where w ≠ 0', () => {
    const w = [
      [0.4, -1.5],
      [2, -0.1],
    ];
    const ref = tf.tidy(() => {
      const r = tf.regularizers.l1l2({ l1: 0.05, l2: 0.07 });
      return Array.from(
        tf
          .grad((t: tf.Tensor) => r.apply(t))(tf.tensor2d(w))
          .dataSync(),
      );
    });
    const ours = ax
      .grad((t) => ax.regularizers.l1l2({ l1: 0.05, l2: 0.07 }).apply(t))(ax.tensor(w))
      .dataSync();
    ref.forEach((v, i) => {
      assertClose(ours[i], v, `entry ${i}`);
    });
  });
});

describe('getRegularizer identifiers', () => {
  it('accepts l1, l2, l1l2 in any spelling, with default factors', () => {
    assert.deepEqual(ax.getRegularizer('l1')?.getConfig(), { l1: 0.01, l2: 0 });
    assert.deepEqual(ax.getRegularizer('L2')?.getConfig(), { l1: 0, l2: 0.01 });
    assert.deepEqual(ax.getRegularizer('l1_l2')?.getConfig(), { l1: 0.01, l2: 0.01 });
    assert.equal(ax.getRegularizer('l1l2')?.name, 'l1l2');
  });
  it('null and undefined mean no regularizer; a Regularizer is returned as is', () => {
    assert.equal(ax.getRegularizer(null), null);
    assert.equal(ax.getRegularizer(undefined), null);
    const r = ax.regularizers.l2({ l2: 1 });
    assert.equal(ax.getRegularizer(r), r);
  });
  it('rejects an unknown name, listing the valid ones', () => {
    assert.throws(() => ax.getRegularizer('l3'), /^Error: unknown regularizer 'l3' \(valid: l1, l2, l1l2\)$/);
  });
});
