import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

// Logits of ±1000 overflow exp() in any naive formula (e^1000 = ∞ even in float64). Every value and every
// gradient must stay finite and equal the limit computed by hand.

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Number.isFinite(actual[i]), `${what}[${i}] is ${actual[i]}`);
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

const values = (t: ax.Tensor): Float32Array => t.dataSync();

describe('numerically stable ops at logits of ±1000', () => {
  it('sigmoid: values 0 and 1, gradients 0', () => {
    const x = ax.tensor([-1000, -100, 0, 100, 1000]);
    assert.deepEqual(Array.from(values(ax.sigmoid(x))), [0, Math.fround(1 / (1 + Math.exp(100))), 0.5, 1, 1]);
    const g = ax.grad((t) => ax.sigmoid(t))(x);
    assertClose(values(g), [0, 0, 0.25, 0, 0], 1e-7, 'dσ');
  });

  it('softplus and log-sigmoid limits', () => {
    const x = ax.tensor([-1000, 1000]);
    assertClose(values(ax.softplus(x)), [0, 1000], 0, 'softplus');
    assertClose(values(ax.grad((t) => ax.softplus(t))(x)), [0, 1], 0, 'softplus′');
    // log σ(x) = −softplus(−x): −1000 and 0.
    assertClose(values(ax.neg(ax.softplus(ax.neg(x)))), [-1000, 0], 0, 'log σ');
  });

  it('softmax: [1000, 0] → [1, 0], equal huge logits share evenly, gradients finite', () => {
    assertClose(values(ax.softmax(ax.tensor([1000, 0]))), [1, 0], 0, 'softmax');
    assertClose(values(ax.softmax(ax.tensor([1000, 1000]))), [0.5, 0.5], 0, 'equal');
    assertClose(
      values(ax.softmax(ax.tensor([-1000, -1000, -1000]))),
      [1 / 3, 1 / 3, 1 / 3],
      1e-7,
      'equal negative',
    );
    assertClose(values(ax.softmax(ax.tensor([1000, -1000]))), [1, 0], 0, '±1000');
    // Along axis 0 of a matrix.
    const s = ax.softmax(
      ax.tensor([
        [1000, 0],
        [0, -1000],
      ]),
      0,
    );
    assertClose(values(s), [1, 1, 0, 0], 0, 'axis 0');
    // d/dx Σ wᵢ softmax(x)ᵢ = y ∘ (w − Σ w∘y); at y = [0.5, 0.5], w = [1, 3]: [−0.5, 0.5].
    const w = ax.tensor([1, 3]);
    const g = ax.grad((t) => ax.sum(ax.mul(ax.softmax(t), w)))(ax.tensor([1000, 1000]));
    assertClose(values(g), [-0.5, 0.5], 1e-6, 'd softmax');
    const g2 = ax.grad((t) => ax.sum(ax.mul(ax.softmax(t), w)))(ax.tensor([1000, -1000]));
    assertClose(values(g2), [0, 0], 0, 'd softmax saturated');
  });

  it('logSoftmax: [1000, 0] → [0, −1000], and its gradient', () => {
    assertClose(values(ax.logSoftmax(ax.tensor([1000, 0]))), [0, -1000], 0, 'logSoftmax');
    assertClose(values(ax.logSoftmax(ax.tensor([1000, -1000]))), [0, -2000], 0, '±1000');
    assertClose(values(ax.logSoftmax(ax.tensor([1000, 1000]))), [-Math.LN2, -Math.LN2], 1e-6, 'equal');
    // d logSoftmax(x)₁ / dx = e₁ − softmax(x) = [0, 1] − [1, 0].
    const g = ax.grad((t) => ax.slice(ax.logSoftmax(t), [1], [1]))(ax.tensor([1000, 0]));
    assertClose(values(g), [-1, 1], 0, 'd logSoftmax');
    const rows = ax.logSoftmax(
      ax.tensor([
        [1000, 0, -1000],
        [5, 5, 5],
      ]),
    );
    assertClose(values(rows), [0, -1000, -2000, -Math.log(3), -Math.log(3), -Math.log(3)], 1e-6, 'rows');
  });

  it('logSumExp: the max plus a small term, gradient = softmax', () => {
    assertClose(values(ax.logSumExp(ax.tensor([1000, 1000]))), [1000 + Math.LN2], 1e-7, 'lse');
    assertClose(values(ax.logSumExp(ax.tensor([-1000, -1000]))), [-1000 + Math.LN2], 1e-7, 'lse negative');
    assertClose(values(ax.logSumExp(ax.tensor([1000, 0]))), [1000], 0, 'lse dominated');
    const m = ax.tensor([
      [1000, 0],
      [-1000, -1000],
    ]);
    assertClose(values(ax.logSumExp(m, 1)), [1000, -1000 + Math.LN2], 1e-7, 'rows');
    assertClose(values(ax.logSumExp(m, 0, true)), [1000, 0], 0, 'columns');
    assert.deepEqual(ax.logSumExp(m, 0, true).shape, [1, 2]);
    assertClose(values(ax.grad((t) => ax.logSumExp(t))(ax.tensor([1000, 0]))), [1, 0], 0, 'd lse');
    // The gradient is exp(x − lse(x)); lse = −999.307 is stored as float32 (spacing 6e-5 near 1000), so
    // the second row is 0.5 to about 1.5e-5 — float32 precision, not instability.
    assertClose(values(ax.grad((t) => ax.logSumExp(t, 1))(m)), [1, 0, 0.5, 0.5], 1e-4, 'd lse rows');
  });

  it('sigmoidCrossEntropyWithLogits: ≈0 with the right label, ≈1000 with the wrong one', () => {
    const labels = ax.tensor([1, 0, 0, 1, 1, 0]);
    const logits = ax.tensor([1000, -1000, 1000, -1000, 0, 0]);
    const loss = ax.sigmoidCrossEntropyWithLogits(labels, logits);
    assertClose(values(loss), [0, 0, 1000, 1000, Math.LN2, Math.LN2], 1e-7, 'loss');
    // ∂/∂logits = σ(x) − z; ∂/∂labels = −x.
    const [dz, dx] = ax.grads((z, x) => ax.sigmoidCrossEntropyWithLogits(z, x))([labels, logits]);
    assertClose(values(dx), [0, 0, 1, -1, -0.5, 0.5], 0, 'd logits');
    assertClose(values(dz), [-1000, 1000, -1000, 1000, 0, 0], 0, 'd labels');
    // Soft labels: z = 0.25 at x = 1000 costs 1000 − 250 = 750.
    assertClose(values(ax.sigmoidCrossEntropyWithLogits([0.25], [1000])), [750], 1e-7, 'soft');
  });

  it('softmaxCrossEntropyWithLogits: ≈0 with the right label, ≈2000 with the wrong one', () => {
    const logits = ax.tensor([
      [1000, -1000],
      [1000, -1000],
      [0, 0],
    ]);
    const labels = ax.tensor([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
    ]);
    const loss = ax.softmaxCrossEntropyWithLogits(labels, logits);
    assert.deepEqual(loss.shape, [3]);
    assertClose(values(loss), [0, 2000, Math.LN2], 1e-7, 'loss');
    // ∂/∂logits = softmax(x)·Σz − z; ∂/∂labels = −log softmax(x).
    const [dz, dx] = ax.grads((z, x) => ax.softmaxCrossEntropyWithLogits(z, x))([labels, logits]);
    assertClose(values(dx), [0, 0, 1, -1, 0, 0], 0, 'd logits');
    assertClose(values(dz), [0, 2000, 0, 2000, Math.LN2, Math.LN2], 1e-7, 'd labels');
    // Mean over the batch: each row's gradient is divided by the batch size.
    const dMean = ax.grad((x) => ax.mean(ax.softmaxCrossEntropyWithLogits(labels, x)))(logits);
    assertClose(values(dMean), [0, 0, 1 / 3, -1 / 3, 0, 0], 1e-7, 'd mean');
  });

  it('the three-class example of the notes: softmax([10, 20, 30])', () => {
    const p = values(ax.softmax(ax.tensor([10, 20, 30])));
    const e = [Math.exp(-20), Math.exp(-10), 1];
    const s = e[0] + e[1] + e[2];
    assertClose(
      p,
      e.map((v) => v / s),
      1e-6,
      'softmax',
    );
    assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-6);
  });
});
