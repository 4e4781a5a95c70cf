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

/** Makes a Float32Array of `size` inside the kernels' memory, or returns null (then it is ordinary). */
export type ResidentAllocator = (size: number) => Float32Array | null;

let residentAllocator: ResidentAllocator | null = null;

/** Installed by the wasm backend when its memory can hold long-lived arrays (a shared memory). */
export function setResidentAllocator(allocator: ResidentAllocator | null): void {
  residentAllocator = allocator;
}

/**
 * A zeroed buffer for long-lived data that kernels read on every call — weights, optimizer state,
 * planned buffers: inside the wasm memory where it can be (no copy per call), else like `allocData`.
 */
export function residentData(size: number): DataArray {
  if (float64Storage || residentAllocator === null) return allocData(size);
  return residentAllocator(size) ?? new Float32Array(size);
}

/** `residentData` for buffers that are float32 whatever the storage precision (the plans' buffers). */
export function residentFloat32(size: number): Float32Array {
  return residentAllocator?.(size) ?? new Float32Array(size);
}
