// `axon evaluate`, `predict`, `summary` and `datasets` in-process, checked against the library API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as ax from '../../src/node.js';
import { run, separableCsv, tempDir, write, writeIdxSet } from './helpers.js';

describe('axon evaluate / predict / summary on a CSV model', () => {
  const dir = tempDir();
  let model: ax.Sequential;
  let scaler: ax.Scaler;
  let schema: ax.CsvSchema;

  before(async () => {
    write(dir, 'train.csv', separableCsv(150, 1));
    write(dir, 'test.csv', separableCsv(40, 99));
    const r = await run(dir, [
      'train',
      '--data',
      'train.csv',
      '--layers',
      '6',
      '--lr',
      '0.05',
      '--epochs',
      '30',
      '--seed',
      '2',
      '--out',
      'm',
    ]);
    assert.equal(r.code, 0, r.err);
    model = await ax.loadModel(ax.io.fileSystem(join(dir, 'm')));
    const meta = model.metadata as { scaler: ax.ScalerJSON; csvSchema: ax.CsvSchema };
    scaler = ax.scalerFromJSON(meta.scaler);
    schema = meta.csvSchema;
  });

  it('evaluate --target accepts the column the model was trained on (by name or index) and refuses another', async () => {
    const byName = await run(dir, [
      'evaluate',
      '--model',
      'm',
      '--data',
      'test.csv',
      '--target',
      schema.target as string,
      '--json',
    ]);
    assert.equal(byName.code, 0, byName.err);
    const plain = await run(dir, ['evaluate', '--model', 'm', '--data', 'test.csv', '--json']);
    assert.deepEqual(JSON.parse(byName.out), JSON.parse(plain.out));
    const index = String(schema.columns.indexOf(schema.target as string));
    const byIndex = await run(dir, [
      'evaluate',
      '--model',
      'm',
      '--data',
      'test.csv',
      '--target',
      index,
      '--json',
    ]);
    assert.equal(byIndex.code, 0, byIndex.err);
    const other = schema.columns.find((c) => c !== schema.target) as string;
    const wrong = await run(dir, ['evaluate', '--model', 'm', '--data', 'test.csv', '--target', other]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, new RegExp(`--target ${other} differs from the column the model was trained on`));
  });

  it('evaluate --json: exactly the keys and values of model.evaluate on the scaled test file', async () => {
    const r = await run(dir, ['evaluate', '--model', 'm', '--data', 'test.csv', '--json']);
    assert.equal(r.code, 0, r.err);
    const got = JSON.parse(r.out) as Record<string, number>;
    const test = await ax.readCsvFile(join(dir, 'test.csv'), { schema });
    const expected = model.evaluate(scaler.transform(test.x), test.y, { batchSize: 256 });
    assert.deepEqual(Object.keys(got), ['loss', 'accuracy']);
    assert.deepEqual(got, expected);
    assert.ok(got.accuracy >= 0.9, `accuracy ${got.accuracy}`);
  });

  it('evaluate prints the metrics and a confusion matrix with class names that counts every row', async () => {
    const r = await run(dir, ['evaluate', '--model', 'm', '--data', 'test.csv']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^loss {6}\d\.\d{4}$/m);
    assert.match(r.out, /^accuracy {2}\d\.\d{4}$/m);
    const header = r.out.split('\n').find((l) => l.startsWith('true \\ predicted'));
    assert.ok(header, r.out);
    assert.deepEqual(header.split(/\s{2,}/).slice(1), ['no', 'yes']);
    const rows = r.out
      .split('\n')
      .filter((l) => /^(no|yes)\s+\d+\s+\d+$/.test(l))
      .map((l) => l.split(/\s+/).slice(1).map(Number));
    const test = await ax.readCsvFile(join(dir, 'test.csv'), { schema });
    const p = model.predict(scaler.transform(test.x)).values;
    const expected = [
      [0, 0],
      [0, 0],
    ];
    test.y.values.forEach((t, i) => {
      expected[t][p[i] > 0.5 ? 1 : 0]++;
    });
    assert.deepEqual(rows, expected);
  });

  it('predict prints one row per input: class name, its probability and every class probability', async () => {
    // Inputs without the target column, in another column order: the schema finds them by name.
    write(dir, 'new.csv', 'x2,x1\n1.5,1.0\n-1.0,-1.2\n0.3,-1.9\n');
    const r = await run(dir, ['predict', '--model', 'm', '--data', 'new.csv']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], 'prediction,probability,p(no),p(yes)');
    assert.equal(lines.length, 4);
    const p = model.predict(
      scaler.transform(
        ax.tensor([
          [1.0, 1.5],
          [-1.2, -1.0],
          [-1.9, 0.3],
        ]),
      ),
    ).values;
    lines.slice(1).forEach((line, i) => {
      const [name, prob, pNo, pYes] = line.split(',');
      assert.equal(name, p[i] > 0.5 ? 'yes' : 'no');
      assert.ok(Math.abs(Number(pYes) - p[i]) < 1e-6);
      assert.ok(Math.abs(Number(pNo) - (1 - p[i])) < 1e-6);
      assert.equal(Number(prob), Math.max(Number(pNo), Number(pYes)));
    });
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      ['yes', 'no', 'no'],
    );
  });

  it('predict --out writes the CSV file; --json gives predictions and probabilities', async () => {
    const r = await run(dir, ['predict', '--model', 'm', '--data', 'test.csv', '--out', 'preds.csv']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Wrote 40 predictions to .*preds\.csv$/m);
    const csv = readFileSync(join(dir, 'preds.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 41);
    const j = await run(dir, ['predict', '--model', 'm', '--data', 'test.csv', '--json']);
    const parsed = JSON.parse(j.out) as {
      predictions: string[];
      probabilities: number[][];
      classNames: string[];
    };
    assert.equal(parsed.predictions.length, 40);
    assert.deepEqual(parsed.classNames, ['no', 'yes']);
    assert.deepEqual(
      parsed.predictions,
      csv.slice(1).map((l) => l.split(',')[0]),
    );
  });

  it('summary shows the layer table, inputs, classes, scaler and training record', async () => {
    const r = await run(dir, ['summary', '--model', 'm']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Total params: 25/); // 2·6 + 6 + 6·1 + 1
    assert.match(r.out, /Inputs: 2 features \(x1, x2\)/);
    assert.match(r.out, /Output: 2 classes \(no, yes\), target 'label'/);
    assert.match(r.out, /Feature scaling: StandardScaler/);
    assert.match(
      r.out,
      /Trained on: .*train\.csv — 30 epochs, batch size 32, adam \(learning rate 0\.05\), seed 2/,
    );
    const j = JSON.parse((await run(dir, ['summary', '--model', 'm', '--json'])).out) as Record<
      string,
      unknown
    >;
    assert.equal(j.params, 25);
    assert.equal(j.loss, 'binaryCrossentropy');
    assert.deepEqual(j.classNames, ['no', 'yes']);
  });
});

