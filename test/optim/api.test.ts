// The optimizer API: string ids and defaults, option errors, gradient validation, in-place updates without
// tensor allocation, and convergence on a quadratic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { axonGrads, axonVariables, fixture } from './helpers.js';

describe('getOptimizer', () => {
  it('accepts TF.js and Keras spellings and gives the TF.js Layers defaults', () => {
    const expected: [string[], string, Record<string, number | boolean | null>][] = [
      [['sgd', 'SGD'], 'sgd', { learningRate: 0.01, momentum: 0, nesterov: false }],
      [
        ['rmsprop', 'RMSProp', 'RMSprop', 'rms_prop'],
        'rmsprop',
        { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
      ],
      [
        ['adagrad', 'Adagrad'],
        'adagrad',
        { learningRate: 0.01, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
      ],
      [['adam', 'Adam'], 'adam', { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
      [
        ['adamax', 'Adamax'],
        'adamax',
        { learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 },
      ],
      [
        ['adamw', 'AdamW', 'adam_w'],
        'adamw',
        { learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999 },
      ],
    ];
    for (const [ids, name, config] of expected) {
      for (const id of ids) {
        const opt = ax.getOptimizer(id);
        assert.equal(opt.name, name, id);
        assert.equal(opt.iterations, 0);
        const actual = opt.getConfig();
        for (const [key, value] of Object.entries(config)) assert.equal(actual[key], value, `${id}.${key}`);
        assert.equal(actual.clipNorm, null);
      }
    }
  });

  it('returns an optimizer object unchanged', () => {
    const opt = ax.optimizers.adam({ learningRate: 0.1 });
    assert.equal(ax.getOptimizer(opt), opt);
  });

  it('names the valid optimizers when the name is unknown', () => {
    assert.throws(
      () => ax.getOptimizer('nadam'),
      /unknown optimizer 'nadam' \(valid: sgd, rmsprop, adagrad, adam, adamax, adamw\)/,
    );
    assert.throws(() => ax.getOptimizer(42 as unknown as string), /expected .*optimizer/);
  });
});

describe('option errors', () => {
  const bad: [string, () => unknown, RegExp][] = [
    [
      'negative learning rate',
      () => ax.optimizers.sgd({ learningRate: -0.1 }),
      /optimizers\.sgd: learningRate must be a finite number ≥ 0, got -0\.1/,
    ],
    [
      'NaN learning rate',
      () => ax.optimizers.adam({ learningRate: Number.NaN }),
      /optimizers\.adam: learningRate .* got NaN/,
    ],
    [
      'infinite learning rate',
      () => ax.optimizers.rmsprop({ learningRate: Number.POSITIVE_INFINITY }),
      /learningRate .* got Infinity/,
    ],
    [
      'string learning rate',
      () => ax.optimizers.adagrad({ learningRate: '0.1' as unknown as number }),
      /learningRate must be a number ≥ 0 or a schedule .* got '0\.1'/,
    ],
    [
      'momentum above 1',
      () => ax.optimizers.sgd({ momentum: 1.5 }),
      /momentum must be a number in \[0, 1\], got 1\.5/,
    ],
    ['beta1 = 1', () => ax.optimizers.adam({ beta1: 1 }), /beta1 must be a number in \[0, 1\), got 1/],
    [
      'negative epsilon',
      () => ax.optimizers.adamax({ epsilon: -1 }),
      /epsilon must be a finite number ≥ 0, got -1/,
    ],
    [
      'negative weight decay',
      () => ax.optimizers.adamw({ weightDecay: -0.01 }),
      /weightDecay must be a finite number ≥ 0/,
    ],
    ['clipNorm 0', () => ax.optimizers.sgd({ clipNorm: 0 }), /clipNorm must be a finite number > 0, got 0/],
    [
      'two clip options',
      () => ax.optimizers.adam({ clipNorm: 1, clipValue: 1 }),
      /only one of clipNorm, clipValue and globalClipNorm/,
    ],
    [
      'nesterov not boolean',
      () => ax.optimizers.sgd({ nesterov: 1 as unknown as boolean }),
      /nesterov must be true or false/,
    ],
    [
      'unknown option',
      () => ax.optimizers.adam({ lr: 0.1 } as unknown as ax.AdamOptions),
      /unknown option 'lr'. Valid options: learningRate, clipNorm, clipValue, globalClipNorm, weightDecay, beta1, beta2, epsilon/,
    ],
    [
      'same option twice',
      () => ax.optimizers.adam({ learningRate: 0.1, learning_rate: 0.2 } as ax.AdamOptions),
      /option 'learningRate' is given twice/,
    ],
    [
      'schedule without decaySteps',
      () =>
        ax.schedules.exponentialDecay({
          initialLearningRate: 0.1,
          decayRate: 0.9,
        } as ax.ExponentialDecayOptions),
      /decaySteps is required/,
    ],
    [
      'schedule with decaySteps 0',
      () => ax.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }),
      /decaySteps must be a finite number > 0, got 0/,
    ],
    [
      'piecewise lengths',
      () => ax.schedules.piecewiseConstant({ boundaries: [1, 2], values: [1, 2] }),
      /values needs one more entry than boundaries; got 2 boundaries and 2 values/,
    ],
    [
      'piecewise order',
      () => ax.schedules.piecewiseConstant({ boundaries: [5, 2], values: [1, 2, 3] }),
      /strictly increasing, got \[5, 2\]/,
    ],
    [
      'cosine alpha > 1',
      () => ax.schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 2 }),
      /alpha must be a number in \[0, 1\]/,
    ],
  ];
  for (const [what, make, message] of bad) {
    it(what, () => assert.throws(make, message));
  }

  it('the learning rate is settable (reduce-on-plateau) and validated, but not when scheduled', () => {
    const w = ax.variable(ax.tensor([1]), true, 'w');
    const opt = ax.optimizers.sgd({ learningRate: 0.1 });
    opt.learningRate = 0.5;
    opt.applyGradients([w], [ax.tensor([1])]);
    assert.equal(w.item(), 0.5);
    assert.throws(() => {
      opt.learningRate = -1;
    }, /learningRate must be a finite number ≥ 0, got -1/);
    const scheduled = ax.optimizers.sgd({
      learningRate: ax.schedules.stepDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }),
    });
    assert.throws(() => {
      scheduled.learningRate = 0.1;
    }, /created with a learning-rate schedule, so its learning rate is not settable/);
  });

  it('a schedule that returns NaN stops training with the step number', () => {
    const opt = ax.optimizers.sgd({
      learningRate: Object.assign((s: number) => (s < 1 ? 0.1 : Number.NaN), { config: {} }),
    });
    const w = ax.variable(ax.tensor([1]), true, 'w');
    opt.applyGradients([w], [ax.tensor([1])]);
    assert.throws(() => opt.applyGradients([w], [ax.tensor([1])]), /schedule returned NaN at step 1/);
    assert.ok(Math.abs(w.item() - 0.9) < 1e-7);
  });
});

