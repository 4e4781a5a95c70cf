import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/node.js';
import { classifier, data, rows, weightsOf } from './fit-dataset-helpers.js';

describe('fitDataset errors', () => {
  const { x, y } = data();
  const batch = (i: number, xs = rows(x, i * 8, i * 8 + 8), ys = rows(y, i * 8, i * 8 + 8)) => ({ xs, ys });

  /** A one-epoch run over `elements`, expecting an error matching `pattern`; weights of earlier steps stand. */
  async function rejects(elements: unknown[], pattern: RegExp, args: ax.FitDatasetArgs = {}) {
    const model = classifier();
    await assert.rejects(
      model.fitDataset(() => elements as ax.DatasetBatch[], { verbose: 0, ...args }),
      pattern,
    );
    assert.equal(model.isTraining, false);
    return model;
  }

  it('an empty dataset is an error before any callback runs, and the weights stay', async () => {
    const model = classifier();
    const before = weightsOf(model);
    let began = false;
    await assert.rejects(
      model.fitDataset(() => [], {
        verbose: 0,
        callbacks: {
          onTrainBegin: () => {
            began = true;
          },
        },
      }),
      /fitDataset: the dataset is empty: it yielded no batches/,
    );
    assert.equal(began, false);
    assert.deepEqual(weightsOf(model), before);
    await assert.rejects(model.evaluateDataset([]), /evaluateDataset: the dataset is empty/);
  });

  it('a generator object read a second time is an error naming the pass and the fix', async () => {
    const once = ax.batches(x, y, 8);
    await assert.rejects(
      classifier().fitDataset(once, { epochs: 2, verbose: 0 }),
      /yielded no batches on pass 2, though pass 1 had some.*\(\) => gen\(\)/,
    );
  });

  it('a batch of the wrong width names the epoch and the batch', async () => {
    const wide = batch(2, ax.ones([8, 5]));
    await rejects(
      [batch(0), batch(1), wide],
      /fitDataset: epoch 1, batch 3 \(rows 16–23 of the epoch\): xs has shape \[8,5\] but the model expects inputs of shape \[null,4\].*each row of xs must have 4 features, got 5/,
    );
  });

  it('xs and ys with different row counts name the batch', async () => {
    await rejects(
      [batch(0), batch(1, rows(x, 8, 16), rows(y, 8, 15))],
      /epoch 1, batch 2 .*xs has 8 rows .* but ys has 7/,
    );
  });

  it('a NaN names the epoch, the batch, its rows and the row and column within the batch', async () => {
    const xs = rows(x, 24, 32).arraySync() as number[][];
    xs[2][1] = Number.NaN;
    const model = await rejects(
      [batch(0), batch(1), batch(2), batch(3, ax.tensor(xs))],
      /fitDataset: epoch 1, batch 4 \(rows 24–31 of the epoch\): xs contains NaN at row 2, column 1/,
    );
    // The three good batches before it were trained on (a stream is checked as it arrives).
    const fresh = classifier();
    assert.notDeepEqual(weightsOf(model), weightsOf(fresh));
  });

  it('a NaN in the second epoch names epoch 2', async () => {
    const ys = rows(y, 0, 8).arraySync() as number[];
    let pass = 0;
    const model = classifier();
    await assert.rejects(
      model.fitDataset(
        () => {
          pass++;
          return pass === 1
            ? [batch(0)]
            : [batch(0, undefined, ax.tensor(ys.map((v, i) => (i === 5 ? Infinity : v))))];
        },
        { epochs: 2, verbose: 0 },
      ),
      /epoch 2, batch 1 \(rows 0–7 of the epoch\): ys contains Infinity at row 5/,
    );
  });

  it('labels out of range, malformed elements and bad datasets give clear errors', async () => {
    await rejects([batch(0, undefined, ax.fill([8], 7))], /epoch 1, batch 1.*7/);
    await rejects(
      [{ x: 1, y: 2 }],
      /a batch must be \{ xs, ys \} or \[xs, ys\], got an object with keys x, y/,
    );
    await rejects([null], /element 1 of the dataset is null/);
    await assert.rejects(
      classifier().fitDataset(42 as unknown as ax.Dataset, { verbose: 0 }),
      /fitDataset: the dataset must be an iterable or async iterable of \{ xs, ys \} batches/,
    );
    await assert.rejects(
      classifier().fitDataset(Promise.resolve([]) as unknown as ax.Dataset, { verbose: 0 }),
      /the dataset is a Promise; await it first/,
    );
  });

  it('option mistakes are caught before reading the data', async () => {
    const ds = () => ax.batches(x, y, 8);
    await assert.rejects(
      classifier().fitDataset(ds, { validationSplit: 0.2 } as ax.FitDatasetArgs),
      /validationSplit is not supported/,
    );
    await assert.rejects(
      classifier().fitDataset(ds, { batchesPerEpoch: 0 }),
      /'batchesPerEpoch' must be a positive integer/,
    );
    await assert.rejects(
      classifier().fitDataset(ds, { epochs: 1.5 }),
      /fitDataset: 'epochs' must be a positive integer/,
    );
    const raw = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [4] })] });
    await assert.rejects(raw.fitDataset(ds), /fitDataset: the model must be compiled first/);
  });
});
