// Blocked, packed single-precision matrix product (the Goto/BLIS scheme) with a 4×8 f32x4 micro-kernel.
//
// C[m×n] = op(A)[m×k] · op(B)[k×n]. op(A) and op(B) are read through element strides, so the four
// transpose combinations differ only in how the panels are packed; the micro-kernel always sees the
// same contiguous layout: A panels of MR rows interleaved by k, B panels of NR columns interleaved by k.
//
// Loop nest (outer to inner): jc over NC columns of B, pc over KC of k (B block packed, reused by every
// row block), ic over MC rows of A (A block packed, ~96 KB: stays in L2), jr over NR-column B panels
// (8 KB: stays in L1), ir over MR-row A panels, then the micro-kernel over kc.
//
// Why 4×8: 8 accumulators + 2 B vectors + 1 broadcast A value fit the 16 SIMD registers V8 allocates
// without spilling (6×8 measured slower: it spills). Per k step: 2 vector loads, 4 broadcast loads,
// 8 mul + 8 add, which keeps both the multiply and the add pipes busy.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 96;
const NC: i32 = 2048;

const PACK_A_BYTES: usize = <usize>(MC * KC * 4);
const PACK_B_BYTES: usize = <usize>(KC * NC * 4);
const TILE_BYTES: usize = <usize>(MR * NR * 4);

/** Bytes of scratch that `matMul` needs at its `scratch` pointer (packed panels and an edge tile). */
export function matMulScratchBytes(): usize {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

/** Bytes of scratch that each thread of `matMulTile` needs (its packed A block and an edge tile). */
export function matMulTileScratchBytes(): usize {
  return PACK_A_BYTES + TILE_BYTES;
}

// @ts-ignore: decorator
@inline
function transposeStore4(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  // 4×4 transpose: rows r0..r3 become columns, stored `stride` bytes apart.
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into MR-row panels: panel r holds, for each p, the MR values
 * of rows r·MR .. r·MR+MR-1 (zero past the last row). `rs`/`cs` are the element strides of op(A).
 */
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const rsb = <usize>rs << 2;
  const csb = <usize>cs << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const base = a + (<usize>(i0 + i) * rsb) + <usize>p0 * csb;
    if (rows == MR && cs == 1) {
      // Rows are contiguous along k: transpose 4×4 blocks.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = base + (<usize>p << 2);
        transposeStore4(dst, 16, v128.load(src), v128.load(src + rsb), v128.load(src + 2 * rsb), v128.load(src + 3 * rsb));
        dst += 64;
      }
      for (; p < kc; p++) {
        const src = base + (<usize>p << 2);
        store<f32>(dst, load<f32>(src));
        store<f32>(dst, load<f32>(src + rsb), 4);
        store<f32>(dst, load<f32>(src + 2 * rsb), 8);
        store<f32>(dst, load<f32>(src + 3 * rsb), 12);
        dst += 16;
      }
    } else if (rows == MR && rs == 1) {
      // op(A) = Aᵀ: the MR values of one k are adjacent in memory.
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(base + <usize>p * csb));
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = base + <usize>p * csb;
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < rows ? load<f32>(src + <usize>r * rsb) : 0);
          dst += 4;
        }
      }
    }
  }
}

/**
 * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into NR-column panels: panel q holds, for each p, the NR values
 * of columns q·NR .. q·NR+NR-1 (zero past the last column).
 */
function packB(b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const rsb = <usize>rs << 2;
  const csb = <usize>cs << 2;
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const base = b + <usize>p0 * rsb + <usize>(j0 + j) * csb;
    if (cols == NR && cs == 1) {
      for (let p = 0; p < kc; p++) {
        const src = base + <usize>p * rsb;
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      // op(B) = Bᵀ: each column is contiguous along k; transpose two 4×4 blocks per 4 values of k.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = base + (<usize>p << 2);
        transposeStore4(dst, 32, v128.load(src), v128.load(src + csb), v128.load(src + 2 * csb), v128.load(src + 3 * csb));
        const src4 = src + 4 * csb;
        transposeStore4(dst + 16, 32, v128.load(src4), v128.load(src4 + csb), v128.load(src4 + 2 * csb), v128.load(src4 + 3 * csb));
        dst += 128;
      }
      for (; p < kc; p++) {
        const src = base + (<usize>p << 2);
        for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + <usize>c * csb));
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = base + <usize>p * rsb;
        for (let c = 0; c < NR; c++) {
          store<f32>(dst, c < cols ? load<f32>(src + <usize>c * csb) : 0);
          dst += 4;
        }
      }
    }
  }
}