describe('applyGradients validation', () => {
  it('a shape mismatch names the variable and both shapes, and changes nothing', () => {
    const f = fixture(20, 1);
    const vars = axonVariables(f);
    const before = vars.map((v) => v.dataSync());
    const opt = ax.optimizers.adam();
    assert.throws(
      () => opt.applyGradients(vars, [ax.zeros([4, 3]), ax.zeros([5])]),
      /adam\.applyGradients: the gradient for variable 'w0' has shape \[4,3\] but the variable has shape \[3,4\]/,
    );
    vars.forEach((v, k) => {
      assert.deepEqual(v.dataSync(), before[k]);
    });
    assert.equal(opt.iterations, 0);
  });

  it('unnamed variables are named by position and shape', () => {
    const v = ax.variable(ax.zeros([2]));
    assert.throws(
      () => ax.optimizers.sgd().applyGradients([v], [ax.zeros([3])]),
      /variable #0 \(unnamed, shape \[2\]\) has shape \[3\] but the variable has shape \[2\]/,
    );
  });

  it('a count mismatch is an error', () => {
    const vars = axonVariables(fixture(21, 1));
    assert.throws(
      () => ax.optimizers.sgd().applyGradients(vars, [ax.zeros([3, 4])]),
      /got 2 variables but 1 gradients/,
    );
  });

  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    it(`a ${bad} gradient names the variable and leaves every weight unchanged`, () => {
      const f = fixture(22, 1);
      const vars = axonVariables(f);
      const before = vars.map((v) => v.dataSync());
      const grads = axonGrads(f, 0);
      const g1 = grads[1]!.dataSync();
      g1[3] = bad;
      grads[1] = ax.tensor(g1, [5]);
      for (const opt of [ax.optimizers.adam(), ax.optimizers.sgd({ clipNorm: 1 }), ax.optimizers.rmsprop()]) {
        assert.throws(
          () => opt.applyGradients(vars, grads),
          new RegExp(
            `the gradient for variable 'w1' contains ${bad} \\(flat index 3\\); no weight was changed`,
          ),
        );
        assert.equal(opt.iterations, 0);
      }
      // w0 comes first and its gradient is fine: it must not have been updated either.
      vars.forEach((v, k) => {
        assert.deepEqual(v.dataSync(), before[k]);
      });
    });
  }
});

