import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

describe("the notes' example J = 3(a + bc)", () => {
  it('J = 33, ∂J/∂a = 3, ∂J/∂b = 6, ∂J/∂c = 9 with backward()', () => {
    const a = ax.variable(ax.scalar(5), true, 'a');
    const b = ax.variable(ax.scalar(3), true, 'b');
    const c = ax.variable(ax.scalar(2), true, 'c');
    const u = ax.mul(b, c);
    const v = ax.add(a, u);
    const J = ax.mul(3, v);
    assert.equal(J.item(), 33);
    J.backward();
    assert.equal(a.grad?.item(), 3);
    assert.equal(b.grad?.item(), 6);
    assert.equal(c.grad?.item(), 9);
    // The intermediate steps of the notes: ∂J/∂v = 3, ∂J/∂u = 3.
    assert.equal(v.grad?.item(), 3);
    assert.equal(u.grad?.item(), 3);
    assert.equal(J.grad?.item(), 1);
  });

  it('the same with grads() and variableGrads()', () => {
    const f = (a: ax.Tensor, b: ax.Tensor, c: ax.Tensor): ax.Tensor => ax.mul(3, ax.add(a, ax.mul(b, c)));
    const { value, grads } = ax.valueAndGrads(f)([5, 3, 2]);
    assert.equal(value.item(), 33);
    assert.deepEqual(
      grads.map((g) => g.item()),
      [3, 6, 9],
    );
    const [da, db, dc] = ax.grads(f)([ax.scalar(5), ax.scalar(3), ax.scalar(2)]);
    assert.deepEqual([da.item(), db.item(), dc.item()], [3, 6, 9]);

    const a = ax.variable(ax.scalar(5), true, 'a');
    const b = ax.variable(ax.scalar(3), true, 'b');
    const c = ax.variable(ax.scalar(2), true, 'c');
    const r = ax.variableGrads(() => f(a, b, c));
    assert.equal(r.value.item(), 33);
    assert.deepEqual(Object.keys(r.grads).sort(), ['a', 'b', 'c']);
    assert.deepEqual([r.grads.a.item(), r.grads.b.item(), r.grads.c.item()], [3, 6, 9]);
  });
});

describe('grad, grads, valueAndGrad, valueAndGrads', () => {
  it('grad of a non-scalar function is the gradient of Σ f(x), or of Σ f(x)·dy', () => {
    const dSquare = ax.grad((x) => ax.square(x));
    assert.deepEqual(flat(dSquare(ax.tensor([1, 2, 3]))), [2, 4, 6]);
    assert.deepEqual(flat(dSquare([1, 2, 3], ax.tensor([1, 0, -2]))), [2, 0, -12]);
    assert.deepEqual(dSquare(ax.tensor([[1, 2]])).shape, [1, 2]);
    assert.throws(() => dSquare([1, 2], ax.tensor([1])), /dy has shape \[1\] but f returned shape \[2\]/);
  });

  it('valueAndGrad returns f(x) and ∂f/∂x in one pass', () => {
    const { value, grad } = ax.valueAndGrad((x) => ax.sum(ax.square(x)))(ax.tensor([3, 4]));
    assert.equal(value.item(), 25);
    assert.deepEqual(flat(grad), [6, 8]);
  });

  it('leaves the caller’s tensors untouched and works on variables too', () => {
    const x = ax.tensor([1, 2]);
    ax.grad((t) => ax.sum(ax.exp(t)))(x);
    assert.equal(x.requiresGrad, false);
    assert.equal(x.grad, null);
    const v = ax.variable(ax.tensor([1, 2]));
    assertClose(flat(ax.grad((t) => ax.sum(ax.exp(t)))(v)), [Math.E, Math.E ** 2], 1e-6);
    assert.equal(v.grad, null);
  });

  it('inputs that f ignores get zero gradients of their own shape', () => {
    const [da, db] = ax.grads((a, _b) => ax.sum(ax.mul(a, 2)))([ax.ones([2]), ax.ones([3, 1])]);
    assert.deepEqual(flat(da), [2, 2]);
    assert.deepEqual(db.shape, [3, 1]);
    assert.deepEqual(flat(db), [0, 0, 0]);
    const dc = ax.grad(() => ax.scalar(1))(ax.tensor([5, 6]));
    assert.deepEqual(flat(dc), [0, 0]);
  });

  it('a broadcast input collects the gradient of every position it fed (sumTo)', () => {
    // y = x·W + b for x [4, 3]; ∂Σy/∂b = 4 per unit, ∂Σy/∂W[i][j] = Σₙ x[n][i].
    const x = ax.reshape(ax.range(0, 12), [4, 3]);
    const [dW, db] = ax.grads((W, b) => ax.sum(ax.add(ax.matMul(x, W), b)))([ax.ones([3, 2]), ax.zeros([2])]);
    assert.deepEqual(flat(db), [4, 4]);
    assert.deepEqual(dW.arraySync(), [
      [18, 18],
      [22, 22],
      [26, 26],
    ]);
  });

  it('the function must return a tensor', () => {
    assert.throws(
      () => ax.grad(() => 3 as unknown as ax.Tensor)(ax.scalar(1)),
      /the function must return a Tensor, got number/,
    );
  });
});

