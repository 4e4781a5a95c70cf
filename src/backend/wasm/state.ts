import type { DataArray } from '../../tensor/precision.js';
import type { Arena } from './arena.js';
import type { ResidentHeap } from './resident.js';

let arena: Arena | undefined;
let heap: ResidentHeap | undefined;

/** Installs the allocator of resident arrays (only over a shared memory). */
export function installHeap(h: ResidentHeap | undefined): void {
  heap = h;
}

/** The resident heap, when there is one. */
export function residentHeap(): ResidentHeap | undefined {
  return heap;
}

/** The byte offset of a whole resident array `x` (results may be written there in place), else −1. */
export function residentTarget(x: DataArray): number {
  return heap === undefined ? -1 : heap.wholePointerOf(x);
}

/** The byte offset of `x` in the kernels' memory when it lives there (a resident array), else −1. */
export function residentPointer(x: DataArray): number {
  return heap === undefined ? -1 : heap.pointerOf(x);
}

/** Installs the arena of a freshly instantiated kernel module. */
export function installArena(a: Arena): void {
  arena = a;
}

/** Whether the kernel module is instantiated. */
export function hasArena(): boolean {
  return arena !== undefined;
}

/**
 * The arena when the wasm kernels can serve this call: the module is loaded and every buffer is
 * float32 (float64 buffers only appear under `checkGradients`; the JS kernels serve those).
 */
export function arenaFor(a: DataArray, b?: DataArray, c?: DataArray, d?: DataArray): Arena | undefined {
  if (arena === undefined || !(a instanceof Float32Array)) return undefined;
  if (b !== undefined && !(b instanceof Float32Array)) return undefined;
  if (c !== undefined && !(c instanceof Float32Array)) return undefined;
  if (d !== undefined && !(d instanceof Float32Array)) return undefined;
  return arena;
}

/** Bytes of `n` floats rounded up to whole 16-byte vectors (the arena pads every block that far). */
export function vectorBytes(n: number): number {
  return (n * 4 + 15) & ~15;
}

let fallbacks = 0;

/** Records a call that failed in wasm (e.g. the memory could not grow) and was redone in JS. */
export function noteFallback(): void {
  fallbacks++;
}

/**
 * How many calls fell back to the JS kernels after a wasm failure. Tests assert it stays 0, so that a
 * broken kernel cannot hide behind the fallback.
 * @example
 * wasmFallbackCount(); // 0
 */
export function wasmFallbackCount(): number {
  return fallbacks;
}
