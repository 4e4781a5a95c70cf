import type { Arena } from './arena.js';

/**
 * Float arrays that live inside the kernels' shared wasm memory, so that a kernel reads and writes them
 * where they are instead of copying them in and out on every call: model weights, optimizer moments
 * and the plans' buffers. Copying a 784×256 kernel into the memory costs more than one sample's
 * whole forward pass.
 *
 * Only on a *shared* memory: growing a shared memory never detaches the views already made on it,
 * so an array handed out here stays valid for its whole life. (An unshared memory's buffer is
 * detached by every growth; there the allocator is not installed and arrays are ordinary.)
 *
 * Blocks come from a first-fit free list over a region the arena reserves below its per-call blocks,
 * and return to it when their array is garbage-collected (FinalizationRegistry). The array itself is
 * the key: anything that still holds it keeps the block alive.
 */

/**
 * Every non-empty array qualifies: a Playground-size layer's 16 weights are read by a bound wasm kernel
 * (`bindDenseForward`) every few microseconds, where a copy or a check per call would dominate.
 */
export const RESIDENT_MIN_FLOATS = 1;
const ALIGN = 64;
/**
 * At most this many bytes are resident at once; beyond it arrays are ordinary. Blocks return to the heap
 * only when a finalizer runs, and finalizers wait for the event loop: a synchronous loop that builds
 * model after model would otherwise grow the memory without bound (it can never shrink).
 */
export const RESIDENT_MAX_BYTES = 64 * 2 ** 20;

interface Block {
  at: number;
  bytes: number;
}

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * The allocator of resident arrays over one arena.
 * @example
 * const heap = new ResidentHeap(arena);
 * const w = heap.allocate(200_704); // a Float32Array inside the wasm memory
 * heap.pointerOf(w); // its byte offset, for the kernels
 */
export class ResidentHeap {
  private readonly arena: Arena;
  /** Free blocks, sorted by address, never adjacent (merged on free). */
  private readonly free: Block[] = [];
  /** Every SharedArrayBuffer object that views were made on (the memory hands out a new one per growth). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** The arrays handed out, each owning its whole padded block. */
  private readonly whole = new WeakSet<ArrayBufferView>();
  private readonly registry = new FinalizationRegistry<Block>((block) => this.release(block));
  private live = 0;
  /** The buffer object of the latest allocation (the memory hands out a new one after each growth). */
  private newest: ArrayBufferLike | null = null;

  private readonly maxBytes: number;

  constructor(arena: Arena, maxBytes = RESIDENT_MAX_BYTES) {
    this.arena = arena;
    this.maxBytes = maxBytes;
  }

  /**
   * A zeroed Float32Array of `floats` elements inside the wasm memory, or null when the memory cannot
   * grow or the resident budget is spent.
   */
  allocate(floats: number): Float32Array | null {
    const bytes = align(floats * 4);
    if (this.live + bytes > this.maxBytes) return null;
    const block = this.take(bytes);
    if (block === null) return null;
    const buffer = this.arena.kernels.memory.buffer;
    this.buffers.add(buffer);
    this.newest = buffer;
    const view = new Float32Array(buffer, block.at, floats);
    view.fill(0);
    this.registry.register(view, block);
    this.whole.add(view);
    this.live += bytes;
    return view;
  }

  /** The byte offset of `x` in the wasm memory when it is a resident array (or a view of one), else −1. */
  pointerOf(x: ArrayBufferView): number {
    const buffer = x.buffer;
    // Most calls ask about the newest buffer object (or an ordinary, unshared one): no hash lookup.
    if (buffer === this.newest) return x.byteOffset;
    if (!(buffer instanceof SharedArrayBuffer)) return -1;
    return this.buffers.has(buffer) ? x.byteOffset : -1;
  }

  /**
   * The byte offset of `x` when it is a whole resident array, else −1. Kernels write results straight
   * into such an array: they may write up to its padded end (whole 16-byte vectors), which only a whole
   * array owns, not a view into the middle of one.
   */
  wholePointerOf(x: ArrayBufferView): number {
    return this.whole.has(x) ? x.byteOffset : -1;
  }

  /** Bytes held by live resident arrays (for tests and diagnostics). */
  get liveBytes(): number {
    return this.live;
  }

  private take(bytes: number): Block | null {
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.bytes < bytes) continue;
      const block = { at: f.at, bytes };
      if (f.bytes === bytes) this.free.splice(i, 1);
      else {
        f.at += bytes;
        f.bytes -= bytes;
      }
      return block;
    }
    // No hole fits: extend the region, absorbing a free block that ends at its top.
    const end = this.arena.residentEnd;
    const last = this.free[this.free.length - 1];
    const start = last !== undefined && last.at + last.bytes === end ? last.at : end;
    if (!this.arena.extendResident(start + bytes)) return null;
    if (start !== end) this.free.pop();
    return { at: start, bytes };
  }

  private release(block: Block): void {
    this.live -= block.bytes;
    const free = this.free;
    let i = 0;
    while (i < free.length && free[i].at < block.at) i++;
    const merged = { at: block.at, bytes: block.bytes };
    const next = free[i];
    if (next !== undefined && merged.at + merged.bytes === next.at) {
      merged.bytes += next.bytes;
      free.splice(i, 1);
    }
    const previous = free[i - 1];
    if (previous !== undefined && previous.at + previous.bytes === merged.at) {
      previous.bytes += merged.bytes;
    } else {
      free.splice(i, 0, merged);
    }
  }
}
