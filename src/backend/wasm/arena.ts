import type { DataArray } from '../../tensor/precision.js';
import type { KernelExports } from './loader.js';

const PAGE = 65536;
/** Every block starts on a cache line, and its length is padded to one: vector loops may run past n. */
const ALIGN = 64;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * The wasm linear memory as a scratch arena. Each kernel call lays its operands out from `base` with a
 * bump pointer (`reset` then `alloc`), copies inputs in, runs, and copies the result out; nothing is
 * freed because the next call simply starts again at `base`. The memory grows when a call needs more
 * and is kept at its high-water mark (wasm memory cannot shrink), so steady-state calls never grow it.
 *
 * Layout: [module statics | matMul packing scratch | resident arrays | per-call blocks ...]. The
 * resident region (resident.ts) only grows between calls, moving the per-call base up with it.
 */
export class Arena {
  readonly kernels: KernelExports;
  /** Where `matMul` packs its panels. */
  readonly matMulScratch: number;
  private base: number;
  private top: number;
  private residentTop: number;
  private f32View: Float32Array;
  private i32View: Int32Array;

  constructor(kernels: KernelExports) {
    this.kernels = kernels;
    this.matMulScratch = align(kernels.heapBase());
    this.base = align(this.matMulScratch + kernels.matMulScratchBytes());
    this.residentTop = this.base;
    this.top = this.base;
    this.grow(this.base);
    this.f32View = new Float32Array(kernels.memory.buffer);
    this.i32View = new Int32Array(kernels.memory.buffer);
  }

  /** The end of the resident region (where the per-call blocks start). */
  get residentEnd(): number {
    return this.residentTop;
  }

  /**
   * Moves the end of the resident region to `end` (never between a kernel's `reset` and its last
   * `output`); false when the memory cannot grow that far.
   */
  extendResident(end: number): boolean {
    if (end <= this.residentTop) return true;
    try {
      this.grow(align(end));
    } catch {
      return false;
    }
    this.residentTop = end;
    this.base = align(end);
    this.top = this.base;
    return true;
  }

  /** Forgets every block of the previous call. */
  reset(): void {
    this.top = this.base;
  }

  /** A block of `bytes` (padded to 64) at the bump pointer; grows the memory if needed (may throw). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top += align(Math.max(bytes, 1));
    this.grow(this.top);
    return at;
  }

  /** A block holding a copy of `x`. */
  input(x: DataArray): number {
    const at = this.alloc(x.length * 4);
    this.f32.set(x, at >> 2);
    return at;
  }

  /** Copies `out.length` floats from the block at `at` into `out`. */
  output(at: number, out: DataArray): void {
    const start = at >> 2;
    out.set(this.f32.subarray(start, start + out.length));
  }

  /** A float view of the whole memory (renewed after the memory grew, which detaches the old one). */
  get f32(): Float32Array {
    if (this.f32View.buffer !== this.kernels.memory.buffer) {
      this.f32View = new Float32Array(this.kernels.memory.buffer);
    }
    return this.f32View;
  }

  /** An int32 view of the whole memory. */
  get i32(): Int32Array {
    if (this.i32View.buffer !== this.kernels.memory.buffer) {
      this.i32View = new Int32Array(this.kernels.memory.buffer);
    }
    return this.i32View;
  }

  private grow(end: number): void {
    const memory = this.kernels.memory;
    const have = memory.buffer.byteLength;
    if (end <= have) return;
    // At least a quarter more than now, so that a slowly growing workload does not grow every call.
    const want = Math.max(end, have + (have >> 2));
    try {
      memory.grow(Math.ceil((want - have) / PAGE));
    } catch {
      // Near the 4 GiB limit the headroom may not fit; the exact need might. If not, this throws and
      // the caller falls back to the JS kernel.
      memory.grow(Math.ceil((end - have) / PAGE));
    }
  }
}
