import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

// Logistic regression from the course notes, built as a graph of engine ops:
//   z = x·w + b,  a = σ(z),  L = −[y log a + (1 − y) log(1 − a)]  (averaged over a batch of m).
// Backpropagation must reproduce the closed forms
//   dz = a − y,  dw = (a − y)·x,  db = a − y          for one sample, and
//   dz⁽ⁱ⁾ = (a⁽ⁱ⁾ − y⁽ⁱ⁾)/m,  dw = (1/m) Σᵢ (a⁽ⁱ⁾ − y⁽ⁱ⁾)·x⁽ⁱ⁾,  db = (1/m) Σᵢ (a⁽ⁱ⁾ − y⁽ⁱ⁾)   for the mean loss.

const TOL = 1e-5;

function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= TOL,
      `${what}[${i}]: engine ${actual[i]}, closed form ${expected[i]}`,
    );
  }
}

interface Problem {
  x: ax.Tensor; // [m, n]
  y: ax.Tensor; // [m, 1] of 0/1
  w: ax.Variable; // [n, 1]
  b: ax.Variable; // scalar
}

function problem(seed: number, m: number, n: number): Problem {
  const x = ax.randomNormal([m, n], 0, 1, 'float32', seed);
  const y = ax.tensor(
    ax
      .randomUniform([m, 1], 0, 1, 'float32', seed + 1)
      .dataSync()
      .map((u) => (u < 0.5 ? 0 : 1)),
    [m, 1],
  );
  const w = ax.variable(ax.randomNormal([n, 1], 0, 0.5, 'float32', seed + 2), true, 'w');
  const b = ax.variable(ax.randomUniform([], -0.5, 0.5, 'float32', seed + 3), true, 'b');
  return { x, y, w, b };
}

/** The closed forms, in float64 from the same float32 inputs. */
function closedForm({ x, y, w, b }: Problem): { a: number[]; dz: number[]; dw: number[]; db: number } {
  const [m, n] = x.shape;
  const xv = x.dataSync();
  const yv = y.dataSync();
  const wv = w.dataSync();
  const bv = b.item();
  const a: number[] = [];
  const dz: number[] = [];
  const dw = new Array<number>(n).fill(0);
  let db = 0;
  for (let i = 0; i < m; i++) {
    let z = bv;
    for (let j = 0; j < n; j++) z += xv[i * n + j] * wv[j];
    const ai = 1 / (1 + Math.exp(-z));
    a.push(ai);
    const d = (ai - yv[i]) / m;
    dz.push(d);
    for (let j = 0; j < n; j++) dw[j] += d * xv[i * n + j];
    db += d;
  }
  return { a, dz, dw, db };
}

/** The loss written exactly as in the notes, with log a and log(1 − a). */
function notesLoss(a: ax.Tensor, y: ax.Tensor): ax.Tensor {
  const perSample = ax.neg(ax.add(ax.mul(y, ax.log(a)), ax.mul(ax.sub(1, y), ax.log(ax.sub(1, a)))));
  return ax.mean(perSample);
}

describe('logistic regression: backprop equals the closed forms', () => {
  for (const m of [1, 16]) {
    for (const seed of [1, 2, 3, 42]) {
      it(`batch of ${m}, seed ${seed}, loss as in the notes (backward())`, () => {
        const p = problem(seed, m, 4);
        const z = ax.add(ax.matMul(p.x, p.w), p.b);
        const a = ax.sigmoid(z);
        const L = notesLoss(a, p.y);
        L.backward();
        const ref = closedForm(p);
        assertClose(a.dataSync(), ref.a, 'a');
        // ∂L/∂z per sample: a − y (divided by m for the mean).
        assertClose((z.grad as ax.Tensor).dataSync(), ref.dz, 'dz');
        assertClose((p.w.grad as ax.Tensor).dataSync(), ref.dw, 'dw');
        assertClose([(p.b.grad as ax.Tensor).item()], [ref.db], 'db');
        assert.deepEqual(p.w.grad?.shape, [4, 1]);
        assert.deepEqual(p.b.grad?.shape, []);
      });

      it(`batch of ${m}, seed ${seed}, loss from logits (variableGrads)`, () => {
        const p = problem(seed, m, 3);
        const { value, grads } = ax.variableGrads(() =>
          ax.mean(ax.sigmoidCrossEntropyWithLogits(p.y, ax.add(ax.matMul(p.x, p.w), p.b))),
        );
        const ref = closedForm(p);
        const expectedLoss =
          ref.a.reduce((s, ai, i) => {
            const yi = p.y.dataSync()[i];
            return s - (yi * Math.log(ai) + (1 - yi) * Math.log(1 - ai));
          }, 0) / m;
        assert.ok(Math.abs(value.item() - expectedLoss) < TOL, `loss ${value.item()} vs ${expectedLoss}`);
        assertClose(grads.w.dataSync(), ref.dw, 'dw');
        assertClose([grads.b.item()], [ref.db], 'db');
      });
    }
  }

  it('one sample, by hand: x = [1, 2], w = [0.5, −0.25], b = 0, y = 1', () => {
    // z = 0, a = 0.5: dz = −0.5, dw = −0.5·x = [−0.5, −1], db = −0.5.
    const x = ax.tensor([[1, 2]]);
    const w = ax.variable(ax.tensor([[0.5], [-0.25]]));
    const b = ax.variable(ax.scalar(0));
    const z = ax.add(ax.matMul(x, w), b);
    notesLoss(ax.sigmoid(z), ax.tensor([[1]])).backward();
    assert.equal(z.grad?.item(), -0.5);
    assert.deepEqual(Array.from((w.grad as ax.Tensor).dataSync()), [-0.5, -1]);
    assert.equal(b.grad?.item(), -0.5);
  });
});
