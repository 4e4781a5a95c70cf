/**
 * Which path a model takes: everything the plan does not run (layers other than Dense, Activation,
 * Dropout and Flatten, regularizers, class weights, custom losses and activations, float64 storage)
 * trains on the autodiff graph automatically; 'plan' mode refuses it with the reason, 'graph' mode
 * never plans; a model whose layers or compile state change mid-training gets a new plan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { lastPaths, plannedTrainStep, setPlanMode } from '../../src/model/plan/index.js';
import { withFloat64 } from '../../src/tensor/precision.js';
import { withMode } from './helpers.js';

const N = 12;
const rng = new ax.Random(3);
const X = ax.tensor(Array.from({ length: N }, () => Array.from({ length: 4 }, () => rng.normal())));
const Y = ax.tensor(Array.from({ length: N }, (_, i) => [i % 2]));

function model(layers: ax.Layer[], loss: string | ax.Loss = 'binaryCrossentropy'): ax.Sequential {
  const m = ax.sequential({ layers });
  m.compile({ optimizer: 'sgd', loss });
  return m;
}

async function pathOf(m: ax.Sequential, args: ax.FitArgs = {}, y = Y): Promise<string | null> {
  await m.fit(X, y, { epochs: 1, batchSize: 4, verbose: 0, ...args });
  return lastPaths(m).train;
}

/** A Dense whose subclass could change call(): the plan must not assume Dense's math. */
class ScaledDense extends ax.Dense {
  override call(x: ax.Tensor, args: ax.CallArgs): ax.Tensor {
    return ax.mul(super.call(x, args), 2);
  }
}

const out = () => ax.layers.dense({ units: 1, activation: 'sigmoid' });

