/**
 * Save/load through in-memory artifacts: the TF.js layout of what is saved, exact round trips (weights,
 * predictions, config, summary), the compiled state (loss, metrics, every optimizer's hyperparameters)
 * restored so that training continues exactly, and Axon's metadata carried unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

/** A model with every saved layer kind and non-trivial weights (random, BN variances positive). */
function richModel(): ax.Sequential {
  ax.setSeed(7);
  const model = ax.sequential({
    name: 'rich',
    layers: [
      ax.layers.flatten({ name: 'flat', inputShape: [2, 2] }),
      ax.layers.dense({ name: 'hidden', units: 5, activation: 'relu', kernelRegularizer: 'l2' }),
      ax.layers.batchNormalization({ name: 'bn', momentum: 0.9 }),
      ax.layers.dropout({ name: 'drop', rate: 0.25 }),
      ax.layers.activation({ name: 'act', activation: 'tanh' }),
      ax.layers.dense({ name: 'out', units: 3, activation: 'softmax', useBias: false }),
    ],
  });
  model.setWeights(model.weights.map((w) => ax.abs(ax.randomNormal(w.shape))));
  return model;
}

function bits(t: ax.Tensor): number[] {
  return Array.from(t.dataSync());
}

async function roundTrip(model: ax.Sequential, config?: ax.SaveConfig): Promise<ax.Sequential> {
  const sink = ax.io.memory();
  await model.save(sink, config);
  return ax.loadModel(sink);
}

describe('io: what save writes', () => {
  it('writes the TF.js Layers topology with Keras snake_case keys', async () => {
    const sink = ax.io.memory();
    const info = await richModel().save(sink);
    const a = sink.artifacts;
    assert.ok(a !== null);
    assert.equal(a.format, 'layers-model');
    assert.equal(a.modelTopology.class_name, 'Sequential');
    assert.match(String(a.modelTopology.keras_version), /^axon-nn /);
    const config = a.modelTopology.config as {
      name: string;
      layers: { class_name: string; config: ax.JsonObject }[];
    };
    assert.equal(config.name, 'rich');
    assert.deepEqual(
      config.layers.map((l) => l.class_name),
      ['Flatten', 'Dense', 'BatchNormalization', 'Dropout', 'Activation', 'Dense'],
    );
    assert.deepEqual(config.layers[0].config.batch_input_shape, [null, 2, 2]);
    assert.equal(config.layers[1].config.use_bias, true);
    assert.deepEqual(config.layers[1].config.kernel_regularizer, {
      class_name: 'L1L2',
      config: { l1: 0, l2: 0.01 },
    });
    assert.deepEqual((config.layers[1].config.kernel_initializer as ax.JsonObject).config, {
      scale: 1,
      mode: 'fan_avg',
      distribution: 'uniform',
      seed: null,
    });
    assert.equal(config.layers[5].config.use_bias, false);
    assert.equal(info.modelArtifactsInfo.weightDataBytes, 4 * (4 * 5 + 5 + 4 * 5 + 5 * 3));
  });

  it('writes float32 little-endian weights in Keras order, named layer/weight', async () => {
    const model = richModel();
    const sink = ax.io.memory();
    await model.save(sink);
    const a = sink.artifacts;
    assert.ok(a?.weightSpecs && a.weightData instanceof ArrayBuffer);
    assert.deepEqual(
      a.weightSpecs.map((s) => `${s.name} ${s.shape.join('x')} ${s.dtype}`),
      [
        'hidden/kernel 4x5 float32',
        'hidden/bias 5 float32',
        'bn/gamma 5 float32',
        'bn/beta 5 float32',
        'bn/moving_mean 5 float32',
        'bn/moving_variance 5 float32',
        'out/kernel 5x3 float32',
      ],
    );
    const view = new DataView(a.weightData);
    const weights = model.getWeights();
    // The first kernel value, and the last value of the file (out/kernel[4][2]).
    assert.equal(view.getFloat32(0, true), weights[0].dataSync()[0]);
    assert.equal(view.getFloat32(a.weightData.byteLength - 4, true), weights[6].dataSync()[14]);
  });

  it('refuses to save a model that has no weights yet', async () => {
    const model = ax.sequential({ layers: [ax.layers.dense({ units: 2 })] });
    await assert.rejects(model.save(ax.io.memory()), /save: the model has not been built yet/);
  });

  it('withSaveHandler receives the artifacts and fromMemory loads them', async () => {
    let saved: ax.ModelArtifacts | null = null;
    const result = await richModel().save(
      ax.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
      }),
    );
    assert.equal(result.modelArtifactsInfo.modelTopologyType, 'JSON');
    assert.ok(saved !== null);
    const model = await ax.loadModel(ax.io.fromMemory(saved));
    assert.equal(model.name, 'rich');
  });
});

