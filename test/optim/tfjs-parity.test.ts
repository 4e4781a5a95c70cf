// Axon's optimizers against TF.js 4.22's (CPU backend): same initial weights, same gradient sequence, the
// weights compared after every step. TF.js computes each op in float32; Axon updates in float64 and
// stores float32, so agreement is to float32 rounding accumulated over the steps.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';
import {
  assertClose,
  axonGrads,
  axonVariables,
  type Fixture,
  fixture,
  maxRelativeError,
  SHAPES,
} from './helpers.js';

const STEPS = 12;
let tfNames = 0;

/** Runs both optimizers over the fixture and checks the weights after each step; returns the worst error. */
function compare(axOpt: ax.Optimizer, tfOpt: tf.Optimizer, f: Fixture, rtol: number, what: string): number {
  const axVars = axonVariables(f);
  const names = SHAPES.map(() => `optim_parity_${tfNames++}`);
  const tfVars = SHAPES.map((s, k) => tf.variable(tf.tensor(f.init[k]!, [...s]), true, names[k]));
  let worst = 0;
  try {
    for (let t = 0; t < f.grads.length; t++) {
      axOpt.applyGradients(axVars, axonGrads(f, t));
      tf.tidy(() => {
        const map: Record<string, tf.Tensor> = {};
        SHAPES.forEach((s, k) => {
          map[names[k]!] = tf.tensor(f.grads[t]![k]!, [...s]);
        });
        tfOpt.applyGradients(map);
      });
      for (let k = 0; k < SHAPES.length; k++) {
        const expected = tfVars[k]!.dataSync();
        assertClose(axVars[k]!.dataSync(), expected, rtol, `${what}, step ${t + 1}, variable ${k}`);
        worst = Math.max(worst, maxRelativeError(axVars[k]!.dataSync(), expected));
      }
    }
    assert.equal(axOpt.iterations, f.grads.length);
    // Guard against a vacuous comparison: the weights must actually have moved.
    for (let k = 0; k < SHAPES.length; k++) {
      const moved = Math.max(...Array.from(axVars[k]!.dataSync(), (w, i) => Math.abs(w - f.init[k]![i]!)));
      assert.ok(moved > 1e-3, `${what}: variable ${k} moved only ${moved}`);
    }
  } finally {
    for (const v of tfVars) v.dispose();
    tfOpt.dispose();
  }
  return worst;
}

interface Case {
  what: string;
  axon: () => ax.Optimizer;
  tfjs: () => tf.Optimizer;
  rtol: number;
  zeros?: boolean;
}

const SGD_TOL = 1e-5;
const ADAPTIVE_TOL = 1e-4;

