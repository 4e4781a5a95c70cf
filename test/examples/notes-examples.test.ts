import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAB_X, LAB_Y, runLabBackpropExample } from '../../examples/lab-backprop.js';
import { runLogisticRegressionExample } from '../../examples/logistic-regression.js';
import { runPerceptronExample } from '../../examples/perceptron.js';

describe('examples/perceptron.ts', () => {
  const { and, or, xor } = runPerceptronExample();

  it('learns bipolar AND and OR: every row of the truth table right', () => {
    for (const r of [and, or]) {
      assert.equal(r.converged, true, r.gate);
      assert.equal(r.errors[r.errors.length - 1], 0);
      assert.ok(
        r.table.every((row) => row.output === row.target),
        r.gate,
      );
    }
    // Hand traces (zero start, η = 1, table order): AND errors 1, 2, 0 → w = (1, 1), b = −1;
    // OR errors 2, 1, 0 → the notes' line w = (1, 1), b = 1.
    assert.deepEqual([and.errors, and.weights, and.bias], [[1, 2, 0], [1, 1], -1]);
    assert.deepEqual([or.errors, or.weights, or.bias], [[2, 1, 0], [1, 1], 1]);
  });

  it('fails on XOR: converged false after all 100 epochs, never a clean epoch', () => {
    assert.equal(xor.converged, false);
    assert.equal(xor.epochs, 100);
    assert.equal(xor.errors.length, 100);
    assert.ok(Math.min(...xor.errors) > 0);
    assert.ok(xor.table.some((row) => row.output !== row.target));
  });
});

describe('examples/logistic-regression.ts', () => {
  const run = runLogisticRegressionExample();

  it('reaches at least 95% training accuracy with a falling loss', () => {
    assert.ok(run.accuracy >= 0.95, `accuracy ${run.accuracy}`);
    assert.ok(Math.abs(run.losses[0][1] - Math.LN2) < 1e-6, 'w = 0 gives σ = ½ everywhere: loss ln 2');
    for (let i = 1; i < run.losses.length; i++) assert.ok(run.losses[i][1] < run.losses[i - 1][1]);
    assert.ok(run.finalLoss < 0.1, `final loss ${run.finalLoss}`);
  });

  it('has autodiff gradients equal to the closed form (1/n)xᵀ(a − y) at every step', () => {
    assert.ok(run.maxGradDiff.w < 1e-5, `dw differs by ${run.maxGradDiff.w}`);
    assert.ok(run.maxGradDiff.b < 1e-5, `db differs by ${run.maxGradDiff.b}`);
    const { autodiffW, closedFormW } = run.firstStep;
    assert.equal(autodiffW.length, 2);
    assert.ok(Math.hypot(...autodiffW) > 0.1, 'the first gradient is not trivially zero');
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(autodiffW[i] - closedFormW[i]) < 1e-6);
  });
});

/** C(W1, W2) in float64 plain numbers, independent of the tensor engine. */
function labCost(W1: number[][], W2: number[][]): number {
  const f = (s: number): number => 1 / (1 + Math.exp(-s));
  let c = 0;
  LAB_X.forEach((x, r) => {
    const a2 = [0, 1, 2].map((j) => f(x[0] * W1[0][j] + x[1] * W1[1][j]));
    const yHat = f(a2[0] * W2[0][0] + a2[1] * W2[1][0] + a2[2] * W2[2][0]);
    c += 0.5 * (LAB_Y[r][0] - yHat) ** 2;
  });
  return c;
}

/** Central differences of labCost with respect to every entry of W (which = 0 for W1, 1 for W2). */
function numericGradient(W1: number[][], W2: number[][], which: 0 | 1): number[][] {
  const h = 1e-6;
  const W = which === 0 ? W1 : W2;
  return W.map((row, i) =>
    row.map((_, j) => {
      const bump = (d: number): number => {
        const copy = W.map((r) => [...r]);
        copy[i][j] += d;
        return which === 0 ? labCost(copy, W2) : labCost(W1, copy);
      };
      return (bump(h) - bump(-h)) / (2 * h);
    }),
  );
}

describe('examples/lab-backprop.ts', () => {
  const run = runLabBackpropExample();
  const maxDiff = (a: number[][], b: number[][]): number =>
    Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

  it('has hand δ gradients equal to autodiff to 1e-5', () => {
    assert.deepEqual([run.hand.dW1.length, run.hand.dW1[0].length], [2, 3]);
    assert.deepEqual([run.hand.dW2.length, run.hand.dW2[0].length], [3, 1]);
    assert.ok(run.maxAbsDiff.W1 < 1e-5 && run.maxAbsDiff.W2 < 1e-5, JSON.stringify(run.maxAbsDiff));
    assert.equal(run.maxAbsDiff.W1, maxDiff(run.hand.dW1, run.autodiff.dW1));
    assert.ok(Math.max(...run.hand.dW1.flat().map(Math.abs)) > 1e-2, 'gradients are not trivially small');
  });

  it('has hand gradients equal to float64 finite differences of C = Σ ½(y − ŷ)²', () => {
    assert.ok(Math.abs(run.hand.cost - labCost(run.W1, run.W2)) < 1e-6);
    assert.ok(maxDiff(run.hand.dW1, numericGradient(run.W1, run.W2, 0)) < 1e-5);
    assert.ok(maxDiff(run.hand.dW2, numericGradient(run.W1, run.W2, 1)) < 1e-5);
  });

  it('builds the δs as the notes write them', () => {
    const { hand } = run;
    // δ⁽³⁾ = −(y − ŷ)·ŷ(1 − ŷ), row by row.
    hand.delta3.forEach(([d], r) => {
      const yHat = hand.yHat[r][0];
      assert.ok(Math.abs(d - -(LAB_Y[r][0] - yHat) * yHat * (1 - yHat)) < 1e-6);
    });
    // δ⁽²⁾ = δ⁽³⁾(W⁽²⁾)ᵀ ∘ a⁽²⁾(1 − a⁽²⁾).
    for (let r = 0; r < 3; r++) {
      for (let j = 0; j < 3; j++) {
        const a = hand.a2[r][j];
        assert.ok(Math.abs(hand.delta2[r][j] - hand.delta3[r][0] * run.W2[j][0] * a * (1 - a)) < 1e-6);
      }
    }
  });

  it('trains with the hand gradients: the cost falls', () => {
    assert.ok(run.training.costAfter < run.training.costBefore / 10, JSON.stringify(run.training));
  });
});
