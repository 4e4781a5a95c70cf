import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// Statistics on large samples (≥ 240 000 draws) against the formulas: the sample mean's standard error is
// σ/√n ≈ 0.002σ and the sample std's relative error ≈ 0.5·√((κ − 1)/n) < 0.002, so the tolerances below
// (0.01σ for the mean, 1.5 % for the std) sit at more than 5 standard errors and still catch any wrong constant
// (the nearest wrong answers, e.g. a missing 0.88 truncation factor or fanIn instead of fanAvg, are ≥ 12 % off).

interface Stats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

function stats(t: ax.Tensor): Stats {
  const v = t.dataSync();
  let s = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    if (v[i] < min) min = v[i];
    if (v[i] > max) max = v[i];
  }
  const mean = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length), min, max };
}

/** Std of a standard normal truncated to [−2, 2]. */
const TRUNC = 0.8796256610342398;

function assertNear(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

/** Uniform in ±limit: mean 0, std limit/√3, every value inside, the extremes reached. */
function assertUniform(s: Stats, lo: number, hi: number, what: string): void {
  const std = (hi - lo) / Math.sqrt(12);
  assertNear(s.mean, (lo + hi) / 2, 0.01 * std, `${what} mean`);
  assertNear(s.std, std, 0.015 * std, `${what} std`);
  assert.ok(s.min >= Math.fround(lo) && s.max <= Math.fround(hi), `${what}: range [${s.min}, ${s.max}]`);
  assert.ok(
    s.min < lo + 0.001 * (hi - lo) && s.max > hi - 0.001 * (hi - lo),
    `${what}: extremes not reached`,
  );
}

/** Normal truncated at mean ± 2σ: std 0.8796σ, everything inside the cut. */
function assertTruncated(s: Stats, mean: number, sigma: number, what: string): void {
  assertNear(s.mean, mean, 0.01 * sigma, `${what} mean`);
  assertNear(s.std, TRUNC * sigma, 0.015 * TRUNC * sigma, `${what} std`);
  assert.ok(
    s.min >= mean - 2 * sigma * (1 + 1e-6) && s.max <= mean + 2 * sigma * (1 + 1e-6),
    `${what} bounds`,
  );
  assert.ok(s.max > mean + 1.99 * sigma, `${what}: tail not reached`);
}

const SHAPE = [400, 600]; // fanIn 400, fanOut 600, fanAvg 500

describe('VarianceScaling family (TF.js parameters)', () => {
  it('glorotUniform: uniform in ±√(6 / (fanIn + fanOut))', () => {
    assertUniform(
      stats(ax.initializers.glorotUniform().generate(SHAPE)),
      -Math.sqrt(6 / 1000),
      Math.sqrt(6 / 1000),
      'glorotUniform',
    );
  });
  it('glorotNormal: TF.js truncated normal, σ = √(2 / (fanIn + fanOut)) before truncation', () => {
    assertTruncated(
      stats(ax.initializers.glorotNormal().generate(SHAPE)),
      0,
      Math.sqrt(2 / 1000),
      'glorotNormal',
    );
  });
  it('heUniform: uniform in ±√(6 / fanIn)', () => {
    assertUniform(
      stats(ax.initializers.heUniform().generate(SHAPE)),
      -Math.sqrt(6 / 400),
      Math.sqrt(6 / 400),
      'heUniform',
    );
  });
  it('heNormal: σ = √(2 / fanIn)', () => {
    assertTruncated(stats(ax.initializers.heNormal().generate(SHAPE)), 0, Math.sqrt(2 / 400), 'heNormal');
  });
  it('lecunUniform: uniform in ±√(3 / fanIn)', () => {
    assertUniform(
      stats(ax.initializers.lecunUniform().generate(SHAPE)),
      -Math.sqrt(3 / 400),
      Math.sqrt(3 / 400),
      'lecunUniform',
    );
  });
  it('lecunNormal: σ = √(1 / fanIn)', () => {
    assertTruncated(
      stats(ax.initializers.lecunNormal().generate(SHAPE)),
      0,
      Math.sqrt(1 / 400),
      'lecunNormal',
    );
  });
  it('varianceScaling: defaults scale 1, fanIn, normal', () => {
    assert.deepEqual(ax.initializers.varianceScaling().getConfig(), {
      scale: 1,
      mode: 'fanIn',
      distribution: 'normal',
      seed: null,
    });
    assertTruncated(
      stats(ax.initializers.varianceScaling().generate(SHAPE)),
      0,
      Math.sqrt(1 / 400),
      'default',
    );
  });
  it('varianceScaling: fanOut and fanAvg modes, snake_case accepted', () => {
    const out = ax.initializers.varianceScaling({ scale: 3, mode: 'fan_out', distribution: 'uniform' });
    assert.equal(out.getConfig().mode, 'fanOut');
    assertUniform(stats(out.generate(SHAPE)), -Math.sqrt(9 / 600), Math.sqrt(9 / 600), 'fanOut');
    const avg = ax.initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'normal' });
    assertTruncated(stats(avg.generate(SHAPE)), 0, Math.sqrt(2 / 500), 'fanAvg');
  });
  it("varianceScaling: Keras's truncated_normal (std exactly √variance) and untruncated_normal", () => {
    const kt = stats(
      ax.initializers.varianceScaling({ scale: 2, distribution: 'truncated_normal' }).generate(SHAPE),
    );
    const sigma = Math.sqrt(2 / 400);
    assertNear(kt.std, sigma, 0.015 * sigma, 'truncatedNormal std');
    assert.ok(kt.max <= (2 * sigma) / TRUNC + 1e-6, 'truncatedNormal bound');
    const un = stats(
      ax.initializers.varianceScaling({ scale: 2, distribution: 'untruncatedNormal' }).generate(SHAPE),
    );
    assertNear(un.std, sigma, 0.015 * sigma, 'untruncatedNormal std');
    assert.ok(un.max > 3 * sigma, 'untruncatedNormal has tails beyond 2σ');
  });
  it('rejects a non-positive scale and unknown modes, naming the valid ones', () => {
    assert.throws(() => ax.initializers.varianceScaling({ scale: 0 }), /'scale' must be positive, got 0/);
    assert.throws(
      () => ax.initializers.varianceScaling({ mode: 'fanSum' }),
      /unknown initializers\.varianceScaling mode 'fanSum' \(valid: fanIn, fanOut, fanAvg\)/,
    );
    assert.throws(
      () => ax.initializers.varianceScaling({ distribution: 'cauchy' }),
      /valid: normal, truncatedNormal/,
    );
  });
});

