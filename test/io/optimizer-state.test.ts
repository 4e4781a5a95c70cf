/**
 * Optimizer state in model files (TF.js's `includeOptimizer` layout: group 'optimizer', 'iter' then each
 * slot kind for every trainable weight). A saved and reloaded model must continue training exactly as
 * the original does (same bits), and continue as TF.js does from the same file, both ways: Axon → TF.js
 * and TF.js → Axon, for Adam, SGD with momentum (TF.js keeps it in other units), RMSprop and Adagrad.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/node.js';
import { tfArtifacts } from './tfjs-save.js';

type Case = { name: string; axon: () => ax.Optimizer; tfjs: () => tf.Optimizer };

const CASES: Case[] = [
  { name: 'adam', axon: () => ax.optimizers.adam({ learningRate: 0.01 }), tfjs: () => tf.train.adam(0.01) },
  {
    name: 'sgd + momentum',
    axon: () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    tfjs: () => tf.train.momentum(0.05, 0.9),
  },
  {
    name: 'rmsprop + momentum',
    axon: () => ax.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5 }),
    tfjs: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7),
  },
  {
    name: 'adagrad',
    axon: () => ax.optimizers.adagrad({ learningRate: 0.1 }),
    tfjs: () => tf.train.adagrad(0.1),
  },
];

const xs = Array.from({ length: 16 * 3 }, (_, i) => Math.sin(i * 1.7));
const ys = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : 0));

function axonModel(optimizer: ax.Optimizer): ax.Sequential {
  ax.setSeed(11);
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 5, inputShape: [3], activation: 'tanh' }),
      ax.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  return model;
}

async function axonSteps(model: ax.Sequential, epochs: number): Promise<void> {
  await model.fit(ax.tensor(xs, [16, 3]), ax.tensor(ys, [16, 1]), {
    epochs,
    batchSize: 8,
    shuffle: false,
    verbose: 0,
  });
}

async function tfSteps(model: tf.LayersModel, epochs: number): Promise<void> {
  await model.fit(tf.tensor(xs, [16, 3]), tf.tensor(ys, [16, 1]), {
    epochs,
    batchSize: 8,
    shuffle: false,
    verbose: 0,
  });
}

function weights(model: ax.Sequential | tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

function assertClose(actual: Float32Array[], expected: Float32Array[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length);
  for (let t = 0; t < actual.length; t++) {
    for (let i = 0; i < actual[t].length; i++) {
      const d = Math.abs(actual[t][i] - expected[t][i]);
      if (!(d <= tol * (1 + Math.abs(expected[t][i])))) {
        assert.fail(`${what}: weight ${t}[${i}] is ${actual[t][i]}, expected ${expected[t][i]}`);
      }
    }
  }
}

describe('optimizer state is saved and restored', () => {
  for (const c of CASES) {
    it(`${c.name}: a reloaded model continues training with the very same bits`, async () => {
      const model = axonModel(c.axon());
      await axonSteps(model, 3);
      const artifacts = ax.io.modelToArtifacts(model);
      const specs = artifacts.weightSpecs ?? [];
      assert.equal(specs.filter((s) => s.group === 'optimizer')[0]?.name, 'iter');
      const reloaded = ax.io.modelFromArtifacts(artifacts);
      assert.equal(reloaded.optimizer?.iterations, 6);
      await axonSteps(model, 2);
      await axonSteps(reloaded, 2);
      const a = weights(model);
      const b = weights(reloaded);
      for (let t = 0; t < a.length; t++) assert.deepEqual(b[t], a[t], `weight ${t}`);
    });

    it(`${c.name}: Axon's file continues in TF.js as in Axon`, async () => {
      const model = axonModel(c.axon());
      await axonSteps(model, 3);
      const tfModel = await tf.loadLayersModel(
        tf.io.fromMemory(ax.io.modelToArtifacts(model) as tf.io.ModelArtifacts),
      );
      // TF.js rebuilds the optimizer from the file's trainingConfig and sets the saved state into it.
      await tfSteps(tfModel, 2);
      await axonSteps(model, 2);
      assertClose(weights(model), weights(tfModel), 2e-5, 'after 2 more epochs');
    });

    it(`${c.name}: TF.js's file (includeOptimizer) continues in Axon as in TF.js`, async () => {
      const tfModel = tf.sequential({
        layers: [
          tf.layers.dense({ units: 5, inputShape: [3], activation: 'tanh' }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      });
      tfModel.compile({ optimizer: c.tfjs(), loss: 'binaryCrossentropy' });
      await tfSteps(tfModel, 3);
      const model = ax.io.modelFromArtifacts((await tfArtifacts(tfModel)) as ax.ModelArtifacts);
      assert.equal(model.optimizer?.iterations, 6);
      await tfSteps(tfModel, 2);
      await axonSteps(model, 2);
      assertClose(weights(model), weights(tfModel), 2e-5, 'after 2 more epochs');
    });
  }

  it('without includeOptimizer nothing of the optimizer is written; a wrong state is refused by name', () => {
    const model = axonModel(ax.optimizers.adam());
    const bare = ax.io.modelToArtifacts(model, { includeOptimizer: false });
    assert.ok((bare.weightSpecs ?? []).every((s) => s.group !== 'optimizer'));
    const full = ax.io.modelToArtifacts(model);
    const specs = full.weightSpecs ?? [];
    const first = specs.findIndex((s) => s.group === 'optimizer');
    // Drop the last moment: the count no longer fits Adam over 4 weights.
    full.weightSpecs = specs.slice(0, -1);
    full.weightData = (full.weightData as ArrayBuffer).slice(0, -4);
    assert.ok(first > 0);
    assert.throws(
      () => ax.io.modelFromArtifacts(full),
      /optimizer state has 8 tensors, but adam over 4 trainable weights has 9: 'iter', then 'm', 'v' for each weight/,
    );
  });
});
