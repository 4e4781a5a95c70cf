/**
 * Shared by the backend tests: seeded data, special values, and the agreement check between the JS
 * reference kernels and the WASM kernels.
 */
import assert from 'node:assert/strict';
import type { Backend } from '../../src/backend/backend.js';
import { jsBackend } from '../../src/backend/js/index.js';
import { loadWasmSync, wasmBackend } from '../../src/backend/wasm/index.js';
import { wasmFallbackCount } from '../../src/backend/wasm/state.js';
import { Random } from '../../src/tensor/random.js';

assert.ok(loadWasmSync(), 'the WASM kernels must load in Node 20 (WebAssembly SIMD is available there)');

export const backends: readonly Backend[] = [jsBackend, wasmBackend];
export { jsBackend, wasmBackend, wasmFallbackCount };

/** Values where kernels tend to differ: signed zeros, NaN, ±∞, subnormals, huge, overflow edges, roots. */
export const SPECIALS = [
  0,
  -0,
  1,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-40,
  -1e-40,
  1e-8,
  -1e-8,
  1e30,
  -1e30,
  3.4e38,
  -3.4e38,
  88.7,
  -88.7,
  89,
  -104,
  100,
  -100,
  0.5,
  -0.5,
  2.5,
  -2.5,
  -0.7518,
  -1.2785,
  1e-4,
  -1e-4,
  0.35,
  -0.35,
  20,
  -20,
];

/** `n` float32 values: mostly N(0, scale²), with every special value mixed in when `specials`. */
export function data(random: Random, n: number, scale = 1, specials = false): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = random.normal() * scale;
  if (specials) for (let i = 0; i < SPECIALS.length && i < n; i++) out[(i * 7919) % n] = SPECIALS[i];
  return out;
}

/**
 * Asserts JS and WASM results agree: identical (NaN with NaN, ∞ with ∞), or within `rtol` relative
 * error, with `atol` (default: below the float32 normal range) as the floor where results are ~0.
 */
export function assertAgree(
  wasm: ArrayLike<number>,
  js: ArrayLike<number>,
  what: string,
  rtol = 1e-5,
  atol: number | ArrayLike<number> = 1e-37,
): void {
  assert.equal(wasm.length, js.length, `${what}: lengths differ`);
  for (let i = 0; i < js.length; i++) {
    const w = wasm[i];
    const j = js[i];
    if (Object.is(w, j) || w === j || (Number.isNaN(w) && Number.isNaN(j))) continue;
    const floor = typeof atol === 'number' ? atol : atol[i];
    if (Math.abs(w - j) <= rtol * Math.abs(j) + floor) continue;
    assert.fail(
      `${what}[${i}]: wasm ${w} vs js ${j} (relative error ${(Math.abs(w - j) / Math.abs(j)).toExponential(2)})`,
    );
  }
}

/** Runs `kernel` on both backends into fresh float32 buffers of `n` elements and returns [wasm, js]. */
export function onBoth(
  n: number,
  kernel: (backend: Backend, out: Float32Array) => void,
): [Float32Array, Float32Array] {
  const fromJs = new Float32Array(n).fill(12345);
  const fromWasm = new Float32Array(n).fill(-12345);
  kernel(jsBackend, fromJs);
  kernel(wasmBackend, fromWasm);
  return [fromWasm, fromJs];
}

/** A seeded generator for one test. */
export function seeded(seed: number): Random {
  return new Random(seed);
}
