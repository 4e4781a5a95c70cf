import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// Each activation is checked against TF.js 4.22 on the same float32 inputs: values and gradients
// (gradients of Σ f(x)·c with a non-constant c, so softmax's Jacobian is really exercised) to 1e-6,
// relative for entries above 1 in magnitude.

const ROWS = 4;
const COLS = 13;
/** Inputs over [−8, 8] plus ±30 for stability, avoiding the kinks 0, ±2.5 and 6 where one-sided rules differ. */
function inputs(): Float32Array {
  const x = new Float32Array(ROWS * COLS);
  for (let i = 0; i < x.length; i++) x[i] = -8 + (16 * (i + 0.37)) / x.length;
  x[0] = -30;
  x[x.length - 1] = 30;
  return x;
}
/** A fixed, varying upstream gradient. */
function cotangent(): Float32Array {
  const c = new Float32Array(ROWS * COLS);
  for (let i = 0; i < c.length; i++) c[i] = Math.sin(1.3 * i) + 0.5;
  return c;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  assert.ok(worst <= tol, `${what}: relative error ${worst} at ${at} (${actual[at]} vs ${expected[at]})`);
}

/** TF.js reference for each of our names: the tfjs-layers activation where one exists, else the tf op. */
const reference: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: layerActivation('linear'),
  sigmoid: layerActivation('sigmoid'),
  tanh: layerActivation('tanh'),
  relu: layerActivation('relu'),
  relu6: layerActivation('relu6'),
  leakyRelu: (x) => tf.leakyRelu(x, 0.2),
  elu: layerActivation('elu'),
  selu: layerActivation('selu'),
  softplus: layerActivation('softplus'),
  softsign: layerActivation('softsign'),
  softmax: layerActivation('softmax'),
  logSoftmax: layerActivation('logSoftmax'),
  gelu: layerActivation('gelu'),
  geluNew: layerActivation('gelu_new'),
  mish: layerActivation('mish'),
  swish: layerActivation('swish'),
  hardSigmoid: layerActivation('hardSigmoid'),
};

function layerActivation(name: string): (x: tf.Tensor) => tf.Tensor {
  // tf.layers.activation accepts the identifier strings of tfjs-layers' activation registry.
  const layer = tf.layers.activation({ activation: name as 'relu' });
  return (x) => layer.apply(x) as tf.Tensor;
}

describe('activations against TF.js', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const x = inputs();
  const c = cotangent();

  for (const name of Object.keys(reference)) {
    it(`${name}: values and gradients match TF.js to 1e-6`, () => {
      const f = ax.getActivation(name);
      assert.equal(f.name, name);
      assert.equal(f.differentiable, true);
      const ours = f.apply(ax.tensor(x, [ROWS, COLS]));
      const ref = reference[name];
      const theirs = tf.tidy(() => ref(tf.tensor2d(x, [ROWS, COLS])).dataSync());
      assert.deepEqual(ours.shape, [ROWS, COLS]);
      assertClose(ours.dataSync(), theirs, `${name} values`);

      const ourGrad = ax.grad((t) => f.apply(t))(ax.tensor(x, [ROWS, COLS]), ax.tensor(c, [ROWS, COLS]));
      const theirGrad = tf.tidy(() => {
        const ct = tf.tensor2d(c, [ROWS, COLS]);
        return tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(ref(t), ct)))(tf.tensor2d(x, [ROWS, COLS]))
          .dataSync();
      });
      assertClose(ourGrad.dataSync(), theirGrad, `${name} gradient`);
    });
  }

  it('softmax works over the last axis of a 3-D tensor, like TF.js', () => {
    const ours = ax.getActivation('softmax').apply(ax.tensor(x, [2, 2, COLS]));
    const theirs = tf.tidy(() => tf.softmax(tf.tensor3d(x, [2, 2, COLS])).dataSync());
    assertClose(ours.dataSync(), theirs, 'softmax 3-D');
  });
});

