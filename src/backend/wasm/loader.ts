import { kernelsMemory, kernelsWasmBase64 } from './generated/kernels-wasm.js';
import { workersPossible } from './threads-host.js';

/**
 * Loading the WebAssembly kernel module, in Node and in browsers. The bytes are embedded (base64) in a
 * module generated at build time, so there is no file to fetch and no path to configure. Nothing here
 * touches a Node-only API: decoding is done by hand (no Buffer, no atob).
 *
 * The module imports its memory. Where worker threads can run (Node; a cross-origin-isolated page) the
 * memory is a shared one, so that workers can instantiate the same module over it and split large
 * products (threads.ts); elsewhere the module is loaded with its import patched to an unshared memory.
 */

/** The functions the kernel module exports (pointers and byte counts are offsets into `memory`). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  matMulScratchBytes(): number;
  matMulTileScratchBytes(): number;
  matMulPackedBBytes(batch: number, k: number, n: number, flags: number): number;
  matMulPackB(b: number, batch: number, k: number, n: number, flags: number, dst: number): void;
  matMulTile(
    a: number,
    packedB: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    flags: number,
    r0: number,
    r1: number,
    j0: number,
    j1: number,
    scratch: number,
  ): void;
  /** `matMulTile`'s signature over an unpacked w: columns j0 .. j1 of z = x·w for a few rows. */
  denseRowsTile(
    x: number,
    w: number,
    z: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    flags: number,
    r0: number,
    r1: number,
    j0: number,
    j1: number,
    scratch: number,
  ): void;
  matMul(
    a: number,
    b: number,
    c: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    flags: number,
    scratch: number,
  ): void;
  unary(op: number, x: number, out: number, bytes: number, alpha: number): void;
  unaryGrad(op: number, x: number, y: number, dy: number, out: number, bytes: number, alpha: number): void;
  clip(x: number, lo: number, hi: number, out: number, bytes: number): void;
  binary(op: number, a: number, b: number, out: number, rank: number, dims: number): void;
  reduce(
    op: number,
    x: number,
    outer: number,
    reduced: number,
    inner: number,
    out: number,
    scratch: number,
  ): void;
  softmax(x: number, rows: number, cols: number, out: number): void;
  logSoftmax(x: number, rows: number, cols: number, out: number): void;
  softmaxGrad(y: number, dy: number, rows: number, cols: number, out: number): void;
  logSoftmaxGrad(y: number, dy: number, rows: number, cols: number, out: number): void;
  transpose2d(x: number, batch: number, rows: number, cols: number, out: number): void;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes standard base64 (padding optional).
 * @example
 * decodeBase64('AGFzbQ=='); // Uint8Array [0, 97, 115, 109]
 */
export function decodeBase64(text: string): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) lookup[BASE64.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end--;
  const out = new Uint8Array((end * 3) >> 2);
  let o = 0;
  for (let i = 0; i < end; i += 4) {
    const a = lookup[text.charCodeAt(i)];
    const b = lookup[text.charCodeAt(i + 1)];
    const c = i + 2 < end ? lookup[text.charCodeAt(i + 2)] : 0;
    const d = i + 3 < end ? lookup[text.charCodeAt(i + 3)] : 0;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = bits >> 16;
    if (o < out.length) out[o++] = (bits >> 8) & 255;
    if (o < out.length) out[o++] = bits & 255;
  }
  return out;
}

/** A minimal module that uses one SIMD instruction: `(func (result v128) (v128.const i32x4 0 0 0 0))`. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * Whether this runtime has WebAssembly with 128-bit SIMD.
 * @example
 * if (simdSupported()) console.log('WASM SIMD available');
 */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

let bytes: Uint8Array | undefined;

function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  bytes ??= decodeBase64(kernelsWasmBase64);
  if (shared) return bytes as Uint8Array<ArrayBuffer>;
  // Limits flags 1 = "has a maximum, not shared": the same module importing an ordinary memory.
  const unshared = bytes.slice();
  unshared[kernelsMemory.flagsOffset] = 1;
  return unshared;
}

/**
 * The memory the kernels run on: shared when workers can use it (and the runtime lets us create one),
 * else an ordinary one. Both have the module's declared limits.
 */
function createMemory(): WebAssembly.Memory {
  const limits = { initial: kernelsMemory.initial, maximum: kernelsMemory.maximum };
  if (workersPossible()) {
    try {
      return new WebAssembly.Memory({ ...limits, shared: true });
    } catch {
      // A runtime that knows workers but refuses shared memories: run single-threaded.
    }
  }
  return new WebAssembly.Memory(limits);
}

/** The compiled module and its memory, kept for worker threads when the memory is shared. */
export interface SharedKernels {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
}

let shared: SharedKernels | undefined;

/**
 * The module and shared memory that worker threads instantiate, or undefined when the kernels run on
 * an unshared memory (or are not loaded).
 * @example
 * const s = sharedKernels(); // { module, memory } in Node
 */
export function sharedKernels(): SharedKernels | undefined {
  return shared;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
}

function loaded(
  module: WebAssembly.Module,
  instance: WebAssembly.Instance,
  memory: WebAssembly.Memory,
): KernelExports {
  if (isShared(memory)) shared = { module, memory };
  return instance.exports as unknown as KernelExports;
}

/**
 * Compiles and instantiates the kernels synchronously. Fine in Node and in workers; a browser's main
 * thread may refuse to compile synchronously (the caller then uses `instantiateKernelsAsync`).
 * Returns undefined when SIMD is missing or compilation is refused.
 * @example
 * const kernels = instantiateKernelsSync();
 */
export function instantiateKernelsSync(): KernelExports | undefined {
  if (!simdSupported()) return undefined;
  try {
    const memory = createMemory();
    const module = new WebAssembly.Module(moduleBytes(isShared(memory)));
    return loaded(module, new WebAssembly.Instance(module, { env: { memory } }), memory);
  } catch {
    return undefined;
  }
}

/**
 * Compiles and instantiates the kernels asynchronously (the path browsers require on the main thread).
 * @example
 * const kernels = await instantiateKernelsAsync();
 */
export async function instantiateKernelsAsync(): Promise<KernelExports | undefined> {
  if (!simdSupported()) return undefined;
  try {
    const memory = createMemory();
    const { module, instance } = await WebAssembly.instantiate(moduleBytes(isShared(memory)), {
      env: { memory },
    });
    return loaded(module, instance, memory);
  } catch {
    return undefined;
  }
}
