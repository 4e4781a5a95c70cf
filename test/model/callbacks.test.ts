import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ax from '../../src/node.js';

function smallModel(lr = 0.1): ax.Sequential {
  ax.setSeed(10);
  const model = ax.sequential({
    layers: [
      ax.layers.dense({ units: 4, inputShape: [2], activation: 'tanh' }),
      ax.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: ax.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
  return model;
}

const x = ax.tensor([
  [0, 1],
  [1, 0],
  [1, 1],
  [0, 0],
]);
const y = ax.tensor([[1], [1], [0], [0]]);

/** A callback that writes a scripted value under `key` into the epoch logs (it runs before the others). */
function script(key: string, values: number[]): ax.Callback {
  return {
    onEpochEnd: (epoch, logs) => {
      logs[key] = values[epoch];
    },
  };
}

/** Records the weights at every epoch end. */
function recorder(model: ax.Sequential, into: number[][][]): ax.Callback {
  return { onEpochEnd: () => void into.push(model.getWeights().map((w) => Array.from(w.dataSync()))) };
}

describe('callbacks.earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores exactly the best epoch’s weights', async () => {
    const model = smallModel();
    const recorded: number[][][] = [];
    const stop = ax.callbacks.earlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true });
    const h = await model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      callbacks: [script('score', [5, 3, 1, 2, 4, 6, 7, 8, 9, 10]), recorder(model, recorded), stop],
    });
    // Best at epoch 2; epochs 3 and 4 do not improve → stop at epoch 4.
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4]);
    assert.equal(stop.stoppedEpoch, 4);
    assert.equal(stop.bestEpoch, 2);
    assert.equal(stop.best, 1);
    const final = model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(final, recorded[2]);
    assert.notDeepEqual(final, recorded[4]);
  });

  it('without restoreBestWeights keeps the last weights; mode max and minDelta are honoured', async () => {
    const model = smallModel();
    const recorded: number[][][] = [];
    const stop = ax.callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1, minDelta: 0.05 });
    assert.equal(stop.mode, 'max');
    const h = await model.fit(x, y, {
      epochs: 10,
      verbose: 0,
      // 0.5 → 0.8 improves; 0.82 is within minDelta, so epoch 2 stops the run.
      callbacks: [script('val_accuracy', [0.5, 0.8, 0.82, 0.9]), recorder(model, recorded), stop],
    });
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.deepEqual(
      model.getWeights().map((w) => Array.from(w.dataSync())),
      recorded[2],
    );
  });

  it('monitors val_loss by default and warns when it is missing', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (msg: string) => void warnings.push(msg);
    try {
      await smallModel().fit(x, y, { epochs: 2, verbose: 0, callbacks: [ax.callbacks.earlyStopping()] });
    } finally {
      console.warn = original;
    }
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /'val_loss' is not in the logs \(available: loss\)/);
  });
});

describe('callbacks.reduceLROnPlateau', () => {
  it('multiplies the learning rate by factor after patience epochs without improvement, logging lr', async () => {
    const model = smallModel(0.1);
    const h = await model.fit(x, y, {
      epochs: 6,
      verbose: 0,
      callbacks: [
        script('score', [1, 1, 1, 1, 1, 1]),
        ax.callbacks.reduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 2 }),
      ],
    });
    // epoch 0 sets the best; epochs 1, 2 wait → reduce at 2; epochs 3, 4 → reduce at 4. lr is logged before.
    const lr = h.history.lr.map((v) => Number(v.toPrecision(6)));
    assert.deepEqual(lr, [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]);
    assert.ok(Math.abs((model.optimizer?.learningRate ?? 0) - 0.025) < 1e-12);
  });

  it('respects minLr and cooldown', async () => {
    const model = smallModel(0.1);
    await model.fit(x, y, {
      epochs: 8,
      verbose: 0,
      callbacks: [
        script('score', [1, 1, 1, 1, 1, 1, 1, 1]),
        ax.callbacks.reduceLROnPlateau({
          monitor: 'score',
          factor: 0.1,
          patience: 1,
          cooldown: 2,
          minLr: 0.005,
        }),
      ],
    });
    // Reductions at epochs 1 (→ 0.01) and 4 (→ 0.005 = minLr, after 2 cooldown epochs), then none.
    assert.ok(Math.abs((model.optimizer?.learningRate ?? 0) - 0.005) < 1e-12);
    assert.throws(() => ax.callbacks.reduceLROnPlateau({ factor: 1 }), /'factor' must be in \[0, 1\)/);
  });
});

describe('callbacks.terminateOnNaN', () => {
  it('stops at the first batch whose loss is not finite; without it fit rejects with a clear error', async () => {
    // A linear model on large inputs with a huge rate diverges to Infinity within a few steps.
    function diverging(): ax.Sequential {
      const m = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [1] })] });
      m.setWeights([ax.ones([1, 1]), ax.zeros([1])]);
      m.compile({ optimizer: ax.optimizers.sgd({ learningRate: 1e3 }), loss: 'mse' });
      return m;
    }
    const big = ax.fill([8, 1], 1e4);
    const terminate = ax.callbacks.terminateOnNaN({ verbose: 0 });
    const model = diverging();
    const h = await model.fit(big, ax.zeros([8, 1]), {
      epochs: 20,
      batchSize: 1,
      shuffle: false,
      verbose: 0,
      callbacks: [terminate],
    });
    assert.notEqual(terminate.stoppedBatch, null);
    assert.deepEqual(h.epoch, [0]);
    assert.ok(!Number.isFinite(h.history.loss[0]));
    await assert.rejects(
      diverging().fit(big, ax.zeros([8, 1]), { epochs: 20, batchSize: 1, shuffle: false, verbose: 0 }),
      /the loss became (NaN|Infinity) at epoch 1, batch \d+.*lower the learning rate.*terminateOnNaN/,
    );
  });
});

describe('callbacks.csvLogger (Node entry)', () => {
  it('writes a header (epoch, then sorted keys) and one row per epoch; append adds rows only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-csv-'));
    try {
      const file = join(dir, 'log.csv');
      const model = smallModel();
      await model.fit(x, y, {
        epochs: 3,
        verbose: 0,
        validationSplit: 0.5,
        callbacks: [ax.callbacks.csvLogger(file)],
      });
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(lines[0], 'epoch,loss,val_loss');
      assert.equal(lines.length, 4);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',')[0]),
        ['0', '1', '2'],
      );
      assert.ok(
        lines.slice(1).every((l) =>
          l
            .split(',')
            .slice(1)
            .every((v) => Number.isFinite(Number(v))),
        ),
      );
      await model.fit(x, y, {
        epochs: 1,
        verbose: 0,
        validationSplit: 0.5,
        callbacks: [ax.callbacks.csvLogger(file, { append: true })],
      });
      assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 5);
      writeFileSync(file, 'stale\n');
      await model.fit(x, y, {
        epochs: 1,
        verbose: 0,
        callbacks: [ax.callbacks.csvLogger(file, { separator: ';' })],
      });
      // Without append the file is started afresh.
      const fresh = readFileSync(file, 'utf8');
      assert.ok(!fresh.includes('stale'));
      assert.match(fresh, /^epoch;loss\n0;/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the Node entry re-exports the core and keeps the core callbacks', () => {
    assert.equal(typeof ax.sequential, 'function');
    assert.equal(typeof ax.callbacks.earlyStopping, 'function');
    assert.equal(typeof ax.callbacks.csvLogger, 'function');
  });
});
