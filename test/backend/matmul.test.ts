/**
 * The matrix product on the JS and WASM backends, on the same seeded cases: every transpose
 * combination, every batch configuration (both batched, one operand shared), edge shapes (1×1, sizes
 * that are not multiples of the 4×8 tile, empty dimensions) and shapes that cross the WASM kernel's
 * cache blocks (KC = 256 along k, MC = 96 rows, NC = 2048 columns).
 *
 * The two backends sum in different orders, so they agree up to rounding of the terms: the check is
 * |wasm − js| ≤ 1e-5 · Σₚ |a_ip·b_pj| (relative to the magnitude of what was summed). Both are also
 * checked against a float64 reference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatMulDims } from '../../src/backend/backend.js';
import { data, jsBackend, seeded, wasmBackend, wasmFallbackCount } from './helpers.js';

/** C = op(A)·op(B) in float64, plus Σ|a·b| per entry (the scale of the rounding error). */
function reference(
  a: Float32Array,
  b: Float32Array,
  d: MatMulDims,
): { c: Float64Array; scale: Float64Array } {
  const { batch, m, k, n, transposeA, transposeB, aBatched, bBatched } = d;
  const c = new Float64Array(batch * m * n);
  const scale = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = aBatched ? t * m * k : 0;
    const bo = bBatched ? t * k * n : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const av = a[ao + (transposeA ? p * m + i : i * k + p)];
          const bv = b[bo + (transposeB ? j * k + p : p * n + j)];
          s += av * bv;
          abs += Math.abs(av * bv);
        }
        c[(t * m + i) * n + j] = s;
        scale[(t * m + i) * n + j] = abs;
      }
    }
  }
  return { c, scale };
}

function check(d: MatMulDims, seed: number, valueScale = 1): void {
  const random = seeded(seed);
  const a = data(random, (d.aBatched ? d.batch : 1) * d.m * d.k, valueScale);
  const b = data(random, (d.bBatched ? d.batch : 1) * d.k * d.n, valueScale);
  const size = d.batch * d.m * d.n;
  const js = new Float32Array(size).fill(7);
  const wasm = new Float32Array(size).fill(-7);
  jsBackend.matMul(a, b, d, js);
  wasmBackend.matMul(a, b, d, wasm);
  const { c, scale } = reference(a, b, d);
  const label = `${JSON.stringify(d)} ×${valueScale}`;
  for (let i = 0; i < size; i++) {
    const tol = 1e-5 * scale[i] + 1e-30;
    assert.ok(
      Math.abs(wasm[i] - js[i]) <= tol,
      `${label}[${i}]: wasm ${wasm[i]} vs js ${js[i]} (Σ|ab| ${scale[i]})`,
    );
    assert.ok(Math.abs(wasm[i] - c[i]) <= tol, `${label}[${i}]: wasm ${wasm[i]} vs float64 ${c[i]}`);
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 3, 5],
  [4, 8, 4],
  [8, 8, 8],
  [7, 13, 9],
  [16, 1, 16],
  [33, 65, 17],
  [97, 300, 41], // crosses MC (rows) and KC (k)
  [1, 300, 129], // a row vector times a matrix
  [129, 300, 1], // a matrix times a column vector
];

describe('matMul: JS and WASM agree', () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`op(A) = ${transposeA ? 'Aᵀ' : 'A'}, op(B) = ${transposeB ? 'Bᵀ' : 'B'}: edge and blocked shapes`, () => {
        SHAPES.forEach(([m, k, n], i) => {
          check({ batch: 1, m, k, n, transposeA, transposeB, aBatched: false, bBatched: false }, i);
        });
        assert.equal(wasmFallbackCount(), 0);
      });

      it(`op(A) = ${transposeA ? 'Aᵀ' : 'A'}, op(B) = ${transposeB ? 'Bᵀ' : 'B'}: batched and broadcast batches`, () => {
        for (const [aBatched, bBatched] of [
          [true, true],
          [true, false],
          [false, true],
        ]) {
          for (const [batch, m, k, n] of [
            [3, 9, 17, 11],
            [5, 4, 8, 8],
            [2, 33, 70, 21],
          ]) {
            check({ batch, m, k, n, transposeA, transposeB, aBatched, bBatched }, batch + m);
          }
        }
        assert.equal(wasmFallbackCount(), 0);
      });
    }
  }

  it('crosses the column block (n > 2048)', () => {
    check(
      {
        batch: 1,
        m: 6,
        k: 40,
        n: 2100,
        transposeA: false,
        transposeB: true,
        aBatched: false,
        bBatched: false,
      },
      5,
    );
  });

  it('handles empty dimensions like the JS kernel (k = 0 gives zeros)', () => {
    for (const [batch, m, k, n] of [
      [1, 0, 5, 7],
      [1, 5, 0, 7],
      [1, 5, 7, 0],
      [0, 5, 7, 3],
      [4, 30, 0, 30],
    ]) {
      check({ batch, m, k, n, transposeA: false, transposeB: false, aBatched: true, bBatched: true }, 11);
    }
  });

  it('big and tiny magnitudes keep their relative accuracy', () => {
    for (const scale of [1e15, 1e-15]) {
      check(
        {
          batch: 1,
          m: 40,
          k: 50,
          n: 30,
          transposeA: false,
          transposeB: false,
          aBatched: false,
          bBatched: false,
        },
        3,
        scale,
      );
    }
  });

  it('propagates NaN and ∞ like the JS kernel (0·NaN and 0·∞ give NaN; no zero skipping)', () => {
    const m = 20;
    const k = 30;
    const n = 20;
    const a = new Float32Array(m * k);
    const b = data(seeded(4), k * n, 1);
    b[0] = Number.NaN;
    b[5 * n + 3] = Number.POSITIVE_INFINITY;
    a[7 * k + 9] = 1;
    const d: MatMulDims = {
      batch: 1,
      m,
      k,
      n,
      transposeA: false,
      transposeB: false,
      aBatched: false,
      bBatched: false,
    };
    const js = new Float32Array(m * n);
    const wasm = new Float32Array(m * n);
    jsBackend.matMul(a, b, d, js);
    wasmBackend.matMul(a, b, d, wasm);
    assert.ok(Number.isNaN(wasm[0]) && Number.isNaN(js[0]));
    assert.ok(Number.isNaN(wasm[3]) && Number.isNaN(js[3]));
    for (let i = 0; i < m * n; i++)
      assert.ok(Object.is(wasm[i], js[i]) || wasm[i] === js[i], `[${i}] ${wasm[i]} vs ${js[i]}`);
  });
});

describe('matMul: the JS reference sums in f64 and rounds once', () => {
  it('1 + 2⁻²⁴ + 2⁻²⁴ is 1 + 2⁻²³ for every transpose combination (float32 steps would give 1)', () => {
    const tiny = 2 ** -24;
    // One row [1, 2⁻²⁴, 2⁻²⁴] times a column of ones, laid out for each transpose (k = 3).
    const row = Float32Array.from([1, tiny, tiny]);
    const ones = Float32Array.from([1, 1, 1]);
    for (let flags = 0; flags < 4; flags++) {
      const transposeA = (flags & 1) !== 0;
      const transposeB = (flags & 2) !== 0;
      const out = new Float32Array(1);
      const dims: MatMulDims = {
        batch: 1,
        m: 1,
        k: 3,
        n: 1,
        transposeA,
        transposeB,
        aBatched: false,
        bBatched: false,
      };
      jsBackend.matMul(row, ones, dims, out);
      assert.equal(out[0], 1 + 2 ** -23, `transposeA ${transposeA}, transposeB ${transposeB}`);
    }
  });
});