describe('hand-checked values', () => {
  it('selu uses the self-normalizing constants', () => {
    const y = ax
      .getActivation('selu')
      .apply(ax.tensor([1, -1]))
      .dataSync();
    assert.ok(Math.abs(y[0] - 1.0507009873554805) < 1e-6);
    assert.ok(Math.abs(y[1] - 1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1)) < 1e-6);
  });

  it('hardSigmoid is clip(0.2x + 0.5, 0, 1)', () => {
    assert.deepEqual(
      Array.from(
        ax
          .getActivation('hardSigmoid')
          .apply(ax.tensor([-3, -2.5, 0, 1, 2.5, 3]))
          .dataSync(),
      ),
      [0, 0, 0.5, Math.fround(0.7), 1, 1],
    );
  });

  it('gelu is the exact erf form, gelu_new the tanh approximation', () => {
    // Φ(1) = 0.8413447460685429; the tanh form gives 0.8411919906082768 at x = 1.
    assert.ok(
      Math.abs(
        ax
          .getActivation('gelu')
          .apply(ax.tensor([1]))
          .item() - 0.8413447460685429,
      ) < 1e-6,
    );
    assert.ok(
      Math.abs(
        ax
          .getActivation('gelu_new')
          .apply(ax.tensor([1]))
          .item() - 0.8411919906082768,
      ) < 1e-6,
    );
  });

  it('leakyRelu defaults to α = 0.2 and takes another α', () => {
    assert.deepEqual(
      Array.from(
        ax
          .getActivation('leaky_relu')
          .apply(ax.tensor([-1, 2]))
          .dataSync(),
      ),
      [Math.fround(-0.2), 2],
    );
    assert.deepEqual(
      Array.from(
        ax.activations
          .leakyRelu({ alpha: 0.5 })
          .apply(ax.tensor([-1]))
          .dataSync(),
      ),
      [-0.5],
    );
    assert.deepEqual(
      Array.from(
        ax.activations
          .elu({ alpha: 2 })
          .apply(ax.tensor([-1000]))
          .dataSync(),
      ),
      [-2],
    );
  });

  it('relu6 clips at 6 and its gradient at exactly 6 is 0, as min(6, relu(x)) in TF.js', () => {
    const f = ax.getActivation('relu6');
    assert.deepEqual(Array.from(f.apply(ax.tensor([-1, 3, 6, 9])).dataSync()), [0, 3, 6, 6]);
    assert.deepEqual(
      Array.from(
        ax
          .grad((t) => f.apply(t))(ax.tensor([-1, 3, 6, 9]))
          .dataSync(),
      ),
      [0, 1, 0, 0],
    );
  });

  it('linear returns its input; undefined and null mean linear', () => {
    const x = ax.tensor([1, -2]);
    assert.equal(ax.getActivation('linear').apply(x), x);
    assert.equal(ax.getActivation(undefined).name, 'linear');
    assert.equal(ax.getActivation(null).name, 'linear');
    assert.equal(ax.getActivation().name, 'linear');
  });
});

describe('sign and step (perceptron)', () => {
  it('sign gives −1/1 with sign(0) = 1; step gives 0/1 with step(0) = 1', () => {
    const x = ax.tensor([-3, -1e-6, 0, 1e-6, 4]);
    assert.deepEqual(Array.from(ax.getActivation('sign').apply(x).dataSync()), [-1, -1, 1, 1, 1]);
    assert.deepEqual(Array.from(ax.getActivation('step').apply(x).dataSync()), [0, 0, 1, 1, 1]);
  });

  it('are marked non-differentiable and record a zero gradient', () => {
    for (const name of ['sign', 'step']) {
      const f = ax.getActivation(name);
      assert.equal(f.differentiable, false, name);
      const g = ax.grad((t) => f.apply(t))(ax.tensor([-2, 0.5, 3]));
      assert.deepEqual(Array.from(g.dataSync()), [0, 0, 0], name);
    }
  });

  it('every other activation is differentiable', () => {
    for (const name of ax.activationNames) {
      assert.equal(ax.getActivation(name).differentiable, name !== 'sign' && name !== 'step', name);
    }
  });
});

describe('getActivation identifiers', () => {
  it('accepts camelCase, snake_case and aliases', () => {
    assert.equal(ax.getActivation('hard_sigmoid').name, 'hardSigmoid');
    assert.equal(ax.getActivation('hardSigmoid').name, 'hardSigmoid');
    assert.equal(ax.getActivation('leaky_relu').name, 'leakyRelu');
    assert.equal(ax.getActivation('LeakyReLU').name, 'leakyRelu');
    assert.equal(ax.getActivation('log_softmax').name, 'logSoftmax');
    assert.equal(ax.getActivation('gelu_new').name, 'geluNew');
    assert.equal(ax.getActivation('silu').name, 'swish');
    assert.equal(ax.getActivation('RELU').name, 'relu');
  });

  it('returns an Activation object as is', () => {
    const custom: ax.Activation = { name: 'double', differentiable: true, apply: (x) => ax.mul(x, 2) };
    assert.equal(ax.getActivation(custom), custom);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    assert.throws(
      () => ax.getActivation('relu7'),
      (e: Error) =>
        e.message.startsWith("unknown activation 'relu7' (valid: ") &&
        ['linear', 'sigmoid', 'leakyRelu', 'hardSigmoid', 'sign', 'step'].every((n) => e.message.includes(n)),
    );
  });

  it('lists every contract name', () => {
    const names =
      'linear sigmoid tanh relu relu6 leakyRelu elu selu softplus softsign softmax gelu swish hardSigmoid sign step';
    for (const n of names.split(' ')) assert.ok(ax.activationNames.includes(n as ax.ActivationName), n);
  });
});
