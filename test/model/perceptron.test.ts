import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

const X01 = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XPM = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];
const GATES = { and: [0, 0, 0, 1], or: [0, 1, 1, 1], xor: [0, 1, 1, 0] };
const bipolar = (ys: number[]): number[] => ys.map((v) => (v === 1 ? 1 : -1));

describe('Perceptron: AND, OR, XOR', () => {
  for (const gate of ['and', 'or'] as const) {
    it(`${gate.toUpperCase()} converges with 0 training errors, 0/1 and bipolar`, () => {
      for (const [x, y] of [
        [X01, GATES[gate]],
        [XPM, bipolar(GATES[gate])],
      ]) {
        const p = new ax.Perceptron({ inputDim: 2 });
        const res = p.fit(x, y);
        assert.equal(res.converged, true);
        assert.equal(res.errors.length, res.epochs);
        assert.equal(res.errors[res.errors.length - 1], 0);
        assert.ok(
          res.errors.slice(0, -1).every((e) => e > 0),
          'only the last epoch is mistake-free',
        );
        assert.deepEqual(flat(p.predict(x)), y);
      }
    });
  }

  it('XOR never converges: stops at maxEpochs, every epoch has a mistake', () => {
    for (const [x, y] of [
      [X01, GATES.xor],
      [XPM, bipolar(GATES.xor)],
    ]) {
      const p = new ax.Perceptron({ inputDim: 2, maxEpochs: 37 });
      const res = p.fit(x, y);
      assert.equal(res.converged, false);
      assert.equal(res.epochs, 37);
      assert.equal(res.errors.length, 37);
      assert.ok(Math.min(...res.errors) > 0, `errors ${res.errors}`);
      // However the weights end, some row is misclassified: no line separates XOR.
      assert.notDeepEqual(flat(p.predict(x)), y);
    }
  });

  it('defaults to 100 epochs', () => {
    const res = new ax.Perceptron({ inputDim: 2 }).fit(XPM, bipolar(GATES.xor));
    assert.equal(res.epochs, 100);
    assert.equal(res.converged, false);
  });
});

describe('Perceptron: the update rule, step by step', () => {
  it('matches a hand trace of bipolar AND (sign: +1 only when w·x + b > 0)', () => {
    // Hand trace, η = 1, w = (0, 0), b = 0:
    // epoch 1: rows 0–2 have net 0 → −1 = target; row 3 net 0 → −1 ≠ +1: w = (1, 1), b = 1.
    // epoch 2: row 0 net −1 ok; row 1 net 1 ≠ −1: w = (2, 0), b = 0; row 2 net 2 ≠ −1: w = (1, 1), b = −1;
    //          row 3 net 1 ok.  epoch 3: nets −3, −1, −1, 1, all correct.
    const steps: ax.PerceptronStep[] = [];
    const p = new ax.Perceptron({ inputDim: 2 });
    const res = p.fit(XPM, bipolar(GATES.and), { onStep: (s) => steps.push(s) });
    const got = steps.map((s) => [s.epoch, s.row, s.net, s.output, s.mistake ? 1 : 0, ...s.weights, s.bias]);
    assert.deepEqual(got, [
      [1, 0, 0, -1, 0, 0, 0, 0],
      [1, 1, 0, -1, 0, 0, 0, 0],
      [1, 2, 0, -1, 0, 0, 0, 0],
      [1, 3, 0, -1, 1, 1, 1, 1],
      [2, 0, -1, -1, 0, 1, 1, 1],
      [2, 1, 1, 1, 1, 2, 0, 0],
      [2, 2, 2, 1, 1, 1, 1, -1],
      [2, 3, 1, 1, 0, 1, 1, -1],
      [3, 0, -3, -1, 0, 1, 1, -1],
      [3, 1, -1, -1, 0, 1, 1, -1],
      [3, 2, -1, -1, 0, 1, 1, -1],
      [3, 3, 1, 1, 0, 1, 1, -1],
    ]);
    assert.deepEqual(res, { converged: true, epochs: 3, errors: [1, 2, 0] });
    assert.deepEqual(flat(p.weights), [1, 1]);
    assert.equal(p.bias, -1);
  });

  it('matches a hand trace of 0/1 AND (0 labels are targets −1 inside the rule)', () => {
    // epoch 1: only (1,1) is wrong: w = (1, 1), b = 1.
    // epoch 2: (0,0) net 1 ≠ −1: b = 0; (0,1) net 1: w = (1, 0), b = −1; (1,0) net 0 ok;
    //          (1,1) net 0 ≠ +1: w = (2, 1), b = 0.
    const p = new ax.Perceptron({ inputDim: 2, maxEpochs: 1 });
    assert.deepEqual(p.fit(X01, GATES.and), { converged: false, epochs: 1, errors: [1] });
    assert.deepEqual(flat(p.weights), [1, 1]);
    assert.equal(p.bias, 1);
    // A second fit continues from these weights.
    assert.deepEqual(p.fit(X01, GATES.and), { converged: false, epochs: 1, errors: [3] });
    assert.deepEqual(flat(p.weights), [2, 1]);
    assert.equal(p.bias, 0);
  });

  it("reproduces the notes' OR line w = (1, 1), b = 1 on bipolar OR", () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    assert.deepEqual(p.fit(XPM, bipolar(GATES.or)).errors, [2, 1, 0]);
    assert.deepEqual(flat(p.weights), [1, 1]);
    assert.equal(p.bias, 1);
  });

  it('scales every update by η (from zero weights the mistakes are the same)', () => {
    const p = new ax.Perceptron({ inputDim: 2, learningRate: 0.25 });
    assert.deepEqual(p.fit(XPM, bipolar(GATES.and)).errors, [1, 2, 0]);
    assert.deepEqual(flat(p.weights), [0.25, 0.25]);
    assert.equal(p.bias, -0.25);
  });

  it('continues from its weights: refitting converged data takes one clean epoch', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    p.fit(XPM, bipolar(GATES.or));
    assert.deepEqual(p.fit(XPM, bipolar(GATES.or)), { converged: true, epochs: 1, errors: [0] });
  });

  it('shuffles reproducibly with a seed, and still converges', () => {
    const run = () => {
      const p = new ax.Perceptron({ inputDim: 2, shuffle: true, seed: 11 });
      const order: number[] = [];
      const res = p.fit(X01, GATES.or, { onStep: (s) => order.push(s.row) });
      return { res, order, w: flat(p.weights), b: p.bias };
    };
    const a = run();
    const b = run();
    assert.deepEqual(a, b);
    assert.equal(a.res.converged, true);
    assert.notDeepEqual(a.order.slice(0, 4), [0, 1, 2, 3], 'seed 11 visits the rows out of order');
    assert.deepEqual([...a.order.slice(0, 4)].sort(), [0, 1, 2, 3]);
  });
});

