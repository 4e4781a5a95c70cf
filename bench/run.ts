/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (default: all) and prints their tables.
 * Not part of CI: the numbers depend on the machine, and a run takes minutes. See bench/README.md.
 *
 *   matmul   fp32 matrix product vs TF.js CPU and WASM (bench/matmul.ts)
 *   kernels  per-call cost of the JS and WASM kernels by size: where the WASM thresholds come from
 *   train    784-256-128-10, Adam, batch 128: samples/s vs TF.js WASM and CPU (bench/train.ts)
 *   small    2-8-8-1, SGD, batch 10: samples/s vs convnetjs, brain.js, TF.js (bench/small.ts)
 *   infer    784-256-128-10 predict, batch 1024 and 1, vs onnxruntime-node and TF.js WASM (bench/infer.ts)
 *   memory   peak RSS of one epoch on all of MNIST in memory, in a child process (bench/memory.ts)
 */
import { loadReport } from './harness.js';
import { benchInfer } from './infer.js';
import { benchKernels } from './kernels.js';
import { benchMatMul } from './matmul.js';
import { benchMemory } from './memory.js';
import { benchSmall } from './small.js';
import { benchTrain } from './train.js';

const benches: Record<string, () => Promise<void>> = {
  matmul: benchMatMul,
  kernels: benchKernels,
  train: benchTrain,
  small: benchSmall,
  infer: benchInfer,
  memory: benchMemory,
};
const chosen = process.argv.slice(2).filter((a) => a in benches);
console.log(`node ${process.version}; ${loadReport()}\n`);
for (const name of chosen.length > 0 ? chosen : Object.keys(benches)) {
  const start = performance.now();
  await benches[name]();
  console.log(`[${name}: ${((performance.now() - start) / 1000).toFixed(0)} s]\n`);
}
