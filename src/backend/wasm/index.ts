import { setResidentAllocator } from '../../tensor/precision.js';
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { Arena } from './arena.js';
import { bindDenseBackward, bindDenseForward } from './bound.js';
import { binary, clip, unary, unaryGrad } from './elementwise.js';
import {
  adamUpdate,
  denseBackward,
  denseForward,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
} from './fused.js';
import { transpose } from './layout.js';
import { instantiateKernelsAsync, instantiateKernelsSync, sharedKernels, simdSupported } from './loader.js';
import { matMul } from './matmul.js';
import { logSoftmax, logSoftmaxGrad, reduce, softmax, softmaxGrad } from './reduce.js';
import { RESIDENT_MIN_FLOATS, ResidentHeap } from './resident.js';
import { hasArena, installArena, installHeap } from './state.js';

/**
 * The WebAssembly SIMD backend: kernels compiled from AssemblyScript (./assembly) at build time.
 *
 * In wasm: matMul (blocked, packed, every transpose and batch combination), unary and unaryGrad (every
 * op), binary with broadcasting, clip, reduce (sum, max, min, logSumExp), the softmax family and their
 * gradients, transposes that swap two blocks of axes, and the plan's fused kernels (Dense forward and
 * backward, softmax / sigmoid cross-entropy, the Adam update). Each of them hands tensors below a measured
 * size, float64 buffers (gradient checking) and anything the memory cannot hold to the JS kernels.
 *
 * Delegated to the JS kernels (block copies that TypedArray.set already does at memcpy speed, or ops
 * off the training path): where, broadcastTo, argReduce, sliceCopy, gather, scatterAdd, concat, and
 * general transposes.
 */
export const wasmBackend: Backend = {
  name: 'wasm',
  unary,
  unaryGrad,
  binary,
  where: jsBackend.where,
  clip,
  broadcastTo: jsBackend.broadcastTo,
  reduce,
  argReduce: jsBackend.argReduce,
  matMul,
  transpose,
  sliceCopy: jsBackend.sliceCopy,
  gather: jsBackend.gather,
  scatterAdd: jsBackend.scatterAdd,
  concat: jsBackend.concat,
  softmax,
  logSoftmax,
  softmaxGrad,
  logSoftmaxGrad,
  denseForward,
  denseBackward,
  bindDenseForward,
  bindDenseBackward,
  softmaxCrossEntropy,
  sigmoidCrossEntropy,
  adamUpdate,
};

let residentEnabled = true;

function install(arena: Arena): void {
  installArena(arena);
  const memory = sharedKernels()?.memory;
  // Resident arrays need views that survive growth: only a shared memory gives that.
  const heap = memory === arena.kernels.memory ? new ResidentHeap(arena) : undefined;
  installHeap(heap);
  setResidentAllocator(
    heap === undefined
      ? null
      : (size) => (residentEnabled && size >= RESIDENT_MIN_FLOATS ? heap.allocate(size) : null),
  );
}

/**
 * Whether new weights, optimizer state and plan buffers are made inside the kernels' memory (default
 * true where the memory is shared). Off, they are ordinary arrays copied in per call: the results are
 * the same bits either way (tests compare the two).
 * @example
 * setResidentArrays(false);
 */
export function setResidentArrays(enabled: boolean): void {
  residentEnabled = enabled;
}

/**
 * Instantiates the kernel module synchronously if it is not yet; true when it is usable.
 * @example
 * if (loadWasmSync()) setBackend('wasm');
 */
export function loadWasmSync(): boolean {
  if (hasArena()) return true;
  const kernels = instantiateKernelsSync();
  if (kernels !== undefined) install(new Arena(kernels));
  return kernels !== undefined;
}

let pending: Promise<boolean> | undefined;

/**
 * Instantiates the kernel module asynchronously (the way browsers require on the main thread).
 * @example
 * if (await loadWasm()) setBackend('wasm');
 */
export function loadWasm(): Promise<boolean> {
  if (hasArena()) return Promise.resolve(true);
  pending ??= instantiateKernelsAsync().then((kernels) => {
    if (kernels !== undefined && !hasArena()) install(new Arena(kernels));
    return hasArena();
  });
  return pending;
}

/** Why the wasm backend cannot run here, for error messages. */
export function wasmUnavailableReason(): string {
  if (typeof WebAssembly !== 'object') return 'this runtime has no WebAssembly';
  if (!simdSupported()) return 'this runtime has no WebAssembly SIMD';
  return 'the kernel module could not be compiled synchronously here (await ax.ready() first)';
}