describe('computeFans (as TF.js)', () => {
  it('2-D kernel [in, out]', () => {
    assert.deepEqual(ax.computeFans([3, 7]), [3, 7]);
  });
  it('conv kernels multiply by the receptive field (channels last)', () => {
    assert.deepEqual(ax.computeFans([3, 3, 4, 8]), [36, 72]);
    assert.deepEqual(ax.computeFans([5, 2, 6]), [10, 30]);
  });
  it('other ranks use √size for both', () => {
    assert.deepEqual(ax.computeFans([16]), [4, 4]);
    assert.deepEqual(ax.computeFans([]), [1, 1]);
  });
  it('a 1-D shape draws with those fans: glorotUniform on [250000] has fans 500, limit √(6 / 1000)', () => {
    assertUniform(
      stats(ax.initializers.glorotUniform().generate([250000])),
      -Math.sqrt(6 / 1000),
      Math.sqrt(6 / 1000),
      '1-D',
    );
  });
});

describe('basic initializers', () => {
  it('zeros, ones, constant', () => {
    assert.deepEqual(Array.from(ax.initializers.zeros().generate([2, 2]).dataSync()), [0, 0, 0, 0]);
    assert.deepEqual(Array.from(ax.initializers.ones().generate([3]).dataSync()), [1, 1, 1]);
    const c = ax.initializers.constant({ value: 0.5 });
    assert.deepEqual(c.generate([2, 1]).arraySync(), [[0.5], [0.5]]);
    assert.deepEqual(c.getConfig(), { value: 0.5 });
    assert.deepEqual(Array.from(ax.getInitializer('constant').generate([2]).dataSync()), [0, 0]);
  });
  it('randomUniform: default ±0.05, and given bounds', () => {
    assertUniform(stats(ax.initializers.randomUniform().generate(SHAPE)), -0.05, 0.05, 'default');
    assertUniform(
      stats(ax.initializers.randomUniform({ minval: 0, maxval: 2 }).generate(SHAPE)),
      0,
      2,
      'given',
    );
  });
  it('randomNormal: default N(0, 0.05²), and given mean/stddev', () => {
    const d = stats(ax.initializers.randomNormal().generate(SHAPE));
    assertNear(d.mean, 0, 0.0005, 'mean');
    assertNear(d.std, 0.05, 0.00075, 'std');
    const g = stats(ax.initializers.randomNormal({ mean: 1, stddev: 2 }).generate(SHAPE));
    assertNear(g.mean, 1, 0.02, 'mean');
    assertNear(g.std, 2, 0.03, 'std');
    assert.ok(g.max > 1 + 2 * 4, 'untruncated tails');
  });
  it('truncatedNormal: default stddev 0.05, cut at mean ± 2·stddev', () => {
    assertTruncated(stats(ax.initializers.truncatedNormal().generate(SHAPE)), 0, 0.05, 'default');
    assertTruncated(
      stats(ax.initializers.truncatedNormal({ mean: -1, stddev: 0.5 }).generate(SHAPE)),
      -1,
      0.5,
      'given',
    );
  });
  it('identity: gain·I for square shapes only', () => {
    assert.deepEqual(ax.initializers.identity({ gain: 2 }).generate([2, 2]).arraySync(), [
      [2, 0],
      [0, 2],
    ]);
    assert.throws(() => ax.initializers.identity().generate([2, 3]), /square 2-D shape, got \[2, 3\]/);
  });
  it('rejects bad options clearly', () => {
    assert.throws(
      () => ax.initializers.randomUniform({ minval: 1, maxval: 0 }),
      /'minval' \(1\) must not exceed 'maxval' \(0\)/,
    );
    assert.throws(() => ax.initializers.randomNormal({ stddev: -1 }), /'stddev' must be ≥ 0/);
  });
});

