import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type KerasNotesRun, runKerasNotesExample } from '../../examples/keras-notes.js';
import { runNetworkSizesExample } from '../../examples/network-sizes.js';
import { DEFAULT_DATA_DIR, runRelu1281Example } from '../../examples/relu-12-8-1.js';
import { NOTES_LOGITS, softmaxDemo, trainSoftmaxExample } from '../../examples/softmax-3-class.js';

describe('examples/keras-notes.ts', () => {
  let run: KerasNotesRun;
  before(async () => {
    run = await runKerasNotesExample();
  });

  it("returns getWeights() in Keras order with the notes' shapes: [2,3], [3], [3,1], [1]", () => {
    assert.deepEqual(
      run.weights.map((w) => w.shape),
      [[2, 3], [3], [3, 1], [1]],
    );
    assert.deepEqual(
      run.weights.map((w) => w.values.length),
      [6, 3, 3, 1],
    );
    assert.equal(run.countParams, 13);
    assert.deepEqual([run.trainSize, run.testSize], [300, 100]);
  });

  it('trains 150 epochs to a test accuracy of at least 90 %', () => {
    // Each coordinate of the clouds has variance 2.6 (σ ≈ 1.61) and the centres (±2, ±2) lie 2√2 ≈ 1.75σ
    // from the best boundary x₁ + x₂ = 0, so the ideal classifier scores Φ(1.75) ≈ 96 %. On 100 test
    // points one binomial standard deviation is ≈ 2 %; 90 % is three below the ideal.
    assert.equal(run.loss.length, 150);
    assert.ok(run.score.accuracy >= 0.9, `test accuracy ${run.score.accuracy}`);
    assert.ok(run.loss[149] < 0.5 * run.loss[0], `loss ${run.loss[0]} → ${run.loss[149]}`);
    assert.ok(run.score.loss > 0 && run.score.loss < 0.35, `test loss ${run.score.loss}`);
  });

  it('is deterministic with the seed, and the seed matters', async () => {
    const again = await runKerasNotesExample();
    assert.deepEqual(again.weights, run.weights);
    assert.deepEqual(again.score, run.score);
    const other = await runKerasNotesExample({ seed: 7, epochs: 2 });
    assert.notDeepEqual(other.weights[0].values, run.weights[0].values);
  });
});

const cancerFile = join(DEFAULT_DATA_DIR, 'sklearn-breast-cancer', 'breast_cancer.csv');
const noData = existsSync(cancerFile)
  ? false
  : `breast cancer data absent (${cancerFile}); the real-data check needs ../shared/data`;

describe('examples/relu-12-8-1.ts', () => {
  it('reaches at least 95 % test accuracy on breast cancer (12-8-1 ReLU, standardized on the training split)', {
    skip: noData,
  }, async () => {
    const run = await runRelu1281Example();
    assert.equal(run.source, 'breast-cancer');
    assert.equal(run.fallbackReason, null);
    assert.equal(run.features, 30);
    assert.deepEqual([run.trainSize, run.testSize], [455, 114]);
    // 30·12 + 12 + 12·8 + 8 + 8·1 + 1
    assert.equal(run.countParams, 485);
    assert.match(run.summary, /Total params: 485/);
    const { tp, tn, fp, fn } = run.confusion;
    assert.equal(tp + tn + fp + fn, 114);
    // The stratified split keeps the 212 : 357 malignant : benign ratio: 42 and 72 of 114.
    assert.deepEqual([tn + fp, tp + fn], [42, 72]);
    assert.ok(Math.abs(run.test.accuracy - (tp + tn) / 114) < 1e-6, 'evaluate agrees with predict');
    assert.ok(run.test.accuracy >= 0.95, `test accuracy ${run.test.accuracy}`);
    assert.ok(run.loss[run.loss.length - 1] < run.loss[0]);
  });

  it('falls back to a synthetic 569 × 30 set, and says so, when the data folder is absent', async () => {
    const run = await runRelu1281Example({ dataDir: '/nonexistent/axon-data', epochs: 3 });
    assert.equal(run.source, 'synthetic');
    assert.match(run.fallbackReason ?? '', /\/nonexistent\/axon-data/);
    assert.equal(run.features, 30);
    assert.equal(run.trainSize + run.testSize, 569);
    assert.ok(Number.isFinite(run.test.loss));
  });
});

