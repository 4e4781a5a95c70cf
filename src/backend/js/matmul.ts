import type { DataArray } from '../../tensor/precision.js';
import type { MatMulDims } from '../backend.js';

/**
 * out[b] = op(a[b]) · op(b[b]) for each batch entry. Each transpose combination has its own loop
 * order so that the innermost loop walks memory contiguously.
 */
export function matMul(a: DataArray, b: DataArray, dims: MatMulDims, out: DataArray): void {
  const { batch, m, k, n, transposeA, transposeB, aBatched, bBatched } = dims;
  out.fill(0);
  for (let t = 0; t < batch; t++) {
    const ao = aBatched ? t * m * k : 0;
    const bo = bBatched ? t * k * n : 0;
    const oo = t * m * n;
    if (!transposeA && !transposeB) {
      for (let i = 0; i < m; i++) {
        const row = oo + i * n;
        for (let p = 0; p < k; p++) {
          // No skipping of zero coefficients: 0 · NaN and 0 · ∞ must give NaN (IEEE, as TF.js).
          const aip = a[ao + i * k + p];
          const bp = bo + p * n;
          for (let j = 0; j < n; j++) out[row + j] += aip * b[bp + j];
        }
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
      for (let p = 0; p < k; p++) {
        const bp = bo + p * n;
        for (let i = 0; i < m; i++) {
          const api = a[ao + p * m + i];
          const row = oo + i * n;
          for (let j = 0; j < n; j++) out[row + j] += api * b[bp + j];
        }
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
