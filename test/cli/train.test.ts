// `axon train` in-process: the files it writes, the metadata stored with the model, --json, seeds, losses.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ax from '../../src/node.js';
import { run, separableCsv, tempDir, write, writeIdxSet } from './helpers.js';

describe('axon train', () => {
  const dir = tempDir();

  it('trains on a built-in synthetic set and writes model.json, weights.bin and training.svg', async () => {
    const r = await run(dir, [
      'train',
      '--data',
      'builtin:circle',
      '--layers',
      '8',
      '--activation',
      'tanh',
      '--lr',
      '0.02',
      '--epochs',
      '40',
      '--validation-split',
      '0.2',
      '--seed',
      '3',
      '--out',
      'circle',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    for (const f of ['model.json', 'weights.bin', 'training.svg'])
      assert.ok(existsSync(join(dir, 'circle', f)), f);
    // One progress line per epoch (no TTY), then the final table with the three rows it can have.
    assert.equal(r.out.match(/^Epoch \d+\/40 /gm)?.length, 40);
    assert.match(r.out, /^training\s+\d\.\d{4}\s+\d\.\d{4}$/m);
    assert.match(r.out, /^validation\s+\d\.\d{4}\s+\d\.\d{4}$/m);
    assert.match(r.out, /2-8-1 \(tanh, sigmoid output\), 33 parameters; loss binaryCrossentropy/);
    const svg = readFileSync(join(dir, 'circle', 'training.svg'), 'utf8');
    assert.match(svg, /data-series="val_loss"/);
    assert.match(svg, /data-series="accuracy"/);
    const model = await ax.loadModel(ax.io.fileSystem(join(dir, 'circle')));
    const meta = model.metadata as Record<string, unknown>;
    assert.equal(meta.task, 'classification');
    assert.deepEqual(meta.classNames, ['0', '1']);
    assert.equal((meta.scaler as { className: string }).className, 'StandardScaler');
    assert.equal((meta.training as { seed: number }).seed, 3);
  });

  it('--json prints one object of final metrics (training, val_, test_) and nothing else', async () => {
    const r = await run(dir, [
      'train',
      '--data',
      'builtin:moons',
      '--noise',
      '0.1',
      '--epochs',
      '5',
      '--validation-split',
      '0.2',
      '--test-split',
      '0.2',
      '--seed',
      '1',
      '--json',
      '--out',
      'moons',
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 1);
    const metrics = JSON.parse(lines[0]) as Record<string, number>;
    assert.deepEqual(Object.keys(metrics).sort(), [
      'accuracy',
      'loss',
      'test_accuracy',
      'test_loss',
      'val_accuracy',
      'val_loss',
    ]);
    for (const v of Object.values(metrics)) assert.ok(Number.isFinite(v));
  });

  it('is reproducible: the same seed gives byte-identical weights, another seed different ones', async () => {
    const args = (seed: string, out: string) => [
      'train',
      '--data',
      'builtin:xor',
      '--epochs',
      '3',
      '--seed',
      seed,
      '--json',
      '--out',
      out,
    ];
    assert.equal((await run(dir, args('7', 'a'))).code, 0);
    assert.equal((await run(dir, args('7', 'b'))).code, 0);
    assert.equal((await run(dir, args('8', 'c'))).code, 0);
    const bytes = (d: string) => readFileSync(join(dir, d, 'weights.bin'));
    assert.ok(bytes('a').equals(bytes('b')));
    assert.ok(!bytes('a').equals(bytes('c')));
  });

  it('trains on a CSV with a text target: class names and the CSV schema go into the metadata', async () => {
    write(dir, 'sep.csv', separableCsv());
    const r = await run(dir, [
      'train',
      '--data',
      'sep.csv',
      '--target',
      'label',
      '--layers',
      'none',
      '--lr',
      '0.05',
      '--epochs',
      '60',
      '--seed',
      '1',
      '--out',
      'sep',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 classes \(no, yes\)/);
    const model = await ax.loadModel(ax.io.fileSystem(join(dir, 'sep')));
    const meta = model.metadata as { classNames: string[]; csvSchema: ax.CsvSchema; featureNames: string[] };
    assert.deepEqual(meta.classNames, ['no', 'yes']);
    assert.deepEqual(meta.featureNames, ['x1', 'x2']);
    assert.equal(meta.csvSchema.target, 'label');
    assert.deepEqual(
      meta.csvSchema.features.map((f) => f.name),
      ['x1', 'x2'],
    );
    // Logistic regression (no hidden layer) on a linearly separable set: near-perfect training accuracy.
    assert.equal(model.layers.length, 1);
    const acc = Number(/^training\s+\S+\s+(\S+)$/m.exec(r.out)?.[1]);
    assert.ok(acc >= 0.95, `training accuracy ${acc}`);
  });

  it('--loss auto: softmax + sparse CE for 3 classes, linear + MSE for regression; explicit losses too', async () => {
    const blobs = await run(dir, [
      'train',
      '--data',
      'builtin:blobs',
      '--epochs',
      '1',
      '--seed',
      '1',
      '--out',
      'blobs',
    ]);
    assert.equal(blobs.code, 0, blobs.err);
    assert.match(blobs.out, /2-64-32-3 \(relu, softmax output\).*loss sparseCategoricalCrossentropy/);
    const reg = await run(dir, [
      'train',
      '--data',
      'builtin:reg-plane',
      '--epochs',
      '1',
      '--seed',
      '1',
      '--out',
      'reg',
    ]);
    assert.equal(reg.code, 0, reg.err);
    assert.match(reg.out, /2-64-32-1 \(relu, linear output\).*loss meanSquaredError/);
    assert.match(reg.out, /^\s+loss\s+mae$/m);
    const cce = await run(dir, [
      'train',
      '--data',
      'builtin:blobs',
      '--loss',
      'categorical_crossentropy',
      '--optimizer',
      'SGD',
      '--epochs',
      '1',
      '--seed',
      '1',
      '--out',
      'cce',
    ]);
    assert.equal(cce.code, 0, cce.err);
    assert.match(cce.out, /loss categoricalCrossentropy, optimizer sgd \(learning rate 0\.01\)/);
    const model = await ax.loadModel(ax.io.fileSystem(join(dir, 'cce')));
    assert.equal(model.loss?.name, 'categoricalCrossentropy');
  });

  it('trains on an IDX folder from its train-* files (no scaling of the [0, 1] pixels)', async () => {
    const idx = join(dir, 'idx');
    writeIdxSet(idx, 'train', 60, 3);
    writeIdxSet(idx, 't10k', 20, 3);
    const r = await run(dir, [
      'train',
      '--data',
      'idx',
      '--layers',
      '16',
      '--epochs',
      '2',
      '--seed',
      '1',
      '--out',
      'idxm',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /60 training rows × 16 features, 3 classes \(0, 1, 2\)/);
    const model = await ax.loadModel(ax.io.fileSystem(join(dir, 'idxm')));
    assert.equal((model.metadata as { scaler: unknown }).scaler, null);
  });
});
