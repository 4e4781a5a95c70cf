/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (default: all) and prints their tables.
 * Not part of CI: the numbers depend on the machine, and a run takes minutes.
 *
 *   matmul   fp32 matrix product vs TF.js CPU and WASM (bench/matmul.ts)
 *   kernels  per-call cost of the JS and WASM kernels by size: where the WASM thresholds come from
 */
import { benchKernels } from './kernels.js';
import { benchMatMul } from './matmul.js';

const benches: Record<string, () => Promise<void>> = { matmul: benchMatMul, kernels: benchKernels };
const chosen = process.argv.slice(2).filter((a) => a in benches);
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  await benches[name]();
  console.log('');
}
