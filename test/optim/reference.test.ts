// Optimizers and options TF.js lacks (AdamW, weight decay, schedules, clipping, Keras's centered RMSprop),
// checked against float64 re-derivations of the published formulas written out here, step by step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { assertClose, axonGrads, axonVariables, type Fixture, fixture, SHAPES } from './helpers.js';

const STEPS = 12;
const TOL = 1e-5;

/** A float64 reference optimizer: updates `w` (all variables) in place from `g` at 1-based step `t`. */
type Reference = (w: number[][], g: number[][], t: number) => void;

/** Runs Axon and the reference side by side, comparing the weights after every step. */
function check(opt: ax.Optimizer, reference: Reference, f: Fixture, what: string, tol = TOL): void {
  const vars = axonVariables(f);
  const w = f.init.map((v) => [...v]);
  for (let t = 0; t < f.grads.length; t++) {
    opt.applyGradients(vars, axonGrads(f, t));
    reference(w, f.grads[t]!, t + 1);
    vars.forEach((v, k) => {
      assertClose(v.dataSync(), w[k]!, tol, `${what}, step ${t + 1}, variable ${k}`);
    });
  }
}

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** Keras 3 AdamW (keras/optimizers/adamw.py + base_optimizer._apply_weight_decay), in float64. */
function kerasAdamW(lr: (step: number) => number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-7): Reference {
  const m: number[][] = SHAPES.map(() => []);
  const v: number[][] = SHAPES.map(() => []);
  return (w, g, t) => {
    const rate = lr(t - 1);
    const alpha = (rate * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    w.forEach((wk, k) => {
      for (let i = 0; i < wk.length; i++) {
        wk[i] = wk[i]! - wk[i]! * wd * rate; // decoupled decay first
        const gi = g[k]![i]!;
        const mi = (m[k]![i] ?? 0) + (gi - (m[k]![i] ?? 0)) * (1 - b1);
        const vi = (v[k]![i] ?? 0) + (gi * gi - (v[k]![i] ?? 0)) * (1 - b2);
        m[k]![i] = mi;
        v[k]![i] = vi;
        wk[i] = wk[i]! - (alpha * mi) / (Math.sqrt(vi) + eps);
      }
    });
  };
}

/** Plain SGD with an optional gradient transform (clipping) and decoupled weight decay, in float64. */
function sgd(
  lr: (step: number) => number,
  transform: (g: number[][]) => number[][] = (g) => g,
  wd = 0,
): Reference {
  return (w, g, t) => {
    const rate = lr(t - 1);
    const gg = transform(g);
    w.forEach((wk, k) => {
      for (let i = 0; i < wk.length; i++) wk[i] = wk[i]! - wk[i]! * wd * rate - rate * gg[k]![i]!;
    });
  };
}

describe('adamw (Keras 3 AdamW)', () => {
  it('defaults: lr 0.001, weightDecay 0.004, β 0.9/0.999, ε 1e-7', () => {
    const opt = ax.optimizers.adamw();
    const config = opt.getConfig();
    assert.equal(config.learningRate, 0.001);
    assert.equal(config.weightDecay, 0.004);
    assert.equal(config.beta1, 0.9);
    assert.equal(config.beta2, 0.999);
    assert.equal(config.epsilon, 1e-7);
    check(
      opt,
      kerasAdamW(() => 0.001, 0.004),
      fixture(1, STEPS),
      'adamw defaults',
    );
  });

  it('weightDecay 0.1, lr 0.05, β 0.8/0.99, ε 1e-4 (the decay visibly matters)', () => {
    const opt = ax.optimizers.adamw({
      learningRate: 0.05,
      weightDecay: 0.1,
      beta1: 0.8,
      beta2: 0.99,
      epsilon: 1e-4,
    });
    check(
      opt,
      kerasAdamW(() => 0.05, 0.1, 0.8, 0.99, 1e-4),
      fixture(2, STEPS),
      'adamw wd 0.1',
    );
    // The same run without decay ends elsewhere: the test above would catch a missing decay.
    const a = axonVariables(fixture(2, STEPS));
    const b = axonVariables(fixture(2, STEPS));
    const withDecay = ax.optimizers.adamw({ learningRate: 0.05, weightDecay: 0.1 });
    const without = ax.optimizers.adamw({ learningRate: 0.05, weightDecay: 0 });
    const f = fixture(2, STEPS);
    for (let t = 0; t < STEPS; t++) {
      withDecay.applyGradients(a, axonGrads(f, t));
      without.applyGradients(b, axonGrads(f, t));
    }
    const diff = Math.max(...Array.from(a[0]!.dataSync(), (x, i) => Math.abs(x - b[0]!.dataSync()[i]!)));
    assert.ok(diff > 1e-3, `decay changed the weights by only ${diff}`);
  });

  it('decay uses the scheduled rate of the step (exponentialDecay)', () => {
    const schedule = ax.schedules.exponentialDecay({
      initialLearningRate: 0.05,
      decaySteps: 3,
      decayRate: 0.5,
    });
    const opt = ax.optimizers.adamw({ learningRate: schedule, weightDecay: 0.2 });
    check(
      opt,
      kerasAdamW((s) => 0.05 * 0.5 ** (s / 3), 0.2),
      fixture(3, STEPS),
      'adamw + schedule',
    );
  });

  it('with ε = 0 and weightDecay 0 it is the same update as adam (ε placement is the only difference)', () => {
    const f = fixture(4, STEPS, false);
    const a = axonVariables(f);
    const b = axonVariables(f);
    const adamw = ax.optimizers.adamw({ learningRate: 0.01, weightDecay: 0, epsilon: 0 });
    const adam = ax.optimizers.adam({ learningRate: 0.01, epsilon: 0 });
    for (let t = 0; t < STEPS; t++) {
      adamw.applyGradients(a, axonGrads(f, t));
      adam.applyGradients(b, axonGrads(f, t));
      a.forEach((v, k) => {
        assertClose(v.dataSync(), b[k]!.dataSync(), TOL, `step ${t + 1}`);
      });
    }
  });
});

describe('weightDecay on other optimizers (Keras 3 base optimizer)', () => {
  it('sgd: w ← w − lr·wd·w − lr·g', () => {
    const opt = ax.optimizers.sgd({ learningRate: 0.1, weightDecay: 0.5 });
    check(
      opt,
      sgd(() => 0.1, undefined, 0.5),
      fixture(5, STEPS),
      'sgd + weightDecay',
    );
  });
});

describe('rmsprop centered: Keras denominator √(ms − mg² + ε)', () => {
  it('matches the float64 formula with the default ε = 1e-7 and small gradients (where TF.js differs)', () => {
    const f = fixture(6, STEPS);
    for (const step of f.grads) for (const g of step) for (let i = 0; i < g.length; i++) g[i] = g[i]! * 1e-3;
    const rho = 0.9;
    const ms: number[][] = SHAPES.map(() => []);
    const mg: number[][] = SHAPES.map(() => []);
    const reference: Reference = (w, g) => {
      w.forEach((wk, k) => {
        for (let i = 0; i < wk.length; i++) {
          const gi = g[k]![i]!;
          ms[k]![i] = rho * (ms[k]![i] ?? 0) + (1 - rho) * gi * gi;
          mg[k]![i] = rho * (mg[k]![i] ?? 0) + (1 - rho) * gi;
          wk[i] = wk[i]! - (0.01 * gi) / Math.sqrt(ms[k]![i]! - mg[k]![i]! ** 2 + 1e-7);
        }
      });
    };
    check(ax.optimizers.rmsprop({ learningRate: 0.01, centered: true }), reference, f, 'rmsprop centered');
  });
});

describe('learning-rate schedules', () => {
  it('exponentialDecay: lr₀·rate^(step/decaySteps), floored exponent with staircase', () => {
    const smooth = ax.schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
    });
    const stairs = ax.schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
    for (const step of [0, 1, 5, 9, 10, 15, 20, 37]) {
      assert.ok(Math.abs(smooth(step) - 0.1 * 0.5 ** (step / 10)) < 1e-15, `smooth(${step})`);
      assert.ok(Math.abs(stairs(step) - 0.1 * 0.5 ** Math.floor(step / 10)) < 1e-15, `stairs(${step})`);
    }
    assert.equal(stairs(9), 0.1);
    assert.equal(stairs(10), 0.05);
    assert.ok(Math.abs(smooth(5) - 0.1 / Math.SQRT2) < 1e-15);
    assert.deepEqual(stairs.config, {
      className: 'ExponentialDecay',
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
  });

  it('stepDecay is the staircase exponential decay', () => {
    const lr = ax.schedules.stepDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 0.1 });
    assert.deepEqual([0, 3, 4, 7, 8, 12].map(lr), [1, 1, 0.1, 0.1, 0.1 ** 2, 0.1 ** 3]);
    assert.equal(lr.config.staircase, true);
  });

  it('piecewiseConstant: values[i] on (boundaries[i−1], boundaries[i]] (Keras)', () => {
    const lr = ax.schedules.piecewiseConstant({ boundaries: [3, 6], values: [1, 0.5, 0.1] });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 100].map(lr), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.1, 0.1]);
    assert.equal(lr.config.boundaries, '[3,6]');
  });

  it('cosineDecay: lr₀·((1−α)·½(1+cos(π·min(step, N)/N)) + α), with optional linear warm-up', () => {
    const lr = ax.schedules.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
    const expected = (s: number): number =>
      0.2 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, 100)) / 100)) + 0.1);
    for (const s of [0, 1, 25, 50, 99, 100, 150])
      assert.ok(Math.abs(lr(s) - expected(s)) < 1e-15, `lr(${s})`);
    assert.equal(lr(0), 0.2);
    assert.ok(Math.abs(lr(50) - 0.2 * 0.55) < 1e-15);
    assert.ok(Math.abs(lr(1000) - 0.02) < 1e-15);
    const warm = ax.schedules.cosineDecay({
      initialLearningRate: 0,
      decaySteps: 10,
      warmupTarget: 1,
      warmupSteps: 4,
    });
    assert.deepEqual([0, 1, 2, 3].map(warm), [0, 0.25, 0.5, 0.75]);
    assert.equal(warm(4), 1);
    assert.ok(Math.abs(warm(9) - 0.5) < 1e-15); // halfway through the 10 decay steps
    assert.ok(Math.abs(warm(14)) < 1e-15);
  });

  it('an optimizer evaluates its schedule at its iteration count; the first update uses step 0 (Keras)', () => {
    const schedule = ax.schedules.piecewiseConstant({ boundaries: [0, 2], values: [1, 0.1, 0.01] });
    const opt = ax.optimizers.sgd({ learningRate: schedule });
    const f = fixture(7, 6);
    const seen: number[] = [];
    const vars = axonVariables(f);
    const w = f.init.map((v) => [...v]);
    const reference = sgd((s) => schedule(s));
    for (let t = 0; t < 6; t++) {
      seen.push(opt.learningRate);
      opt.applyGradients(vars, axonGrads(f, t));
      reference(w, f.grads[t]!, t + 1);
      vars.forEach((v, k) => {
        assertClose(v.dataSync(), w[k]!, TOL, `step ${t + 1}`);
      });
    }
    assert.deepEqual(seen, [1, 0.1, 0.1, 0.01, 0.01, 0.01]);
    assert.equal(opt.getConfig().learningRateSchedule, JSON.stringify(schedule.config));
  });

  it('adam with a cosine schedule follows the TF.js Adam formula with the scheduled rate', () => {
    const schedule = ax.schedules.cosineDecay({ initialLearningRate: 0.05, decaySteps: 8, alpha: 0.2 });
    const m: number[][] = SHAPES.map(() => []);
    const v: number[][] = SHAPES.map(() => []);
    const reference: Reference = (w, g, t) => {
      const lr = schedule(t - 1);
      w.forEach((wk, k) => {
        for (let i = 0; i < wk.length; i++) {
          const gi = g[k]![i]!;
          m[k]![i] = 0.9 * (m[k]![i] ?? 0) + 0.1 * gi;
          v[k]![i] = 0.999 * (v[k]![i] ?? 0) + 0.001 * gi * gi;
          const mHat = m[k]![i]! / (1 - 0.9 ** t);
          const vHat = v[k]![i]! / (1 - 0.999 ** t);
          wk[i] = wk[i]! - (lr * mHat) / (Math.sqrt(vHat) + 1e-7);
        }
      });
    };
    check(
      ax.optimizers.adam({ learningRate: schedule }),
      reference,
      fixture(8, STEPS),
      'adam + cosineDecay',
      1e-4,
    );
  });
});

