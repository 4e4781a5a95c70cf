import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// Every loss is compared with TF.js 4.22 on random float32 batches: the per-sample values and the
// gradient of the batch-mean loss with respect to the predictions, to 1e-5 relative (entries below 1e-3
// in magnitude are compared against 1e-3). The TF.js reference is tfjs-layers' loss function where TF.js
// exports it (tf.metrics.*), else the tfjs-core loss with Reduction.NONE, then the mean over the last axis.

const N = 8;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  assert.ok(worst <= tol, `${what}: relative error ${worst} at ${at} (${actual[at]} vs ${expected[at]})`);
}

function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++)
    assert.ok(Number.isFinite(values[i]), `${what}[${i}] = ${values[i]}`);
}

/** Deterministic random data: `f(random)` per element, as a float32 buffer. */
function data(seed: number, size: number, f: (r: ax.Random) => number): Float32Array {
  const r = new ax.Random(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = f(r);
  return out;
}

function oneHot(indices: Float32Array, k: number): Float32Array {
  const out = new Float32Array(indices.length * k);
  indices.forEach((c, i) => {
    out[i * k + c] = 1;
  });
  return out;
}

type TfPerSample = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Compares per-sample values and ∂(mean loss)/∂yPred of an Axon loss with a TF.js per-sample function. */
function compare(
  loss: ax.Loss,
  reference: TfPerSample,
  yTrue: Float32Array,
  trueShape: number[],
  yPred: Float32Array,
  predShape: number[],
  what: string,
): void {
  const t = ax.tensor(yTrue, trueShape);
  const p = ax.tensor(yPred, predShape);
  const tt = tf.tensor(yTrue, trueShape);
  const tp = tf.tensor(yPred, predShape);
  const ours = loss.perSample(t, p);
  const theirs = reference(tt, tp);
  assert.deepEqual(ours.shape, theirs.shape, `${what}: per-sample shape`);
  assertClose(ours.dataSync(), theirs.dataSync() as Float32Array, `${what}: values`);
  const g = ax.grad((x) => ax.reduceLoss(loss.perSample(t, x)))(p);
  const tg = tf.grad((x: tf.Tensor) => tf.mean(reference(tt, x)))(tp);
  assertClose(g.dataSync(), tg.dataSync() as Float32Array, `${what}: gradient`);
}

const NONE = tf.Reduction.NONE;
const tfSigmoidCe: TfPerSample = (y, x) =>
  tf.mean(tf.losses.sigmoidCrossEntropy(y, x, undefined, 0, NONE), -1);
const tfSoftmaxCe: TfPerSample = (y, x) => tf.losses.softmaxCrossEntropy(y, x, undefined, 0, NONE);
/** tfjs-layers' sparseCategoricalCrossentropy (losses.js), which TF.js does not export: clip, one-hot, then
 *  its categoricalCrossentropy (exported as tf.metrics.categoricalCrossentropy). */
const tfSparseCe =
  (k: number): TfPerSample =>
  (y, p) =>
    tf.metrics.categoricalCrossentropy(
      tf.oneHot(tf.cast(y.flatten(), 'int32'), k).toFloat(),
      tf.clipByValue(p, 1e-7, 1 - 1e-7),
    );

before(async () => {
  await tf.setBackend('cpu');
});

describe('losses match TF.js 4.22 (values and gradients)', () => {
  const probs = data(1, N * 3, (r) => 0.02 + 0.96 * r.uniform());
  const labels01 = data(2, N * 3, (r) => r.int(2));
  const soft = data(3, N * 3, (r) => r.uniform());
  const real = data(4, N * 4, (r) => 2 * r.normal());
  const real2 = data(5, N * 4, (r) => 2 * r.normal());
  const logits = data(6, N * 5, (r) => 3 * r.normal());
  const classes = data(7, N, (r) => r.int(5));
  const positive = data(8, N * 5, (r) => 0.05 + r.uniform());

  it('meanSquaredError and meanAbsoluteError', () => {
    compare(ax.losses.meanSquaredError(), tf.metrics.meanSquaredError, real, [N, 4], real2, [N, 4], 'mse');
    compare(ax.losses.meanAbsoluteError(), tf.metrics.meanAbsoluteError, real, [N, 4], real2, [N, 4], 'mae');
  });

  it('binaryCrossentropy on probabilities (clip, logit, sigmoid cross-entropy), hard and soft labels', () => {
    const bce = ax.losses.binaryCrossentropy();
    compare(bce, tf.metrics.binaryCrossentropy, labels01, [N, 3], probs, [N, 3], 'bce 0/1');
    compare(bce, tf.metrics.binaryCrossentropy, soft, [N, 3], probs, [N, 3], 'bce soft');
    compare(
      bce,
      tf.metrics.binaryCrossentropy,
      labels01.subarray(0, N),
      [N, 1],
      probs.subarray(0, N),
      [N, 1],
      'bce 1 unit',
    );
  });

  it('binaryCrossentropy fromLogits', () => {
    const bce = ax.losses.binaryCrossentropy({ fromLogits: true });
    compare(bce, tfSigmoidCe, labels01, [N, 3], real.subarray(0, N * 3), [N, 3], 'bce logits');
  });

  it('categoricalCrossentropy on (unnormalized) probabilities and on logits', () => {
    const y = oneHot(classes, 5);
    const cce = ax.losses.categoricalCrossentropy();
    compare(cce, tf.metrics.categoricalCrossentropy, y, [N, 5], positive, [N, 5], 'cce probs');
    const cceLogits = ax.losses.categoricalCrossentropy({ fromLogits: true });
    compare(cceLogits, tfSoftmaxCe, y, [N, 5], logits, [N, 5], 'cce logits');
    // Soft labels that sum to 1 per row (TF.js's softmaxCrossEntropy gradient, softmax − y, assumes it).
    const softRows = data(9, N * 5, (r) => r.uniform());
    for (let i = 0; i < N; i++) {
      const row = softRows.subarray(i * 5, i * 5 + 5);
      const total = row.reduce((a, b) => a + b, 0);
      for (let j = 0; j < 5; j++) row[j] /= total;
    }
    compare(cceLogits, tfSoftmaxCe, softRows, [N, 5], logits, [N, 5], 'cce logits, soft labels');
  });

  it('sparseCategoricalCrossentropy on probabilities and logits, targets [n] and [n, 1]', () => {
    const scce = ax.losses.sparseCategoricalCrossentropy();
    compare(scce, tfSparseCe(5), classes, [N], positive, [N, 5], 'scce probs');
    compare(scce, tfSparseCe(5), classes, [N, 1], positive, [N, 5], 'scce probs [n,1]');
    const scceLogits = ax.losses.sparseCategoricalCrossentropy({ fromLogits: true });
    const viaOneHot: TfPerSample = (y, x) =>
      tfSoftmaxCe(tf.oneHot(tf.cast(y.flatten(), 'int32'), 5).toFloat(), x);
    compare(scceLogits, viaOneHot, classes, [N], logits, [N, 5], 'scce logits');
  });

  it('hinge: 0/1 labels are mapped to −1/1 like tf.losses.hingeLoss; −1/1 labels are used as given', () => {
    const tfHinge: TfPerSample = (y, p) => tf.mean(tf.losses.hingeLoss(y, p, undefined, NONE), -1);
    compare(ax.losses.hinge(), tfHinge, labels01, [N, 3], real.subarray(0, N * 3), [N, 3], 'hinge 0/1');
    const signed = labels01.map((v) => 2 * v - 1);
    // tfjs-layers' hinge (no conversion): mean(max(0, 1 − y·ŷ), −1).
    const layersHinge: TfPerSample = (y, p) => tf.mean(tf.maximum(0, tf.sub(1, tf.mul(y, p))), -1);
    compare(ax.losses.hinge(), layersHinge, signed, [N, 3], real.subarray(0, N * 3), [N, 3], 'hinge ±1');
  });

  it('huber with delta 1 and 0.5', () => {
    for (const delta of [1, 0.5]) {
      const tfHuber: TfPerSample = (y, p) => tf.mean(tf.losses.huberLoss(y, p, undefined, delta, NONE), -1);
      compare(ax.losses.huber({ delta }), tfHuber, real, [N, 4], real2, [N, 4], `huber δ=${delta}`);
    }
  });

  it('hand-computed values', () => {
    const v = (l: ax.Loss, t: number[][], p: number[][]) =>
      Array.from(l.perSample(ax.tensor(t), ax.tensor(p)).dataSync());
    assertClose(v(ax.losses.meanSquaredError(), [[1, 2]], [[1, 4]]), [2], 'mse');
    assertClose(v(ax.losses.huber(), [[0, 0]], [[0.5, 3]]), [(0.125 + 2.5) / 2], 'huber');
    assertClose(
      v(ax.losses.binaryCrossentropy(), [[1], [0]], [[0.9], [0.2]]),
      [-Math.log(0.9), -Math.log(0.8)],
      'bce',
    );
    assertClose(v(ax.losses.hinge(), [[1], [-1]], [[0.3], [-2]]), [0.7, 0], 'hinge');
  });
});

describe('numerical stability', () => {
  it('fromLogits losses stay finite (values and gradients) at logits ±1000', () => {
    const x = ax.tensor([
      [1000, -1000],
      [-1000, 1000],
    ]);
    const yBin = ax.tensor([
      [1, 0],
      [1, 0],
    ]);
    const bce = ax.losses.binaryCrossentropy({ fromLogits: true });
    // Rows: both logits agree with the labels (loss 0); both disagree (each costs 1000).
    assertClose(bce.perSample(yBin, x).dataSync(), [0, 1000], 'bce logits ±1000');
    const gb = ax.grad((p) => ax.reduceLoss(bce.perSample(yBin, p)))(x);
    // ∂/∂x = (σ(x) − y) / (rows · cols).
    assertClose(gb.dataSync(), [0, 0, -0.25, 0.25], 'bce logits gradient');
    for (const loss of [ax.losses.categoricalCrossentropy({ fromLogits: true })]) {
      const l = loss.perSample(yBin, x);
      assertClose(l.dataSync(), [0, 2000], 'cce logits ±1000');
      const g = ax.grad((p) => ax.reduceLoss(loss.perSample(yBin, p)))(x);
      assertClose(g.dataSync(), [0, 0, -0.5, 0.5], 'cce logits gradient');
    }
    const scce = ax.losses.sparseCategoricalCrossentropy({ fromLogits: true });
    assertClose(scce.perSample(ax.tensor([0, 0]), x).dataSync(), [0, 2000], 'scce logits ±1000');
    assertFinite(
      ax
        .grad((p) => ax.reduceLoss(scce.perSample(ax.tensor([0, 0]), p)))(x)
        .dataSync(),
      'scce grad',
    );
  });

  it('probability losses stay finite at probabilities exactly 0 and 1, and match TF.js there', () => {
    const y = new Float32Array([1, 0, 0, 1, 1, 0, 0, 1]);
    const p = new Float32Array([0, 1, 0, 1, 1, 0, 0.5, 0.5]);
    const bce = ax.losses.binaryCrossentropy();
    const values = bce.perSample(ax.tensor(y, [4, 2]), ax.tensor(p, [4, 2])).dataSync();
    assertFinite(values, 'bce');
    // Row 0: −log ε for the confident miss at p = 0, log((1 − ε)/ε) for the one at p = 1 (TF.js's logit path).
    assertClose(
      [values[0]],
      [(-Math.log(1e-7) + Math.log((1 - 1.1920929e-7) / 1.1920929e-7)) / 2],
      'bce row 0',
      1e-4,
    );
    compare(bce, tf.metrics.binaryCrossentropy, y, [4, 2], p, [4, 2], 'bce at 0 and 1');
    const cce = ax.losses.categoricalCrossentropy();
    const yc = oneHot(new Float32Array([0, 1, 2]), 3);
    const pc = new Float32Array([1, 0, 0, 1, 0, 0, 0, 0.5, 0.5]);
    assertFinite(cce.perSample(ax.tensor(yc, [3, 3]), ax.tensor(pc, [3, 3])).dataSync(), 'cce');
    compare(cce, tf.metrics.categoricalCrossentropy, yc, [3, 3], pc, [3, 3], 'cce at 0 and 1');
    const scce = ax.losses.sparseCategoricalCrossentropy();
    compare(scce, tfSparseCe(3), new Float32Array([0, 1, 2]), [3], pc, [3, 3], 'scce at 0 and 1');
  });
});

describe('reduceLoss', () => {
  const t = ax.tensor([[0], [1], [2]]);
  const p = ax.tensor([[1], [1], [4]]);
  const mse = ax.losses.meanSquaredError();

  it('is the batch mean without weights and Σ w·l / batch with them (not Σ w·l / Σ w)', () => {
    assertClose([ax.reduceLoss(mse.perSample(t, p)).item()], [5 / 3], 'unweighted'); // (1 + 0 + 4) / 3
    const w = ax.tensor([2, 5, 0.5]);
    assertClose([ax.reduceLoss(mse.perSample(t, p), w).item()], [(2 * 1 + 0 + 0.5 * 4) / 3], 'weighted');
    assertClose(
      [ax.reduceLoss(mse.perSample(t, p), ax.tensor([[2], [5], [0.5]])).item()],
      [4 / 3],
      '[n,1] weights',
    );
    // ∂/∂ŷᵢ = wᵢ · 2(ŷᵢ − yᵢ) / 3.
    const g = ax.grad((x) => ax.reduceLoss(mse.perSample(t, x), w))(p);
    assertClose(g.dataSync(), [(2 * 2 * 1) / 3, 0, (0.5 * 2 * 2) / 3], 'weighted gradient');
  });

  it('rejects weights of the wrong shape and an empty batch', () => {
    assert.throws(
      () => ax.reduceLoss(mse.perSample(t, p), ax.tensor([1, 2])),
      /sampleWeight has shape \[2\].*\[3\] or \[3,1\]/,
    );
    assert.throws(() => ax.reduceLoss(ax.zeros([0])), /empty/);
  });
});

describe('getLoss', () => {
  it('accepts camelCase, snake_case and short names', () => {
    const names: [string, string][] = [
      ['binaryCrossentropy', 'binaryCrossentropy'],
      ['binary_crossentropy', 'binaryCrossentropy'],
      ['categorical_crossentropy', 'categoricalCrossentropy'],
      ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
      ['mse', 'meanSquaredError'],
      ['MSE', 'meanSquaredError'],
      ['mean_squared_error', 'meanSquaredError'],
      ['mae', 'meanAbsoluteError'],
      ['hinge', 'hinge'],
      ['huber_loss', 'huber'],
    ];
    for (const [id, name] of names) assert.equal(ax.getLoss(id).name, name, id);
    const logits = ax.getLoss('binary_crossentropy', { fromLogits: true });
    assert.equal(logits.fromLogits, true);
    assertClose(logits.perSample(ax.tensor([[1]]), ax.tensor([[0]])).dataSync(), [Math.LN2], 'σ(0) = ½');
    const own = ax.losses.huber({ delta: 2 });
    assert.equal(ax.getLoss(own), own);
  });

  it('rejects unknown names (listing the valid ones) and fromLogits where it means nothing', () => {
    assert.throws(
      () => ax.getLoss('crossentropy'),
      /unknown loss 'crossentropy' \(valid: .*binaryCrossentropy/,
    );
    assert.throws(() => ax.getLoss('mse', { fromLogits: true }), /no fromLogits/);
    assert.throws(() => ax.losses.huber({ delta: 0 }), /delta must be a positive/);
  });

  it('pairs a target [n] with a prediction [n, 1] and rejects other shape mismatches', () => {
    const mse = ax.losses.meanSquaredError();
    assertClose(mse.perSample(ax.tensor([1, 2]), ax.tensor([[2], [2]])).dataSync(), [1, 0], '[n] vs [n,1]');
    assert.throws(
      () =>
        mse.perSample(
          ax.tensor([1, 2]),
          ax.tensor([
            [2, 1],
            [2, 1],
          ]),
        ),
      /targets have shape \[2\] but predictions have shape \[2,2\]/,
    );
  });
});

describe('checkTargets', () => {
  const out1: (number | null)[] = [null, 1];
  const out3: (number | null)[] = [null, 3];

  it('accepts suitable targets', () => {
    ax.getLoss('binaryCrossentropy').checkTargets(ax.tensor([[0], [1], [0.3]]), out1);
    ax.getLoss('binaryCrossentropy').checkTargets(ax.tensor([0, 1]), out1);
    ax.getLoss('categoricalCrossentropy').checkTargets(ax.tensor([[0, 1, 0]]), out3);
    ax.getLoss('sparseCategoricalCrossentropy').checkTargets(ax.tensor([0, 2, 1]), out3);
    ax.getLoss('sparseCategoricalCrossentropy').checkTargets(ax.tensor([[0], [2]]), [-1, 3]);
    ax.getLoss('hinge').checkTargets(ax.tensor([[-1], [1]]), out1);
    ax.getLoss('mse').checkTargets(ax.tensor([[0.5, 7, -2]]), out3);
  });

  it('class indices with categoricalCrossentropy suggest sparseCategoricalCrossentropy or one-hot', () => {
    const cce = ax.getLoss('categoricalCrossentropy');
    for (const y of [ax.tensor([0, 2, 1]), ax.tensor([[0], [2], [1]])]) {
      assert.throws(
        () => cce.checkTargets(y, out3),
        /class indices.*sparseCategoricalCrossentropy.*one-hot/s,
      );
    }
    assert.throws(() => cce.checkTargets(ax.tensor([[0, 2, 0]]), out3), /row 0 has the value 2/);
    assert.throws(() => cce.checkTargets(ax.tensor([[1], [0]]), out1), /single unit.*binaryCrossentropy/);
  });

  it('sparse: out-of-range and non-integer indices name the row; one-hot targets are recognized', () => {
    const scce = ax.getLoss('sparse_categorical_crossentropy');
    assert.throws(
      () => scce.checkTargets(ax.tensor([0, 1, 3]), out3),
      /row 2 is class 3.*3 units \(classes 0\.\.2\)/,
    );
    assert.throws(() => scce.checkTargets(ax.tensor([0, -1]), out3), /row 1 is -1/);
    assert.throws(() => scce.checkTargets(ax.tensor([0.5]), out3), /row 0 is 0\.5.*integers/);
    assert.throws(() => scce.checkTargets(ax.tensor([[0, 1, 0]]), out3), /one-hot.*categoricalCrossentropy/);
  });

  it('binary: labels outside [0, 1] name the row (and −1/1 labels get a hint)', () => {
    const bce = ax.getLoss('binaryCrossentropy', { fromLogits: true });
    assert.throws(
      () => bce.checkTargets(ax.tensor([[0], [1], [2]]), out1),
      /row 2 has the value 2.*\[0, 1\]/,
    );
    assert.throws(() => bce.checkTargets(ax.tensor([[1], [-1]]), out1), /row 1 .*−1\/1: map them to 0\/1/);
  });

  it('width mismatches name both shapes; class indices for a wide output get a hint', () => {
    assert.throws(
      () => ax.getLoss('mse').checkTargets(ax.tensor([[1, 2, 3]]), [null, 2]),
      /targets of shape \[1,3\] don't match the model output of shape \[batch,2\]/,
    );
    assert.throws(
      () => ax.getLoss('binaryCrossentropy').checkTargets(ax.tensor([0, 1, 2]), out3),
      /look like class indices/,
    );
    assert.throws(() => ax.getLoss('mse').checkTargets(ax.tensor([[1]]), [3]), /batch first/);
  });

  it('NaN and infinite labels name the row', () => {
    const y = ax.tensor([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, Number.NaN, 0],
    ]);
    for (const id of ['mse', 'categoricalCrossentropy', 'huber']) {
      assert.throws(() => ax.getLoss(id).checkTargets(y, out3), /target row 3, column 1 is NaN/);
    }
    assert.throws(
      () => ax.getLoss('sparseCategoricalCrossentropy').checkTargets(ax.tensor([1, Infinity]), out3),
      /row 1 is Infinity/,
    );
  });

  it('hinge: labels other than −1/0/1, or a mix of −1 and 0, are rejected', () => {
    const h = ax.getLoss('hinge');
    assert.throws(() => h.checkTargets(ax.tensor([[2]]), out1), /row 0 has the value 2/);
    assert.throws(() => h.checkTargets(ax.tensor([[-1], [0]]), out1), /mix −1 \(row 0\) and 0 \(row 1\)/);
  });
});