const cases: Case[] = [
  {
    what: 'sgd lr 0.1',
    axon: () => ax.optimizers.sgd({ learningRate: 0.1 }),
    tfjs: () => tf.train.sgd(0.1),
    rtol: SGD_TOL,
  },
  {
    what: 'sgd momentum 0.9',
    axon: () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    tfjs: () => tf.train.momentum(0.05, 0.9),
    rtol: SGD_TOL,
  },
  {
    what: 'sgd Nesterov momentum 0.9',
    axon: () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    tfjs: () => tf.train.momentum(0.05, 0.9, true),
    rtol: SGD_TOL,
  },
  {
    what: 'sgd Nesterov momentum 0.5 (TF.js option name useNesterov)',
    axon: () => ax.optimizers.sgd({ learningRate: 0.2, momentum: 0.5, useNesterov: true } as ax.SGDOptions),
    tfjs: () => tf.train.momentum(0.2, 0.5, true),
    rtol: SGD_TOL,
  },
  {
    what: 'rmsprop lr 0.01',
    axon: () => ax.optimizers.rmsprop({ learningRate: 0.01 }),
    tfjs: () => tf.train.rmsprop(0.01),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'rmsprop rho 0.8, momentum 0.5, epsilon 1e-4',
    axon: () => ax.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-4 }),
    tfjs: () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-4),
    rtol: ADAPTIVE_TOL,
  },
  {
    // TF.js's centered denominator is √(ms − mg² − ε), Keras's (and Axon's) √(ms − mg² + ε) (see
    // rmsprop.ts): a tiny ε makes them the same formula, and no zero gradients (TF.js gives NaN for them).
    what: 'rmsprop centered (epsilon 1e-12)',
    axon: () => ax.optimizers.rmsprop({ learningRate: 0.01, centered: true, epsilon: 1e-12 }),
    tfjs: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-12, true),
    rtol: ADAPTIVE_TOL,
    zeros: false,
  },
  {
    what: 'rmsprop centered, momentum 0.9, decay (TF.js name) 0.95',
    axon: () =>
      ax.optimizers.rmsprop({
        learningRate: 0.005,
        decay: 0.95,
        momentum: 0.9,
        centered: true,
        epsilon: 1e-12,
      } as ax.RMSpropOptions),
    tfjs: () => tf.train.rmsprop(0.005, 0.95, 0.9, 1e-12, true),
    rtol: ADAPTIVE_TOL,
    zeros: false,
  },
  {
    what: 'adagrad lr 0.1',
    axon: () => ax.optimizers.adagrad({ learningRate: 0.1 }),
    tfjs: () => tf.train.adagrad(0.1),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adagrad initialAccumulatorValue 0.5',
    axon: () => ax.optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.5 }),
    tfjs: () => tf.train.adagrad(0.05, 0.5),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adam lr 0.01',
    axon: () => ax.optimizers.adam({ learningRate: 0.01 }),
    tfjs: () => tf.train.adam(0.01),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adam beta1 0.8, beta2 0.99, epsilon 1e-3',
    axon: () => ax.optimizers.adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }),
    tfjs: () => tf.train.adam(0.02, 0.8, 0.99, 1e-3),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adam, Keras snake_case options',
    axon: () =>
      ax.optimizers.adam({ learning_rate: 0.03, beta_1: 0.7, beta_2: 0.9 } as unknown as ax.AdamOptions),
    tfjs: () => tf.train.adam(0.03, 0.7, 0.9),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adamax lr 0.01',
    axon: () => ax.optimizers.adamax({ learningRate: 0.01 }),
    tfjs: () => tf.train.adamax(0.01),
    rtol: ADAPTIVE_TOL,
  },
  {
    what: 'adamax beta1 0.85, beta2 0.95, epsilon 1e-4, decay 0.1',
    axon: () =>
      ax.optimizers.adamax({ learningRate: 0.02, beta1: 0.85, beta2: 0.95, epsilon: 1e-4, decay: 0.1 }),
    tfjs: () => tf.train.adamax(0.02, 0.85, 0.95, 1e-4, 0.1),
    rtol: ADAPTIVE_TOL,
  },
];

describe('optimizers match TF.js 4.22 step by step', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  cases.forEach((c, i) => {
    it(c.what, (t) => {
      const worst = compare(c.axon(), c.tfjs(), fixture(100 + i, STEPS, c.zeros ?? true), c.rtol, c.what);
      t.diagnostic(`max relative error over ${STEPS} steps: ${worst.toExponential(1)}`);
    });
  });
});

describe('string ids give the optimizers TF.js Layers builds for the same string', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  /** The optimizer a TF.js model gets from compile({ optimizer: id }). */
  function tfjsLayersOptimizer(id: string): tf.Optimizer {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: id, loss: 'meanSquaredError' });
    return model.optimizer;
  }

  const ids = ['sgd', 'rmsprop', 'adagrad', 'adam', 'adamax'];
  ids.forEach((id, i) => {
    it(`'${id}': same hyperparameters and the same ${STEPS} updates`, (t) => {
      const tfOpt = tfjsLayersOptimizer(id);
      const axOpt = ax.getOptimizer(id);
      const tfConfig = tfOpt.getConfig();
      const axConfig = axOpt.getConfig();
      for (const [key, value] of Object.entries(tfConfig)) {
        const axKey = key === 'decay' && id === 'rmsprop' ? 'rho' : key;
        assert.ok(axKey in axConfig, `${id}: Axon config lacks ${axKey}`);
        assert.ok(
          Math.abs(Number(axConfig[axKey]) - Number(value)) <= 1e-12,
          `${id}.${key}: ${axConfig[axKey]} vs ${value}`,
        );
      }
      // Large learning-rate-free gradients so that even the small default rates move the weights visibly.
      const worst = compare(
        axOpt,
        tfOpt,
        fixture(200 + i, STEPS),
        id === 'sgd' ? SGD_TOL : ADAPTIVE_TOL,
        `'${id}'`,
      );
      t.diagnostic(`max relative error over ${STEPS} steps: ${worst.toExponential(1)}`);
    });
  });
});