describe('Perceptron: predictions and coding', () => {
  it('predicts in the coding of the training labels, from tensors or arrays', () => {
    const p01 = new ax.Perceptron({ inputDim: 2 });
    p01.fit(ax.tensor(X01), ax.tensor(GATES.and, [4, 1]));
    assert.equal(p01.labelCoding, 'binary');
    assert.deepEqual(flat(p01.predict(ax.tensor(X01))), [0, 0, 0, 1]);
    const ppm = new ax.Perceptron({ inputDim: 2 });
    ppm.fit(XPM, bipolar(GATES.and));
    assert.equal(ppm.labelCoding, 'bipolar');
    const pred = ppm.predict(XPM);
    assert.deepEqual(pred.shape, [4]);
    assert.deepEqual(flat(pred), [-1, -1, -1, 1]);
  });

  it('decisionFunction is w·x + b, and a point on the boundary is negative', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    p.fit(XPM, bipolar(GATES.and)); // w = (1, 1), b = −1
    assert.deepEqual(
      flat(
        p.decisionFunction([
          [2, 3],
          [0.5, 0.5],
          [0, 0],
        ]),
      ),
      [4, 0, -1],
    );
    assert.deepEqual(flat(p.predict([[0.5, 0.5]])), [-1]);
  });

  it('is bipolar and all −1 before training; labels that are all 1 count as bipolar', () => {
    const p = new ax.Perceptron({ inputDim: 3 });
    assert.deepEqual(flat(p.predict([[1, 2, 3]])), [-1]);
    assert.deepEqual(flat(p.weights), [0, 0, 0]);
    p.fit([[1, 0, 0]], [1]);
    assert.equal(p.labelCoding, 'bipolar');
  });

  it('returns copies of the weights', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    p.fit(XPM, bipolar(GATES.and));
    p.weights.values[0] = 99;
    assert.deepEqual(flat(p.weights), [1, 1]);
  });
});

describe('Perceptron: errors', () => {
  it('rejects bad options', () => {
    assert.throws(() => new ax.Perceptron({ inputDim: 0 }), /inputDim must be a positive integer, got 0/);
    assert.throws(() => new ax.Perceptron({ inputDim: 2, learningRate: -1 }), /learningRate .* got -1/);
    assert.throws(() => new ax.Perceptron({ inputDim: 2, maxEpochs: 1.5 }), /maxEpochs .* got 1.5/);
  });

  it('names both shapes when the width does not match', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    assert.throws(
      () => p.fit([[1, 2, 3]], [1]),
      (e: Error) =>
        e.message.includes('[1,3]') && e.message.includes('[n,2]') && e.message.includes('inputDim 2'),
    );
    assert.throws(() => p.predict([1, 2]), /x has shape \[2\].*expected shape \[n,2\]/);
  });

  it('names the row with a NaN or infinite input', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    assert.throws(
      () =>
        p.fit(
          [
            [0, 0],
            [1, 1],
            [Number.NaN, 1],
          ],
          [1, 1, -1],
        ),
      /x row 2 has a non-finite value \(NaN\)/,
    );
    assert.throws(() => p.predict([[0, Number.POSITIVE_INFINITY]]), /x row 0 .*Infinity/);
  });

  it('names the row of a label that is neither ±1 nor 0/1, or that mixes the codings', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    assert.throws(
      () => p.fit(X01, [0, 2, 1, 1]),
      /y row 1 is 2; perceptron labels must be -1\/1 \(bipolar\) or 0\/1/,
    );
    assert.throws(() => p.fit(X01, [1, 0, 1, -1]), /y row 3 is -1, but row 1 is 0/);
    assert.throws(() => p.fit(X01, [0, Number.NaN, 1, 1]), /y row 1 is NaN/);
  });

  it('checks that y has one label per row', () => {
    const p = new ax.Perceptron({ inputDim: 2 });
    assert.throws(() => p.fit(X01, [1, 0, 1]), /y has shape \[3\] but x has shape \[4,2\]/);
    assert.throws(
      () =>
        p.fit(X01, [
          [1, 0],
          [0, 1],
          [1, 1],
          [0, 0],
        ]),
      /y has shape \[4,2\]/,
    );
    assert.throws(() => p.fit(ax.zeros([0, 2]), ax.zeros([0])), /x has no rows/);
  });
});
