/**
 * Gradient checks and clipping (Keras `clipnorm`, `global_clipnorm`, `clipvalue`), as plain loops over
 * the flat buffers.
 */
import type { DataArray } from '../tensor/precision.js';

/**
 * Σ g² in float64. It is finite exactly when every element is finite (a float32 value squared cannot
 * overflow a float64 sum), so one pass both validates the gradient and gives its norm.
 */
export function sumOfSquares(g: DataArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}

/** Index of the first NaN or ±Infinity in `g`, or -1. */
export function firstNonFinite(g: DataArray): number {
  for (let i = 0; i < g.length; i++) {
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity.
    if (g[i]! - g[i]! !== 0) return i;
  }
  return -1;
}

/**
 * The factor Keras's `clip_by_norm` multiplies a gradient by: clipNorm / max(‖g‖, clipNorm), i.e. 1 when
 * the norm is within bounds, and a rescale to norm `clipNorm` otherwise.
 */
export function normClipFactor(norm: number, clipNorm: number): number {
  return clipNorm / Math.max(norm, clipNorm);
}

/** out[i] = clamp(g[i] · scale, −limit, limit). Pass limit = Infinity for scaling only. */
export function scaleAndClip(out: DataArray, g: DataArray, scale: number, limit: number): DataArray {
  for (let i = 0; i < g.length; i++) {
    out[i] = Math.min(limit, Math.max(-limit, g[i]! * scale));
  }
  return out;
}
