// Entry of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs with SIMD, -O3 and the
// stub runtime: nothing here allocates; the TypeScript loader owns the memory layout).

export { binary } from './binary';
export {
  adamUpdate,
  denseDelta,
  denseEpilogue,
  denseForward,
  denseRowsTile,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
} from './fused';
export { transpose2d } from './layout';
export {
  matMul,
  matMulPackB,
  matMulPackedBBytes,
  matMulScratchBytes,
  matMulTile,
  matMulTileScratchBytes,
} from './matmul';
export { logSoftmax, logSoftmaxGrad, reduce, softmax, softmaxGrad } from './reduce';
export { clip, unary, unaryGrad } from './unary';

/** First free byte after the module's static data: the loader's arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}