describe('gradient clipping (Keras clipnorm, global_clipnorm, clipvalue)', () => {
  it('clipNorm rescales each variable separately: g·c/max(‖g‖, c)', () => {
    const f = fixture(9, STEPS);
    // A threshold between typical norms of the two variables, so that both branches occur.
    const c = 2;
    const clipped = (g: number[][]): number[][] =>
      g.map((gk) => gk.map((x) => (x * c) / Math.max(norm(gk), c)));
    let clippedCount = 0;
    let keptCount = 0;
    for (const step of f.grads) for (const gk of step) norm(gk) > c ? clippedCount++ : keptCount++;
    assert.ok(
      clippedCount > 0 && keptCount > 0,
      `fixture exercises both cases (${clippedCount}/${keptCount})`,
    );
    check(
      ax.optimizers.sgd({ learningRate: 0.1, clipNorm: c }),
      sgd(() => 0.1, clipped),
      f,
      'clipNorm',
    );
  });

  it('globalClipNorm rescales all gradients by one factor c/max(‖all‖, c)', () => {
    const f = fixture(10, STEPS);
    const c = 3;
    const clipped = (g: number[][]): number[][] => {
      const total = norm(g.flat());
      return g.map((gk) => gk.map((x) => (x * c) / Math.max(total, c)));
    };
    check(
      ax.optimizers.sgd({ learningRate: 0.1, globalClipNorm: c }),
      sgd(() => 0.1, clipped),
      f,
      'globalClipNorm',
    );
  });

  it('clipValue clamps every element to [−v, v]; the caller’s gradient tensors are left as they were', () => {
    const f = fixture(11, STEPS);
    const clipped = (g: number[][]): number[][] =>
      g.map((gk) => gk.map((x) => Math.min(0.5, Math.max(-0.5, x))));
    check(
      ax.optimizers.sgd({ learningRate: 0.1, clipValue: 0.5 }),
      sgd(() => 0.1, clipped),
      f,
      'clipValue',
    );
    const g = axonGrads(f, 0);
    const before = g.map((t) => t.dataSync());
    ax.optimizers.sgd({ clipValue: 0.5 }).applyGradients(axonVariables(f), g);
    g.forEach((t, k) => {
      assert.deepEqual(t.dataSync(), before[k]);
    });
  });

  it('clipNorm with momentum: the velocity accumulates clipped gradients', () => {
    const f = fixture(12, STEPS);
    const c = 1.5;
    const vel: number[][] = SHAPES.map(() => []);
    const reference: Reference = (w, g) => {
      w.forEach((wk, k) => {
        const scale = c / Math.max(norm(g[k]!), c);
        for (let i = 0; i < wk.length; i++) {
          vel[k]![i] = 0.9 * (vel[k]![i] ?? 0) - 0.05 * g[k]![i]! * scale;
          wk[i] = wk[i]! + vel[k]![i]!;
        }
      });
    };
    check(
      ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, clipNorm: c }),
      reference,
      f,
      'momentum + clipNorm',
    );
  });
});
