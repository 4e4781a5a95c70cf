/**
 * The fused kernels of the plan (Backend.denseForward, denseBackward, softmaxCrossEntropy,
 * sigmoidCrossEntropy) against the unfused kernels they replace: on the JS backend bit for bit (the
 * plan's promise of graph-identical training rests on it), on the WASM backend bit for bit against
 * the WASM composition where both run in wasm, and within 1e-5 of the JS reference everywhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, DenseActivation } from '../../src/backend/backend.js';
import * as ax from '../../src/index.js';
import { Random } from '../../src/tensor/random.js';
import { jsBackend, wasmBackend, wasmFallbackCount } from '../backend/helpers.js';

const ACTIVATIONS: DenseActivation[] = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'leakyRelu',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'gelu',
  'swish',
  'hardSigmoid',
  'softmax',
  'logSoftmax',
];

function normal(rng: Random, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

function alphaOf(activation: DenseActivation): number {
  return activation === 'leakyRelu' ? 0.2 : activation === 'elu' ? 1 : 0;
}

/** z = x·W + b then a = f(z), op by op on `k`'s separate kernels. */
function forwardOps(
  k: Backend,
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  m: number,
  kk: number,
  n: number,
  act: DenseActivation,
) {
  const z0 = new Float32Array(m * n);
  k.matMul(
    x,
    w,
    { batch: 1, m, k: kk, n, transposeA: false, transposeB: false, aBatched: false, bBatched: false },
    z0,
  );
  const z = new Float32Array(m * n);
  k.binary('add', z0, [m, n], b, [n], z, [m, n]);
  const a = new Float32Array(m * n);
  if (act === 'linear') a.set(z);
  else if (act === 'softmax') k.softmax(z, m, n, a);
  else if (act === 'logSoftmax') k.logSoftmax(z, m, n, a);
  else k.unary(act, z, a, alphaOf(act));
  return { z, a };
}

/** The backward of the same ops, as the autodiff graph runs it: δ, Σ_rows δ, xᵀδ, δWᵀ. */
function backwardOps(
  k: Backend,
  x: Float32Array,
  w: Float32Array,
  z: Float32Array,
  a: Float32Array,
  da: Float32Array,
  m: number,
  kk: number,
  n: number,
  act: DenseActivation,
) {
  const dz = new Float32Array(m * n);
  if (act === 'linear') dz.set(da);
  else if (act === 'softmax') k.softmaxGrad(a, da, m, n, dz);
  else if (act === 'logSoftmax') k.logSoftmaxGrad(a, da, m, n, dz);
  else k.unaryGrad(act, z, a, da, dz, alphaOf(act));
  const db = new Float32Array(n);
  k.reduce('sum', dz, { outer: 1, reduced: m, inner: n }, db);
  const dw = new Float32Array(kk * n);
  k.matMul(
    x,
    dz,
    { batch: 1, m: kk, k: m, n, transposeA: true, transposeB: false, aBatched: false, bBatched: false },
    dw,
  );
  const dx = new Float32Array(m * kk);
  k.matMul(
    dz,
    w,
    { batch: 1, m, k: n, n: kk, transposeA: false, transposeB: true, aBatched: false, bBatched: false },
    dx,
  );
  return { dz, db, dw, dx };
}

function fused(
  k: Backend,
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  da: Float32Array,
  m: number,
  kk: number,
  n: number,
  act: DenseActivation,
) {
  const dims = { m, k: kk, n };
  const z = new Float32Array(m * n);
  const a = new Float32Array(m * n);
  k.denseForward(x, w, b, dims, act, alphaOf(act), z, a);
  const dz = Float32Array.from(da);
  const dw = new Float32Array(kk * n);
  const db = new Float32Array(n);
  const dx = new Float32Array(m * kk);
  // In place over da, as the plan runs it.
  k.denseBackward(x, w, z, a, dz, dims, act, alphaOf(act), dz, dw, db, dx);
  return { z, a, dz, dw, db, dx };
}

