import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

/** A 1-unit linear model with fixed weights, compiled with SGD at rate `lr`. */
function linear(inputs: number, lr: number, loss = 'mse'): ax.Sequential {
  const model = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [inputs] })] });
  model.setWeights([ax.zeros([inputs, 1]), ax.zeros([1])]);
  model.compile({ optimizer: ax.optimizers.sgd({ learningRate: lr }), loss });
  return model;
}

describe('fit semantics', () => {
  it('validationSplit holds out the LAST fraction of the rows, taken before shuffling', async () => {
    // Rows 7, 8, 9 have target 100, the others 0; a zero model (learning rate 0) predicts 0 everywhere.
    const x = ax.tensor(Array.from({ length: 10 }, (_, i) => [i / 10]));
    const y = ax.tensor(Array.from({ length: 10 }, (_, i) => [i >= 7 ? 100 : 0]));
    const model = linear(1, 0);
    const seen: { params?: ax.TrainParams } = {};
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: true,
      validationSplit: 0.3,
      verbose: 0,
      callbacks: {
        setParams: (p) => {
          seen.params = p;
        },
      },
    });
    assert.deepEqual(h.history.loss, [0, 0, 0]);
    assert.deepEqual(h.history.val_loss, [10000, 10000, 10000]);
    assert.equal(seen.params?.samples, 7);
    assert.equal(seen.params?.validationSamples, 3);
    assert.deepEqual(seen.params?.metrics, ['loss', 'val_loss']);
    assert.equal(h.params?.steps, 4);
  });

  it('validationSplit: floor(n·(1 − split)) training rows, as Keras (n = 10, split 0.25 → 7 + 3)', async () => {
    const seen: { params?: ax.TrainParams } = {};
    await linear(1, 0).fit(ax.zeros([10, 1]), ax.zeros([10, 1]), {
      validationSplit: 0.25,
      verbose: 0,
      callbacks: {
        setParams: (p) => {
          seen.params = p;
        },
      },
    });
    assert.equal(seen.params?.samples, 7);
    assert.equal(seen.params?.validationSamples, 3);
  });

  it('the epoch loss is the mean over batches weighted by batch size (7 rows in batches 3, 3, 1)', async () => {
    const model = linear(1, 0);
    const x = ax.tensor([[1], [2], [3], [4], [5], [6], [7]]);
    model.setWeights([ax.tensor([[1]]), ax.tensor([0])]);
    const y = ax.tensor([[0], [0], [0], [0], [0], [0], [0]]);
    const h = await model.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    // With rate 0 the weights stay, so the epoch loss is the plain mean of x²: 140 / 7 = 20.
    assert.ok(Math.abs(h.history.loss[0] - 20) < 1e-5);
  });

  it('classWeight scales each sample loss as Keras does: one SGD step equals the hand computation', async () => {
    const model = ax.sequential({
      layers: [ax.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })],
    });
    const W = [0.5, -0.25];
    const b = 0.1;
    model.setWeights([ax.tensor([[W[0]], [W[1]]]), ax.tensor([b])]);
    model.compile({ optimizer: ax.optimizers.sgd({ learningRate: 1 }), loss: 'binaryCrossentropy' });
    const xs = [
      [1, 2],
      [3, -1],
      [-2, 0.5],
    ];
    const ys = [1, 0, 1];
    const classWeight = { 0: 1, 1: 3 };
    // L = Σ wᵢ·BCE(yᵢ, σ(zᵢ)) / n, so ∂L/∂zᵢ = wᵢ·(aᵢ − yᵢ)/n.
    const dW = [0, 0];
    let db = 0;
    let loss = 0;
    xs.forEach((row, i) => {
      const z = row[0] * W[0] + row[1] * W[1] + b;
      const a = 1 / (1 + Math.exp(-z));
      const w = classWeight[ys[i] as 0 | 1];
      loss += (w * -(ys[i] * Math.log(a) + (1 - ys[i]) * Math.log(1 - a))) / 3;
      const dz = (w * (a - ys[i])) / 3;
      dW[0] += dz * row[0];
      dW[1] += dz * row[1];
      db += dz;
    });
    const h = await model.fit(ax.tensor(xs), ax.tensor(ys.map((v) => [v])), {
      epochs: 1,
      batchSize: 3,
      classWeight,
      verbose: 0,
    });
    assert.ok(Math.abs(h.history.loss[0] - loss) < 1e-5);
    const [k, bias] = model.getWeights().map((t) => Array.from(t.dataSync()));
    assert.ok(Math.abs(k[0] - (W[0] - dW[0])) < 1e-5);
    assert.ok(Math.abs(k[1] - (W[1] - dW[1])) < 1e-5);
    assert.ok(Math.abs(bias[0] - (b - db)) < 1e-5);
  });

  it('an activity regularizer adds penalty(output) / batch size to the loss, as Keras', async () => {
    const model = ax.sequential({
      layers: [
        ax.layers.dense({ units: 1, inputShape: [1], activityRegularizer: ax.regularizers.l2({ l2: 0.1 }) }),
      ],
    });
    model.setWeights([ax.tensor([[2]]), ax.tensor([0])]);
    model.compile({ optimizer: ax.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    const x = ax.tensor([[1], [3]]);
    const y = ax.tensor([[0], [0]]);
    // outputs 2 and 6: mse (4 + 36)/2 = 20; penalty 0.1·(4 + 36)/2 = 2.
    const h = await model.fit(x, y, { batchSize: 2, verbose: 0 });
    assert.ok(Math.abs(h.history.loss[0] - 22) < 1e-4);
    assert.ok(Math.abs(model.evaluate(x, y).loss - 22) < 1e-4);
  });

  it('classWeight reads one-hot targets by argmax', async () => {
    const model = ax.sequential({
      layers: [ax.layers.dense({ units: 2, inputShape: [1], activation: 'softmax' })],
    });
    model.compile({ optimizer: ax.optimizers.sgd({ learningRate: 0 }), loss: 'categoricalCrossentropy' });
    const x = ax.tensor([[1], [2]]);
    const y = ax.tensor([
      [1, 0],
      [0, 1],
    ]);
    const plain = model.evaluate(x, y).loss;
    const h = await model.fit(x, y, { classWeight: { 0: 0, 1: 2 }, verbose: 0 });
    const p = model.predict(x).arraySync() as number[][];
    // Only the second row counts, twice: 2·(−log p₁₁)/2.
    assert.ok(Math.abs(h.history.loss[0] - -Math.log(p[1][1])) < 1e-5);
    assert.ok(Math.abs(plain - (-Math.log(p[0][0]) - Math.log(p[1][1])) / 2) < 1e-5);
  });

  it('validationData is evaluated after every epoch, with val_ keys for the loss and each metric', async () => {
    ax.setSeed(6);
    const model = ax.sequential({
      layers: [ax.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })],
    });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy', 'mse'] });
    const x = ax.tensor([
      [0, 1],
      [1, 0],
    ]);
    const y = ax.tensor([[1], [0]]);
    const xv = ax.tensor([[1, 1]]);
    const yv = ax.tensor([[1]]);
    const seen: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 2,
      verbose: 0,
      validationData: [xv, yv],
      callbacks: { onEpochEnd: (_e, logs) => void seen.push(model.evaluate(xv, yv).loss - logs.val_loss) },
    });
    assert.deepEqual(Object.keys(h.history).sort(), [
      'accuracy',
      'loss',
      'mse',
      'val_accuracy',
      'val_loss',
      'val_mse',
    ]);
    for (const d of seen) assert.ok(Math.abs(d) < 1e-6);
  });

  it('initialEpoch resumes numbering: epochs 5 from 3 runs epochs 3 and 4', async () => {
    const h = await linear(1, 0.1).fit(ax.ones([4, 1]), ax.ones([4, 1]), {
      epochs: 5,
      initialEpoch: 3,
      verbose: 0,
    });
    assert.deepEqual(h.epoch, [3, 4]);
    assert.equal(h.history.loss.length, 2);
  });

  it('awaits async batch hooks in callback order before the step and before the next batch', async () => {
    const events: string[] = [];
    const pause = () => new Promise((r) => setTimeout(r, 2));
    const model = linear(1, 0.01);
    const kernel = () => model.getWeights()[0].dataSync()[0];
    await model.fit(ax.ones([4, 1]), ax.ones([4, 1]), {
      epochs: 1,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        {
          onBatchBegin: async (b) => {
            await pause();
            events.push(`A begin ${b} w=${kernel()}`);
          },
          onBatchEnd: async (b) => {
            await pause();
            events.push(`A end ${b}`);
          },
        },
        {
          onBatchBegin: (b) => void events.push(`B begin ${b} w=${kernel()}`),
          onBatchEnd: (b) => void events.push(`B end ${b} w=${kernel()}`),
        },
      ],
    });
    const w = events.map((e) => e.match(/w=(.*)$/)?.[1]);
    assert.deepEqual(
      events.map((e) => e.replace(/ w=.*$/, '')),
      ['A begin 0', 'B begin 0', 'A end 0', 'B end 0', 'A begin 1', 'B begin 1', 'A end 1', 'B end 1'],
    );
    // The step ran after both begin hooks and before the end hooks of its batch.
    assert.equal(w[0], w[1]);
    assert.notEqual(w[1], w[3]);
    assert.equal(w[3], w[4]);
  });

  it('calls every hook in order, awaits async hooks, and batch logs carry batch, size and running means', async () => {
    const events: string[] = [];
    let batchLogs: ax.Logs[] = [];
    let slowDone = false;
    const h = await linear(1, 0.01).fit(ax.ones([5, 1]), ax.ones([5, 1]), {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => void events.push('trainBegin'),
          onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
          onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
          onBatchEnd: (b, logs) => {
            events.push(`batchEnd ${b}`);
            batchLogs.push({ ...logs });
          },
          onEpochEnd: async (e) => {
            await new Promise((r) => setTimeout(r, 5));
            events.push(`epochEnd ${e}`);
            slowDone = true;
          },
          onTrainEnd: () => void events.push('trainEnd'),
        },
      ],
    });
    assert.ok(slowDone);
    assert.deepEqual(events.slice(0, 9), [
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0',
      'batchEnd 0',
      'batchBegin 1',
      'batchEnd 1',
      'batchBegin 2',
      'batchEnd 2',
      'epochEnd 0',
    ]);
    assert.equal(events.at(-1), 'trainEnd');
    batchLogs = batchLogs.slice(0, 3);
    assert.deepEqual(
      batchLogs.map((l) => [l.batch, l.size]),
      [
        [0, 2],
        [1, 2],
        [2, 1],
      ],
    );
    // The last running mean of the epoch is the epoch loss.
    assert.ok(Math.abs(batchLogs[2].loss - h.history.loss[0]) < 1e-7);
  });

  it('model.stopTraining set in a callback stops after the current batch', async () => {
    const model = linear(1, 0.01);
    let batches = 0;
    const h = await model.fit(ax.ones([10, 1]), ax.ones([10, 1]), {
      epochs: 5,
      batchSize: 2,
      verbose: 0,
      callbacks: {
        onBatchEnd: (b) => {
          batches++;
          if (b === 1) model.stopTraining = true;
        },
      },
    });
    assert.equal(batches, 2);
    assert.deepEqual(h.epoch, [0]);
  });

  it('verbose 0 prints nothing; verbose 2 prints one line per epoch through console.log', async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      const model = ax.sequential({
        layers: [ax.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })],
      });
      model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await model.fit(ax.ones([4, 1]), ax.ones([4, 1]), { epochs: 2, verbose: 0 });
      assert.deepEqual(lines, []);
      await model.fit(ax.ones([4, 1]), ax.ones([4, 1]), { epochs: 2, verbose: 2, validationSplit: 0.5 });
    } finally {
      console.log = original;
    }
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^Epoch 1\/2 - \d+m?s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/,
    );
    assert.match(lines[1], /^Epoch 2\/2 /);
  });

  it('a registered ProgressReporter receives the run: begin, batches, epochs, end', async () => {
    const events: string[] = [];
    const reporter: ax.ProgressReporter = {
      onTrainBegin: (p) => void events.push(`begin ${p.epochs} ${p.steps}`),
      onEpochBegin: (e) => void events.push(`epoch ${e}`),
      onBatchEnd: (b, logs) => void events.push(`batch ${b} ${logs.size}`),
      onEpochEnd: (e, logs) => void events.push(`end ${e} ${typeof logs.loss}`),
      onTrainEnd: () => void events.push('done'),
    };
    const previous = ax.registerProgressReporter(() => reporter);
    try {
      await linear(1, 0.01).fit(ax.ones([3, 1]), ax.ones([3, 1]), { epochs: 1, batchSize: 2, verbose: 1 });
    } finally {
      ax.registerProgressReporter(previous);
    }
    assert.deepEqual(events, ['begin 1 2', 'epoch 0', 'batch 0 2', 'batch 1 1', 'end 0 number', 'done']);
  });

  it('fit yields to the event loop between epochs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      // Enough epochs to span well over 50 ms: the loop must let the interval run in between.
      const model = ax.sequential({
        layers: [ax.layers.dense({ units: 64, inputShape: [64] }), ax.layers.dense({ units: 1 })],
      });
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      const started = Date.now();
      let epochs = 0;
      while (Date.now() - started < 150) {
        await model.fit(ax.ones([64, 64]), ax.ones([64, 1]), { epochs: 20, verbose: 0 });
        epochs += 20;
      }
      assert.ok(epochs > 0);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0);
  });
});
