import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

// Column 0: 1, 3, 5, 7 → mean 4, population variance (9+1+1+9)/4 = 5. Column 1 is constant. Column 2: −2, 2, −2, 2.
const x = ax.tensor([
  [1, 10, -2],
  [3, 10, 2],
  [5, 10, -2],
  [7, 10, 2],
]);

describe('StandardScaler', () => {
  it('fits mean and population standard deviation, giving a constant column scale 1 (not NaN)', () => {
    const s = ax.standardScaler().fit(x);
    close(s.mean as Float64Array, [4, 10, 0]);
    close(s.scale as Float64Array, [Math.sqrt(5), 1, 2]);
    const z = s.transform(x).dataSync();
    const r5 = Math.sqrt(5);
    close(z, [-3 / r5, 0, -1, -1 / r5, 0, 1, 1 / r5, 0, -1, 3 / r5, 0, 1]);
    assert.ok(z.every(Number.isFinite));
  });

  it('transforms test data with the training statistics and inverts exactly', () => {
    const s = ax.standardScaler().fit(x);
    const test = ax.tensor([[4 + Math.sqrt(5), 12, 4]]);
    close(s.transform(test).dataSync(), [1, 2, 2]);
    close(s.inverseTransform(s.transform(test)).dataSync(), test.dataSync(), 1e-5);
    close(s.fitTransform(x).dataSync(), s.transform(x).dataSync());
  });

  it('round-trips through JSON', () => {
    const s = ax.standardScaler().fit(x);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    assert.equal(json.className, 'StandardScaler');
    const back = ax.StandardScaler.fromJSON(json);
    assert.deepEqual(Array.from(back.transform(x).dataSync()), Array.from(s.transform(x).dataSync()));
    assert.ok(ax.scalerFromJSON(json) instanceof ax.StandardScaler);
  });

  it('rejects bad JSON, unfitted use, wrong widths and non-finite data', () => {
    assert.throws(
      () => ax.StandardScaler.fromJSON({ className: 'StandardScaler', mean: [0, 1], scale: [1] }),
      /mean and scale must have the same length/,
    );
    assert.throws(
      () => ax.StandardScaler.fromJSON({ className: 'StandardScaler', mean: [0], scale: [0] }),
      /invalid scaler JSON/,
    );
    assert.throws(() => ax.StandardScaler.fromJSON('{}'), /invalid scaler JSON/);
    assert.throws(() => ax.standardScaler().transform(x), /not fitted; call fit\(xTrain\) first/);
    assert.throws(
      () =>
        ax
          .standardScaler()
          .fit(x)
          .transform(ax.tensor([[1, 2]])),
      /x has 2 features \(shape \[1,2\]\) but the scaler was fitted on 3/,
    );
    assert.throws(
      () => ax.standardScaler().fit(ax.tensor([1, 2, 3])),
      /expected a Tensor of shape \[n, features\], got shape \[3\]/,
    );
    assert.throws(
      () => ax.standardScaler().fit(ax.tensor([[1, Number.NaN]])),
      /x holds NaN at row 0, column 1/,
    );
    assert.throws(
      () => ax.scalerFromJSON({ className: 'RobustScaler' }),
      /unknown scaler className "RobustScaler"/,
    );
  });
});

describe('MinMaxScaler', () => {
  it('maps the training range onto [0, 1] by default and onto a given range', () => {
    const s = ax.minMaxScaler().fit(x);
    close(s.transform(x).dataSync(), [0, 0, 0, 1 / 3, 0, 1, 2 / 3, 0, 0, 1, 0, 1]);
    const r = ax.minMaxScaler({ featureRange: [-1, 1] }).fit(x);
    close(r.transform(x).dataSync(), [-1, -1, -1, -1 / 3, -1, 1, 1 / 3, -1, -1, 1, -1, 1]);
    // Beyond the training range the map extrapolates; a constant column uses range 1 (scikit-learn):
    // (11 − 10)·2 − 1 = 1.
    close(r.transform(ax.tensor([[10, 11, 6]])).dataSync(), [2, 1, 3]);
  });

  it('inverts, and round-trips through JSON', () => {
    const s = ax.minMaxScaler({ featureRange: [-1, 1] }).fit(x);
    close(s.inverseTransform(s.transform(x)).dataSync(), x.dataSync(), 1e-5);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    assert.deepEqual(json, {
      className: 'MinMaxScaler',
      featureRange: [-1, 1],
      dataMin: [1, 10, -2],
      dataMax: [7, 10, 2],
    });
    const back = ax.scalerFromJSON(json);
    assert.ok(back instanceof ax.MinMaxScaler);
    assert.deepEqual(Array.from(back.transform(x).dataSync()), Array.from(s.transform(x).dataSync()));
  });

  it('rejects a bad range and bad JSON', () => {
    assert.throws(
      () => ax.minMaxScaler({ featureRange: [1, 0] }),
      /featureRange must be \[low, high\] with low < high/,
    );
    assert.throws(
      () =>
        ax.MinMaxScaler.fromJSON({
          className: 'MinMaxScaler',
          featureRange: [0, 1],
          dataMin: [2],
          dataMax: [1],
        }),
      /dataMin must not exceed dataMax/,
    );
  });
});

