/**
 * Storage precision. Tensors are float32. Only the gradient checker switches, for the duration of one
 * call, to float64 storage so that finite differences are not drowned by rounding error.
 */
export type DataArray = Float32Array | Float64Array;

let float64Storage = false;

/** A zeroed buffer of the current storage precision. */
export function allocData(size: number): DataArray {
  return float64Storage ? new Float64Array(size) : new Float32Array(size);
}

/** Whether new tensors are stored as float64 (only inside `withFloat64`). */
export function isFloat64(): boolean {
  return float64Storage;
}

/** Runs `f` with float64 storage for every tensor it creates. Used by `checkGradients`. */
export function withFloat64<T>(f: () => T): T {
  const previous = float64Storage;
  float64Storage = true;
  try {
    return f();
  } finally {
    float64Storage = previous;
  }
}
