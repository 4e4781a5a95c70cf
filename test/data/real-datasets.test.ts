// The real data sets of ../shared/data (see its README). Each test skips, saying why, where the folder is absent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { breastCancer, diabetes, digits, iris, wineQuality } from '../../src/data/datasets-real.js';
import { sha256Hex } from '../../src/data/download.js';
import { fashionMnist, mnist } from '../../src/data/mnist.js';
import { readCsvFile } from '../../src/data/node-files.js';
import type { Tensor } from '../../src/index.js';

const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** false when the folder's files are present, else the reason to skip (also printed). */
function need(folder: string, file: string): string | false {
  const path = join(DATA, folder, file);
  if (existsSync(path)) return false;
  const reason = `${path} is absent (the real data sets live in ../shared/data)`;
  console.log(`skipping: ${reason}`);
  return reason;
}

function counts(y: Tensor, k: number): number[] {
  const out = new Array(k).fill(0);
  for (const v of y.values) out[v]++;
  return out;
}

function range(t: Tensor): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of t.values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The SHA-256 list of a folder, as a map from file name to hash. */
function sums(folder: string): Map<string, string> {
  const text = readFileSync(join(DATA, folder, 'SHA256SUMS'), 'utf8');
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).reverse() as [string, string]),
  );
}

