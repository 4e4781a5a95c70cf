// Elementwise functions of two inputs with NumPy broadcasting.
//
// The loader collapses the broadcast into at most a few dimensions (adjacent axes that are contiguous
// for both operands merge, size-1 axes drop) and writes them as i32s at `dims`:
//   shape[rank], aStride[rank], bStride[rank]   (element strides; 0 where an operand is broadcast)
// followed by `rank` i32s of counter space. After collapsing, the innermost stride of each operand is
// 1 or 0, so each output row is one of four SIMD loops: a·b, a·scalar, scalar·b, or a constant fill.
//
// Op codes follow the `BinaryOp` union: add sub mul div pow maximum minimum equal notEqual less
// lessEqual greater greaterEqual. All but pow are exact in f32 (the f64 result rounded once is the
// f32 result); pow goes lane by lane through the f64 Math.pow.

@final class Add { @inline apply(a: v128, b: v128): v128 { return f32x4.add(a, b); } }
@final class Sub { @inline apply(a: v128, b: v128): v128 { return f32x4.sub(a, b); } }
@final class Mul { @inline apply(a: v128, b: v128): v128 { return f32x4.mul(a, b); } }
@final class Div { @inline apply(a: v128, b: v128): v128 { return f32x4.div(a, b); } }
@final class Maximum { @inline apply(a: v128, b: v128): v128 { return f32x4.max(a, b); } }
@final class Minimum { @inline apply(a: v128, b: v128): v128 { return f32x4.min(a, b); } }
@final class Equal { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.eq(a, b), f32x4.splat(1)); } }
@final class NotEqual { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.ne(a, b), f32x4.splat(1)); } }
@final class Less { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.lt(a, b), f32x4.splat(1)); } }
@final class LessEqual { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.le(a, b), f32x4.splat(1)); } }
@final class Greater { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.gt(a, b), f32x4.splat(1)); } }
@final class GreaterEqual { @inline apply(a: v128, b: v128): v128 { return v128.and(f32x4.ge(a, b), f32x4.splat(1)); } }
@final class Pow {
  @inline apply(a: v128, b: v128): v128 {
    let r = f32x4.splat(<f32>Math.pow(<f64>f32x4.extract_lane(a, 0), <f64>f32x4.extract_lane(b, 0)));
    r = f32x4.replace_lane(r, 1, <f32>Math.pow(<f64>f32x4.extract_lane(a, 1), <f64>f32x4.extract_lane(b, 1)));
    r = f32x4.replace_lane(r, 2, <f32>Math.pow(<f64>f32x4.extract_lane(a, 2), <f64>f32x4.extract_lane(b, 2)));
    return f32x4.replace_lane(r, 3, <f32>Math.pow(<f64>f32x4.extract_lane(a, 3), <f64>f32x4.extract_lane(b, 3)));
  }
}

/** One output row of `len` elements; `sa`/`sb` are 1 (walk) or 0 (repeat one value). */
function row<Op>(a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  const op = changetype<Op>(0);
  const bytes = <usize>len << 2;
  const whole = bytes & ~(<usize>15);
  let i: usize = 0;
  if (sa == 1 && sb == 1) {
    for (; i < whole; i += 16) v128.store(out + i, op.apply(v128.load(a + i), v128.load(b + i)));
    for (; i < bytes; i += 4) {
      v128.store32_lane(out + i, op.apply(v128.load32_zero(a + i), v128.load32_zero(b + i)), 0);
    }
  } else if (sa == 1) {
    const bv = v128.load32_splat(b);
    for (; i < whole; i += 16) v128.store(out + i, op.apply(v128.load(a + i), bv));
    for (; i < bytes; i += 4) v128.store32_lane(out + i, op.apply(v128.load32_zero(a + i), bv), 0);
  } else if (sb == 1) {
    const av = v128.load32_splat(a);
    for (; i < whole; i += 16) v128.store(out + i, op.apply(av, v128.load(b + i)));
    for (; i < bytes; i += 4) v128.store32_lane(out + i, op.apply(av, v128.load32_zero(b + i)), 0);
  } else {
    const v = op.apply(v128.load32_splat(a), v128.load32_splat(b));
    for (; i < whole; i += 16) v128.store(out + i, v);
    for (; i < bytes; i += 4) v128.store32_lane(out + i, v, 0);
  }
}

function broadcastLoop<Op>(a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  const shape = dims;
  const aStride = dims + (<usize>rank << 2);
  const bStride = aStride + (<usize>rank << 2);
  const counter = bStride + (<usize>rank << 2);
  const last = <usize>(rank - 1) << 2;
  const len = load<i32>(shape + last);
  const sa = load<i32>(aStride + last);
  const sb = load<i32>(bStride + last);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) {
    rows *= load<i32>(shape + (<usize>d << 2));
    store<i32>(counter + (<usize>d << 2), 0);
  }
  let ao = 0;
  let bo = 0;
  let o: usize = out;
  for (let r = 0; r < rows; r++) {
    row<Op>(a + (<usize>ao << 2), sa, b + (<usize>bo << 2), sb, o, len);
    o += <usize>len << 2;
    // Odometer over the outer axes, innermost first.
    for (let d = rank - 2; d >= 0; d--) {
      const off = <usize>d << 2;
      const c = load<i32>(counter + off) + 1;
      ao += load<i32>(aStride + off);
      bo += load<i32>(bStride + off);
      if (c < load<i32>(shape + off)) {
        store<i32>(counter + off, c);
        break;
      }
      store<i32>(counter + off, 0);
      ao -= c * load<i32>(aStride + off);
      bo -= c * load<i32>(bStride + off);
    }
  }
}

/** out = a ∘ b over the collapsed broadcast described at `dims` (see the header). */
export function binary(op: i32, a: usize, b: usize, out: usize, rank: i32, dims: usize): void {
  switch (op) {
    case 0: broadcastLoop<Add>(a, b, out, rank, dims); break;
    case 1: broadcastLoop<Sub>(a, b, out, rank, dims); break;
    case 2: broadcastLoop<Mul>(a, b, out, rank, dims); break;
    case 3: broadcastLoop<Div>(a, b, out, rank, dims); break;
    case 4: broadcastLoop<Pow>(a, b, out, rank, dims); break;
    case 5: broadcastLoop<Maximum>(a, b, out, rank, dims); break;
    case 6: broadcastLoop<Minimum>(a, b, out, rank, dims); break;
    case 7: broadcastLoop<Equal>(a, b, out, rank, dims); break;
    case 8: broadcastLoop<NotEqual>(a, b, out, rank, dims); break;
    case 9: broadcastLoop<Less>(a, b, out, rank, dims); break;
    case 10: broadcastLoop<LessEqual>(a, b, out, rank, dims); break;
    case 11: broadcastLoop<Greater>(a, b, out, rank, dims); break;
    case 12: broadcastLoop<GreaterEqual>(a, b, out, rank, dims); break;
    default: unreachable();
  }
}