describe('gradient accumulation', () => {
  it('a tensor used twice: x·x → 2x, x + x → 2', () => {
    assert.deepEqual(flat(ax.grad((x) => ax.mul(x, x))(ax.tensor([3, -1]))), [6, -2]);
    assert.deepEqual(flat(ax.grad((x) => ax.add(x, x))(ax.tensor([3, -1]))), [2, 2]);
  });

  it('a diamond: y = (x + 1)·(2x) → dy/dx = 4x + 2', () => {
    const x = ax.variable(ax.tensor([0.5, 2]));
    const y = ax.sum(ax.mul(ax.add(x, 1), ax.mul(x, 2)));
    y.backward();
    assert.deepEqual(flat(x.grad as ax.Tensor), [4, 10]);
  });

  it('a variable used in several terms: f = w² + 3w + w·w·w → 2w + 3 + 3w²', () => {
    const w = ax.variable(ax.scalar(2), true, 'w');
    const { grads } = ax.variableGrads(() =>
      ax.add(ax.add(ax.square(w), ax.mul(3, w)), ax.mul(ax.mul(w, w), w)),
    );
    assert.equal(grads.w.item(), 4 + 3 + 12);
  });
});

describe('backward()', () => {
  it('on a scalar (any one-element shape) seeds ∂L/∂L = 1', () => {
    const w = ax.variable(ax.tensor([[2]]));
    const y = ax.mul(w, 7);
    assert.deepEqual(y.shape, [1, 1]);
    y.backward();
    assert.deepEqual(flat(w.grad as ax.Tensor), [7]);
  });

  it('on a non-scalar with dy, and an error without dy or with a wrong dy', () => {
    const x = ax.variable(ax.tensor([1, 2, 3]));
    const y = ax.square(x);
    assert.throws(
      () => y.backward(),
      /backward\(\): the tensor has shape \[3\]; pass dy for a non-scalar result/,
    );
    assert.throws(
      () => y.backward(ax.ones([2])),
      /backward\(\): dy has shape \[2\] but the tensor has shape \[3\]/,
    );
    y.backward(ax.tensor([1, 0, 0.5]));
    assert.deepEqual(flat(x.grad as ax.Tensor), [2, 0, 3]);
  });

  it('sets (does not add to) .grad on a second call', () => {
    const x = ax.variable(ax.scalar(3));
    const y = ax.square(x);
    y.backward();
    y.backward();
    assert.equal(x.grad?.item(), 6);
  });

  it('does nothing for a result that needs no gradient', () => {
    const c = ax.tensor([1, 2]);
    const y = ax.sum(ax.square(c));
    assert.equal(y.requiresGrad, false);
    y.backward();
    assert.equal(c.grad, null);
  });

  it('a deep chain of 10,000 ops does not overflow the stack', () => {
    const x = ax.variable(ax.scalar(1));
    let y: ax.Tensor = x;
    for (let i = 0; i < 5_000; i++) y = ax.add(ax.mul(y, 1.0001), 0.001);
    y.backward();
    // dy/dx = 1.0001^5000 (the additions do not change it); float32 keeps it to ~1e-3.
    const factor = Math.fround(1.0001) ** 5_000;
    assertClose([x.grad?.item() ?? Number.NaN], [factor], 2e-3, 'deep backward');
    const order = ax.topologicalOrder(y);
    assert.ok(order.length > 10_000, `graph of ${order.length} tensors`);
    // The functional API walks the same depth.
    const g = ax.grad((t) => {
      let z = t;
      for (let i = 0; i < 10_000; i++) z = ax.neg(z);
      return z;
    })(ax.scalar(2));
    assert.equal(g.item(), 1);
  });
});