function assertSame(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: lengths`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]))
      assert.fail(`${what}[${i}]: ${got[i]} vs ${want[i]} (not the same bits)`);
  }
}

function assertClose(got: Float32Array, want: Float32Array, what: string, rtol = 1e-5): void {
  // Relative to the tensor's scale: entries of a product can cancel to ~0.
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= rtol * Math.max(Math.abs(want[i]), scale))) {
      assert.fail(`${what}[${i}]: ${got[i]} vs ${want[i]} (error ${err.toExponential(2)}, scale ${scale})`);
    }
  }
}

interface Case {
  m: number;
  k: number;
  n: number;
}

/**
 * Small (JS loops on both backends); up to 8 rows over k > 256 (wasm's unpacked products: single rows
 * and groups of four, with columns left over); and large (the packed gemm).
 */
const SHAPES: Case[] = [
  { m: 10, k: 2, n: 8 },
  { m: 5, k: 7, n: 3 },
  { m: 3, k: 600, n: 77 },
  { m: 1, k: 300, n: 40 },
  { m: 5, k: 520, n: 45 },
  { m: 8, k: 260, n: 64 },
  { m: 37, k: 45, n: 29 },
];

function operands(seed: number, { m, k, n }: Case) {
  const rng = new Random(seed);
  return {
    x: normal(rng, m * k),
    w: normal(rng, k * n, 1 / Math.sqrt(k)),
    b: normal(rng, n, 0.1),
    da: normal(rng, m * n),
  };
}

describe('fused Dense kernels', () => {
  it('are the bits of the separate kernels on the JS backend, for every activation', () => {
    for (const shape of SHAPES) {
      const { m, k, n } = shape;
      for (const act of ACTIVATIONS) {
        const { x, w, b, da } = operands(m * 1000 + n, shape);
        const want = forwardOps(jsBackend, x, w, b, m, k, n, act);
        const back = backwardOps(jsBackend, x, w, want.z, want.a, da, m, k, n, act);
        const got = fused(jsBackend, x, w, b, da, m, k, n, act);
        const what = `${act} ${m}×${k}×${n}`;
        assertSame(got.z, want.z, `${what} z`);
        assertSame(got.a, want.a, `${what} a`);
        assertSame(got.dz, back.dz, `${what} dz`);
        assertSame(got.db, back.db, `${what} db`);
        assertSame(got.dw, back.dw, `${what} dW`);
        assertSame(got.dx, back.dx, `${what} dx`);
      }
    }
  });

  it('on WASM agree with the JS reference to 1e-5, and the forward is the WASM composition bit for bit', () => {
    const before = wasmFallbackCount();
    for (const shape of SHAPES) {
      const { m, k, n } = shape;
      for (const act of ACTIVATIONS) {
        const { x, w, b, da } = operands(m * 1000 + n, shape);
        const ref = fused(jsBackend, x, w, b, da, m, k, n, act);
        const got = fused(wasmBackend, x, w, b, da, m, k, n, act);
        const what = `${act} ${m}×${k}×${n}`;
        for (const key of ['z', 'a', 'dz', 'dw', 'db', 'dx'] as const)
          assertClose(got[key], ref[key], `${what} ${key}`);
        if (m * k * n >= 1024 && act === 'relu') {
          // Where wasm runs the product (packed gemm, or the unpacked rows path for a few rows), the
          // fused forward is exactly matMul then add then relu on the wasm backend.
          const ops = forwardOps(wasmBackend, x, w, b, m, k, n, act);
          assertSame(got.z, ops.z, `${what} z (wasm ops)`);
        }
      }
    }
    assert.equal(wasmFallbackCount(), before, 'no wasm call fell back to JS');
  });

  it('skip the outputs given as null (no bias, frozen weights, first layer)', () => {
    const shape = { m: 6, k: 5, n: 4 };
    const { x, w, da } = operands(9, shape);
    for (const k of [jsBackend, wasmBackend]) {
      const z = new Float32Array(24);
      const a = new Float32Array(24);
      k.denseForward(x, w, null, shape, 'tanh', 0, z, a);
      const want = forwardOps(jsBackend, x, w, new Float32Array(4), 6, 5, 4, 'tanh');
      assertClose(a, want.a, `${k.name} a without bias`);
      const dz = Float32Array.from(da);
      const dx = new Float32Array(30);
      k.denseBackward(x, w, z, a, dz, shape, 'tanh', 0, dz, null, null, dx);
      const back = backwardOps(jsBackend, x, w, z, a, da, 6, 5, 4, 'tanh');
      assertClose(dx, back.dx, `${k.name} dx alone`);
    }
  });
});

describe('fused cross-entropy kernels', () => {
  it('softmax cross-entropy: loss −Σy·log softmax(x), gradient scale·(softmax(x)·Σy − y)', () => {
    const rng = new Random(3);
    for (const [rows, cols] of [
      [4, 3],
      [32, 10],
      [7, 130],
    ]) {
      const x = normal(rng, rows * cols, 3);
      const y = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) y[r * cols + ((r * 7) % cols)] = 1;
      const scale = Math.fround(1 / rows);
      const results = [jsBackend, wasmBackend].map((k) => {
        const loss = new Float32Array(rows);
        const dx = new Float32Array(rows * cols);
        k.softmaxCrossEntropy(x, y, rows, cols, scale, loss, dx);
        return { loss, dx };
      });
      // The math, in f64: log-sum-exp and the softmax.
      for (let r = 0; r < rows; r++) {
        let max = -Infinity;
        for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - max);
        const label = (r * 7) % cols;
        const loss = max + Math.log(sum) - x[r * cols + label];
        for (const res of results) {
          assert.ok(
            Math.abs(res.loss[r] - loss) <= 1e-5 * Math.max(1, loss),
            `row ${r}: ${res.loss[r]} vs ${loss}`,
          );
          for (let c = 0; c < cols; c++) {
            const p = Math.exp(x[r * cols + c] - max) / sum;
            const want = (p - (c === label ? 1 : 0)) / rows;
            assert.ok(Math.abs(res.dx[r * cols + c] - want) <= 1e-6 / rows, `dx[${r},${c}]`);
          }
        }
      }
      assertClose(results[1].dx, results[0].dx, `wasm vs js dx ${rows}×${cols}`);
    }
  });

  it('sigmoid cross-entropy: loss max(x,0) − xy + log(1 + e^−|x|), gradient scale·(σ(x) − y)', () => {
    const rng = new Random(4);
    for (const n of [10, 300]) {
      const x = normal(rng, n, 4);
      x[0] = 60;
      x[1] = -60;
      const y = new Float32Array(n).map((_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.3));
      const scale = Math.fround(1 / n);
      const results = [jsBackend, wasmBackend].map((k) => {
        const loss = new Float32Array(n);
        const dx = new Float32Array(n);
        k.sigmoidCrossEntropy(x, y, scale, loss, dx);
        return { loss, dx };
      });
      for (let i = 0; i < n; i++) {
        const loss = Math.max(x[i], 0) - x[i] * y[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        const grad = scale * (1 / (1 + Math.exp(-x[i])) - y[i]);
        for (const res of results) {
          assert.ok(
            Math.abs(res.loss[i] - loss) <= 1e-6 * Math.max(1, loss),
            `loss[${i}]: ${res.loss[i]} vs ${loss}`,
          );
          assert.ok(Math.abs(res.dx[i] - grad) <= 1e-7 * scale + 1e-6 * Math.abs(grad), `dx[${i}]`);
        }
      }
    }
  });
});

describe('fused Adam update', () => {
  it("is the Adam optimizer's update bit for bit, on both backends", () => {
    const rng = new Random(12);
    for (const n of [10, 5000]) {
      const w0 = normal(rng, n);
      const grads = [normal(rng, n, 0.1), normal(rng, n, 0.1), normal(rng, n, 0.01)];
      const variable = ax.variable(ax.tensor(w0), true, 'w');
      const adam = ax.optimizers.adam({ learningRate: 0.01 });
      for (const g of grads) adam.applyGradients([variable], [ax.tensor(g)]);
      for (const k of [jsBackend, wasmBackend]) {
        const w = Float32Array.from(w0);
        const m = new Float32Array(n);
        const v = new Float32Array(n);
        grads.forEach((g, i) => {
          const t = i + 1;
          k.adamUpdate(w, g, m, v, 0.01, 0.9, 0.999, 1e-7, 1 - 0.9 ** t, 1 - 0.999 ** t);
        });
        assertSame(w, variable.values as Float32Array, `${k.name} n=${n}`);
      }
    }
  });
});
