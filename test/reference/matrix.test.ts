/**
 * The reference matrix: Axon against TF.js 4.22 (CPU backend), every hidden activation × output/loss ×
 * optimizer — the full product, 12 × 7 × 7 = 588 cases of about 15 ms each (so no covering design is
 * needed). Each case trains a 4-6-5-k network (both hidden layers with the activation under test) in
 * both libraries from the same initial weights and compares losses, weights, predict and evaluate; the
 * protocol and the tolerances (1e-5 relative, 1e-4 for adaptive optimizers) are in harness.ts.
 * Activations: sigmoid, tanh, relu, leakyRelu (α 0.2), elu, selu, softplus, softsign, gelu, swish,
 * hardSigmoid, linear. Heads: sigmoid + binaryCrossentropy, softmax + categoricalCrossentropy, softmax +
 * sparseCategoricalCrossentropy, linear + meanSquaredError / meanAbsoluteError / huber, tanh + hinge.
 * Optimizers: sgd, sgd + momentum, sgd + Nesterov, rmsprop, adagrad, adam, adamax (AdamW has no TF.js
 * twin; its formula tests are in test/optim).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';
import { ACTIVATIONS, HEADS, OPTIMIZERS, trainAndCompare, worstErrors, X } from './harness.js';

before(async () => {
  await tf.setBackend('cpu');
});

after(() => {
  console.log(worstErrors());
});

describe('reference matrix vs TF.js 4.22: activation × loss × optimizer (full product)', () => {
  let seed = 1000;
  for (const head of HEADS) {
    describe(head.name, () => {
      for (const activation of ACTIVATIONS) {
        for (const optimizer of OPTIMIZERS) {
          const caseSeed = seed++;
          it(`${activation}, ${optimizer.name}`, async () => {
            ax.setSeed(caseSeed);
            const what = `${activation} → ${head.name}, ${optimizer.name}`;
            const moved = await trainAndCompare(
              {
                specs: [
                  { units: 6, activation },
                  { units: 5, activation },
                  { units: head.units, activation: head.activation },
                ],
                axLoss: head.axLoss,
                tfLoss: head.tfLoss,
                metric: head.metric,
                optimizer,
                x: X,
                y: head.targets,
              },
              what,
            );
            assert.ok(moved > 1e-3, `${what}: the weights moved only ${moved}`);
          });
        }
      }
    });
  }
});