describe('axon evaluate on built-in and IDX data', () => {
  const dir = tempDir();

  it('evaluates the rows train held out with --test-split (same seed, same rows)', async () => {
    const t = await run(dir, [
      'train',
      '--data',
      'builtin:blobs',
      '--samples',
      '200',
      '--noise',
      '0.5',
      '--epochs',
      '10',
      '--test-split',
      '0.25',
      '--seed',
      '4',
      '--json',
      '--out',
      'blobs',
    ]);
    assert.equal(t.code, 0, t.err);
    const trained = JSON.parse(t.out) as Record<string, number>;
    const e = await run(dir, [
      'evaluate',
      '--model',
      'blobs',
      '--data',
      'builtin:blobs',
      '--samples',
      '200',
      '--noise',
      '0.5',
      '--json',
    ]);
    assert.equal(e.code, 0, e.err);
    const evaluated = JSON.parse(e.out) as Record<string, number>;
    assert.equal(evaluated.loss, trained.test_loss);
    assert.equal(evaluated.accuracy, trained.test_accuracy);
    const text = await run(dir, [
      'evaluate',
      '--model',
      'blobs',
      '--data',
      'builtin:blobs',
      '--samples',
      '200',
      '--noise',
      '0.5',
    ]);
    assert.match(text.out, /50 rows, the rows held out in training \(test split 0\.25, seed 4\)/);
  });

  it('an IDX folder is evaluated on its t10k files', async () => {
    const idx = join(dir, 'idx');
    writeIdxSet(idx, 'train', 90, 3);
    writeIdxSet(idx, 't10k', 30, 3);
    assert.equal(
      (
        await run(dir, [
          'train',
          '--data',
          'idx',
          '--layers',
          '8',
          '--lr',
          '0.05',
          '--epochs',
          '15',
          '--seed',
          '1',
          '--out',
          'im',
        ])
      ).code,
      0,
    );
    const r = await run(dir, ['evaluate', '--model', 'im', '--data', 'idx']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /30 rows, its test files/);
    const m = await ax.loadModel(ax.io.fileSystem(join(dir, 'im')));
    const x = ax.idxImagesToTensor(await ax.readIdxFile(join(idx, 't10k-images-idx3-ubyte')));
    const y = ax.idxLabelsToTensor(await ax.readIdxFile(join(idx, 't10k-labels-idx1-ubyte')));
    const expected = m.evaluate(x, y, { batchSize: 256 });
    const j = JSON.parse((await run(dir, ['evaluate', '--model', 'im', '--data', 'idx', '--json'])).out);
    assert.deepEqual(j, expected);
  });
});

describe('axon datasets', () => {
  it('lists every synthetic and real built-in set with a description', async () => {
    const r = await run(tempDir(), ['datasets']);
    assert.equal(r.code, 0, r.err);
    for (const info of ax.listSyntheticDatasets()) {
      assert.match(r.out, new RegExp(`builtin:${info.name}\\s+${info.task}\\s+\\S`));
    }
    for (const name of [
      'iris',
      'breast-cancer',
      'wine-red',
      'wine-white',
      'digits',
      'diabetes',
      'mnist',
      'fashion-mnist',
    ]) {
      assert.match(r.out, new RegExp(`builtin:${name}\\s+(classification|regression)\\s+\\S`));
    }
    const j = JSON.parse((await run(tempDir(), ['datasets', '--json'])).out) as {
      datasets: { name: string }[];
    };
    assert.equal(j.datasets.length, ax.listSyntheticDatasets().length + 8);
  });
});
