import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('layers.dense', () => {
  it('names layers Keras style, unique per process: dense, dense_1, ...', () => {
    const names = [
      ax.layers.dense({ units: 1 }),
      ax.layers.dense({ units: 1 }),
      ax.layers.dense({ units: 1 }),
    ].map((l) => l.name);
    assert.equal(new Set(names).size, 3);
    for (const n of names) assert.match(n, /^dense(_\d+)?$/);
    const [a, b] = names.map((n) => (n === 'dense' ? 0 : Number(n.slice(6))));
    assert.equal(b, a + 1);
    assert.equal(ax.layers.batchNormalization().name.startsWith('batch_normalization'), true);
    assert.equal(ax.layers.dense({ units: 2, name: 'hidden' }).name, 'hidden');
  });

  it('builds a kernel [in, units] and a bias [units], named <layer>/kernel and <layer>/bias', () => {
    const d = ax.layers.dense({ units: 5, inputShape: [4] });
    assert.deepEqual(d.batchInputShape, [null, 4]);
    d.apply(ax.zeros([2, 4]));
    assert.deepEqual(
      d.weights.map((w) => [w.name, w.shape]),
      [
        [`${d.name}/kernel`, [4, 5]],
        [`${d.name}/bias`, [5]],
      ],
    );
    assert.equal(d.countParams(), 25);
    assert.deepEqual(d.outputShape, [null, 5]);
    assert.deepEqual(ax.layers.dense({ units: 2, inputDim: 3 }).batchInputShape, [null, 3]);
    assert.deepEqual(ax.layers.dense({ units: 2, batchInputShape: [8, 3] }).batchInputShape, [8, 3]);
  });

  it('computes activation(x·W + b) exactly like a hand matMul', () => {
    const d = ax.layers.dense({ units: 2, inputShape: [3], activation: 'sigmoid' });
    d.apply(ax.zeros([1, 3]));
    const W = [
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.6],
    ];
    const b = [0.05, -0.1];
    d.setWeights([ax.tensor(W), ax.tensor(b)]);
    const x = [
      [1, 2, 3],
      [-1, 0.5, 2],
    ];
    const expected: number[] = [];
    for (const row of x) {
      for (let j = 0; j < 2; j++) {
        let z = b[j];
        for (let i = 0; i < 3; i++) z += row[i] * W[i][j];
        expected.push(1 / (1 + Math.exp(-z)));
      }
    }
    close(d.apply(ax.tensor(x)).dataSync(), expected);
  });

  it('uses glorotUniform kernels (|w| ≤ √(6/(in+out))) and zero biases by default, seeded', () => {
    ax.setSeed(11);
    const a = ax.layers.dense({ units: 30, inputShape: [20] });
    a.apply(ax.zeros([1, 20]));
    ax.setSeed(11);
    const b = ax.layers.dense({ units: 30, inputShape: [20] });
    b.apply(ax.zeros([1, 20]));
    const limit = Math.sqrt(6 / 50);
    const k = a.getWeights()[0].dataSync();
    assert.ok(k.every((v) => Math.abs(v) <= limit));
    assert.ok(Math.max(...k) > 0.8 * limit);
    assert.deepEqual(Array.from(k), Array.from(b.getWeights()[0].dataSync()));
    assert.ok(
      a
        .getWeights()[1]
        .dataSync()
        .every((v) => v === 0),
    );
  });

  it('useBias: false has only a kernel', () => {
    const d = ax.layers.dense({ units: 3, inputShape: [2], useBias: false });
    d.apply(ax.zeros([1, 2]));
    assert.equal(d.weights.length, 1);
    assert.equal(d.countParams(), 6);
  });

  it('rejects inputs of the wrong width, naming the layer and both shapes', () => {
    const d = ax.layers.dense({ units: 2, inputShape: [3], name: 'probe' });
    d.apply(ax.zeros([1, 3]));
    assert.throws(() => d.apply(ax.zeros([4, 5])), /'probe'.*3 input features.*\[4,5\]/);
    assert.throws(() => ax.layers.dense({ units: 0 }), /'units' must be a positive integer/);
    assert.throws(
      () => ax.layers.dense({ units: 2, activation: 'nope' }),
      /unknown activation 'nope' \(valid: .*relu/,
    );
    assert.throws(
      () => ax.layers.dense({ units: 2, kernelInitializer: 'nope' }),
      /unknown initializer 'nope' \(valid: .*glorotUniform/,
    );
  });

  it('regularizers add l1·Σ|w| + l2·Σw² for the kernel', () => {
    const d = ax.layers.dense({
      units: 1,
      inputShape: [2],
      kernelRegularizer: ax.regularizers.l1l2({ l1: 0.1, l2: 0.5 }),
    });
    d.apply(ax.zeros([1, 2]));
    d.setWeights([ax.tensor([[1], [-2]]), ax.tensor([3])]);
    const [penalty] = d.regularizationLosses();
    assert.ok(Math.abs(penalty.item() - (0.1 * 3 + 0.5 * 5)) < 1e-6);
  });

  it('getConfig is TF.js-compatible and layerFromConfig rebuilds the layer', () => {
    const d = ax.layers.dense({
      units: 4,
      inputShape: [3],
      activation: 'relu',
      kernelRegularizer: 'l2',
      name: 'cfg_dense',
    });
    const config = d.getConfig();
    assert.equal(config.units, 4);
    assert.equal(config.activation, 'relu');
    assert.equal(config.useBias, true);
    assert.deepEqual(config.batchInputShape, [null, 3]);
    assert.deepEqual(config.kernelInitializer, {
      className: 'VarianceScaling',
      config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null },
    });
    assert.deepEqual(config.biasInitializer, { className: 'Zeros', config: {} });
    assert.deepEqual(config.kernelRegularizer, { className: 'L1L2', config: { l1: 0, l2: 0.01 } });
    const copy = ax.layerFromConfig({ className: 'Dense', config }) as ax.Dense;
    assert.equal(copy.name, 'cfg_dense');
    assert.equal(copy.units, 4);
    assert.equal(copy.activation.name, 'relu');
    assert.deepEqual(copy.kernelRegularizer?.getConfig(), { l1: 0, l2: 0.01 });
    assert.deepEqual(copy.getConfig(), config);
    assert.throws(
      () => ax.layerFromConfig({ className: 'Conv2D', config: {} }),
      /unknown layer class 'Conv2D'/,
    );
  });

  it('frozen layers (trainable = false) move their weights to nonTrainableWeights', () => {
    const d = ax.layers.dense({ units: 2, inputShape: [2] });
    d.apply(ax.zeros([1, 2]));
    d.trainable = false;
    assert.equal(d.trainableWeights.length, 0);
    assert.equal(d.nonTrainableWeights.length, 2);
    assert.ok(d.weights.every((w) => !w.requiresGrad));
  });
});

describe('layers.activation and layers.flatten', () => {
  it('activation applies the function alone', () => {
    const a = ax.layers.activation({ activation: 'relu' });
    assert.deepEqual(Array.from(a.apply(ax.tensor([[-1, 2]])).dataSync()), [0, 2]);
    assert.equal(a.countParams(), 0);
    assert.throws(() => ax.layers.activation({ activation: 'bogus' }), /unknown activation 'bogus'/);
  });

  it('flatten turns [n, 2, 3] into [n, 6], keeping the row-major order', () => {
    const f = ax.layers.flatten({ inputShape: [2, 3] });
    const x = ax.reshape(ax.range(0, 12), [2, 2, 3]);
    const y = f.apply(x);
    assert.deepEqual(y.shape, [2, 6]);
    assert.deepEqual(
      Array.from(y.dataSync()),
      Array.from({ length: 12 }, (_, i) => i),
    );
    assert.deepEqual(f.computeOutputShape([null, 28, 28]), [null, 784]);
  });
});