describe('the path a model trains on', () => {
  it('is the plan for Dense/Activation/Dropout/Flatten models with a built-in loss', async () => {
    const m = model([ax.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), out()]);
    assert.equal(await pathOf(m), 'plan');
    m.predict(X);
    assert.equal(lastPaths(m).predict, 'plan');
  });

  const unsupported: [string, () => ax.Sequential, ax.FitArgs?][] = [
    [
      'batch normalization',
      () => model([ax.layers.dense({ units: 3, inputShape: [4] }), ax.layers.batchNormalization(), out()]),
    ],
    [
      'a kernel regularizer',
      () => model([ax.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: 'l2' }), out()]),
    ],
    [
      'an activity regularizer',
      () => model([ax.layers.dense({ units: 3, inputShape: [4], activityRegularizer: 'l1' }), out()]),
    ],
    [
      'class weights',
      () => model([ax.layers.dense({ units: 3, inputShape: [4] }), out()]),
      { classWeight: { 0: 1, 1: 3 } },
    ],
    ['a Dense subclass', () => model([new ScaledDense({ units: 3, inputShape: [4] }), out()])],
    [
      'leakyRelu with another slope',
      () =>
        model([
          ax.layers.dense({
            units: 3,
            inputShape: [4],
            activation: ax.activations.leakyRelu({ alpha: 0.1 }),
          }),
          out(),
        ]),
    ],
    [
      'a custom activation',
      () =>
        model([
          ax.layers.dense({
            units: 3,
            inputShape: [4],
            activation: {
              name: 'cube',
              differentiable: true,
              apply: (x: ax.Tensor) => ax.mul(x, ax.square(x)),
            },
          }),
          out(),
        ]),
    ],
    [
      'dropout with a noise shape',
      () =>
        model([
          ax.layers.dense({ units: 3, inputShape: [4] }),
          ax.layers.dropout({ rate: 0.3, noiseShape: [null, 1] }),
          out(),
        ]),
    ],
    [
      'a custom loss',
      () =>
        model([ax.layers.dense({ units: 1, inputShape: [4] })], {
          name: 'cubicError',
          fromLogits: false,
          perSample: (t: ax.Tensor, p: ax.Tensor) => ax.mean(ax.abs(ax.pow(ax.sub(p, t), 3)), -1),
          checkTargets: () => {},
        }),
    ],
    [
      "a custom loss that borrows a built-in's name",
      () =>
        model([ax.layers.dense({ units: 1, inputShape: [4] })], {
          name: 'meanSquaredError',
          fromLogits: false,
          perSample: (t: ax.Tensor, p: ax.Tensor) => ax.mean(ax.abs(ax.sub(p, t)), -1),
          checkTargets: () => {},
        }),
    ],
  ];
  for (const [what, build, args] of unsupported) {
    it(`falls back to the graph for ${what}, and 'plan' mode refuses it`, async () => {
      assert.equal(await pathOf(build(), args), 'graph');
      await withMode('plan', async () => {
        await assert.rejects(pathOf(build(), args), /planned training step: not possible here/);
      });
    });
  }

  it('falls back for a Dense on rank-3 inputs, and plans the same layers after a Flatten', async () => {
    const x3 = ax.reshape(X, [N, 2, 2]);
    const direct = model([ax.layers.dense({ units: 3, inputShape: [2, 2] }), ax.layers.flatten(), out()]);
    await direct.fit(x3, Y, { epochs: 1, verbose: 0 });
    assert.equal(lastPaths(direct).train, 'graph');
    const flat = model([ax.layers.flatten({ inputShape: [2, 2] }), ax.layers.dense({ units: 3 }), out()]);
    await flat.fit(x3, Y, { epochs: 1, verbose: 0 });
    assert.equal(lastPaths(flat).train, 'plan');
  });

  it('falls back under float64 storage (gradient checking)', () => {
    const m = model([ax.layers.dense({ units: 3, inputShape: [4] }), out()]);
    const compiled = m.compiled as NonNullable<typeof m.compiled>;
    assert.notEqual(plannedTrainStep(m, compiled, X, Y, undefined), null);
    assert.equal(
      withFloat64(() => plannedTrainStep(m, compiled, X, Y, undefined)),
      null,
    );
  });

  it("is always the graph in 'graph' mode, for training and predict", async () => {
    setPlanMode('graph');
    try {
      const m = model([ax.layers.dense({ units: 3, inputShape: [4] }), out()]);
      assert.equal(await pathOf(m), 'graph');
      m.predict(X);
      assert.equal(lastPaths(m).predict, 'graph');
    } finally {
      setPlanMode('auto');
    }
  });

  it('follows a change of trainable flags and a recompile mid-training, as the graph does (JS: same bits)', async () => {
    const run = (mode: 'graph' | 'auto') =>
      withMode(mode, async () => {
        ax.setSeed(4);
        const first = ax.layers.dense({ units: 5, inputShape: [4], activation: 'tanh' });
        const m = model([first, out()]);
        const paths: (string | null)[] = [];
        await m.fit(X, Y, {
          epochs: 4,
          batchSize: 4,
          verbose: 0,
          callbacks: {
            onEpochEnd: (epoch) => {
              paths.push(lastPaths(m).train);
              // Freeze the first layer after epoch 1; unfreeze it after epoch 2.
              if (epoch === 1) first.trainable = false;
              if (epoch === 2) first.trainable = true;
            },
          },
        });
        const frozenWeights = first.getWeights()[0].dataSync();
        m.compile({ optimizer: ax.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
        await m.fit(X, Y, { epochs: 2, batchSize: 5, verbose: 0 });
        return {
          paths,
          frozenWeights,
          weights: m.getWeights().map((w) => w.dataSync()),
          last: lastPaths(m).train,
        };
      });
    // Bit for bit on the JS backend, where the plan promises the graph's arithmetic exactly (on WASM
    // small bound layers run in wasm kernels, and agree to 1e-5).
    const previous = ax.getBackend();
    ax.setBackend('js');
    let graph: Awaited<ReturnType<typeof run>>;
    let plan: Awaited<ReturnType<typeof run>>;
    try {
      graph = await run('graph');
      plan = await run('auto');
    } finally {
      ax.setBackend(previous);
    }
    assert.deepEqual(plan.paths, ['plan', 'plan', 'plan', 'plan']);
    assert.equal(plan.last, 'plan');
    assert.deepEqual(plan.weights, graph.weights);
    assert.deepEqual(plan.frozenWeights, graph.frozenWeights);
  });
});