describe('updates are in place and allocate no tensors', () => {
  const factories: [string, () => ax.Optimizer][] = [
    ['sgd', () => ax.optimizers.sgd({ momentum: 0.9, nesterov: true })],
    ['rmsprop', () => ax.optimizers.rmsprop({ momentum: 0.5, centered: true })],
    ['adagrad', () => ax.optimizers.adagrad()],
    ['adam', () => ax.optimizers.adam({ clipNorm: 1 })],
    ['adamax', () => ax.optimizers.adamax({ globalClipNorm: 1 })],
    ['adamw', () => ax.optimizers.adamw({ clipValue: 0.1 })],
  ];
  for (const [name, make] of factories) {
    it(name, () => {
      const f = fixture(30, 5);
      const vars = axonVariables(f);
      const buffers = vars.map((v) => v.values);
      const opt = make();
      const grads = [0, 1, 2, 3, 4].map((t) => axonGrads(f, t));
      opt.applyGradients(vars, grads[0]!); // the first step plans the state buffers
      // Tensor ids are sequential: if no tensor is created in between, two fresh ids differ by exactly 1.
      const first = ax.scalar(0).id;
      for (let t = 1; t < 5; t++) opt.applyGradients(vars, grads[t]!);
      assert.equal(ax.scalar(0).id, first + 1, 'applyGradients created tensors');
      vars.forEach((v, k) => {
        assert.equal(v.values, buffers[k], 'variable buffer replaced');
      });
      assert.equal(opt.iterations, 5);
    });
  }
});

describe('minimizes a quadratic', () => {
  // f(w) = Σ a_i (w_i − c_i)², minimum at w = c; gradients through Axon's autodiff.
  const a = ax.tensor([0.5, 1, 2, 1.5]);
  const c = ax.tensor([1, -2, 0.5, 3]);
  const loss = (w: ax.Variable): ax.Tensor => ax.sum(ax.mul(a, ax.square(ax.sub(w, c))));
  const cases: [string, () => ax.Optimizer, number, number][] = [
    ['sgd', () => ax.optimizers.sgd({ learningRate: 0.1 }), 200, 1e-4],
    ['sgd momentum', () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), 300, 1e-4],
    [
      'sgd nesterov',
      () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
      300,
      1e-4,
    ],
    [
      'rmsprop',
      () =>
        ax.optimizers.rmsprop({
          learningRate: ax.schedules.exponentialDecay({
            initialLearningRate: 0.05,
            decaySteps: 300,
            decayRate: 0.1,
          }),
        }),
      1000,
      1e-3,
    ],
    ['adagrad', () => ax.optimizers.adagrad({ learningRate: 1 }), 500, 1e-3],
    ['adam', () => ax.optimizers.adam({ learningRate: 0.05 }), 1000, 1e-3],
    ['adamax', () => ax.optimizers.adamax({ learningRate: 0.05 }), 1000, 1e-3],
    ['adamw (no decay)', () => ax.optimizers.adamw({ learningRate: 0.05, weightDecay: 0 }), 1000, 1e-3],
  ];
  for (const [name, make, steps, tol] of cases) {
    it(`${name}: |w − c| < ${tol} after ${steps} steps from w = 0`, () => {
      const w = ax.variable(ax.zeros([4]), true, 'w');
      const opt = make();
      for (let t = 0; t < steps; t++) {
        const { grads } = ax.variableGrads(() => loss(w), [w]);
        opt.applyGradients([w], [grads.w!]);
      }
      const err = Math.max(...Array.from(w.dataSync(), (x, i) => Math.abs(x - c.values[i]!)));
      assert.ok(err < tol, `${name}: max |w − c| = ${err}`);
    });
  }
});

describe('BaseOptimizer can be extended', () => {
  it('a sign-descent optimizer gets option checks, clipping and the iteration count for free', () => {
    class SignSGD extends ax.BaseOptimizer {
      protected readonly slotNames: readonly string[] = [];
      constructor(options: ax.OptimizerOptions = {}) {
        super('signSgd', options, 0.01, null);
      }
      protected update(
        w: Float32Array | Float64Array,
        g: Float32Array | Float64Array,
        _s: unknown,
        lr: number,
      ): void {
        for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * Math.sign(g[i]!);
      }
      protected ownConfig(): Record<string, number> {
        return {};
      }
    }
    const w = ax.variable(ax.tensor([1, 1, 1]), true, 'w');
    const opt = new SignSGD({ learningRate: 0.25 });
    opt.applyGradients([w], [ax.tensor([3, -0.1, 0])]);
    assert.deepEqual(Array.from(w.dataSync()), [0.75, 1.25, 1]);
    assert.equal(opt.iterations, 1);
    assert.throws(
      () => new SignSGD({ learningRate: -1 }),
      /optimizers\.signSgd: learningRate must be a finite number ≥ 0/,
    );
  });
});