describe('agreement with TF.js statistics', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  // TF.js's own draws from the same initializer on the same shape have the same mean/std (within sampling error).
  const pairs: [string, () => tf.serialization.Serializable & { apply(s: number[]): tf.Tensor }][] = [
    ['glorotUniform', () => tf.initializers.glorotUniform({})],
    ['glorotNormal', () => tf.initializers.glorotNormal({})],
    ['heUniform', () => tf.initializers.heUniform({})],
    ['heNormal', () => tf.initializers.heNormal({})],
    ['lecunUniform', () => tf.initializers.leCunUniform({})],
    ['lecunNormal', () => tf.initializers.leCunNormal({})],
    ['randomUniform', () => tf.initializers.randomUniform({})],
    ['randomNormal', () => tf.initializers.randomNormal({})],
    ['truncatedNormal', () => tf.initializers.truncatedNormal({})],
  ];
  for (const [name, make] of pairs) {
    it(`${name}: std and range match TF.js`, () => {
      const ours = stats(ax.getInitializer(name).generate(SHAPE));
      const t = make().apply(SHAPE);
      const theirs = stats(ax.tensor(t.dataSync() as Float32Array, SHAPE));
      t.dispose();
      assertNear(ours.std, theirs.std, 0.02 * theirs.std, `${name} std`);
      assertNear(ours.mean, theirs.mean, 0.02 * theirs.std, `${name} mean`);
      // The maximum is only a stable statistic for bounded draws (uniform, truncated), not for a plain normal.
      if (name !== 'randomNormal') assertNear(ours.max, theirs.max, 0.02 * theirs.max, `${name} max`);
    });
  }
});

describe('seeding', () => {
  const names = [
    'glorotUniform',
    'glorotNormal',
    'heUniform',
    'heNormal',
    'lecunUniform',
    'lecunNormal',
    'randomUniform',
    'randomNormal',
    'truncatedNormal',
  ];
  it('ax.setSeed makes every random initializer repeat exactly', () => {
    for (const name of names) {
      ax.setSeed(42);
      const a = ax.getInitializer(name).generate([30, 20]).dataSync();
      const b = ax.getInitializer(name).generate([30, 20]).dataSync();
      ax.setSeed(42);
      const a2 = ax.getInitializer(name).generate([30, 20]).dataSync();
      assert.deepEqual(a2, a, `${name}: same seed, same weights`);
      assert.notDeepEqual(b, a, `${name}: the stream moves on`);
    }
  });
  it('a private seed gives the same weights every call, whatever the global state', () => {
    const init = ax.initializers.heNormal({ seed: 7 });
    ax.setSeed(1);
    const a = init.generate([10, 10]).dataSync();
    ax.setSeed(2);
    const b = init.generate([10, 10]).dataSync();
    assert.deepEqual(b, a);
    assert.notDeepEqual(ax.initializers.heNormal({ seed: 8 }).generate([10, 10]).dataSync(), a);
    assert.equal(init.getConfig().seed, 7);
  });
});

describe('getInitializer identifiers', () => {
  it('accepts camelCase, snake_case, TF.js leCun spelling and Keras aliases', () => {
    const cases: [string, string][] = [
      ['glorot_uniform', 'glorotUniform'],
      ['glorotUniform', 'glorotUniform'],
      ['he_normal', 'heNormal'],
      ['leCunNormal', 'lecunNormal'],
      ['lecun_uniform', 'lecunUniform'],
      ['random_uniform', 'randomUniform'],
      ['truncated_normal', 'truncatedNormal'],
      ['variance_scaling', 'varianceScaling'],
      ['zero', 'zeros'],
      ['uniform', 'randomUniform'],
    ];
    for (const [id, name] of cases) assert.equal(ax.getInitializer(id).name, name, id);
  });
  it('returns an Initializer as is', () => {
    const init = ax.initializers.constant({ value: 3 });
    assert.equal(ax.getInitializer(init), init);
  });
  it('glorotUniform config is TF.js VarianceScaling config', () => {
    assert.deepEqual(ax.getInitializer('glorotUniform').getConfig(), {
      scale: 1,
      mode: 'fanAvg',
      distribution: 'uniform',
      seed: null,
    });
  });
  it('rejects an unknown name, listing the valid ones', () => {
    assert.throws(
      () => ax.getInitializer('xavier'),
      (e: Error) =>
        e.message.startsWith("unknown initializer 'xavier' (valid: ") &&
        ['zeros', 'glorotUniform', 'heNormal', 'lecunUniform', 'varianceScaling'].every((n) =>
          e.message.includes(n),
        ),
    );
  });
});