describe('examples/softmax-3-class.ts', () => {
  it("computes softmax of the notes' scores [10, 20, 30] naively, stably and with ax.softmax alike", () => {
    const d = softmaxDemo(NOTES_LOGITS);
    // By hand: divide through by e³⁰: (e⁻²⁰, e⁻¹⁰, 1) / (1 + e⁻¹⁰ + e⁻²⁰).
    const z = 1 + Math.exp(-10) + Math.exp(-20);
    const expected = [Math.exp(-20) / z, Math.exp(-10) / z, 1 / z];
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(d.stable[k] - expected[k]) <= 1e-12 * expected[k], `stable[${k}]`);
      assert.ok(Math.abs(d.naive[k] - expected[k]) <= 1e-12 * expected[k], `naive[${k}]`);
      assert.ok(Math.abs(d.axon[k] - expected[k]) <= 1e-6 * expected[k], `ax.softmax[${k}] ${d.axon[k]}`);
    }
    assert.deepEqual(d.shifted, [Math.exp(-20), Math.exp(-10), 1]);
    assert.ok(expected[0] < 2.1e-9 && expected[1] > 4.5e-5 && expected[2] > 0.99995);
  });

  it('stays finite where the naive form overflows (scores [1000, 1010, 1020])', () => {
    const big = softmaxDemo([1000, 1010, 1020]);
    assert.ok(big.naive.every(Number.isNaN), 'e^1000 = Infinity, Infinity / Infinity = NaN');
    const small = softmaxDemo(NOTES_LOGITS);
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(big.stable[k] - small.stable[k]) <= 1e-12 * small.stable[k]);
      assert.ok(Math.abs(big.axon[k] - small.axon[k]) <= 1e-6 * small.axon[k]);
    }
  });

  it('trains a softmax head on three blobs and names each blob centre with its class', async () => {
    const run = await trainSoftmaxExample();
    // Neighbouring centres are 2·3.5·sin 60° ≈ 6.06 apart; with σ ≈ 1.38 a point crosses the bisector
    // with probability Φ(−3.03/1.38) ≈ 1.4 % per neighbour, so the ideal accuracy is ≈ 97 %. On 75 test
    // points one standard deviation is ≈ 2 %: 90 % is more than three below the ideal.
    assert.ok(run.test.accuracy >= 0.9, `test accuracy ${run.test.accuracy}`);
    assert.deepEqual(
      run.probes.slice(0, 3).map((p) => p.predicted),
      ['dog', 'cat', 'horse'],
    );
    for (const probe of run.probes) {
      const { dog, cat, horse } = probe.probabilities;
      assert.ok(Math.abs(dog + cat + horse - 1) < 1e-6, 'probabilities sum to 1');
      assert.ok([dog, cat, horse].every((p) => p >= 0 && p <= 1));
    }
    for (const probe of run.probes.slice(0, 3)) assert.ok(probe.probabilities[probe.predicted] > 0.9);
    // The origin is as far from every centre: no class should be sure there.
    const origin = run.probes[3].probabilities;
    assert.ok(Math.max(origin.dog, origin.cat, origin.horse) < 0.9, JSON.stringify(origin));
  });
});

describe('examples/network-sizes.ts', () => {
  it("counts the notes' 4-5-3 network as 4×5 + 5×3 + 5 + 3 = 43 and Keras's mnist_mlp as 669,706", async () => {
    const run = await runNetworkSizesExample();
    assert.deepEqual(run.notes.perLayer, [25, 18]);
    assert.equal(run.notes.byHand, 43);
    assert.equal(run.notes.countParams, 43);
    assert.match(run.notes.summary, /Total params: 43\n/);
    assert.match(run.notes.summary, /Trainable params: 43\n/);

    assert.deepEqual(run.mnistMlp.perLayer, [401920, 262656, 5130]);
    assert.equal(run.mnistMlp.byHand, 669706);
    assert.equal(run.mnistMlp.countParams, 669706);
    const s = run.mnistMlp.summary;
    assert.match(s, /Total params: 669,706\n/);
    assert.match(s, /Trainable params: 669,706\n/);
    assert.match(s, /Non-trainable params: 0\n/);
    for (const count of ['401920', '262656', '5130'])
      assert.match(s, new RegExp(`\\(None, \\d+\\)\\s+${count}\\s`));
    assert.equal((s.match(/\(Dropout\)\s+\(None, 512\)\s+0\s/g) ?? []).length, 2);

    // The big model trains on a small batch: every weight tensor moves and the loss comes down.
    const { losses, weightsChanged } = run.mnistSteps;
    assert.equal(losses.length, 11);
    assert.ok(losses.every(Number.isFinite));
    assert.ok(weightsChanged);
    assert.ok(losses[10] < 0.5 * losses[0], `loss ${losses[0]} → ${losses[10]}`);
  });
});
