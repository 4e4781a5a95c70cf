/**
 * The planned path trains exactly like the autodiff graph. On the JS backend every weight, every
 * per-epoch loss and metric, and every prediction after training are the same bits (23 rows in
 * batches of 5: a ragged last batch of 3; shuffled; dropout drawn from the same seeded sequence), for
 * every built-in loss head, hidden activation, optimizer and layer kind the plan runs. On WASM, where
 * the plan's fused kernels and the graph's separate kernels may round differently, they agree to 1e-5.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { lastPaths } from '../../src/model/plan/index.js';
import { assertIdentical, assertNear, oneHot, train, withMode } from './helpers.js';

const N = 23;
const rng = new ax.Random(11);
const X = ax.tensor(Array.from({ length: N }, () => Array.from({ length: 4 }, () => rng.normal())));
const CLASSES = Array.from({ length: N }, (_, i) => (i * 7 + 2) % 3);
const BINARY = ax.tensor(CLASSES.map((c) => [c === 0 ? 1 : 0]));
const REAL = ax.tensor(Array.from({ length: N }, () => [2 * rng.normal(), 2 * rng.normal()]));

interface Case {
  name: string;
  layers: () => ax.Layer[];
  loss: () => string | ax.Loss;
  optimizer: () => string | ax.Optimizer;
  y: ax.Tensor;
  metrics?: string[];
}

const dense = (units: number, activation = 'linear', extra: Partial<ax.DenseArgs> = {}) =>
  ax.layers.dense({ units, activation, ...extra });

const CASES: Case[] = [
  {
    name: 'tanh → sigmoid, binaryCrossentropy, SGD Nesterov',
    layers: () => [dense(8, 'tanh', { inputShape: [4] }), dense(6, 'tanh'), dense(1, 'sigmoid')],
    loss: () => 'binaryCrossentropy',
    optimizer: () => ax.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    y: BINARY,
    metrics: ['accuracy'],
  },
  {
    name: 'relu → softmax, categoricalCrossentropy, Adam',
    layers: () => [dense(8, 'relu', { inputShape: [4] }), dense(6, 'relu'), dense(3, 'softmax')],
    loss: () => 'categoricalCrossentropy',
    optimizer: () => ax.optimizers.adam({ learningRate: 0.05 }),
    y: oneHot(CLASSES, 3),
    metrics: ['accuracy'],
  },
  {
    name: 'elu → softmax, sparseCategoricalCrossentropy, RMSprop',
    layers: () => [dense(8, 'elu', { inputShape: [4] }), dense(3, 'softmax')],
    loss: () => 'sparse_categorical_crossentropy',
    optimizer: () => 'rmsprop',
    y: ax.tensor(CLASSES),
  },
  {
    name: 'gelu → linear, meanSquaredError, AdamW',
    layers: () => [dense(8, 'gelu', { inputShape: [4] }), dense(2, 'linear')],
    loss: () => 'mse',
    optimizer: () => ax.optimizers.adamw({ learningRate: 0.01 }),
    y: REAL,
  },
  {
    name: 'swish → linear, meanAbsoluteError, Adagrad',
    layers: () => [dense(8, 'swish', { inputShape: [4] }), dense(2)],
    loss: () => 'mae',
    optimizer: () => ax.optimizers.adagrad({ learningRate: 0.1 }),
    y: REAL,
  },
  {
    name: 'selu → linear, huber, SGD with clipNorm',
    layers: () => [dense(8, 'selu', { inputShape: [4] }), dense(2)],
    loss: () => 'huber',
    optimizer: () => ax.optimizers.sgd({ learningRate: 0.05, clipNorm: 0.5 }),
    y: REAL,
  },
  {
    name: 'softplus → tanh, hinge (0/1 labels), Adamax',
    layers: () => [dense(8, 'softplus', { inputShape: [4] }), dense(1, 'tanh')],
    loss: () => 'hinge',
    optimizer: () => ax.optimizers.adamax(),
    y: BINARY,
  },
  {
    name: 'leakyRelu → logits, binaryCrossentropy fromLogits, Adam',
    layers: () => [dense(8, 'leakyRelu', { inputShape: [4] }), dense(1)],
    loss: () => ax.losses.binaryCrossentropy({ fromLogits: true }),
    optimizer: () => 'adam',
    y: BINARY,
  },
  {
    name: 'softsign → logits, categoricalCrossentropy fromLogits, SGD momentum',
    layers: () => [dense(8, 'softsign', { inputShape: [4] }), dense(3)],
    loss: () => ax.losses.categoricalCrossentropy({ fromLogits: true }),
    optimizer: () => ax.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 }),
    y: oneHot(CLASSES, 3),
  },
  {
    name: 'hardSigmoid → logits, sparseCategoricalCrossentropy fromLogits, global clip',
    layers: () => [dense(8, 'hardSigmoid', { inputShape: [4] }), dense(3)],
    loss: () => ax.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: () => ax.optimizers.adam({ learningRate: 0.02, globalClipNorm: 1 }),
    y: ax.tensor(CLASSES),
  },
  {
    name: 'dropout (global generator), Activation layers, no-bias Dense',
    layers: () => [
      dense(10, 'linear', { inputShape: [4] }),
      ax.layers.activation({ activation: 'relu' }),
      ax.layers.dropout({ rate: 0.3 }),
      dense(6, 'sigmoid', { useBias: false }),
      dense(3),
      ax.layers.activation({ activation: 'softmax' }),
    ],
    loss: () => 'categoricalCrossentropy',
    optimizer: () => 'adam',
    y: oneHot(CLASSES, 3),
    metrics: ['accuracy'],
  },
  {
    name: 'seeded Dropout layer, frozen first layer, Flatten',
    layers: () => {
      const first = dense(8, 'tanh', { inputShape: [4] });
      first.trainable = false;
      return [first, ax.layers.flatten(), ax.layers.dropout({ rate: 0.5, seed: 99 }), dense(2)];
    },
    loss: () => 'mse',
    optimizer: () => 'sgd',
    y: REAL,
  },
];

describe('planned training on the JS backend', () => {
  for (const c of CASES) {
    it(`is bit-identical to the graph: ${c.name}`, async () => {
      const build = () => {
        const m = ax.sequential({ layers: c.layers() });
        m.compile({ optimizer: c.optimizer(), loss: c.loss(), metrics: c.metrics });
        return m;
      };
      const args = { epochs: 3, batchSize: 5 };
      const graph = await train('graph', 'js', build, X, c.y, args);
      const plan = await train('auto', 'js', build, X, c.y, args);
      assert.equal(graph.train, 'graph');
      assert.equal(plan.train, 'plan');
      assert.equal(plan.predictPath, 'plan');
      assertIdentical(plan, graph, c.name);
    });
  }

  it('with a validation split, metrics and the last batch ragged', async () => {
    const build = () => {
      const m = ax.sequential({ layers: [dense(8, 'relu', { inputShape: [4] }), dense(3, 'softmax')] });
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return m;
    };
    const args = { epochs: 4, batchSize: 4, validationSplit: 0.3 };
    const graph = await train('graph', 'js', build, X, ax.tensor(CLASSES), args);
    const plan = await train('auto', 'js', build, X, ax.tensor(CLASSES), args);
    assert.ok(plan.history.val_loss.length === 4);
    assertIdentical(plan, graph, 'validationSplit');
  });

  it('trainOnBatch and fitDataset take the plan and match the graph', async () => {
    const previous = ax.getBackend();
    ax.setBackend('js');
    const run = (mode: 'graph' | 'auto') =>
      withMode(mode, async () => {
        ax.setSeed(1);
        const m = ax.sequential({ layers: [dense(6, 'tanh', { inputShape: [4] }), dense(1, 'sigmoid')] });
        m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
        const losses: (number | number[])[] = [];
        for (let s = 0; s < N; s += 6) {
          const end = Math.min(N, s + 6);
          losses.push(
            await m.trainOnBatch(ax.slice(X, [s, 0], [end - s, 4]), ax.slice(BINARY, [s, 0], [end - s, 1])),
          );
        }
        const afterBatches = lastPaths(m).train;
        const ds = ax.data.generator(function* () {
          for (let s = 0; s < N; s += 7) {
            const end = Math.min(N, s + 7);
            yield { xs: ax.slice(X, [s, 0], [end - s, 4]), ys: ax.slice(BINARY, [s, 0], [end - s, 1]) };
          }
        });
        const h = await m.fitDataset(ds, { epochs: 2, verbose: 0 });
        return {
          losses,
          afterBatches,
          afterDataset: lastPaths(m).train,
          h: h.history,
          w: m.getWeights().map((t) => t.dataSync()),
        };
      });
    try {
      const graph = await run('graph');
      const plan = await run('auto');
      assert.equal(plan.afterBatches, 'plan');
      assert.equal(plan.afterDataset, 'plan');
      assert.deepEqual(plan.losses, graph.losses);
      assert.deepEqual(plan.h, graph.h);
      assert.deepEqual(plan.w, graph.w);
    } finally {
      ax.setBackend(previous);
    }
  });
});

describe('planned training on the WASM backend', () => {
  // Wide enough that the fused kernels run in wasm (≥ 4096 multiply-adds per layer).
  const M = 96;
  const r = new ax.Random(5);
  const XW = ax.tensor(Array.from({ length: M }, () => Array.from({ length: 20 }, () => r.normal())));
  const labels = Array.from({ length: M }, (_, i) => (i * 5 + 1) % 10);
  const cases: [string, () => ax.Layer[], string | ax.Loss, ax.Tensor][] = [
    [
      'relu/tanh → softmax, categoricalCrossentropy',
      () => [dense(64, 'relu', { inputShape: [20] }), dense(32, 'tanh'), dense(10, 'softmax')],
      'categoricalCrossentropy',
      oneHot(labels, 10),
    ],
    [
      'gelu/sigmoid → logits, sparse fromLogits, with dropout',
      () => [
        dense(64, 'gelu', { inputShape: [20] }),
        ax.layers.dropout({ rate: 0.2 }),
        dense(32, 'sigmoid'),
        dense(10),
      ],
      ax.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
      ax.tensor(labels),
    ],
    [
      // Playground size: the layers run bound to resident buffers (wasm kernels without per-call checks).
      'tiny 20-8-8-1 tanh/tanh → sigmoid, meanSquaredError',
      () => [dense(8, 'tanh', { inputShape: [20] }), dense(8, 'tanh'), dense(1, 'sigmoid')],
      'meanSquaredError',
      ax.tensor(labels.map((l) => [l % 2])),
    ],
  ];
  for (const [name, layers, loss, y] of cases) {
    it(`agrees with the graph to 1e-5: ${name}`, async () => {
      const build = () => {
        const m = ax.sequential({ layers: layers() });
        m.compile({ optimizer: ax.optimizers.adam({ learningRate: 0.01 }), loss, metrics: ['accuracy'] });
        return m;
      };
      const args = { epochs: 3, batchSize: 32 };
      const graph = await train('graph', 'wasm', build, XW, y, args);
      const plan = await train('auto', 'wasm', build, XW, y, args);
      assert.equal(plan.train, 'plan');
      assertNear(plan, graph, name);
    });
  }
});