describe('oneHot', () => {
  it('makes one-hot rows from indices given as an array, [n] or [n, 1]', () => {
    const expected = [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ];
    assert.deepEqual(ax.oneHot([0, 2, 1], 3).arraySync(), expected);
    assert.deepEqual(ax.oneHot(ax.tensor([0, 2, 1]), 3).arraySync(), expected);
    assert.deepEqual(ax.oneHot(ax.tensor([[0], [2], [1]]), 3).arraySync(), expected);
  });

  it('rejects labels out of range or not integers', () => {
    assert.throws(() => ax.oneHot([0, 3], 3), /label 3 at index 1 is not a class index in 0…2/);
    assert.throws(() => ax.oneHot([0.5], 3), /label 0.5 at index 0/);
    assert.throws(() => ax.oneHot([0], 0), /numClasses must be a positive integer/);
  });
});

/** x = row index in column 0, y = class; checks the split keeps rows together and loses none. */
function dataWithClasses(counts: number[]): { x: ax.Tensor; y: ax.Tensor } {
  const labels = counts.flatMap((c, k) => Array.from({ length: c }, () => k));
  return {
    x: ax.tensor(labels.map((k, i) => [i, k * 100 + i])),
    y: ax.tensor(labels),
  };
}

function column(t: ax.Tensor, j: number): number[] {
  return (t.arraySync() as number[][]).map((row) => row[j]);
}

function countClasses(y: ax.Tensor, k: number): number[] {
  const counts = new Array(k).fill(0);
  for (const v of y.dataSync()) counts[v]++;
  return counts;
}

describe('trainTestSplit', () => {
  it('splits off ceil(testSize·n) rows, keeps x and y rows together, and loses none', () => {
    const { x: xs, y } = dataWithClasses([50, 50]);
    const s = ax.trainTestSplit(xs, y, { testSize: 0.25, seed: 3 });
    assert.deepEqual(s.xTrain.shape, [75, 2]);
    assert.deepEqual(s.xTest.shape, [25, 2]);
    const all = [...column(s.xTrain, 0), ...column(s.xTest, 0)].sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 100 }, (_, i) => i),
    );
    const ids = column(s.xTest, 0);
    assert.deepEqual(
      Array.from(s.yTest.dataSync()),
      ids.map((i) => (i < 50 ? 0 : 1)),
    );
    assert.equal(ax.trainTestSplit(xs, y, { testSize: 0.333, seed: 3 }).xTest.shape[0], 34);
    assert.equal(ax.trainTestSplit(xs, y, { testSize: 10, seed: 3 }).xTest.shape[0], 10);
  });

  it('is deterministic for a seed, and follows ax.setSeed without one', () => {
    const { x: xs, y } = dataWithClasses([30, 30]);
    const a = ax.trainTestSplit(xs, y, { seed: 7 });
    const b = ax.trainTestSplit(xs, y, { seed: 7 });
    const c = ax.trainTestSplit(xs, y, { seed: 8 });
    assert.deepEqual(column(a.xTest, 0), column(b.xTest, 0));
    assert.notDeepEqual(column(a.xTest, 0), column(c.xTest, 0));
    ax.setSeed(11);
    const g1 = ax.trainTestSplit(xs, y);
    ax.setSeed(11);
    const g2 = ax.trainTestSplit(xs, y);
    assert.deepEqual(column(g1.xTest, 0), column(g2.xTest, 0));
  });

  it('without shuffling, the test set is the last rows', () => {
    const { x: xs, y } = dataWithClasses([6, 4]);
    const s = ax.trainTestSplit(xs, y, { testSize: 0.3, shuffle: false });
    assert.deepEqual(column(s.xTrain, 0), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(column(s.xTest, 0), [7, 8, 9]);
  });

  it('stratified: keeps the class proportions (60/30/10 → test 12/6/2 of 20) and interleaves classes', () => {
    const { x: xs, y } = dataWithClasses([60, 30, 10]);
    for (const seed of [1, 2, 3]) {
      const s = ax.trainTestSplit(xs, y, { testSize: 0.2, seed, stratify: true });
      assert.deepEqual(countClasses(s.yTest, 3), [12, 6, 2]);
      assert.deepEqual(countClasses(s.yTrain, 3), [48, 24, 8]);
      const firstTen = Array.from(s.yTrain.dataSync()).slice(0, 10);
      assert.ok(new Set(firstTen).size > 1, 'training rows are not grouped by class');
    }
    // Uneven shares: 7 test rows of 3 classes (10, 10, 5): exact 2.8, 2.8, 1.4 → 3, 3, 1.
    const uneven = dataWithClasses([10, 10, 5]);
    const u = ax.trainTestSplit(uneven.x, uneven.y, { testSize: 7, seed: 1, stratify: true });
    assert.deepEqual(countClasses(u.yTest, 3), [3, 3, 1]);
  });

  it('stratifies on one-hot targets or on given labels, and needs 2 rows per class', () => {
    const { x: xs, y } = dataWithClasses([40, 20]);
    const s = ax.trainTestSplit(xs, ax.oneHot(y, 2), { testSize: 0.25, seed: 5, stratify: true });
    assert.deepEqual(s.yTest.shape, [15, 2]);
    const testLabels = (s.yTest.arraySync() as number[][]).map((r) => r.indexOf(1));
    assert.deepEqual(
      [testLabels.filter((k) => k === 0).length, testLabels.filter((k) => k === 1).length],
      [10, 5],
    );
    const byGiven = ax.trainTestSplit(xs, ax.zeros([60, 1]), { testSize: 0.25, seed: 5, stratify: y });
    assert.deepEqual(
      column(byGiven.xTest, 1)
        .map((v) => (v >= 100 ? 1 : 0))
        .sort(),
      [...new Array(10).fill(0), ...new Array(5).fill(1)],
    );
    const one = dataWithClasses([5, 1]);
    assert.throws(() => ax.trainTestSplit(one.x, one.y, { stratify: true }), /class 1 has only 1 example/);
  });

  it('rejects bad sizes and mismatched rows', () => {
    const { x: xs, y } = dataWithClasses([5, 5]);
    assert.throws(
      () => ax.trainTestSplit(xs, y, { testSize: 0 }),
      /testSize must be a fraction in \(0, 1\) or a row count ≥ 1/,
    );
    assert.throws(() => ax.trainTestSplit(xs, y, { testSize: 10 }), /leaves no training rows out of 10/);
    assert.throws(() => ax.trainTestSplit(xs, ax.zeros([9])), /x has 10 rows \(shape \[10,2\]\) but y has 9/);
  });
});

