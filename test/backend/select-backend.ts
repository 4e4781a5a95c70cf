/**
 * Test setup, preloaded into every test process by scripts/run-tests.mjs when AXON_BACKEND is set:
 * `AXON_BACKEND=js npm test` or `AXON_BACKEND=wasm npm test` runs the whole suite on that backend.
 * The environment variable is read only here, never by the library.
 */
import { getBackend, setBackend } from '../../src/backend/registry.js';

const requested = process.env.AXON_BACKEND;
if (requested !== undefined && requested !== '') {
  setBackend(requested);
  if (getBackend() !== requested) throw new Error(`AXON_BACKEND=${requested}: the backend did not switch`);
}
