/**
 * Interop with TensorFlow.js 4.22: a model saved by Axon (files on disk, read into memory artifacts) loads
 * in TF.js with `tf.loadLayersModel(tf.io.fromMemory(...))` and predicts the same; a model built and saved
 * by TF.js (`model.save(tf.io.withSaveHandler(...))`, optimizer state included) loads in Axon — from
 * memory and from files laid out as tfjs-node writes them — and predicts and trains the same.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/node.js';
import { tfArtifacts } from './tfjs-save.js';

const root = mkdtempSync(join(tmpdir(), 'axon-io-tfjs-'));
after(() => rmSync(root, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

/** Axon's model.json + weights.bin, read from disk into TF.js memory artifacts. */
function readArtifacts(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/** Writes TF.js artifacts as tfjs-node's file handler does (model.json + weights.bin). */
function writeTfjsFiles(dir: string, a: tf.io.ModelArtifacts): void {
  mkdirSync(dir, { recursive: true });
  const { weightData, weightSpecs, ...rest } = a;
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({ ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] }),
  );
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData as ArrayBuffer));
}

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const inputs = (seed: number, n: number, shape: number[]): number[] => {
  ax.setSeed(seed);
  return Array.from(ax.randomNormal([n, ...shape]).dataSync());
};

describe('io interop: Axon → TF.js', () => {
  const activations = [
    'relu',
    'sigmoid',
    'tanh',
    'elu',
    'selu',
    'softplus',
    'softsign',
    'hardSigmoid',
    'linear',
    'swish',
    'gelu',
    'softmax',
  ];

  it('a model saved by Axon loads in TF.js with the same predictions (every layer kind)', async () => {
    ax.setSeed(11);
    const hidden = activations.map((activation, i) =>
      ax.layers.dense({
        name: `dense_${activation}`,
        units: 4 + (i % 3),
        activation,
        kernelRegularizer: i % 2 === 0 ? ax.regularizers.l2({ l2: 0.02 }) : undefined,
      }),
    );
    const model = ax.sequential({
      name: 'axon_model',
      layers: [
        ax.layers.flatten({ name: 'flat', inputShape: [2, 3] }),
        ...hidden.slice(0, 6),
        ax.layers.batchNormalization({ name: 'bn', epsilon: 0.01 }),
        ax.layers.dropout({ name: 'drop', rate: 0.3 }),
        ax.layers.activation({ name: 'act', activation: 'tanh' }),
        ...hidden.slice(6),
        ax.layers.dense({
          name: 'out',
          units: 3,
          activation: 'softmax',
          useBias: false,
          kernelInitializer: ax.initializers.randomNormal({ mean: 0.1, stddev: 0.7, seed: 5 }),
        }),
      ],
    });
    // Random weights everywhere (BN moving variance kept positive) so no layer is an identity.
    model.setWeights(
      model.weights.map((w) =>
        w.name?.endsWith('variance')
          ? ax.add(ax.abs(ax.randomNormal(w.shape)), 0.5)
          : ax.randomNormal(w.shape),
      ),
    );
    model.compile({
      optimizer: ax.optimizers.adam({ learningRate: 0.003 }),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    model.metadata = { classNames: ['a', 'b', 'c'] };
    const dir = join(root, 'axon-every-layer');
    await model.save(`file://${dir}`);

    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(readArtifacts(dir)));
    const xs = inputs(12, 10, [2, 3]);
    const expected = model.predict(ax.tensor(xs, [10, 2, 3])).dataSync();
    const actual = (tfModel.predict(tf.tensor(xs, [10, 2, 3])) as tf.Tensor).dataSync();
    assertClose(actual, expected, 1e-6, 'predictions');

    // The configuration TF.js rebuilt from Axon's file.
    assert.equal(tfModel.name, 'axon_model');
    assert.deepEqual(
      tfModel.layers.map((l) => l.name),
      model.layers.map((l) => l.name),
    );
    const cfg = (name: string) => tfModel.getLayer(name).getConfig() as Record<string, unknown>;
    for (const activation of activations) assert.equal(cfg(`dense_${activation}`).activation, activation);
    assert.deepEqual(cfg('dense_relu').kernelRegularizer, { className: 'L1L2', config: { l1: 0, l2: 0.02 } });
    assert.equal(cfg('out').useBias, false);
    assert.deepEqual(cfg('out').kernelInitializer, {
      className: 'RandomNormal',
      config: { mean: 0.1, stddev: 0.7, seed: 5 },
    });
    assert.equal(cfg('bn').epsilon, 0.01);
    assert.equal(cfg('drop').rate, 0.3);
    // The training config and the metadata.
    assert.equal(tfModel.optimizer.getClassName(), 'Adam');
    assert.deepEqual(tfModel.optimizer.getConfig(), {
      learningRate: 0.003,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    assert.equal(tfModel.loss, 'categoricalCrossentropy');
    assert.deepEqual(tfModel.getUserDefinedMetadata(), { axon: { classNames: ['a', 'b', 'c'] } });
  });
});

describe('io interop: TF.js → Axon', () => {
  function tfRichModel(): tf.Sequential {
    const model = tf.sequential({ name: 'tf_model' });
    model.add(tf.layers.flatten({ inputShape: [2, 3] }));
    model.add(
      tf.layers.dense({
        units: 8,
        activation: 'relu',
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        kernelInitializer: tf.initializers.heNormal({ seed: 7 }),
      }),
    );
    model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
    model.add(tf.layers.dropout({ rate: 0.25 }));
    model.add(tf.layers.activation({ activation: 'hardSigmoid' }));
    model.add(
      tf.layers.dense({
        units: 6,
        activation: 'elu',
        useBias: false,
        kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }),
      }),
    );
    model.add(
      tf.layers.dense({
        units: 5,
        activation: 'selu',
        biasInitializer: tf.initializers.constant({ value: 0.1 }),
      }),
    );
    model.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
    // Non-trivial moving statistics: the BN layer would otherwise be the identity at inference.
    const bn = model.layers[2];
    bn.setWeights([
      tf.randomNormal([8], 1, 0.2, 'float32', 1),
      tf.randomNormal([8], 0, 0.3, 'float32', 2),
      tf.randomNormal([8], 0.2, 0.5, 'float32', 3),
      tf.randomUniform([8], 0.5, 2, 'float32', 4),
    ]);
    model.compile({
      optimizer: tf.train.momentum(0.05, 0.9, true),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    return model;
  }

  it('a model built and saved by TF.js loads in Axon with the same predictions and configuration', async () => {
    const tfModel = tfRichModel();
    const artifacts = await tfArtifacts(tfModel);
    // TF.js stores trainable weights first, then the moving statistics, then the optimizer's 'iter'.
    assert.equal(artifacts.weightSpecs?.at(-1)?.group, 'optimizer');
    const model = await ax.loadModel(ax.io.fromMemory(artifacts as ax.ModelArtifacts));

    const xs = inputs(21, 12, [2, 3]);
    const expected = (tfModel.predict(tf.tensor(xs, [12, 2, 3])) as tf.Tensor).dataSync();
    assertClose(model.predict(ax.tensor(xs, [12, 2, 3])).dataSync(), expected, 1e-6, 'predictions');

    assert.equal(model.name, 'tf_model');
    assert.deepEqual(
      model.layers.map((l) => l.name),
      tfModel.layers.map((l) => l.name),
    );
    assert.deepEqual(
      model.layers.map((l) => l.className),
      ['Flatten', 'Dense', 'BatchNormalization', 'Dropout', 'Activation', 'Dense', 'Dense', 'Dense'],
    );
    const dense = model.layers[1] as ax.Dense;
    assert.deepEqual(dense.kernelInitializer.getConfig(), {
      scale: 2,
      mode: 'fanIn',
      distribution: 'normal',
      seed: 7,
    });
    assert.deepEqual(dense.kernelRegularizer?.getConfig(), { l1: 0, l2: 0.01 });
    assert.equal((model.layers[5] as ax.Dense).useBias, false);
    assert.deepEqual((model.layers[6] as ax.Dense).biasInitializer.getConfig(), { value: 0.1 });
    assert.equal((model.layers[4] as ax.ActivationLayer).activation.name, 'hardSigmoid');
    assert.equal((model.layers[2] as ax.BatchNormalization).momentum, 0.9);
    // Compiled state: TF.js's Momentum optimizer is SGD with momentum.
    assert.deepEqual(
      { name: model.optimizer?.name, ...model.optimizer?.getConfig() },
      {
        name: 'sgd',
        learningRate: 0.05,
        momentum: 0.9,
        nesterov: true,
        clipNorm: null,
        clipValue: null,
        globalClipNorm: null,
        weightDecay: null,
      },
    );
    assert.equal(model.loss?.name, 'categoricalCrossentropy');
  });

  it('loads TF.js files from disk, and re-saved by Axon they load back in TF.js', async () => {
    const tfModel = tfRichModel();
    const dir = join(root, 'tfjs-files');
    writeTfjsFiles(dir, await tfArtifacts(tfModel));
    const model = await ax.loadModel(`file://${dir}/model.json`);
    const xs = inputs(22, 6, [2, 3]);
    const expected = (tfModel.predict(tf.tensor(xs, [6, 2, 3])) as tf.Tensor).dataSync();
    assertClose(model.predict(ax.tensor(xs, [6, 2, 3])).dataSync(), expected, 1e-6, 'Axon predictions');

    const again = join(root, 'tfjs-files-resaved');
    await model.save(`file://${again}`);
    const back = await tf.loadLayersModel(tf.io.fromMemory(readArtifacts(again)));
    assertClose(
      (back.predict(tf.tensor(xs, [6, 2, 3])) as tf.Tensor).dataSync(),
      expected,
      1e-6,
      'TF.js predictions',
    );
    assert.equal(back.optimizer.getClassName(), 'Momentum');
  });

  it('a compiled TF.js model continues training in Axon as it does in TF.js', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [4], activation: 'tanh' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    tfModel.compile({
      optimizer: tf.train.adam(0.01),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const model = await ax.loadModel(ax.io.fromMemory((await tfArtifacts(tfModel)) as ax.ModelArtifacts));
    const xs = inputs(31, 24, [4]);
    const labels = Array.from({ length: 24 }, (_, i) => [
      i % 3 === 0 ? 1 : 0,
      i % 3 === 1 ? 1 : 0,
      i % 3 === 2 ? 1 : 0,
    ]).flat();
    const args = { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 } as const;
    const tfHistory = await tfModel.fit(tf.tensor(xs, [24, 4]), tf.tensor(labels, [24, 3]), args);
    const axHistory = await model.fit(ax.tensor(xs, [24, 4]), ax.tensor(labels, [24, 3]), args);
    assertClose(axHistory.history.loss, tfHistory.history.loss as number[], 1e-5, 'loss per epoch');
    assert.ok(axHistory.history.loss[3] < axHistory.history.loss[0]);
    const expected = (tfModel.predict(tf.tensor(xs, [24, 4])) as tf.Tensor).dataSync();
    assertClose(
      model.predict(ax.tensor(xs, [24, 4])).dataSync(),
      expected,
      1e-5,
      'predictions after training',
    );
  });
});