describe('io: round trip', () => {
  it('restores identical weights, predictions, config and summary', async () => {
    const model = richModel();
    const copy = await roundTrip(model);
    assert.deepEqual(copy.getWeights().map(bits), model.getWeights().map(bits));
    const x = ax.randomNormal([6, 2, 2]);
    assert.deepEqual(bits(copy.predict(x)), bits(model.predict(x)));
    assert.deepEqual(copy.getConfig(), model.getConfig());
    assert.equal(copy.summary({ print: false }), model.summary({ print: false }));
    assert.deepEqual(
      copy.layers.map((l) => [l.name, l.trainable]),
      model.layers.map((l) => [l.name, l.trainable]),
    );
  });

  it('keeps frozen layers frozen', async () => {
    const model = richModel();
    model.getLayer('hidden').trainable = false;
    const copy = await roundTrip(model);
    assert.equal(copy.getLayer('hidden').trainable, false);
    assert.equal(copy.trainableWeights.length, model.trainableWeights.length);
  });

  it('carries Axon metadata unchanged under userDefinedMetadata.axon', async () => {
    const model = richModel();
    model.metadata = {
      classNames: ['setosa', 'versicolor', 'virginica'],
      scaler: { kind: 'standard', mean: [5.84, 3.05, 3.76, 1.2], std: [0.83, 0.43, 1.76, 0.76] },
      note: 'naïve — ünïcode ✓',
      nested: { empty: [], flag: false, nothing: null },
    };
    const sink = ax.io.memory();
    await model.save(sink);
    assert.deepEqual(sink.artifacts?.userDefinedMetadata, { axon: model.metadata });
    const copy = await ax.loadModel(sink);
    assert.deepEqual(copy.metadata, model.metadata);
  });

  it('saves the metadata given to save instead of model.metadata', async () => {
    const model = richModel();
    model.metadata = { a: 1 };
    const copy = await roundTrip(model, { metadata: { classNames: ['no', 'yes'] } });
    assert.deepEqual(copy.metadata, { classNames: ['no', 'yes'] });
  });

  it('rejects metadata JSON cannot carry unchanged, naming where it is', async () => {
    const model = richModel();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [unknown, RegExp][] = [
      [{ scaler: { mean: [1, Number.NaN] } }, /metadata\.scaler\.mean\[1\] is NaN/],
      [{ n: 10n }, /metadata\.n is a bigint/],
      [{ f: () => 1 }, /metadata\.f is a function/],
      [{ c: cyclic }, /metadata\.c\.self refers back/],
    ];
    for (const [metadata, message] of cases) {
      await assert.rejects(
        model.save(ax.io.memory(), { metadata: metadata as Record<string, unknown> }),
        message,
      );
    }
  });
});