/**
 * C[4×8] (= or +=) Apanel · Bpanel over kc steps; `ldc` is the row pitch of C in bytes. Inlined into
 * the tile loop: as a called function it measured ~20% slower (1024³: 42 vs 50 GFLOP/s).
 */
// @ts-ignore: decorator
@inline
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c1));
    c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2));
    c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3));
    c31 = f32x4.add(c31, v128.load(c3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

/** An edge tile (fewer than MR rows or NR columns): computed into `tile`, then the valid part copied. */
function edgeTile(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool, tile: usize): void {
  kernel4x8(kc, pa, pb, tile, <usize>(NR << 2), false);
  for (let r = 0; r < rows; r++) {
    const src = tile + <usize>(r * NR * 4);
    const dst = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(src + o);
      store<f32>(dst + o, accumulate ? load<f32>(dst + o) + v : v);
    }
  }
}

/** One matrix product C = op(A)·op(B), C row-major m×n with row pitch n. */
function gemm(a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const packedA = scratch;
  const packedB = scratch + PACK_A_BYTES;
  const tile = packedB + PACK_B_BYTES;
  const ldc = <usize>n << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      packB(b, rsB, csB, pc, kc, jc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, rsA, csA, ic, mc, pc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = packedB + <usize>(jr * kc * 4);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + <usize>(ir * kc * 4);
            const cp = c + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) kernel4x8(kc, pa, pb, cp, ldc, accumulate);
            else edgeTile(kc, pa, pb, cp, ldc, rows, cols, accumulate, tile);
          }
        }
      }
    }
  }
}

/**
 * Batched C[t] = op(A[t])·op(B[t]). `flags`: bit 0 transposeA, bit 1 transposeB, bit 2 A batched,
 * bit 3 B batched (an unbatched operand is shared by every batch entry). `scratch` must hold
 * `matMulScratchBytes()` bytes.
 */
export function matMul(a: usize, b: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, flags: i32, scratch: usize): void {
  const transposeA = (flags & 1) != 0;
  const transposeB = (flags & 2) != 0;
  const aBatched = (flags & 4) != 0;
  const bBatched = (flags & 8) != 0;
  if (batch == 0 || m == 0 || n == 0) return;
  if (k == 0) {
    memory.fill(c, 0, <usize>batch * <usize>m * <usize>n * 4);
    return;
  }
  // op(A)[i, p] sits at element i·rsA + p·csA; op(B)[p, j] at p·rsB + j·csB.
  const rsA = transposeA ? 1 : k;
  const csA = transposeA ? m : 1;
  const rsB = transposeB ? 1 : n;
  const csB = transposeB ? k : 1;
  if (aBatched && !bBatched && !transposeA) {
    // Stacked rows of A against one shared B are a single taller product.
    gemm(a, rsA, csA, b, rsB, csB, c, batch * m, k, n, scratch);
    return;
  }
  const aStep: usize = aBatched ? <usize>m * <usize>k * 4 : 0;
  const bStep: usize = bBatched ? <usize>k * <usize>n * 4 : 0;
  const cStep: usize = <usize>m * <usize>n * 4;
  for (let t = 0; t < batch; t++) {
    gemm(a + <usize>t * aStep, rsA, csA, b + <usize>t * bStep, rsB, csB, c + <usize>t * cStep, m, k, n, scratch);
  }
}

// Threaded products (src/backend/wasm/threads.ts): op(B) is packed whole, once, by `matMulPackB`; then
// every thread runs `matMulTile` on its own rectangles of C against the shared packed B, with its own
// A scratch. The packed layout is exactly the blocks `gemm` packs one at a time (KC×NC blocks, NR-column
// panels), and `matMulTile` walks them in the same order, so each element of C is summed in the same
// order as by `matMul`: the results are bit-identical however C is cut.

/** Floats of one packed op(B) (k × n, columns padded to a whole panel). */
function packedBFloats(k: i32, n: i32): usize {
  return <usize>k * <usize>(((n + NR - 1) / NR) * NR);
}

