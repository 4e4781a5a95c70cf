// Real data through `axon train` and `axon evaluate` on a seeded, stratified test split: Iris ≥ 95% and
// breast cancer ≥ 95% test accuracy. Each test skips, saying why, when ../shared/data is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DATA, run, tempDir } from './helpers.js';

/** false when the file is present, else the reason to skip (also printed). */
function need(folder: string, file: string): string | false {
  const path = join(DATA, folder, file);
  if (existsSync(path)) return false;
  const reason = `${path} is absent (the real data sets live in ../shared/data)`;
  console.log(`skipping: ${reason}`);
  return reason;
}

describe('axon on real data', () => {
  it('Iris (builtin:iris): ≥ 95% accuracy on the 30 held-out flowers', {
    skip: need('iris', 'iris.csv'),
  }, async () => {
    const dir = tempDir();
    const t = await run(dir, [
      'train',
      '--data',
      'builtin:iris',
      '--layers',
      '16',
      '--lr',
      '0.01',
      '--epochs',
      '100',
      '--batch-size',
      '16',
      '--test-split',
      '0.2',
      '--seed',
      '1',
      '--out',
      'iris',
    ]);
    assert.equal(t.code, 0, t.err);
    const e = await run(dir, ['evaluate', '--model', 'iris', '--data', 'builtin:iris', '--json']);
    assert.equal(e.code, 0, e.err);
    const { accuracy } = JSON.parse(e.out) as { accuracy: number };
    console.log(`Iris test accuracy: ${(100 * accuracy).toFixed(1)}%`);
    assert.ok(accuracy >= 0.95, `Iris test accuracy ${accuracy}`);
    const text = await run(dir, ['evaluate', '--model', 'iris', '--data', 'builtin:iris']);
    assert.match(text.out, /30 rows, the rows held out in training \(test split 0\.2, seed 1\)/);
    assert.match(text.out, /true \\ predicted\s+Iris-setosa\s+Iris-versicolor\s+Iris-virginica/);
  });

  it('breast cancer (the scikit-learn CSV file): ≥ 95% accuracy on the 114 held-out tumours', {
    skip: need('sklearn-breast-cancer', 'breast_cancer.csv'),
  }, async () => {
    const dir = tempDir();
    const csv = join(DATA, 'sklearn-breast-cancer', 'breast_cancer.csv');
    const t = await run(dir, [
      'train',
      '--data',
      csv,
      '--layers',
      '16,8',
      '--lr',
      '0.003',
      '--epochs',
      '50',
      '--test-split',
      '0.2',
      '--seed',
      '1',
      '--out',
      'bc',
    ]);
    assert.equal(t.code, 0, t.err);
    assert.match(
      t.out,
      /455 training rows × 30 features, 2 classes \(malignant, benign\); 114 rows held out/,
    );
    const e = await run(dir, ['evaluate', '--model', 'bc', '--data', csv, '--json']);
    assert.equal(e.code, 0, e.err);
    const { accuracy } = JSON.parse(e.out) as { accuracy: number };
    console.log(`breast cancer test accuracy: ${(100 * accuracy).toFixed(1)}%`);
    assert.ok(accuracy >= 0.95, `breast cancer test accuracy ${accuracy}`);
  });
});
