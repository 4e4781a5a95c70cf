import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { loadWasm, loadWasmSync, wasmBackend, wasmUnavailableReason } from './wasm/index.js';

const backends = new Map<string, Backend>([
  [jsBackend.name, jsBackend],
  [wasmBackend.name, wasmBackend],
]);

// The default: WASM SIMD when this runtime has it and the module compiles synchronously (always in
// Node; a browser's main thread may refuse, and then `ready()` switches once the async compile is done).
let active: Backend = loadWasmSync() ? wasmBackend : jsBackend;
/** Set once the user picks a backend: `ready()` then leaves the choice alone. */
let chosen = false;

/**
 * Makes a backend available to `setBackend` under its name.
 * @example ax.registerBackend({ ...myKernels, name: 'mine' }); ax.setBackend('mine');
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Chooses the kernels every op runs on: `'wasm'` (WebAssembly SIMD, the default where available) or
 * `'js'` (the plain TypeScript reference).
 * @example
 * ax.setBackend('js');
 */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (!backend) {
    throw new Error(`setBackend: unknown backend '${name}' (available: ${[...backends.keys()].join(', ')})`);
  }
  if (backend === wasmBackend && !loadWasmSync()) {
    throw new Error(`setBackend: the 'wasm' backend is not available: ${wasmUnavailableReason()}`);
  }
  active = backend;
  chosen = true;
}

/**
 * The name of the backend in use (`'wasm'` or `'js'`).
 * @example ax.getBackend() // 'wasm' in Node
 */
export function getBackend(): string {
  return active.name;
}

/**
 * Resolves once the default backend is ready, with its name. In a browser, whose main thread may
 * refuse to compile WebAssembly synchronously, this compiles the kernels asynchronously and switches
 * to `'wasm'` (unless `setBackend` already chose); in Node it resolves at once.
 * @example
 * await ax.ready(); // 'wasm' where WebAssembly SIMD is available
 */
export async function ready(): Promise<string> {
  if (!chosen && active === jsBackend && (await loadWasm()) && !chosen) active = wasmBackend;
  return active.name;
}

/** @internal The active kernels. */
export function kernels(): Backend {
  return active;
}
