import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

const xorX = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const xorY = [[0], [1], [1], [0]];

function notesModel(): ax.Sequential {
  // The notes' 4-5-3 network: 4 inputs, 5 hidden units, 3 outputs.
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: 5, inputShape: [4], activation: 'sigmoid' }),
      ax.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

function mnistMlp(): ax.Sequential {
  return ax.sequential({
    layers: [
      ax.layers.dense({ units: 512, inputShape: [784], activation: 'relu' }),
      ax.layers.dropout({ rate: 0.2 }),
      ax.layers.dense({ units: 512, activation: 'relu' }),
      ax.layers.dropout({ rate: 0.2 }),
      ax.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

describe('Sequential structure', () => {
  it("counts the notes' 4-5-3 network as 43 parameters and 784-512-512-10 as 669,706", () => {
    assert.equal(notesModel().countParams(), 43);
    const big = mnistMlp();
    assert.equal(big.countParams(), 669706);
    const text = big.summary({ print: false });
    assert.match(text, /Total params: 669,706/);
    assert.match(text, /Trainable params: 669,706/);
    assert.match(text, /Non-trainable params: 0/);
    assert.match(text, /dropout(_\d+)? \(Dropout\) +\(None, 512\) +0/);
  });

  it('summary() prints and returns the Keras 2 table', () => {
    const model = ax.sequential({
      name: 'notes_mlp',
      layers: [
        ax.layers.dense({ units: 3, inputDim: 2, activation: 'sigmoid', name: 'hidden' }),
        ax.layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }),
      ],
    });
    const printed: string[] = [];
    const text = model.summary({ printFn: (line) => printed.push(line) });
    const expected = [
      'Model: "notes_mlp"',
      '_'.repeat(65),
      `${'Layer (type)'.padEnd(29)}${'Output Shape'.padEnd(26)}${'Param #'.padEnd(10)}`,
      '='.repeat(65),
      `${'hidden (Dense)'.padEnd(29)}${'(None, 3)'.padEnd(26)}${'9'.padEnd(10)}`,
      '_'.repeat(65),
      `${'out (Dense)'.padEnd(29)}${'(None, 1)'.padEnd(26)}${'4'.padEnd(10)}`,
      '='.repeat(65),
      'Total params: 13',
      'Trainable params: 13',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ];
    assert.deepEqual(text.split('\n'), expected);
    assert.deepEqual(printed, expected);
  });

  it('counts batch-normalization statistics as non-trainable', () => {
    const model = ax.sequential({
      layers: [ax.layers.dense({ units: 4, inputShape: [3] }), ax.layers.batchNormalization()],
    });
    const text = model.summary({ print: false });
    assert.match(text, /Total params: 32\n/);
    assert.match(text, /Trainable params: 24\n/);
    assert.match(text, /Non-trainable params: 8\n/);
  });

  it('getWeights returns copies in Keras order: per Dense layer kernel [in, units] then bias [units]', () => {
    const model = notesModel();
    const ws = model.getWeights();
    assert.deepEqual(
      ws.map((w) => w.shape),
      [[4, 5], [5], [5, 3], [3]],
    );
    ws[0].values[0] = 1234;
    assert.notEqual(model.getWeights()[0].dataSync()[0], 1234);
  });

  it('setWeights round-trips and rejects wrong counts and shapes without changing anything', () => {
    const model = notesModel();
    const values = model.getWeights().map((w) => ax.fill(w.shape, 0.25));
    model.setWeights(values);
    for (const w of model.getWeights()) assert.ok(w.dataSync().every((v) => v === 0.25));
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.throws(
      () => model.setWeights(values.slice(0, 3)),
      /has 4 weights .*kernel \[4,5\].* but 3 were given/,
    );
    const wrong = [values[0], values[1], ax.zeros([3, 5]), values[3]];
    assert.throws(
      () => model.setWeights(wrong),
      /weight 2 \(dense(_\d+)?\/kernel\) has shape \[5,3\] but the given tensor has shape \[3,5\]/,
    );
    assert.deepEqual(
      model.getWeights().map((w) => Array.from(w.dataSync())),
      before,
    );
  });

  it('defers building until the input shape is known (build, fit or predict), as Keras', () => {
    const model = ax.sequential();
    model.add(ax.layers.dense({ units: 2 }));
    model.add(ax.layers.dense({ units: 1 }));
    assert.equal(model.built, false);
    assert.throws(() => model.summary({ print: false }), /has not been built yet/);
    const y = model.predict(ax.zeros([3, 6]));
    assert.deepEqual(y.shape, [3, 1]);
    assert.equal(model.countParams(), 6 * 2 + 2 + 2 + 1);
    assert.throws(
      () => model.predict(ax.zeros([3, 5])),
      /x has shape \[3,5\] but the model expects inputs of shape \[null,6\]/,
    );
  });

  it('getConfig lists each layer as { className, config } with the input shape on the first', () => {
    const model = ax.sequential({
      name: 'cfg_model',
      layers: [
        ax.layers.dense({ units: 3, inputDim: 2, name: 'c1' }),
        ax.layers.dropout({ rate: 0.1, name: 'c2' }),
      ],
    });
    const config = model.getConfig();
    assert.equal(config.name, 'cfg_model');
    assert.deepEqual(
      config.layers.map((l) => [l.className, l.config.name]),
      [
        ['Dense', 'c1'],
        ['Dropout', 'c2'],
      ],
    );
    assert.deepEqual(config.layers[0].config.batchInputShape, [null, 2]);
    assert.equal(config.layers[1].config.rate, 0.1);
  });

  it('refuses duplicate layer names', () => {
    const model = ax.sequential({ layers: [ax.layers.dense({ units: 2, inputShape: [2], name: 'a' })] });
    assert.throws(() => model.add(ax.layers.dense({ units: 2, name: 'a' })), /already has a layer named 'a'/);
  });
});

describe('Sequential predict / evaluate / fit', () => {
  it('predict runs in batches without recording gradients and matches a single forward pass', () => {
    ax.setSeed(3);
    const model = notesModel();
    const x = ax.randomNormal([10, 4]);
    const batched = model.predict(x, { batchSize: 3 });
    assert.equal(batched.requiresGrad, false);
    assert.equal(batched.node, null);
    const whole = model.apply(x).dataSync();
    assert.deepEqual(Array.from(batched.dataSync()), Array.from(whole));
  });

  it('evaluate returns the loss and accuracy a hand computation from predict gives', () => {
    ax.setSeed(5);
    const model = ax.sequential({
      layers: [
        ax.layers.dense({ units: 3, inputShape: [2], activation: 'tanh' }),
        ax.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = ax.randomNormal([7, 2]);
    const yValues = [0, 1, 1, 0, 1, 0, 0];
    const y = ax.tensor(yValues.map((v) => [v]));
    const p = model.predict(x).dataSync();
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < 7; i++) {
      const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
      loss -= yValues[i] * Math.log(q) + (1 - yValues[i]) * Math.log(1 - q);
      if ((p[i] > 0.5 ? 1 : 0) === yValues[i]) correct++;
    }
    // batchSize 3: batches of 3, 3, 1 — the result must still be the mean over the 7 samples.
    const result = model.evaluate(x, y, { batchSize: 3 });
    assert.deepEqual(Object.keys(result), ['loss', 'accuracy']);
    assert.ok(Math.abs(result.loss - loss / 7) < 1e-5, `${result.loss} vs ${loss / 7}`);
    assert.equal(result.accuracy, correct / 7);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['acc'] });
    assert.deepEqual(Object.keys(model.evaluate(x, y)), ['loss', 'acc']);
  });

  it('evaluate adds the weight penalties to the loss, as Keras does', () => {
    const model = ax.sequential({
      layers: [
        ax.layers.dense({ units: 1, inputShape: [2], kernelRegularizer: ax.regularizers.l2({ l2: 0.1 }) }),
      ],
    });
    model.setWeights([ax.tensor([[1], [2]]), ax.tensor([0])]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = ax.tensor([[1, 1]]);
    // prediction 3, target 0: mse 9, penalty 0.1·(1 + 4) = 0.5.
    assert.ok(Math.abs(model.evaluate(x, ax.tensor([[0]])).loss - 9.5) < 1e-5);
  });

  it('learns XOR to accuracy 1 with a seeded 2-8-1 network', async () => {
    ax.setSeed(42);
    const model = ax.sequential({
      layers: [
        ax.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }),
        ax.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({
      optimizer: ax.optimizers.adam({ learningRate: 0.05 }),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(ax.tensor(xorX), ax.tensor(xorY), {
      epochs: 300,
      batchSize: 4,
      verbose: 0,
    });
    assert.equal(history.history.loss.length, 300);
    assert.deepEqual(history.epoch.slice(0, 3), [0, 1, 2]);
    assert.ok(history.history.loss[299] < history.history.loss[0] / 10);
    assert.equal(history.history.accuracy[299], 1);
    assert.equal(model.evaluate(ax.tensor(xorX), ax.tensor(xorY)).accuracy, 1);
    const p = model.predict(ax.tensor(xorX)).dataSync();
    assert.deepEqual(
      Array.from(p, (v) => (v > 0.5 ? 1 : 0)),
      [0, 1, 1, 0],
    );
  });

  it('fit is deterministic under setSeed (initialization, shuffling and dropout)', async () => {
    async function run(): Promise<{ loss: number[]; weights: number[][] }> {
      ax.setSeed(2024);
      const model = ax.sequential({
        layers: [
          ax.layers.dense({ units: 6, inputShape: [3], activation: 'relu' }),
          ax.layers.dropout({ rate: 0.5 }),
          ax.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: 'adam', loss: 'mse' });
      const x = ax.randomNormal([20, 3]);
      const y = ax.randomNormal([20, 1]);
      const h = await model.fit(x, y, { epochs: 4, batchSize: 5, verbose: 0 });
      return { loss: h.history.loss, weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
    }
    const a = await run();
    const b = await run();
    assert.deepEqual(a, b);
  });

  it('trainOnBatch takes exactly one step: the same as fit on one full batch without shuffling', async () => {
    function make(): ax.Sequential {
      ax.setSeed(8);
      const m = ax.sequential({
        layers: [ax.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })],
      });
      m.compile({
        optimizer: ax.optimizers.sgd({ learningRate: 0.3 }),
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
      });
      return m;
    }
    const x = ax.tensor([
      [1, 0, 2],
      [0, 1, -1],
      [3, 1, 0],
    ]);
    const y = ax.tensor([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const a = make();
    const before = a.evaluate(x, y).loss;
    const out = await a.trainOnBatch(x, y);
    assert.ok(Array.isArray(out) && out.length === 2);
    assert.ok(Math.abs(out[0] - before) < 1e-6, 'the reported loss is the one before the update');
    const b = make();
    await b.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    assert.deepEqual(
      a.getWeights().map((w) => Array.from(w.dataSync())),
      b.getWeights().map((w) => Array.from(w.dataSync())),
    );
    assert.ok(a.evaluate(x, y).loss < before);
  });

  it('dropout is active in fit (training) and inactive in predict', async () => {
    ax.setSeed(4);
    const model = ax.sequential({
      layers: [
        ax.layers.dense({ units: 50, inputShape: [5] }),
        ax.layers.dropout({ rate: 0.5 }),
        ax.layers.dense({ units: 1 }),
      ],
    });
    const x = ax.randomNormal([8, 5]);
    assert.deepEqual(model.predict(x).dataSync(), model.predict(x).dataSync());
    const trainA = model.apply(x, { training: true }).dataSync();
    const trainB = model.apply(x, { training: true }).dataSync();
    assert.notDeepEqual(trainA, trainB);
  });

  it('the 784-512-512-10 dropout network trains a few steps on a small random batch', async () => {
    ax.setSeed(1);
    const model = mnistMlp();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = ax.randomUniform([64, 784]);
    const y = ax.tensor(Array.from({ length: 64 }, (_, i) => i % 10));
    const before = model.evaluate(x, y).loss;
    const h = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    assert.equal(h.history.loss.length, 3);
    assert.ok(h.history.loss.every(Number.isFinite));
    assert.ok(model.evaluate(x, y).loss < before, 'the loss decreased');
  });
});