/** Bytes `matMulPackB` writes: one packed op(B), or one per batch entry when B is batched (flag bit 3). */
export function matMulPackedBBytes(batch: i32, k: i32, n: i32, flags: i32): usize {
  const count: usize = (flags & 8) != 0 ? <usize>batch : 1;
  return count * packedBFloats(k, n) * 4;
}

/** Packs every op(B) of a (batched) product into `dst`, block by block as `gemm` would. */
export function matMulPackB(b: usize, batch: i32, k: i32, n: i32, flags: i32, dst: usize): void {
  const transposeB = (flags & 2) != 0;
  const count = (flags & 8) != 0 ? batch : 1;
  const rsB = transposeB ? 1 : n;
  const csB = transposeB ? k : 1;
  for (let t = 0; t < count; t++) {
    const bt = b + <usize>t * <usize>k * <usize>n * 4;
    const packed = dst + <usize>t * packedBFloats(k, n) * 4;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = min(NC, n - jc);
      const ncPadded = ((nc + NR - 1) / NR) * NR;
      for (let pc = 0; pc < k; pc += KC) {
        const kc = min(KC, k - pc);
        packB(bt, rsB, csB, pc, kc, jc, nc, packed + (<usize>jc * <usize>k + <usize>pc * <usize>ncPadded) * 4);
      }
    }
  }
}

/**
 * Rows i0 .. i1 and columns j0 .. j1 of one product C = op(A)·op(B) against its packed op(B) (`pb`).
 * j0 must be a multiple of NR (or j0 = j1); i0 is best a multiple of MR (any value is correct).
 */
function gemmTile(a: usize, rsA: i32, csA: i32, pb: usize, c: usize, k: i32, n: i32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize): void {
  const packedA = scratch;
  const tile = scratch + PACK_A_BYTES;
  const ldc = <usize>n << 2;
  for (let jc = (j0 / NC) * NC; jc < j1; jc += NC) {
    const nc = min(NC, n - jc);
    const ncPadded = ((nc + NR - 1) / NR) * NR;
    const jLow = max(j0, jc) - jc;
    const jHigh = min(j1, jc + nc) - jc;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      const block = pb + (<usize>jc * <usize>k + <usize>pc * <usize>ncPadded) * 4;
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA(a, rsA, csA, ic, mc, pc, kc, packedA);
        for (let jr = jLow; jr < jHigh; jr += NR) {
          const cols = min(NR, jHigh - jr);
          const panel = block + <usize>(jr * kc * 4);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + <usize>(ir * kc * 4);
            const cp = c + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) kernel4x8(kc, pa, panel, cp, ldc, accumulate);
            else edgeTile(kc, pa, panel, cp, ldc, rows, cols, accumulate, tile);
          }
        }
      }
    }
  }
}

/**
 * One thread's share of a (batched) product whose op(B)s `matMulPackB` packed into `pb`: rows r0 .. r1
 * of the batch entries' C stacked (row r is row r mod m of entry r / m), columns j0 .. j1 (j0 a
 * multiple of 8). Arguments as `matMul`; `scratch` holds `matMulTileScratchBytes()` bytes.
 * The caller has already folded "A batched, B shared, A not transposed" into one tall product.
 */
export function matMulTile(a: usize, pb: usize, c: usize, batch: i32, m: i32, k: i32, n: i32, flags: i32, r0: i32, r1: i32, j0: i32, j1: i32, scratch: usize): void {
  const transposeA = (flags & 1) != 0;
  const aBatched = (flags & 4) != 0;
  const bBatched = (flags & 8) != 0;
  if (m == 0 || k == 0) return;
  const rsA = transposeA ? 1 : k;
  const csA = transposeA ? m : 1;
  const aStep: usize = aBatched ? <usize>m * <usize>k * 4 : 0;
  const bStep: usize = bBatched ? packedBFloats(k, n) * 4 : 0;
  const cStep: usize = <usize>m * <usize>n * 4;
  for (let t = r0 / m; t < batch && t * m < r1; t++) {
    const first = max(r0 - t * m, 0);
    const last = min(r1 - t * m, m);
    gemmTile(a + <usize>t * aStep, rsA, csA, pb + <usize>t * bStep, c + <usize>t * cStep, k, n, first, last, j0, j1, scratch);
  }
}
