import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let active: Backend = jsBackend;

/** Makes a backend available to `setBackend` under its name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Chooses the kernels every op runs on.
 * @example
 * ax.setBackend('js');
 */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (!backend) {
    throw new Error(`setBackend: unknown backend '${name}' (available: ${[...backends.keys()].join(', ')})`);
  }
  active = backend;
}

/** The name of the backend in use (`'js'` unless another was set). */
export function getBackend(): string {
  return active.name;
}

/** @internal The active kernels. */
export function kernels(): Backend {
  return active;
}
