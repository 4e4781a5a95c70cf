import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('layers.dropout', () => {
  const x = ax.fill([100, 100], 2);

  it('is the identity at inference (training false or absent)', () => {
    const d = ax.layers.dropout({ rate: 0.5 });
    assert.equal(d.apply(x), x);
    assert.equal(d.apply(x, { training: false }), x);
  });

  it('in training zeroes about `rate` of the inputs and scales the rest by 1/(1 − rate)', () => {
    ax.setSeed(1);
    const y = ax.layers.dropout({ rate: 0.3 }).apply(x, { training: true }).dataSync();
    let dropped = 0;
    for (const v of y) {
      if (v === 0) dropped++;
      else assert.ok(Math.abs(v - 2 / 0.7) < 1e-6);
    }
    // 10 000 Bernoulli(0.3) draws: 4.4 standard deviations is 200.
    assert.ok(Math.abs(dropped - 3000) < 200, `dropped ${dropped}`);
  });

  it('repeats its mask after setSeed, and a private seed is independent of the global stream', () => {
    const d = ax.layers.dropout({ rate: 0.5 });
    ax.setSeed(9);
    const a = d.apply(x, { training: true }).dataSync();
    ax.setSeed(9);
    const b = d.apply(x, { training: true }).dataSync();
    assert.deepEqual(a, b);
    const s1 = ax.layers.dropout({ rate: 0.5, seed: 4 }).apply(x, { training: true }).dataSync();
    ax.setSeed(123);
    const s2 = ax.layers.dropout({ rate: 0.5, seed: 4 }).apply(x, { training: true }).dataSync();
    assert.deepEqual(s1, s2);
  });

  it('passes gradients only through kept units, scaled like the forward', () => {
    ax.setSeed(2);
    const w = ax.variable(ax.ones([4, 5]));
    const y = ax.layers.dropout({ rate: 0.5 }).apply(w, { training: true });
    ax.sum(y).backward();
    assert.deepEqual(Array.from(w.grad?.dataSync() ?? []), Array.from(y.dataSync()));
  });

  it('rejects rates outside [0, 1)', () => {
    assert.throws(() => ax.layers.dropout({ rate: 1 }), /'rate' must be a number in \[0, 1\), got 1/);
    assert.throws(() => ax.layers.dropout({ rate: -0.1 }), /'rate'/);
  });
});

describe('layers.batchNormalization', () => {
  const rows = [
    [1, 2],
    [3, 6],
    [5, 4],
  ];
  const gamma = [2, 0.5];
  const beta = [0.1, -1];
  const eps = 1e-3;

  function layer(): ax.BatchNormalization {
    const bn = ax.layers.batchNormalization({ inputShape: [2] });
    bn.apply(ax.zeros([1, 2]));
    bn.setWeights([ax.tensor(gamma), ax.tensor(beta), ax.zeros([2]), ax.ones([2])]);
    return bn;
  }

  it('has Keras defaults and weights gamma, beta (trainable), moving_mean, moving_variance', () => {
    const bn = layer();
    assert.equal(bn.momentum, 0.99);
    assert.equal(bn.epsilon, 1e-3);
    assert.deepEqual(
      bn.weights.map((w) => w.name?.split('/')[1]),
      ['gamma', 'beta', 'moving_mean', 'moving_variance'],
    );
    assert.equal(bn.trainableWeights.length, 2);
    assert.equal(bn.nonTrainableWeights.length, 2);
    assert.equal(bn.countParams(), 8);
  });

  it('training: normalizes with the batch mean and biased variance, and moves the moving statistics', () => {
    const bn = layer();
    const y = bn.apply(ax.tensor(rows), { training: true }).dataSync();
    // Hand computation: mean [3, 4], variance (divide by n) [8/3, 8/3].
    const mean = [3, 4];
    const variance = [8 / 3, 8 / 3];
    const expected = rows.flatMap((r) =>
      r.map((v, j) => (gamma[j] * (v - mean[j])) / Math.sqrt(variance[j] + eps) + beta[j]),
    );
    close(y, expected);
    const [, , movingMean, movingVariance] = bn.getWeights();
    // moving ← moving − (moving − batch)·(1 − 0.99)
    close(movingMean.dataSync(), [0.03, 0.04]);
    close(movingVariance.dataSync(), [1 + 0.01 * (8 / 3 - 1), 1 + 0.01 * (8 / 3 - 1)]);
  });

  it('inference: uses the moving statistics and leaves them unchanged', () => {
    const bn = layer();
    bn.setWeights([ax.tensor(gamma), ax.tensor(beta), ax.tensor([1, -1]), ax.tensor([4, 0.25])]);
    const y = bn.apply(ax.tensor(rows)).dataSync();
    const mm = [1, -1];
    const mv = [4, 0.25];
    const expected = rows.flatMap((r) =>
      r.map((v, j) => (gamma[j] * (v - mm[j])) / Math.sqrt(mv[j] + eps) + beta[j]),
    );
    close(y, expected);
    close(bn.getWeights()[2].dataSync(), mm);
    close(bn.getWeights()[3].dataSync(), mv);
  });

  it('training gradients flow through the batch statistics: Σᵢ ∂L/∂xᵢ = 0 per feature', () => {
    const bn = layer();
    const x = ax.variable(ax.tensor(rows));
    const y = bn.apply(x, { training: true });
    ax.sum(
      ax.mul(
        y,
        ax.tensor([
          [1, 2],
          [-3, 0.5],
          [2, 2],
        ]),
      ),
    ).backward();
    const g = x.grad?.arraySync() as number[][];
    for (let j = 0; j < 2; j++) assert.ok(Math.abs(g[0][j] + g[1][j] + g[2][j]) < 1e-5);
    assert.ok(Math.abs(g[0][0]) > 1e-3);
  });

  it('center/scale false drop beta/gamma', () => {
    const bn = ax.layers.batchNormalization({ center: false, scale: false, inputShape: [3] });
    bn.apply(ax.zeros([1, 3]));
    assert.deepEqual(
      bn.weights.map((w) => w.name?.split('/')[1]),
      ['moving_mean', 'moving_variance'],
    );
  });
});
