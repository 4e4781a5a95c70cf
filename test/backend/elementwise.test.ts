/**
 * Elementwise kernels (unary, unaryGrad, binary with broadcasting, clip, where, broadcastTo) on the
 * JS and WASM backends, on the same seeded cases: they must agree to 1e-5 relative everywhere,
 * including special values (±0, NaN, ±∞, subnormals, overflow edges) and the roots of the gradients.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BinaryOp, UnaryOp } from '../../src/backend/backend.js';
import { assertAgree, data, onBoth, SPECIALS, seeded, wasmFallbackCount } from './helpers.js';

const UNARY_OPS: UnaryOp[] = [
  'neg',
  'abs',
  'sign',
  'sqrt',
  'square',
  'exp',
  'log',
  'log1p',
  'reciprocal',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'gelu',
  'swish',
  'hardSigmoid',
  'step',
];
const BINARY_OPS: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
];
/** Sizes below, at and above the WASM thresholds, odd and not multiples of 4. */
const SIZES = [0, 1, 3, 63, 64, 257, 1027, 4099];

/** A dense sweep of [−12, 12] plus a wide log-spaced sweep, so every branch of every formula is hit. */
function sweep(): Float32Array {
  const values: number[] = [...SPECIALS];
  for (let i = -1200; i <= 1200; i++) values.push(i / 100);
  for (let e = -40; e <= 38; e += 0.25) values.push(10 ** e, -(10 ** e));
  return Float32Array.from(values);
}

describe('unary kernels: JS and WASM agree', () => {
  for (const op of UNARY_OPS) {
    it(`${op}: forward and gradient, every size, random data, specials and a dense sweep`, () => {
      const random = seeded(UNARY_OPS.indexOf(op) + 1);
      const inputs = [...SIZES.map((n) => data(random, n, 3, true)), sweep(), data(random, 2000, 30, true)];
      for (const x of inputs) {
        const alpha = op === 'leakyRelu' ? 0.2 : 1.3;
        const [wasmY, jsY] = onBoth(x.length, (b, out) => b.unary(op, x, out, alpha));
        assertAgree(wasmY, jsY, `${op}(x), n = ${x.length}`);
        const dy = data(random, x.length, 2);
        const [wasmDx, jsDx] = onBoth(x.length, (b, out) => b.unaryGrad(op, x, jsY, dy, out, alpha));
        assertAgree(wasmDx, jsDx, `${op}′(x)·dy, n = ${x.length}`);
      }
      assert.equal(wasmFallbackCount(), 0);
    });
  }
});

/** A random output shape (rank 0–4) and operand shapes that broadcast to it. */
function broadcastCase(random: ReturnType<typeof seeded>): { a: number[]; b: number[]; out: number[] } {
  const rank = random.int(5);
  const out = Array.from({ length: rank }, () => 1 + random.int(9));
  const operand = () => {
    const drop = random.int(rank + 1);
    return out.slice(drop).map((d) => (random.uniform() < 0.3 ? 1 : d));
  };
  const a = operand();
  const b = operand();
  // The output is the broadcast of a and b (an axis both shrank to 1 is 1 in the output too).
  const outShape = out.map((_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    return Math.max(da, db);
  });
  return { a, b, out: outShape };
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Operands for a binary op: small integers for the comparisons (so ties happen), else real values. */
function operand(random: ReturnType<typeof seeded>, op: BinaryOp, n: number): Float32Array {
  if (
    ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'maximum', 'minimum'].includes(op)
  ) {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = random.int(5) - 2;
    if (n > 4) x[1] = Number.NaN;
    if (n > 4) x[2] = -0;
    return x;
  }
  return data(random, n, op === 'pow' ? 2 : 10, n > 2 * SPECIALS.length);
}

describe('binary kernels with broadcasting: JS and WASM agree', () => {
  const fixed: { a: number[]; b: number[]; out: number[] }[] = [
    { a: [64, 33], b: [33], out: [64, 33] }, // bias add
    { a: [64, 33], b: [64, 1], out: [64, 33] }, // per-row scale
    { a: [1, 33], b: [70, 1], out: [70, 33] }, // outer product shape
    { a: [5, 1, 7, 9], b: [6, 1, 9], out: [5, 6, 7, 9] },
    { a: [300], b: [], out: [300] }, // scalar right
    { a: [], b: [300], out: [300] }, // scalar left
    { a: [2, 1, 1, 130], b: [1, 3, 1, 1], out: [2, 3, 1, 130] }, // size-1 output axis inside
    { a: [1], b: [1], out: [1] },
    { a: [0, 4], b: [4], out: [0, 4] },
  ];
  for (const op of BINARY_OPS) {
    it(`${op}: fixed and random broadcast shapes`, () => {
      const random = seeded(100 + BINARY_OPS.indexOf(op));
      const cases = [...fixed];
      while (cases.length < 60) {
        const c = broadcastCase(random);
        if (cases.length < 30 || size(c.out) >= 256) cases.push(c);
      }
      for (const { a: aShape, b: bShape, out: outShape } of cases) {
        const a = operand(random, op, size(aShape));
        const b = operand(random, op, size(bShape));
        const [wasm, js] = onBoth(size(outShape), (k, out) =>
          k.binary(op, a, aShape, b, bShape, out, outShape),
        );
        assertAgree(wasm, js, `${op} [${aShape}] ∘ [${bShape}] → [${outShape}]`);
      }
      assert.equal(wasmFallbackCount(), 0);
    });
  }
});

describe('clip, where and broadcastTo: JS and WASM agree', () => {
  it('clip with bounds that are not float32 values, ±∞ bounds and specials', () => {
    const random = seeded(7);
    for (const n of SIZES) {
      const x = data(random, n, 2, true);
      for (const [lo, hi] of [
        [1e-7, 1 - 1e-7],
        [-1, 1],
        [Number.NEGATIVE_INFINITY, 0.3],
        [0.1, 0.1],
      ]) {
        const [wasm, js] = onBoth(n, (b, out) => b.clip(x, lo, hi, out));
        assertAgree(wasm, js, `clip(x, ${lo}, ${hi}), n = ${n}`);
      }
    }
  });

  it('where and broadcastTo (delegated to the JS kernels) give the same results', () => {
    const random = seeded(8);
    const cond = data(random, 40 * 30, 1).map((v) => (v > 0 ? 1 : 0));
    const a = data(random, 30, 1);
    const b = data(random, 40, 1);
    const [w1, j1] = onBoth(1200, (k, out) => k.where(cond, [40, 30], a, [30], b, [40, 1], out, [40, 30]));
    assertAgree(w1, j1, 'where');
    const [w2, j2] = onBoth(1200, (k, out) => k.broadcastTo(a, [1, 30], out, [40, 30]));
    assertAgree(w2, j2, 'broadcastTo');
  });
});
