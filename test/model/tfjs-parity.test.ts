/**
 * Given the same initial weights, a Sequential model trains step for step like its TF.js 4.22 twin: the
 * same per-epoch losses (validationSplit, classWeight, batch-size weighting, regularization, batch
 * normalization included) and the same final predictions.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

before(async () => {
  await tf.setBackend('cpu');
});

interface Twin {
  axModel: ax.Sequential;
  tfModel: tf.Sequential;
}

/** Builds both models from layer specs and copies Axon's initial weights into TF.js, layer by layer. */
function twins(
  specs: Array<['dense', { units: number; activation: string; l2?: number }] | ['bn', object]>,
  inputDim: number,
): Twin {
  const axLayers: ax.Layer[] = [];
  const tfLayers: tf.layers.Layer[] = [];
  specs.forEach(([kind, o], i) => {
    const input = i === 0 ? { inputShape: [inputDim] } : {};
    if (kind === 'dense') {
      const d = o as { units: number; activation: string; l2?: number };
      axLayers.push(
        ax.layers.dense({
          ...input,
          units: d.units,
          activation: d.activation,
          kernelRegularizer: d.l2 ? ax.regularizers.l2({ l2: d.l2 }) : undefined,
        }),
      );
      tfLayers.push(
        tf.layers.dense({
          ...input,
          units: d.units,
          activation: d.activation as 'relu',
          kernelRegularizer: d.l2 ? tf.regularizers.l2({ l2: d.l2 }) : undefined,
        }),
      );
    } else {
      axLayers.push(ax.layers.batchNormalization(input));
      tfLayers.push(tf.layers.batchNormalization(input));
    }
  });
  const axModel = ax.sequential({ layers: axLayers });
  const tfModel = tf.sequential({ layers: tfLayers });
  axModel.layers.forEach((layer, i) => {
    tfModel.layers[i].setWeights(layer.getWeights().map((w) => tf.tensor(Array.from(w.dataSync()), w.shape)));
  });
  return { axModel, tfModel };
}

function assertClose(a: readonly number[], b: readonly number[], rel: number, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => {
    const tol = rel * Math.max(1, Math.abs(b[i]));
    assert.ok(Math.abs(v - b[i]) <= tol, `${what}[${i}]: axon ${v} vs tfjs ${b[i]}`);
  });
}

const xs = [
  [0.1, 0.5, -0.3],
  [1, 0.2, 0.3],
  [-0.5, -0.5, 1],
  [0.3, 0.9, 0.1],
  [0.7, -0.2, -0.8],
  [0, 0, 0.5],
  [0.2, 0.2, 0.2],
  [-0.9, 0.4, 0.6],
];
const ys = [[0], [1], [1], [0], [1], [0], [1], [0]];

describe('training parity with TF.js', () => {
  it('SGD, binary cross-entropy, validationSplit, classWeight, uneven batches', async () => {
    ax.setSeed(3);
    const { axModel, tfModel } = twins(
      [
        ['dense', { units: 4, activation: 'tanh' }],
        ['dense', { units: 1, activation: 'sigmoid' }],
      ],
      3,
    );
    axModel.compile({
      optimizer: ax.optimizers.sgd({ learningRate: 0.5 }),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const args = {
      epochs: 6,
      batchSize: 3,
      shuffle: false,
      verbose: 0,
      validationSplit: 0.25,
      classWeight: { 0: 1, 1: 2 },
    };
    const ha = await axModel.fit(ax.tensor(xs), ax.tensor(ys), args);
    const ht = await tfModel.fit(tf.tensor(xs), tf.tensor(ys), args);
    assertClose(ha.history.loss, ht.history.loss as number[], 1e-5, 'loss');
    assertClose(ha.history.val_loss, ht.history.val_loss as number[], 1e-5, 'val_loss');
    assertClose(ha.history.accuracy, ht.history.acc as number[], 1e-6, 'accuracy');
    const pa = Array.from(axModel.predict(ax.tensor(xs)).dataSync());
    const pt = Array.from((tfModel.predict(tf.tensor(xs)) as tf.Tensor).dataSync());
    assertClose(pa, pt, 1e-5, 'predictions');
  });

  it('Adam, softmax + categorical cross-entropy, three classes', async () => {
    ax.setSeed(4);
    const { axModel, tfModel } = twins(
      [
        ['dense', { units: 5, activation: 'relu' }],
        ['dense', { units: 3, activation: 'softmax' }],
      ],
      3,
    );
    const oneHot = xs.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
    axModel.compile({
      optimizer: ax.optimizers.adam({ learningRate: 0.05 }),
      loss: 'categoricalCrossentropy',
    });
    tfModel.compile({ optimizer: tf.train.adam(0.05, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
    const args = { epochs: 8, batchSize: 4, shuffle: false, verbose: 0 };
    const ha = await axModel.fit(ax.tensor(xs), ax.tensor(oneHot), args);
    const ht = await tfModel.fit(tf.tensor(xs), tf.tensor(oneHot), args);
    assertClose(ha.history.loss, ht.history.loss as number[], 2e-5, 'loss');
  });

  it('Adam with an L2 kernel penalty and batch normalization (moving statistics included)', async () => {
    ax.setSeed(5);
    const { axModel, tfModel } = twins(
      [
        ['dense', { units: 4, activation: 'tanh', l2: 0.01 }],
        ['bn', {}],
        ['dense', { units: 1, activation: 'sigmoid' }],
      ],
      3,
    );
    axModel.compile({ optimizer: ax.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    tfModel.compile({ optimizer: tf.train.adam(0.05, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });
    const args = { epochs: 5, batchSize: 3, shuffle: false, verbose: 0 };
    const ha = await axModel.fit(ax.tensor(xs), ax.tensor(ys), args);
    const ht = await tfModel.fit(tf.tensor(xs), tf.tensor(ys), args);
    assertClose(ha.history.loss, ht.history.loss as number[], 2e-5, 'loss');
    // Inference uses the moving statistics: equal predictions mean equal moving mean and variance.
    const pa = Array.from(axModel.predict(ax.tensor(xs)).dataSync());
    const pt = Array.from((tfModel.predict(tf.tensor(xs)) as tf.Tensor).dataSync());
    assertClose(pa, pt, 2e-5, 'predictions');
    const bnA = axModel.layers[1].getWeights().map((w) => Array.from(w.dataSync()));
    const bnT = tfModel.layers[1].getWeights().map((w) => Array.from(w.dataSync()));
    for (let i = 0; i < bnA.length; i++) assertClose(bnA[i], bnT[i], 2e-5, `batchNormalization weight ${i}`);
  });
});