describe('variables', () => {
  it('variable() copies its initial value; assign() replaces values in place', () => {
    const init = ax.tensor([1, 2]);
    const v = ax.variable(init, true, 'v');
    assert.ok(v instanceof ax.Variable);
    assert.equal(v.name, 'v');
    assert.equal(v.trainable, true);
    assert.equal(v.requiresGrad, true);
    v.assign(ax.tensor([5, 6]));
    assert.deepEqual(flat(v), [5, 6]);
    assert.deepEqual(flat(init), [1, 2]);
    // Ops see the new value.
    assert.deepEqual(flat(ax.mul(v, 2)), [10, 12]);
    assert.throws(() => v.assign(ax.zeros([3])), /assign: variable 'v' has shape \[2\], value has \[3\]/);
    assert.deepEqual(ax.variable([[1, 2, 3]]).shape, [1, 3]);
  });

  it('a non-trainable variable receives no gradient', () => {
    const w = ax.variable(ax.scalar(2), true, 'w');
    const frozen = ax.variable(ax.scalar(5), false, 'frozen');
    assert.equal(frozen.requiresGrad, false);
    const { value, grads } = ax.variableGrads(() => ax.mul(w, frozen));
    assert.equal(value.item(), 10);
    assert.deepEqual(Object.keys(grads), ['w']);
    assert.equal(grads.w.item(), 5);
  });

  it('variableGrads with an explicit list, unnamed variables keyed by id, and a scalar check', () => {
    const used = ax.variable(ax.tensor([1, 2]));
    const unused = ax.variable(ax.tensor([[1, 2, 3]]), true, 'unused');
    const { grads } = ax.variableGrads(() => ax.sum(ax.square(used)), [used, unused]);
    assert.deepEqual(flat(grads[String(used.id)]), [2, 4]);
    assert.deepEqual(grads.unused.shape, [1, 3]);
    assert.deepEqual(flat(grads.unused), [0, 0, 0]);
    assert.throws(
      () => ax.variableGrads(() => ax.square(used)),
      /variableGrads: f must return a scalar, got shape \[2\]/,
    );
  });
});

describe('noGrad', () => {
  it('records no graph and restores recording afterwards, even after an error', () => {
    const w = ax.variable(ax.tensor([1, 2]));
    assert.equal(ax.isRecording(), true);
    const y = ax.noGrad(() => {
      assert.equal(ax.isRecording(), false);
      return ax.sum(ax.mul(w, 3));
    });
    assert.equal(y.item(), 9);
    assert.equal(y.node, null);
    assert.equal(y.requiresGrad, false);
    assert.equal(ax.isRecording(), true);
    assert.throws(() =>
      ax.noGrad(() => {
        throw new Error('boom');
      }),
    );
    assert.equal(ax.isRecording(), true);
    // Nested: the inner block does not switch recording back on.
    ax.noGrad(() => {
      ax.noGrad(() => 0);
      assert.equal(ax.isRecording(), false);
    });
    // Outside noGrad the same op records its graph.
    const z = ax.sum(ax.mul(w, 3));
    assert.equal(z.requiresGrad, true);
    assert.equal(z.node?.op, 'sum');
  });

  it('a value computed under noGrad inside a differentiated function is a constant', () => {
    const g = ax.grad((x) =>
      ax.mul(
        x,
        ax.noGrad(() => ax.mul(x, 1)),
      ),
    )(ax.scalar(3));
    // d/dx (x · c) with c = x held constant is c = 3, not 2x = 6.
    assert.equal(g.item(), 3);
  });
});
