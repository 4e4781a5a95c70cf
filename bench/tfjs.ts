/**
 * TF.js in this process, with its CPU and WASM backends, for the benchmarks. In Node the WASM backend
 * loads its .wasm files from node_modules (setWasmPaths); its threads do not start in Node, so it runs
 * single-threaded with SIMD.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/');
setWasmPaths(wasmDist);

/**
 * Runs `f` with console.warn muted: the TF.js CPU backend prints a banner ("install our node backend")
 * on its first tensor in Node, which would break up the benchmark tables.
 */
export function quietly<T>(f: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return f();
  } finally {
    console.warn = warn;
  }
}

/** Switches TF.js to `backend` ('cpu' or 'wasm'), initializing it on first use. */
export async function useTf(backend: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' failed to initialize`);
}

/** What the TF.js WASM backend runs with here. */
export function tfWasmFeatures(): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'available' : 'off'}`;
}

export { tf };