const noMnist = need('mnist', 'train-images-idx3-ubyte.gz');
describe('MNIST (real files)', () => {
  it('loads 60,000 + 10,000 images of 784 pixels in [0, 1] with the published label counts', {
    skip: noMnist,
  }, async () => {
    const started = performance.now();
    const d = await mnist.load({ dir: join(DATA, 'mnist') });
    console.log(`MNIST loaded in ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual(d.xTrain.shape, [60000, 784]);
    assert.deepEqual(d.yTrain.shape, [60000]);
    assert.deepEqual(d.xTest.shape, [10000, 784]);
    assert.deepEqual(d.yTest.shape, [10000]);
    assert.deepEqual(range(d.xTrain), [0, 1]);
    assert.deepEqual(range(d.xTest), [0, 1]);
    assert.deepEqual(Array.from(d.yTrain.values.subarray(0, 5)), [5, 0, 4, 1, 9]);
    assert.deepEqual(Array.from(d.yTest.values.subarray(0, 5)), [7, 2, 1, 0, 4]);
    assert.deepEqual(counts(d.yTrain, 10), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    assert.deepEqual(counts(d.yTest, 10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // The first training image (a 5) has ink summing to 27525 in 0…255 units.
    let ink = 0;
    for (let i = 0; i < 784; i++) ink += d.xTrain.values[i] * 255;
    assert.ok(Math.abs(ink - 27525) < 0.01, `ink ${ink}`);
  });

  it('downloads would check the same SHA-256 as the folder’s SHA256SUMS, which the files match', {
    skip: noMnist,
  }, async () => {
    const listed = sums('mnist');
    for (const f of mnist.files) {
      assert.equal(f.sha256, listed.get(f.name), f.name);
      assert.equal(await sha256Hex(readFileSync(join(DATA, 'mnist', f.name))), f.sha256, f.name);
    }
  });
});

const noFashion = need('fashion-mnist', 'train-images-idx3-ubyte.gz');
describe('Fashion-MNIST (real files)', () => {
  it('loads 60,000 + 10,000 images, balanced classes, first labels 9, 0, 0, 3, 0', {
    skip: noFashion,
  }, async () => {
    const d = await fashionMnist.load({ dir: join(DATA, 'fashion-mnist') });
    assert.deepEqual(d.xTrain.shape, [60000, 784]);
    assert.deepEqual(d.xTest.shape, [10000, 784]);
    assert.deepEqual(range(d.xTrain), [0, 1]);
    assert.deepEqual(counts(d.yTrain, 10), new Array(10).fill(6000));
    assert.deepEqual(counts(d.yTest, 10), new Array(10).fill(1000));
    assert.deepEqual(Array.from(d.yTrain.values.subarray(0, 5)), [9, 0, 0, 3, 0]);
    assert.equal(d.classNames[9], 'Ankle boot');
    const listed = sums('fashion-mnist');
    for (const f of fashionMnist.files) assert.equal(f.sha256, listed.get(f.name), f.name);
  });
});

const noIris = need('iris', 'iris.csv');
describe('Iris (real file)', () => {
  it('has 150 rows of 4 features and 3 classes of 50', { skip: noIris }, async () => {
    const d = await iris.load({ dir: DATA });
    assert.deepEqual(d.x.shape, [150, 4]);
    assert.deepEqual(d.y.shape, [150]);
    assert.deepEqual(d.classNames, ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']);
    assert.deepEqual(counts(d.y, 3), [50, 50, 50]);
    assert.deepEqual(d.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  });

  it("scikit-learn's copy differs from UCI's in rows 35 and 38 only (Fisher's values)", {
    skip: noIris,
  }, async () => {
    const uci = await iris.load({ dir: join(DATA, 'iris') });
    const sk = await iris.load({ dir: DATA, variant: 'sklearn' });
    assert.deepEqual(sk.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(Array.from(sk.y.values), Array.from(uci.y.values));
    const a = uci.x.arraySync() as number[][];
    const b = sk.x.arraySync() as number[][];
    const differing = a.flatMap((row, i) => (row.some((v, j) => v !== b[i][j]) ? [i + 1] : []));
    assert.deepEqual(differing, [35, 38]);
  });

  it('also parses with the generic reader and no options (header, target and classes detected)', {
    skip: noIris,
  }, async () => {
    const d = await readCsvFile(join(DATA, 'iris', 'iris.csv'));
    assert.equal(d.task, 'classification');
    assert.deepEqual(d.x.shape, [150, 4]);
    assert.deepEqual(d.classNames, ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']);
  });
});

const noCancer = need('sklearn-breast-cancer', 'breast_cancer.csv');
describe('Breast cancer (real file)', () => {
  it('has 569 rows of 30 features, 212 malignant (0) and 357 benign (1)', { skip: noCancer }, async () => {
    const d = await breastCancer.load({ dir: DATA });
    assert.deepEqual(d.x.shape, [569, 30]);
    assert.deepEqual(d.classNames, ['malignant', 'benign']);
    assert.deepEqual(counts(d.y, 2), [212, 357]);
    assert.equal(d.featureNames[0], 'mean radius');
    assert.equal(d.featureNames[29], 'worst fractal dimension');
    assert.ok(Math.abs(d.x.values[0] - 17.99) < 1e-5);
  });
});

const noWine = need('wine-quality', 'winequality-red.csv');
describe('Wine quality (real files)', () => {
  it('red: 1,599 rows of 11 features, quality as a regression target with the published counts', {
    skip: noWine,
  }, async () => {
    const d = await wineQuality.load({ dir: DATA });
    assert.deepEqual(d.x.shape, [1599, 11]);
    assert.deepEqual(d.y.shape, [1599, 1]);
    assert.equal(d.task, 'regression');
    const q = new Map<number, number>();
    for (const v of d.y.values) q.set(v, (q.get(v) ?? 0) + 1);
    assert.deepEqual(
      [...q.entries()].sort((m, n) => m[0] - n[0]),
      [
        [3, 10],
        [4, 53],
        [5, 681],
        [6, 638],
        [7, 199],
        [8, 18],
      ],
    );
  });

  it('white: 4,898 rows, quality 3…9 as classes on request', { skip: noWine }, async () => {
    const d = await wineQuality.load({
      dir: join(DATA, 'wine-quality'),
      color: 'white',
      task: 'classification',
    });
    assert.deepEqual(d.x.shape, [4898, 11]);
    assert.deepEqual(d.classNames, ['3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(counts(d.y, 7), [20, 163, 1457, 2198, 880, 175, 5]);
  });
});

const noDigits = need('sklearn-digits', 'digits.csv.gz');
describe('Digits (real file)', () => {
  it('has 1,797 gzipped rows of 64 pixels in 0…16 and the published class counts', {
    skip: noDigits,
  }, async () => {
    const d = await digits.load({ dir: DATA });
    assert.deepEqual(d.x.shape, [1797, 64]);
    assert.deepEqual(range(d.x), [0, 16]);
    assert.ok(d.x.values.every(Number.isInteger));
    assert.deepEqual(counts(d.y, 10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    const generic = await readCsvFile(join(DATA, 'sklearn-digits', 'digits.csv.gz'));
    assert.equal(generic.task, 'classification');
    assert.equal(generic.classNames?.length, 10);
  });
});

const noDiabetes = need('sklearn-diabetes', 'diabetes_data_raw.csv.gz');
describe('Diabetes (real files)', () => {
  it('has 442 space-separated rows of 10 features and a target in 25…346 with mean 152.13', {
    skip: noDiabetes,
  }, async () => {
    const d = await diabetes.load({ dir: DATA });
    assert.deepEqual(d.x.shape, [442, 10]);
    assert.deepEqual(d.y.shape, [442, 1]);
    assert.deepEqual(range(d.y), [25, 346]);
    let sum = 0;
    for (const v of d.y.values) sum += v;
    const mean = sum / 442;
    assert.equal(mean.toFixed(2), '152.13');
    assert.deepEqual(
      Array.from(d.x.values.subarray(0, 10)).map((v) => +v.toFixed(4)),
      [59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87],
    );
  });
});
