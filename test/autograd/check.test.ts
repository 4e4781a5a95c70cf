import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { result } from '../../src/ops/engine.js';
import { allocData } from '../../src/tensor/precision.js';

type T = ax.Tensor;

/** y = x² elementwise, with a backward rule `rule(x, dy)` supplied by the test (right or wrong). */
function squareWith(
  rule: (x: Float64Array | Float32Array, dy: Float64Array | Float32Array, i: number) => number,
) {
  return (x: T): T => {
    const out = allocData(x.size);
    for (let i = 0; i < x.size; i++) out[i] = x.values[i] * x.values[i];
    return result(out, x.shape, 'testSquare', [x], (dy) => {
      const dx = allocData(x.size);
      for (let i = 0; i < x.size; i++) dx[i] = rule(x.values, dy.values, i);
      return [new ax.Tensor(dx, x.shape)];
    });
  };
}

describe('checkGradients', () => {
  it('passes on correct ops, with float64 accuracy far below the tolerance', () => {
    const a = ax.tensor([
      [0.3, -1.2, 2],
      [0.7, 0.1, -0.4],
    ]);
    const b = ax.tensor([
      [1.5, -0.5],
      [0.2, 0.9],
      [-1.1, 0.6],
    ]);
    const r = ax.checkGradients((x, y) => ax.tanh(ax.matMul(x, y)), [a, b]);
    assert.equal(r.passed, true);
    assert.equal(r.inputs.length, 2);
    assert.ok(r.maxRelativeError < 1e-7, `maxRelativeError ${r.maxRelativeError}`);
    assert.deepEqual(r.inputs[0].shape, [2, 3]);
    assert.equal(r.inputs[0].checkedElements, 6);
    assert.equal(r.inputs[1].checkedElements, 6);
    assert.equal(r.epsilon, 1e-6);
    assert.equal(r.tolerance, 1e-3);
    // d/dx eˣ at 1 is e: the numeric gradient is that close only because it is computed in float64.
    const e = ax.checkGradients((x) => ax.exp(x), [1]);
    assert.ok(Math.abs(e.inputs[0].numeric[0] - Math.E) < 1e-8, `numeric ${e.inputs[0].numeric[0]}`);
    assert.equal(e.inputs[0].analytic[0], Math.E);
  });

  it('fails, reporting a large error, when a backward rule is wrong', () => {
    const x = ax.tensor([0.5, -1, 2]);
    const right = ax.checkGradients(
      squareWith((v, dy, i) => 2 * v[i] * dy[i]),
      [x],
    );
    assert.equal(right.passed, true);
    // Missing factor 2: analytic = x·dy, numeric = 2x·dy → relative error 1/2.
    const wrong = ax.checkGradients(
      squareWith((v, dy, i) => v[i] * dy[i]),
      [x],
    );
    assert.equal(wrong.passed, false);
    assert.ok(Math.abs(wrong.maxRelativeError - 0.5) < 1e-6, `maxRelativeError ${wrong.maxRelativeError}`);
    assert.equal(wrong.inputs[0].passed, false);
    // Wrong sign: |a − n| / max(|a|, |n|) = 2.
    const sign = ax.checkGradients(
      squareWith((v, dy, i) => -2 * v[i] * dy[i]),
      [x],
    );
    assert.ok(Math.abs(sign.maxRelativeError - 2) < 1e-6);
  });

  it('locates the worst element (flat and multi-index) when only one element is wrong', () => {
    const x = ax.tensor([
      [0.5, -1, 2],
      [1.5, 0.25, -0.75],
    ]);
    const f = squareWith((v, dy, i) => (i === 4 ? 3 : 2) * v[i] * dy[i]);
    const r = ax.checkGradients(f, [x]);
    assert.equal(r.worstInput, 0);
    assert.equal(r.worstIndex, 4);
    assert.deepEqual(r.worstMultiIndex, [1, 1]);
    assert.deepEqual(r.inputs[0].worstMultiIndex, [1, 1]);
    // Analytic 3x·w vs numeric 2x·w: relative error 1/3 whatever the weight w.
    assert.ok(Math.abs(r.maxRelativeError - 1 / 3) < 1e-6);
    assert.ok(Math.abs(r.inputs[0].worstAnalytic / r.inputs[0].worstNumeric - 1.5) < 1e-6);
    assert.ok(r.maxAbsoluteError > 0.1);
  });

  it('weights the outputs distinctly, so a gradient routed to the wrong element is caught', () => {
    // y = 2x, but the backward rule reverses dy: with dy = ones (a plain sum) it would look right.
    const reversed = (x: T): T => {
      const out = allocData(x.size);
      for (let i = 0; i < x.size; i++) out[i] = 2 * x.values[i];
      return result(out, x.shape, 'reversed', [x], (dy) => {
        const dx = allocData(x.size);
        for (let i = 0; i < x.size; i++) dx[i] = 2 * dy.values[x.size - 1 - i];
        return [new ax.Tensor(dx, x.shape)];
      });
    };
    const x = ax.tensor([1, 2, 3, 4]);
    const plainSum = ax.grad(reversed)(x).dataSync();
    assert.deepEqual([...plainSum], [2, 2, 2, 2]);
    const r = ax.checkGradients(reversed, [x]);
    assert.equal(r.passed, false);
    assert.ok(r.maxRelativeError > 0.05, `maxRelativeError ${r.maxRelativeError}`);
  });

  it('uses a relative error with a floor: a zero gradient is not a 100% error', () => {
    // a only enters multiplied by 0: its gradient is exactly 0, analytically and numerically.
    const r = ax.checkGradients((a, b) => ax.add(ax.mul(a, 0), b), [ax.tensor([1, 2]), ax.tensor([3, 4])]);
    assert.equal(r.inputs[0].maxRelativeError, 0);
    assert.equal(r.passed, true);
    // A tiny absolute error near zero: relative to the floor 1e-4, not to the gradient itself.
    const tiny = ax.checkGradients(
      squareWith((v, dy, i) => 2 * v[i] * dy[i] + 1e-9),
      [ax.tensor([0])],
    );
    assert.ok(Math.abs(tiny.maxRelativeError - 1e-5) < 1e-7, `maxRelativeError ${tiny.maxRelativeError}`);
    const strict = ax.checkGradients(
      squareWith((v, dy, i) => 2 * v[i] * dy[i] + 1e-9),
      [ax.tensor([0])],
      {
        floor: 1e-9,
      },
    );
    assert.ok(strict.maxRelativeError > 0.9);
  });

  it('is deterministic, and the seed changes the weights', () => {
    const x = ax.tensor([
      [0.3, -1.2],
      [0.7, 0.1],
    ]);
    const f = squareWith((v, dy, i) => 1.9 * v[i] * dy[i]);
    const r1 = ax.checkGradients(f, [x]);
    const r2 = ax.checkGradients(f, [x]);
    assert.deepEqual(r1, r2);
    const r3 = ax.checkGradients(f, [x], { seed: 7 });
    assert.notDeepEqual([...r3.inputs[0].analytic], [...r1.inputs[0].analytic]);
  });

  it('checks a seeded random subset of a big input with maxElements', () => {
    const x = ax.randomNormal([20, 10]);
    const f = (t: T) => ax.sigmoid(t);
    const r = ax.checkGradients(f, [x], { maxElements: 15, seed: 3 });
    const checked = r.inputs[0].numeric.reduce((n, v) => n + (Number.isNaN(v) ? 0 : 1), 0);
    assert.equal(r.inputs[0].checkedElements, 15);
    assert.equal(checked, 15);
    assert.equal(r.passed, true);
    const again = ax.checkGradients(f, [x], { maxElements: 15, seed: 3 });
    const picked = (c: ax.GradientCheckResult) =>
      [...c.inputs[0].numeric].flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
    assert.deepEqual(picked(again), picked(r));
    assert.notDeepEqual(picked(ax.checkGradients(f, [x], { maxElements: 15, seed: 4 })), picked(r));
    // A larger limit than the input checks everything.
    assert.equal(ax.checkGradients(f, [x], { maxElements: 1000 }).inputs[0].checkedElements, 200);
  });

  it('does not modify the caller’s tensors (values, grad, requiresGrad)', () => {
    const x = ax.tensor([0.5, 1.5, -2]);
    const w = ax.variable(ax.tensor([[1, 2, 3]]), true, 'w');
    const before = [...x.dataSync()];
    const wBefore = [...w.dataSync()];
    const r = ax.checkGradients((a, b) => ax.mul(ax.square(a), b), [x, w]);
    assert.equal(r.passed, true);
    assert.deepEqual([...x.dataSync()], before);
    assert.deepEqual([...w.dataSync()], wBefore);
    assert.equal(x.grad, null);
    assert.equal(w.grad, null);
    assert.equal(x.requiresGrad, false);
    assert.ok(x.values instanceof Float32Array);
    // Nor does storage stay float64 after the call.
    assert.ok(ax.tensor([1]).values instanceof Float32Array);
  });

  it('handles an output that shares the input buffer (reshape) and numbers/arrays as inputs', () => {
    assert.equal(
      ax.checkGradients(
        (t) => ax.reshape(t, [4]),
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ).maxRelativeError,
      0,
    );
    assert.ok(ax.checkGradients((t) => ax.mul(t, t), [3]).passed);
  });

  it('gives clear errors for a bad f', () => {
    const x = ax.tensor([1, 2]);
    assert.throws(
      () => ax.checkGradients(() => 3 as unknown as T, [x]),
      /checkGradients: f must return a Tensor, got number/,
    );
    assert.throws(
      () => ax.checkGradients(() => [x] as unknown as T, [x]),
      /f must return a Tensor, got an array/,
    );
    // NaN for the given inputs names the output element.
    assert.throws(
      () => ax.checkGradients((t) => ax.log(t), [ax.tensor([1, -1])]),
      /f returned NaN at output element 1 \[1\] for the given inputs/,
    );
    // Infinity only once an element is moved: the message names the input and the element.
    assert.throws(
      () =>
        ax.checkGradients((a, b) => ax.add(a, ax.sqrt(b)), [x, ax.variable(ax.tensor([[4, 0]]), true, 'b')]),
      /f returned NaN .* when inputs\[1\] \('b'\) element 1 \[0,1\] was moved by −1e-6/,
    );
    assert.throws(() => ax.checkGradients((t) => ax.div(1, t), [0]), /f returned Infinity/);
    // An output shape that depends on the values cannot be differenced.
    assert.throws(
      () => ax.checkGradients((t) => (t.values[0] > 1.5 ? ax.concat([t, t]) : t), [[1.5]]),
      /f returned shape \[2\] when inputs\[0\] element 0 \[0\] was moved by \+1e-6, but \[1\] for the given inputs/,
    );
    assert.throws(() => ax.checkGradients((t) => t, [x], { epsilon: 0 }), /epsilon must be a positive/);
    assert.throws(() => ax.checkGradients((t) => t, [x], { maxElements: 0 }), /maxElements/);
    assert.throws(() => ax.checkGradients((t) => t, [['a'] as unknown as ax.TensorLike]), /inputs\[0\]/);
    assert.throws(() => ax.noGrad(() => ax.checkGradients((t) => t, [x])), /inside noGrad/);
  });
});