describe('shuffle and batches', () => {
  it('shuffle permutes x and y rows together, reproducibly for a seed', () => {
    const { x: xs, y } = dataWithClasses([5, 5]);
    const a = ax.shuffle(xs, y, 42);
    const b = ax.shuffle(xs, y, 42);
    assert.deepEqual(a.x.arraySync(), b.x.arraySync());
    const ids = column(a.x, 0);
    assert.notDeepEqual(ids, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(
      [...ids].sort((p, q) => p - q),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      Array.from(a.y.dataSync()),
      ids.map((i) => (i < 5 ? 0 : 1)),
    );
  });

  it('batches yields consecutive {xs, ys} of batchSize rows, the last smaller unless dropped', () => {
    const { x: xs, y } = dataWithClasses([5, 5]);
    const sizes = [...ax.batches(xs, y, 4)].map((b) => [b.xs.shape[0], b.ys.shape[0]]);
    assert.deepEqual(sizes, [
      [4, 4],
      [4, 4],
      [2, 2],
    ]);
    const dropped = [...ax.batches(xs, y, 4, { dropRemainder: true })];
    assert.equal(dropped.length, 2);
    const second = [...ax.batches(xs, y, 4)][1];
    assert.deepEqual(column(second.xs, 0), [4, 5, 6, 7]);
    assert.deepEqual(Array.from(second.ys.dataSync()), [0, 1, 1, 1]);
  });

  it('shuffled batches visit every row once, in a seeded order, and work with for await', async () => {
    const { x: xs, y } = dataWithClasses([5, 5]);
    const ids = (seed: number) =>
      [...ax.batches(xs, y, 3, { shuffle: true, seed })].flatMap((b) => column(b.xs, 0));
    assert.deepEqual(ids(1), ids(1));
    assert.deepEqual(
      [...ids(1)].sort((p, q) => p - q),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    let rows = 0;
    for await (const b of ax.batches(xs, y, 3)) rows += b.xs.shape[0];
    assert.equal(rows, 10);
  });

  it('checks its arguments at the call', () => {
    const { x: xs, y } = dataWithClasses([2, 2]);
    assert.throws(() => ax.batches(xs, y, 0), /batchSize must be a positive integer, got 0/);
    assert.throws(() => ax.batches(xs, ax.zeros([3]), 2), /x has 4 rows/);
  });
});

describe('batches of a Variable', () => {
  it('are copies, not views: later changes to the variable do not show through', () => {
    const v = ax.variable(ax.tensor([[1], [2], [3], [4]]), true, 'w');
    const [first] = [...ax.batches(v, ax.tensor([0, 1, 0, 1]), 2)];
    v.assign(ax.tensor([[9], [9], [9], [9]]));
    assert.deepEqual(Array.from(first.xs.dataSync()), [1, 2]);
  });
});
