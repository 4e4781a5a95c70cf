/**
 * Reductions (sum, max, min, logSumExp, argMax, argMin) and the softmax family with their gradients on
 * the JS and WASM backends, on the same seeded cases: rows that are not multiples of 4, reductions
 * over the last axis (inner = 1) and over middle axes (inner > 1), NaN, ±∞ and large logits.
 *
 * Both backends accumulate in float64 but in different orders, so where a sum cancels (1e30 − 1e30, or
 * dy − Σ dy·y for a confident softmax) their difference is float64 rounding of the terms, not of the
 * result: those checks get a floor of 1e-12 × the magnitude of the summed terms on top of the 1e-5
 * relative tolerance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReduceOp } from '../../src/backend/backend.js';
import { assertAgree, data, onBoth, seeded, wasmFallbackCount } from './helpers.js';

/** Σ|x| over each reduced slice, times 1e-12: the float64 summation-order floor for `sum`. */
function sumFloor(x: Float32Array, dims: { outer: number; reduced: number; inner: number }): Float64Array {
  const floor = new Float64Array(dims.outer * dims.inner);
  for (let o = 0; o < dims.outer; o++) {
    for (let r = 0; r < dims.reduced; r++) {
      for (let i = 0; i < dims.inner; i++) {
        floor[o * dims.inner + i] += 1e-12 * Math.abs(x[(o * dims.reduced + r) * dims.inner + i]);
      }
    }
  }
  return floor;
}

/** The floor for the softmax gradients: 1e-12 × |each term| of dy − Σ (per row). */
function gradFloor(
  y: Float32Array,
  dy: Float32Array,
  rows: number,
  cols: number,
  log: boolean,
): Float64Array {
  const floor = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let row = 0;
    for (let c = 0; c < cols; c++) row += Math.abs(dy[r * cols + c] * (log ? 1 : y[r * cols + c]));
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      floor[i] =
        1e-12 * (log ? Math.abs(dy[i]) + Math.exp(y[i]) * row : Math.abs(y[i]) * (Math.abs(dy[i]) + row));
    }
  }
  return floor;
}

const OPS: ReduceOp[] = ['sum', 'max', 'min', 'logSumExp'];
const DIMS = [
  { outer: 1, reduced: 1, inner: 1 },
  { outer: 1, reduced: 1000, inner: 1 },
  { outer: 7, reduced: 13, inner: 1 },
  { outer: 3, reduced: 257, inner: 1 },
  { outer: 1, reduced: 128, inner: 33 }, // bias gradient: sum over the batch axis
  { outer: 5, reduced: 9, inner: 7 },
  { outer: 2, reduced: 40, inner: 4 },
  { outer: 4, reduced: 0, inner: 3 },
  { outer: 2, reduced: 3, inner: 200 },
];

describe('reductions: JS and WASM agree', () => {
  for (const op of OPS) {
    it(`${op} over [outer, reduced, inner] layouts, with NaN and ±∞ in some rows`, () => {
      const random = seeded(20 + OPS.indexOf(op));
      for (const dims of DIMS) {
        const n = dims.outer * dims.reduced * dims.inner;
        for (const specials of [false, true]) {
          const x = data(random, n, 4, specials);
          const [wasm, js] = onBoth(dims.outer * dims.inner, (b, out) => b.reduce(op, x, dims, out));
          const floor = op === 'sum' ? sumFloor(x, dims) : 1e-37;
          assertAgree(
            wasm,
            js,
            `${op} ${JSON.stringify(dims)}${specials ? ' with specials' : ''}`,
            1e-5,
            floor,
          );
        }
      }
      assert.equal(wasmFallbackCount(), 0);
    });
  }

  it('logSumExp of rows that are all −∞, or hold +∞ or NaN', () => {
    const x = new Float32Array(4 * 50).fill(Number.NEGATIVE_INFINITY);
    x[50 + 3] = Number.POSITIVE_INFINITY;
    x[100 + 7] = Number.NaN;
    for (let i = 150; i < 200; i++) x[i] = -1000 + i;
    const [wasm, js] = onBoth(4, (b, out) =>
      b.reduce('logSumExp', x, { outer: 4, reduced: 50, inner: 1 }, out),
    );
    assertAgree(wasm, js, 'logSumExp');
    assert.equal(js[0], Number.NEGATIVE_INFINITY);
  });

  it('argMax and argMin (first index wins ties)', () => {
    const random = seeded(30);
    for (const dims of DIMS.filter((d) => d.reduced > 0)) {
      const x = data(random, dims.outer * dims.reduced * dims.inner, 1).map((v) => Math.round(v));
      for (const op of ['argMax', 'argMin'] as const) {
        const [wasm, js] = onBoth(dims.outer * dims.inner, (b, out) => b.argReduce(op, x, dims, out));
        assertAgree(wasm, js, `${op} ${JSON.stringify(dims)}`);
      }
    }
  });
});

const ROW_SHAPES: [number, number][] = [
  [1, 1],
  [64, 1],
  [1, 64],
  [30, 3],
  [17, 10],
  [128, 10],
  [9, 33],
  [4, 100],
  [2, 1000],
];

describe('softmax family: JS and WASM agree', () => {
  for (const scale of [1, 10, 50]) {
    it(`softmax, logSoftmax and their gradients, logits × ${scale}`, () => {
      const random = seeded(40 + scale);
      for (const [rows, cols] of ROW_SHAPES) {
        const n = rows * cols;
        const x = data(random, n, scale);
        if (n >= 64) {
          x[5] = Number.NEGATIVE_INFINITY; // a masked logit
          x[n - 1] = -200;
        }
        const label = `[${rows}, ${cols}] ×${scale}`;
        const [wasmY, jsY] = onBoth(n, (b, out) => b.softmax(x, rows, cols, out));
        assertAgree(wasmY, jsY, `softmax ${label}`);
        const [wasmL, jsL] = onBoth(n, (b, out) => b.logSoftmax(x, rows, cols, out));
        assertAgree(wasmL, jsL, `logSoftmax ${label}`);
        const dy = data(random, n, 1);
        const [wasmG, jsG] = onBoth(n, (b, out) => b.softmaxGrad(jsY, dy, rows, cols, out));
        assertAgree(wasmG, jsG, `softmaxGrad ${label}`, 1e-5, gradFloor(jsY, dy, rows, cols, false));
        const [wasmLG, jsLG] = onBoth(n, (b, out) => b.logSoftmaxGrad(jsL, dy, rows, cols, out));
        assertAgree(wasmLG, jsLG, `logSoftmaxGrad ${label}`, 1e-5, gradFloor(jsL, dy, rows, cols, true));
      }
      assert.equal(wasmFallbackCount(), 0);
    });
  }

  it('the cross-entropy gradient of a confident prediction (dy − eʸ·Σdy cancels)', () => {
    const rows = 16;
    const cols = 10;
    const x = new Float32Array(rows * cols);
    const dy = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      x[r * cols + (r % cols)] = 12 + r; // near-certain class
      dy[r * cols + (r % cols)] = -1 / rows;
    }
    const [, jsL] = onBoth(rows * cols, (b, out) => b.logSoftmax(x, rows, cols, out));
    const [wasm, js] = onBoth(rows * cols, (b, out) => b.logSoftmaxGrad(jsL, dy, rows, cols, out));
    assertAgree(wasm, js, 'logSoftmaxGrad, confident', 1e-5, gradFloor(jsL, dy, rows, cols, true));
  });
});
