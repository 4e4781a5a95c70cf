/**
 * Every bad input to compile/fit/evaluate/trainOnBatch is reported before any training step, with a
 * message naming what is wrong, and leaves the weights (and the optimizer) untouched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

function model(activation = 'sigmoid'): ax.Sequential {
  ax.setSeed(1);
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: 3, inputShape: [2], activation: 'relu', name: 'hidden' }),
      ax.layers.dense({ units: 1, activation, name: 'out' }),
    ],
  });
}

function compiled(): ax.Sequential {
  const m = model();
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

const x = ax.tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = ax.tensor([[0], [1], [1], [0]]);

function snapshot(m: ax.Sequential): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

/** Runs `f`, expects it to fail with `pattern`, and checks that no weight changed and no step was taken. */
async function rejectsUntouched(m: ax.Sequential, f: () => unknown, pattern: RegExp): Promise<void> {
  const before = snapshot(m);
  await assert.rejects(async () => f(), pattern);
  assert.deepEqual(snapshot(m), before, 'the weights changed');
  assert.equal(m.optimizer?.iterations ?? 0, 0, 'an optimizer step was taken');
}

describe('errors before any training step', () => {
  it('fit, evaluate and trainOnBatch before compile', async () => {
    const m = model();
    await rejectsUntouched(
      m,
      () => m.fit(x, y),
      /fit: the model must be compiled first: call model\.compile/,
    );
    await rejectsUntouched(m, () => m.evaluate(x, y), /evaluate: the model must be compiled first/);
    await rejectsUntouched(m, () => m.trainOnBatch(x, y), /trainOnBatch: the model must be compiled first/);
  });

  it('input width that does not match the model names both shapes', async () => {
    const m = compiled();
    const wide = ax.zeros([4, 3]);
    await rejectsUntouched(
      m,
      () => m.fit(wide, y),
      /fit: x has shape \[4,3\] but the model expects inputs of shape \[null,2\] \(from the inputShape of layer 'hidden'\): each row of x must have 2 features, got 3/,
    );
    await rejectsUntouched(m, () => m.evaluate(wide, y), /evaluate: x has shape \[4,3\].*\[null,2\]/);
    await rejectsUntouched(m, () => m.predict(ax.zeros([2, 5])), /predict: x has shape \[2,5\].*\[null,2\]/);
    await rejectsUntouched(
      m,
      () => m.fit(ax.zeros([4]), y),
      /fit: x has shape \[4\] but the model expects inputs of shape \[null,2\]/,
    );
  });

  it('x and y with different row counts', async () => {
    const m = compiled();
    await rejectsUntouched(
      m,
      () => m.fit(x, ax.tensor([[0], [1], [1]])),
      /fit: x has 4 rows \(shape \[4,2\]\) but y has 3 \(shape \[3,1\]\)/,
    );
  });

  it('NaN or ±Infinity in x or y names the first bad row and column', async () => {
    const m = compiled();
    const badX = ax.tensor([
      [0, 0],
      [0, 1],
      [1, Number.NaN],
      [Number.POSITIVE_INFINITY, 1],
    ]);
    await rejectsUntouched(m, () => m.fit(badX, y), /fit: x contains NaN at row 2, column 1/);
    const badY = ax.tensor([[0], [Number.NEGATIVE_INFINITY], [1], [0]]);
    await rejectsUntouched(m, () => m.fit(x, badY), /fit: y contains -Infinity at row 1, column 0/);
    await rejectsUntouched(m, () => m.evaluate(badX, y), /evaluate: x contains NaN at row 2, column 1/);
  });

  it('labels that do not suit the loss (delegated to the loss)', async () => {
    const m = compiled();
    await rejectsUntouched(
      m,
      () => m.fit(x, ax.tensor([[0], [2], [1], [0]])),
      /fit: binaryCrossentropy: target row 1 has the value 2, but labels must lie in \[0, 1\]/,
    );
    const cat = ax.sequential({
      layers: [ax.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })],
    });
    cat.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await rejectsUntouched(
      cat,
      () => cat.fit(x, ax.tensor([0, 2, 1, 0])),
      /fit: categoricalCrossentropy: targets of shape \[4\] look like class indices.*sparseCategoricalCrossentropy/,
    );
  });

  it('unknown activation, loss, optimizer, initializer and metric names list the valid ones', () => {
    assert.throws(
      () => ax.layers.dense({ units: 1, activation: 'sigmoidd' }),
      /unknown activation 'sigmoidd' \(valid: .*sigmoid/,
    );
    assert.throws(
      () => ax.layers.dense({ units: 1, kernelInitializer: 'glorot' }),
      /unknown initializer 'glorot' \(valid: .*glorotUniform/,
    );
    const m = model();
    assert.throws(
      () => m.compile({ optimizer: 'adamm', loss: 'mse' }),
      /unknown optimizer 'adamm' \(valid: .*adam/,
    );
    assert.throws(
      () => m.compile({ optimizer: 'adam', loss: 'binary_crossentropyy' }),
      /unknown loss 'binary_crossentropyy' \(valid: .*binaryCrossentropy/,
    );
    assert.throws(
      () => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }),
      /unknown metric 'acuracy'/,
    );
    assert.equal(m.optimizer, null);
  });

  it('a sign or step activation is refused at compile and at fit', async () => {
    const m = model('step');
    assert.throws(
      () => m.compile({ optimizer: 'sgd', loss: 'mse' }),
      /compile: layer 'out' uses the 'step' activation, whose derivative is 0 almost everywhere.*ax\.Perceptron/,
    );
    const later = model();
    later.compile({ optimizer: 'sgd', loss: 'mse' });
    later.add(ax.layers.dense({ units: 1, activation: 'sign', name: 'sgn' }));
    await rejectsUntouched(later, () => later.fit(x, y), /fit: layer 'sgn' uses the 'sign' activation/);
  });

  it('bad fit options', async () => {
    const m = compiled();
    await rejectsUntouched(m, () => m.fit(x, y, { epochs: 0 }), /'epochs' must be a positive integer, got 0/);
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { batchSize: 2.5 }),
      /'batchSize' must be a positive integer, got 2\.5/,
    );
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { validationSplit: 1 }),
      /'validationSplit' must be a number in \[0, 1\), got 1/,
    );
    await rejectsUntouched(m, () => m.fit(x, y, { verbose: 3 }), /'verbose' must be 0, 1 or 2/);
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { callbacks: [{ onEpochEnd: 5 as unknown as () => void }] }),
      /callbacks\[0\]\.onEpochEnd must be a function/,
    );
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { classWeight: { 0: 1 } }),
      /classWeight has no weight for class 1 \(y row 1\)/,
    );
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { validationData: [ax.zeros([2, 5]), ax.zeros([2, 1])] }),
      /fit: validationData\[0\] has shape \[2,5\] but the model expects inputs of shape \[null,2\]/,
    );
    await rejectsUntouched(
      m,
      () => m.fit(x, y, { validationSplit: 0.9 }),
      /validationSplit 0\.9 of 4 samples leaves no training samples/,
    );
  });

  it('a second fit while one is running', async () => {
    const m = compiled();
    const first = m.fit(x, y, { epochs: 3, verbose: 0 });
    await assert.rejects(m.fit(x, y, { verbose: 0 }), /another fit\(\) call on this model is still running/);
    await first;
  });
});
