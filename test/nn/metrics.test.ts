import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// Metrics are checked against TF.js 4.22's metric functions (tf.metrics.*, per-sample, averaged here)
// on random data, against hand-computed values (AUC from a ROC worked out by hand), and for stateful
// accumulation: batches of different sizes must give the whole-set value.

const N = 40;

function close(actual: number, expected: number, what: string, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

function data(seed: number, size: number, f: (r: ax.Random) => number): Float32Array {
  const r = new ax.Random(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = f(r);
  return out;
}

/** A fresh metric's value on one batch. */
function once(m: ax.Metric, t: ax.Tensor, p: ax.Tensor): number {
  m.reset();
  m.update(t, p);
  return m.result();
}

/** Mean of a TF.js per-sample metric. */
function tfMean(f: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor, t: ax.Tensor, p: ax.Tensor): number {
  return tf.mean(f(tf.tensor(t.dataSync(), t.shape), tf.tensor(p.dataSync(), p.shape))).dataSync()[0];
}

const classes = data(1, N, (r) => r.int(4));
const probs4 = data(2, N * 4, (r) => r.uniform());
const labels3 = data(3, N * 3, (r) => r.int(2));
const probs3 = data(4, N * 3, (r) => r.uniform());
const oneHot4 = new Float32Array(N * 4);
classes.forEach((c, i) => {
  oneHot4[i * 4 + c] = 1;
});
const real = data(5, N * 2, (r) => r.normal());
const real2 = data(6, N * 2, (r) => r.normal());

before(async () => {
  await tf.setBackend('cpu');
});

describe('metrics match TF.js 4.22', () => {
  it('binaryAccuracy (threshold 0.5, mean over the last axis, then over samples)', () => {
    const t = ax.tensor(labels3, [N, 3]);
    const p = ax.tensor(probs3, [N, 3]);
    const expected = tfMean(tf.metrics.binaryAccuracy, t, p);
    close(once(ax.metrics.binaryAccuracy(), t, p), expected, 'binaryAccuracy');
    // A threshold of 0.9 marks fewer positives: the value must move and equal a hand count.
    let hits = 0;
    for (let i = 0; i < labels3.length; i++) hits += (probs3[i] > 0.9 ? 1 : 0) === labels3[i] ? 1 : 0;
    close(once(ax.metrics.binaryAccuracy({ threshold: 0.9 }), t, p), hits / labels3.length, 'threshold 0.9');
  });

  it('categoricalAccuracy and sparseCategoricalAccuracy', () => {
    const p = ax.tensor(probs4, [N, 4]);
    const expectedCat = tfMean(tf.metrics.categoricalAccuracy, ax.tensor(oneHot4, [N, 4]), p);
    close(once(ax.metrics.categoricalAccuracy(), ax.tensor(oneHot4, [N, 4]), p), expectedCat, 'categorical');
    const expectedSparse = tfMean(tf.metrics.sparseCategoricalAccuracy, ax.tensor(classes, [N, 1]), p);
    close(expectedSparse, expectedCat, 'TF.js sparse = categorical on the same classes');
    close(
      once(ax.metrics.sparseCategoricalAccuracy(), ax.tensor(classes, [N]), p),
      expectedSparse,
      'sparse [n]',
    );
    close(
      once(ax.metrics.sparseCategoricalAccuracy(), ax.tensor(classes, [N, 1]), p),
      expectedSparse,
      'sparse [n,1]',
    );
    assert.ok(expectedCat > 0.1 && expectedCat < 0.5, `a non-trivial accuracy (${expectedCat})`);
  });

  it('precision and recall (TF.js takes thresholded 0/1 predictions)', () => {
    const t = ax.tensor(labels3, [N, 3]);
    const p = ax.tensor(probs3, [N, 3]);
    const thresholded = ax.tensor(
      probs3.map((v) => (v > 0.5 ? 1 : 0)),
      [N, 3],
    );
    close(once(ax.metrics.precision(), t, p), tfMean(tf.metrics.precision, t, thresholded), 'precision');
    close(once(ax.metrics.recall(), t, p), tfMean(tf.metrics.recall, t, thresholded), 'recall');
    // Hand example: labels 1 0 1 0, predictions .9 .8 .3 .1 → tp 1, fp 1, fn 1.
    const ht = ax.tensor([[1], [0], [1], [0]]);
    const hp = ax.tensor([[0.9], [0.8], [0.3], [0.1]]);
    close(once(ax.metrics.precision(), ht, hp), 0.5, 'hand precision');
    close(once(ax.metrics.recall(), ht, hp), 0.5, 'hand recall');
    close(once(ax.metrics.precision({ threshold: 0.85 }), ht, hp), 1, 'precision at 0.85');
    close(
      once(ax.metrics.precision(), ax.tensor([[1]]), ax.tensor([[0.2]])),
      0,
      'no positives predicted → 0',
    );
  });

  it('meanSquaredError and meanAbsoluteError', () => {
    const t = ax.tensor(real, [N, 2]);
    const p = ax.tensor(real2, [N, 2]);
    close(once(ax.metrics.meanSquaredError(), t, p), tfMean(tf.metrics.meanSquaredError, t, p), 'mse', 1e-5);
    close(
      once(ax.metrics.meanAbsoluteError(), t, p),
      tfMean(tf.metrics.meanAbsoluteError, t, p),
      'mae',
      1e-5,
    );
  });
});

describe('AUC (ROC, 200 thresholds as Keras)', () => {
  // Positives score .35 .8 .9 .55, negatives .1 .4 .62 .2. Sweeping the threshold down the sorted scores
  // .9(+) .8(+) .62(−) .55(+) .4(−) .35(+) .2(−) .1(−) gives the ROC points (fpr, tpr):
  // (0,0) (0,¼) (0,½) (¼,½) (¼,¾) (½,¾) (½,1) (¾,1) (1,1); the trapezoids sum to
  // ¼·½ + ¼·¾ + ½·1 = 0.8125 (= 13 of the 16 positive/negative pairs ranked right).
  const t = ax.tensor([0, 0, 1, 1, 0, 1, 1, 0]);
  const p = ax.tensor([0.1, 0.4, 0.35, 0.8, 0.62, 0.9, 0.55, 0.2]);

  /** The trapezoid area under the exact ROC: thresholds at every distinct score (ties move diagonally). */
  function exactRocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
    const order = Array.from(scores, (s, i) => ({ s, y: labels[i] })).sort((a, b) => b.s - a.s);
    const pos = order.filter((o) => o.y === 1).length;
    const neg = order.length - pos;
    let tp = 0;
    let fp = 0;
    let area = 0;
    for (let i = 0; i < order.length; ) {
      const [tp0, fp0] = [tp, fp];
      const s = order[i].s;
      while (i < order.length && order[i].s === s) {
        if (order[i].y === 1) tp++;
        else fp++;
        i++;
      }
      area += ((fp - fp0) / neg) * ((tp + tp0) / 2 / pos);
    }
    return area;
  }

  it('equals the trapezoid area under the ROC worked out by hand', () => {
    close(exactRocAuc(t.dataSync(), p.dataSync()), 0.8125, 'reference implementation');
    close(once(ax.metrics.auc(), t, p), 0.8125, 'auc');
  });

  it('gives ties half credit, like the exact ROC', () => {
    const tt = ax.tensor([1, 0, 1, 0]);
    const tp = ax.tensor([0.7, 0.7, 0.3, 0.1]); // pairs: (.7,.7) tie ½, (.7,.1) 1, (.3,.7) 0, (.3,.1) 1 → 2.5/4
    close(once(ax.metrics.auc(), tt, tp), 0.625, 'auc with a tie');
    close(exactRocAuc(tt.dataSync(), tp.dataSync()), 0.625, 'reference with a tie');
  });

  it('uses the fixed thresholds: with numThresholds 3 the ROC has only the point at 0.5', () => {
    // At 0.5: tpr = ¾ (.8 .9 .55), fpr = ¼ (.62). Area = ¼·(0 + ¾)/2 + ¾·(¾ + 1)/2 = 0.75.
    close(once(ax.metrics.auc({ numThresholds: 3 }), t, p), 0.75, 'coarse auc');
  });

  it('matches the exact ROC on a random set whose scores fall in distinct threshold buckets', () => {
    const scores = Array.from({ length: 60 }, (_, i) => (i * 3 + 1.5) / 199);
    new ax.Random(9).shuffle(scores);
    const labels = data(10, 60, (r) => (r.uniform() < 0.4 ? 1 : 0));
    const value = once(ax.metrics.auc(), ax.tensor(labels), ax.tensor(scores));
    close(value, exactRocAuc(labels, Float32Array.from(scores)), 'random auc', 1e-9);
    assert.ok(value > 0.2 && value < 0.8, `a non-trivial AUC (${value})`);
  });
});

describe('stateful accumulation', () => {
  const sizes = [3, 11, 1, 7, 18]; // sums to N
  function batched(m: ax.Metric, t: ax.Tensor, p: ax.Tensor): number {
    m.reset();
    let start = 0;
    const tRows = t.shape[0];
    for (const size of sizes) {
      const tb = ax.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
      const pb = ax.slice(p, [start, ...p.shape.slice(1).map(() => 0)], [size, ...p.shape.slice(1)]);
      m.update(tb, pb);
      start += size;
    }
    assert.equal(start, tRows);
    return m.result();
  }

  it('batches of different sizes give the whole-set value for every metric', () => {
    const cases: [string, () => ax.Metric, ax.Tensor, ax.Tensor][] = [
      ['binaryAccuracy', ax.metrics.binaryAccuracy, ax.tensor(labels3, [N, 3]), ax.tensor(probs3, [N, 3])],
      [
        'categoricalAccuracy',
        ax.metrics.categoricalAccuracy,
        ax.tensor(oneHot4, [N, 4]),
        ax.tensor(probs4, [N, 4]),
      ],
      [
        'sparseCategoricalAccuracy',
        ax.metrics.sparseCategoricalAccuracy,
        ax.tensor(classes),
        ax.tensor(probs4, [N, 4]),
      ],
      ['precision', ax.metrics.precision, ax.tensor(labels3, [N, 3]), ax.tensor(probs3, [N, 3])],
      ['recall', ax.metrics.recall, ax.tensor(labels3, [N, 3]), ax.tensor(probs3, [N, 3])],
      ['auc', ax.metrics.auc, ax.tensor(labels3, [N, 3]), ax.tensor(probs3, [N, 3])],
      ['mse', ax.metrics.meanSquaredError, ax.tensor(real, [N, 2]), ax.tensor(real2, [N, 2])],
      ['mae', ax.metrics.meanAbsoluteError, ax.tensor(real, [N, 2]), ax.tensor(real2, [N, 2])],
    ];
    for (const [name, make, t, p] of cases) {
      const whole = once(make(), t, p);
      close(batched(make(), t, p), whole, name, 1e-9);
      // The naive mean of per-batch values differs (so the test can tell weighting apart).
      if (name === 'mse') {
        let start = 0;
        let naive = 0;
        for (const size of sizes) {
          const tb = ax.slice(t, [start, 0], [size, 2]);
          const pb = ax.slice(p, [start, 0], [size, 2]);
          naive += once(make(), tb, pb) / sizes.length;
          start += size;
        }
        assert.ok(Math.abs(naive - whole) > 1e-3, 'unweighted batch mean differs from the whole-set value');
      }
    }
  });

  it('reset() starts a new epoch; result() is 0 before any update', () => {
    const m = ax.metrics.meanAbsoluteError();
    assert.equal(m.result(), 0);
    m.update(ax.tensor([[0]]), ax.tensor([[10]]));
    m.reset();
    m.update(ax.tensor([[0]]), ax.tensor([[2]]));
    assert.equal(m.result(), 2);
  });
});

describe('getMetric', () => {
  // Data on which the three accuracies disagree: one-hot targets [[0,1],[1,0]], predictions
  // [[0.6,0.9],[0.7,0.2]]: categorical 1 (argMaxes 1, 0 match); binary ½·(½ + 1) = 0.75.
  const t = ax.tensor([
    [0, 1],
    [1, 0],
  ]);
  const p = ax.tensor([
    [0.6, 0.9],
    [0.7, 0.2],
  ]);

  it("resolves 'accuracy'/'acc' by the loss and output shape as Keras, logged as 'acc'", () => {
    const cat = ax.getMetric('accuracy', 'categoricalCrossentropy', [null, 2]);
    assert.equal(cat.name, 'acc');
    close(once(cat, t, p), 1, 'categorical');
    close(
      once(ax.getMetric('acc', 'binary_crossentropy', [null, 2]), t, p),
      0.75,
      'binaryCrossentropy → binary',
    );
    close(
      once(ax.getMetric('accuracy', 'meanSquaredError', [null, 2]), t, p),
      1,
      'mse, 2 units → categorical',
    );
    const sparse = ax.getMetric('accuracy', 'sparse_categorical_crossentropy', [null, 2]);
    close(once(sparse, ax.tensor([1, 1]), p), 0.5, 'sparse');
    // A single-unit output is binary whatever the loss.
    const single = ax.getMetric('accuracy', 'meanSquaredError', [null, 1]);
    close(once(single, ax.tensor([[1], [0], [1]]), ax.tensor([[0.7], [0.2], [0.4]])), 2 / 3, 'single unit');
  });

  it('resolves other names in any spelling, logged as given, and returns a Metric as is', () => {
    const mse = ax.getMetric('mse', 'binaryCrossentropy', [null, 1]);
    assert.equal(mse.name, 'mse');
    close(once(mse, ax.tensor([[1]]), ax.tensor([[3]])), 4, 'mse');
    assert.equal(ax.getMetric('mean_absolute_error', 'mse', [null, 1]).name, 'mean_absolute_error');
    assert.equal(ax.getMetric('AUC', 'mse', [null, 1]).name, 'AUC');
    const own = ax.metrics.recall({ threshold: 0.3, name: 'recall_at_30' });
    assert.equal(ax.getMetric(own, 'mse', [null, 1]), own);
    assert.throws(() => ax.getMetric('f1', 'mse', [null, 1]), /unknown metric 'f1' \(valid: .*accuracy.*auc/);
  });

  it('rejects mismatched shapes with both shapes named', () => {
    assert.throws(
      () => ax.metrics.binaryAccuracy().update(ax.tensor([[1, 0]]), ax.tensor([[1], [0]])),
      /binaryAccuracy: targets have shape \[1,2\] but predictions have shape \[2,1\]/,
    );
    assert.throws(
      () => ax.metrics.sparseCategoricalAccuracy().update(ax.tensor([[0, 1]]), ax.tensor([[0.2, 0.8]])),
      /one class index per row/,
    );
  });
});