describe('io: compiled state', () => {
  it('restores loss and metrics, and training continues exactly (stateless SGD)', async () => {
    ax.setSeed(3);
    const make = (): ax.Sequential =>
      ax.sequential({
        layers: [
          ax.layers.dense({ name: 'h', units: 4, inputShape: [3], activation: 'tanh' }),
          ax.layers.batchNormalization({ name: 'bn' }),
          ax.layers.dense({ name: 'o', units: 1 }),
        ],
      });
    const model = make();
    model.compile({ optimizer: ax.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const x = ax.randomNormal([16, 3]);
    const y = ax.randomNormal([16, 1]);
    const args = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 } as const;
    await model.fit(x, y, args);
    const sink = ax.io.memory();
    await model.save(sink);
    assert.deepEqual(sink.artifacts?.trainingConfig, {
      loss: 'mean_squared_error',
      metrics: ['mae'],
      optimizer_config: { class_name: 'SGD', config: { learningRate: 0.05 } },
    });
    const copy = await ax.loadModel(sink);
    assert.equal(copy.loss?.name, 'meanSquaredError');
    const h1 = await model.fit(x, y, args);
    const h2 = await copy.fit(x, y, args);
    assert.deepEqual(h2.history, h1.history);
    assert.deepEqual(copy.getWeights().map(bits), model.getWeights().map(bits));
    assert.ok(h2.history.mae !== undefined);
  });

  it("round-trips every optimizer's hyperparameters, schedules and clipping included", async () => {
    const o = ax.optimizers;
    const list: ax.Optimizer[] = [
      o.sgd({ learningRate: 0.05 }),
      o.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      o.rmsprop({ learningRate: 0.002, rho: 0.8, momentum: 0.1, centered: true }),
      o.adagrad({ learningRate: 0.03, initialAccumulatorValue: 0.2 }),
      o.adam({ learningRate: 0.004, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, clipNorm: 1 }),
      o.adamax({ learningRate: 0.003 }),
      o.adamw({ learningRate: 0.001, weightDecay: 0.01 }),
      o.sgd({
        learningRate: ax.schedules.exponentialDecay({
          initialLearningRate: 0.1,
          decaySteps: 10,
          decayRate: 0.5,
        }),
      }),
      o.adam({
        learningRate: ax.schedules.piecewiseConstant({ boundaries: [5, 10], values: [0.1, 0.01, 0.001] }),
      }),
    ];
    for (const optimizer of list) {
      const model = richModel();
      model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const copy = await roundTrip(model);
      assert.equal(copy.optimizer?.name, optimizer.name);
      assert.deepEqual(copy.optimizer?.getConfig(), optimizer.getConfig(), optimizer.name);
    }
  });

  it('writes the TF.js optimizer class names and keys', async () => {
    const cases: [ax.Optimizer, string, Record<string, unknown>][] = [
      [ax.optimizers.adam(), 'Adam', { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
      [
        ax.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 }),
        'Momentum',
        { learningRate: 0.1, momentum: 0.5, useNesterov: false },
      ],
      [
        ax.optimizers.rmsprop(),
        'RMSProp',
        { learningRate: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
      ],
    ];
    for (const [optimizer, className, config] of cases) {
      const model = richModel();
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const sink = ax.io.memory();
      await model.save(sink);
      assert.deepEqual(sink.artifacts?.trainingConfig?.optimizer_config, { class_name: className, config });
    }
  });

  it('keeps loss options in the Keras { class_name, config } form', async () => {
    const model = richModel();
    model.compile({ optimizer: 'adam', loss: ax.getLoss('categoricalCrossentropy', { fromLogits: true }) });
    const sink = ax.io.memory();
    await model.save(sink);
    assert.deepEqual(sink.artifacts?.trainingConfig?.loss, {
      class_name: 'CategoricalCrossentropy',
      config: { from_logits: true },
    });
    assert.equal((await ax.loadModel(sink)).loss?.fromLogits, true);
    model.compile({ optimizer: 'adam', loss: ax.losses.huber({ delta: 2.5 }) });
    const copy = await roundTrip(model);
    assert.deepEqual(copy.loss?.config, { delta: 2.5 });
  });

  it('omits the training config with includeOptimizer: false, and refuses custom losses otherwise', async () => {
    const model = richModel();
    const custom: ax.Loss = { ...ax.losses.meanSquaredError(), name: 'myLoss' };
    model.compile({ optimizer: 'sgd', loss: custom });
    await assert.rejects(
      model.save(ax.io.memory()),
      /the loss 'myLoss' is not a built-in one.*includeOptimizer: false/,
    );
    const sink = ax.io.memory();
    await model.save(sink, { includeOptimizer: false });
    assert.equal(sink.artifacts?.trainingConfig, undefined);
    assert.equal((await ax.loadModel(sink)).compiled, null);
  });
});
