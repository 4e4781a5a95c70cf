import type { DataArray } from '../../tensor/precision.js';
import type { MatMulDims } from '../backend.js';

/** f64 accumulators of one output row, grown on demand and reused. */
let rowSums = new Float64Array(64);

function rowAccumulator(n: number): Float64Array {
  if (rowSums.length < n) rowSums = new Float64Array(Math.max(n, rowSums.length * 2));
  return rowSums;
}

/**
 * out[b] = op(a[b]) · op(b[b]) for each batch entry. Every element is summed over k in order in f64
 * and rounded once when stored (as TF.js's CPU backend sums), whatever the transposes: each
 * combination has its own loop order so that the innermost loop walks memory contiguously, with a row
 * of f64 accumulators where it walks along n.
 */
export function matMul(a: DataArray, b: DataArray, dims: MatMulDims, out: DataArray): void {
  const { batch, m, k, n, transposeA, transposeB, aBatched, bBatched } = dims;
  const acc = rowAccumulator(n);
  for (let t = 0; t < batch; t++) {
    const ao = aBatched ? t * m * k : 0;
    const bo = bBatched ? t * k * n : 0;
    const oo = t * m * n;
    if (!transposeA && !transposeB) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) acc[j] = 0;
        for (let p = 0; p < k; p++) {
          // No skipping of zero coefficients: 0 · NaN and 0 · ∞ must give NaN (IEEE, as TF.js).
          const aip = a[ao + i * k + p];
          const bp = bo + p * n;
          for (let j = 0; j < n; j++) acc[j] += aip * b[bp + j];
        }
        const row = oo + i * n;
        for (let j = 0; j < n; j++) out[row + j] = acc[j];
      }
    } else if (!transposeA && transposeB) {
      for (let i = 0; i < m; i++) {
        const ai = ao + i * k;
        for (let j = 0; j < n; j++) {
          const bj = bo + j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
          out[oo + i * n + j] = s;
        }
      }
    } else if (transposeA && !transposeB) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) acc[j] = 0;
        for (let p = 0; p < k; p++) {
          const api = a[ao + p * m + i];
          const bp = bo + p * n;
          for (let j = 0; j < n; j++) acc[j] += api * b[bp + j];
        }
        const row = oo + i * n;
        for (let j = 0; j < n; j++) out[row + j] = acc[j];
      }
    } else {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[ao + p * m + i] * b[bo + j * k + p];
          out[oo + i * n + j] = s;
        }
      }
    }
  }
}
