// Layout kernels. Only the batched 2-D transpose is here: it is the one layout op whose access pattern
// (a strided walk over one of the two operands) gains from blocking. The loader reduces any permutation
// that swaps two contiguous groups of axes to this form; the other layout ops are plain block copies
// that TypedArray.set already does at memcpy speed, so they stay in the JS kernels.

/** out[t, j, i] = x[t, i, j] for x = [batch, rows, cols], by 4×4 register blocks. */
export function transpose2d(x: usize, batch: i32, rows: i32, cols: i32, out: usize): void {
  const xPitch = <usize>cols << 2;
  const oPitch = <usize>rows << 2;
  const plane = <usize>rows * <usize>cols * 4;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let t = 0; t < batch; t++) {
    const xb = x + <usize>t * plane;
    const ob = out + <usize>t * plane;
    for (let i = 0; i < rows4; i += 4) {
      const src = xb + <usize>i * xPitch;
      for (let j = 0; j < cols4; j += 4) {
        const s = src + (<usize>j << 2);
        const r0 = v128.load(s);
        const r1 = v128.load(s + xPitch);
        const r2 = v128.load(s + 2 * xPitch);
        const r3 = v128.load(s + 3 * xPitch);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const d = ob + <usize>j * oPitch + (<usize>i << 2);
        v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(d + oPitch, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
        v128.store(d + 2 * oPitch, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
        v128.store(d + 3 * oPitch, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
      }
      for (let j = cols4; j < cols; j++) {
        for (let r = 0; r < 4; r++) {
          store<f32>(ob + <usize>j * oPitch + (<usize>(i + r) << 2), load<f32>(src + <usize>r * xPitch + (<usize>j << 2)));
        }
      }
    }
    for (let i = rows4; i < rows; i++) {
      const src = xb + <usize>i * xPitch;
      for (let j = 0; j < cols; j++) store<f32>(ob + <usize>j * oPitch + (<usize>i << 2), load<f32>(src + (<usize>j << 2)));
    }
  }
}
