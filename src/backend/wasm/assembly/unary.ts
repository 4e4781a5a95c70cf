// Elementwise functions of one input and their gradients.
//
// Op codes follow the order of the `UnaryOp` union in src/backend/backend.ts (the loader keeps the
// table). Each op is a small class whose `apply` is inlined into a generic loop (AssemblyScript
// monomorphizes generics), so every op gets its own tight SIMD loop without a per-element branch.
// Ops whose f32 result is exactly the rounded f64 result (neg, abs, sqrt, ×, ÷, max, comparisons) run
// on f32x4; everything else runs on f64x2 halves (see vmath.ts for why).
//
// Buffers are padded by the loader to a multiple of 4 floats, so loops run in whole vectors.

import { highHalf, joinHalves, lowHalf, verf, vexp, vexpm1, vlog, vlog1p, vsigmoid, vsoftplus, vtanh } from './vmath';

const SELU_ALPHA: f64 = 1.6732632423543772;
const SELU_SCALE: f64 = 1.0507009873554805;
const SQRT1_2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

// ---- drivers ----------------------------------------------------------------------------------

function mapF32<Op>(x: usize, out: usize, n: usize): void {
  const op = changetype<Op>(0);
  for (let i: usize = 0; i < n; i += 16) v128.store(out + i, op.apply(v128.load(x + i)));
}

function mapF64<Op>(x: usize, out: usize, n: usize, alpha: f64): void {
  const op = changetype<Op>(0);
  for (let i: usize = 0; i < n; i += 16) {
    const v = v128.load(x + i);
    v128.store(out + i, joinHalves(op.apply(lowHalf(v), alpha), op.apply(highHalf(v), alpha)));
  }
}

function gradF32<Op>(x: usize, y: usize, dy: usize, out: usize, n: usize): void {
  const op = changetype<Op>(0);
  for (let i: usize = 0; i < n; i += 16) {
    v128.store(out + i, op.apply(v128.load(x + i), v128.load(y + i), v128.load(dy + i)));
  }
}

function gradF64<Op>(x: usize, y: usize, dy: usize, out: usize, n: usize, alpha: f64): void {
  const op = changetype<Op>(0);
  for (let i: usize = 0; i < n; i += 16) {
    const xv = v128.load(x + i);
    const yv = v128.load(y + i);
    const dv = v128.load(dy + i);
    const lo = op.apply(lowHalf(xv), lowHalf(yv), lowHalf(dv), alpha);
    const hi = op.apply(highHalf(xv), highHalf(yv), highHalf(dv), alpha);
    v128.store(out + i, joinHalves(lo, hi));
  }
}

// @ts-ignore: decorator
@inline
function one64(): v128 {
  return f64x2.splat(1);
}

// @ts-ignore: decorator
@inline
function zero64(): v128 {
  return f64x2.splat(0);
}

// ---- forward, f32x4 ----------------------------------------------------------------------------

@final class Neg { @inline apply(v: v128): v128 { return f32x4.neg(v); } }
@final class Abs { @inline apply(v: v128): v128 { return f32x4.abs(v); } }
@final class Sqrt { @inline apply(v: v128): v128 { return f32x4.sqrt(v); } }
@final class Square { @inline apply(v: v128): v128 { return f32x4.mul(v, v); } }
@final class Reciprocal { @inline apply(v: v128): v128 { return f32x4.div(f32x4.splat(1), v); } }
@final class Relu { @inline apply(v: v128): v128 { return f32x4.max(v, f32x4.splat(0)); } }
@final class Step { @inline apply(v: v128): v128 { return v128.and(f32x4.ge(v, f32x4.splat(0)), f32x4.splat(1)); } }
@final class Sign {
  // Math.sign: ±1, and ±0 or NaN unchanged.
  @inline apply(v: v128): v128 {
    const negative = v128.bitselect(f32x4.splat(-1), v, f32x4.lt(v, f32x4.splat(0)));
    return v128.bitselect(f32x4.splat(1), negative, f32x4.gt(v, f32x4.splat(0)));
  }
}

// ---- forward, f64x2 ----------------------------------------------------------------------------

@final class Exp { @inline apply(v: v128, a: f64): v128 { return vexp(v); } }
@final class Log { @inline apply(v: v128, a: f64): v128 { return vlog(v); } }
@final class Log1p { @inline apply(v: v128, a: f64): v128 { return vlog1p(v); } }
@final class Sigmoid { @inline apply(v: v128, a: f64): v128 { return vsigmoid(v); } }
@final class Tanh { @inline apply(v: v128, a: f64): v128 { return vtanh(v); } }
@final class Softplus { @inline apply(v: v128, a: f64): v128 { return vsoftplus(v); } }
@final class LeakyRelu {
  @inline apply(v: v128, a: f64): v128 {
    return v128.bitselect(v, f64x2.mul(f64x2.splat(a), v), f64x2.gt(v, zero64()));
  }
}
@final class Elu {
  @inline apply(v: v128, a: f64): v128 {
    return v128.bitselect(v, f64x2.mul(f64x2.splat(a), vexpm1(v)), f64x2.gt(v, zero64()));
  }
}
@final class Selu {
  @inline apply(v: v128, a: f64): v128 {
    const neg = f64x2.mul(f64x2.splat(SELU_ALPHA), vexpm1(v));
    return f64x2.mul(f64x2.splat(SELU_SCALE), v128.bitselect(v, neg, f64x2.gt(v, zero64())));
  }
}
@final class Softsign {
  @inline apply(v: v128, a: f64): v128 { return f64x2.div(v, f64x2.add(one64(), f64x2.abs(v))); }
}
@final class Gelu {
  @inline apply(v: v128, a: f64): v128 {
    const half = f64x2.mul(f64x2.splat(0.5), v);
    return f64x2.mul(half, f64x2.add(one64(), verf(f64x2.mul(v, f64x2.splat(SQRT1_2)))));
  }
}
@final class Swish { @inline apply(v: v128, a: f64): v128 { return f64x2.mul(v, vsigmoid(v)); } }
@final class HardSigmoid {
  // clip(0.2x + 0.5, 0, 1), the TF.js / tf.keras 2 definition.
  @inline apply(v: v128, a: f64): v128 {
    const lin = f64x2.add(f64x2.mul(f64x2.splat(0.2), v), f64x2.splat(0.5));
    return f64x2.min(one64(), f64x2.max(zero64(), lin));
  }
}

/** out[i] = f(x[i]) for `n` bytes of f32 (a multiple of 16). */
export function unary(op: i32, x: usize, out: usize, n: usize, alpha: f64): void {
  switch (op) {
    case 0: mapF32<Neg>(x, out, n); break;
    case 1: mapF32<Abs>(x, out, n); break;
    case 2: mapF32<Sign>(x, out, n); break;
    case 3: mapF32<Sqrt>(x, out, n); break;
    case 4: mapF32<Square>(x, out, n); break;
    case 5: mapF64<Exp>(x, out, n, alpha); break;
    case 6: mapF64<Log>(x, out, n, alpha); break;
    case 7: mapF64<Log1p>(x, out, n, alpha); break;
    case 8: mapF32<Reciprocal>(x, out, n); break;
    case 9: mapF64<Sigmoid>(x, out, n, alpha); break;
    case 10: mapF64<Tanh>(x, out, n, alpha); break;
    case 11: mapF32<Relu>(x, out, n); break;
    case 12: mapF64<LeakyRelu>(x, out, n, alpha); break;
    case 13: mapF64<Elu>(x, out, n, alpha); break;
    case 14: mapF64<Selu>(x, out, n, alpha); break;
    case 15: mapF64<Softplus>(x, out, n, alpha); break;
    case 16: mapF64<Softsign>(x, out, n, alpha); break;
    case 17: mapF64<Gelu>(x, out, n, alpha); break;
    case 18: mapF64<Swish>(x, out, n, alpha); break;
    case 19: mapF64<HardSigmoid>(x, out, n, alpha); break;
    case 20: mapF32<Step>(x, out, n); break;
    default: unreachable();
  }
}

// ---- gradients, f32x4: out = dy · f′(x) ----------------------------------------------------------

@final class NegGrad { @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.neg(dy); } }
@final class AbsGrad {
  @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.mul(dy, changetype<Sign>(0).apply(x)); }
}
@final class SqrtGrad {
  @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.div(dy, f32x4.add(y, y)); }
}
@final class ExpGrad { @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.mul(y, dy); } }
@final class LogGrad { @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.div(dy, x); } }
@final class ReluGrad {
  @inline apply(x: v128, y: v128, dy: v128): v128 {
    return v128.and(dy, f32x4.gt(x, f32x4.splat(0)));
  }
}
@final class ZeroGrad { @inline apply(x: v128, y: v128, dy: v128): v128 { return f32x4.splat(0); } }

// ---- gradients, f64x2 -------------------------------------------------------------------------

@final class SquareGrad {
  // In f64: 2x can overflow float32 where 2x·dy does not.
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 { return f64x2.mul(f64x2.add(x, x), dy); }
}
@final class Log1pGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 { return f64x2.div(dy, f64x2.add(one64(), x)); }
}
@final class ReciprocalGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    return f64x2.mul(f64x2.mul(f64x2.neg(dy), y), y);
  }
}
@final class SigmoidGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    return f64x2.mul(f64x2.mul(dy, y), f64x2.sub(one64(), y));
  }
}
@final class TanhGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    return f64x2.mul(dy, f64x2.sub(one64(), f64x2.mul(y, y)));
  }
}
@final class LeakyReluGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    return v128.bitselect(dy, f64x2.mul(f64x2.splat(a), dy), f64x2.gt(x, zero64()));
  }
}
@final class EluGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    return v128.bitselect(dy, f64x2.mul(dy, f64x2.add(y, f64x2.splat(a))), f64x2.gt(x, zero64()));
  }
}
@final class SeluGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    const slope = v128.bitselect(
      f64x2.splat(SELU_SCALE),
      f64x2.add(y, f64x2.splat(SELU_SCALE * SELU_ALPHA)),
      f64x2.gt(x, zero64()),
    );
    return f64x2.mul(dy, slope);
  }
}
@final class SoftplusGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 { return f64x2.mul(dy, vsigmoid(x)); }
}
@final class SoftsignGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    const d = f64x2.add(one64(), f64x2.abs(x));
    return f64x2.div(dy, f64x2.mul(d, d));
  }
}
@final class GeluGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    const cdf = f64x2.mul(f64x2.splat(0.5), f64x2.add(one64(), verf(f64x2.mul(x, f64x2.splat(SQRT1_2)))));
    const pdf = vexp(f64x2.mul(f64x2.mul(f64x2.splat(-0.5), x), x));
    return f64x2.mul(dy, f64x2.add(cdf, f64x2.mul(f64x2.mul(x, f64x2.splat(INV_SQRT_2PI)), pdf)));
  }
}
@final class SwishGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    const s = vsigmoid(x);
    return f64x2.mul(dy, f64x2.add(s, f64x2.mul(f64x2.mul(x, s), f64x2.sub(one64(), s))));
  }
}
@final class HardSigmoidGrad {
  @inline apply(x: v128, y: v128, dy: v128, a: f64): v128 {
    const inside = v128.and(f64x2.gt(x, f64x2.splat(-2.5)), f64x2.lt(x, f64x2.splat(2.5)));
    return v128.and(f64x2.mul(f64x2.splat(0.2), dy), inside);
  }
}

/** out[i] = dy[i] · f′(x[i]) (y = f(x)) for `n` bytes of f32 (a multiple of 16). */
export function unaryGrad(op: i32, x: usize, y: usize, dy: usize, out: usize, n: usize, alpha: f64): void {
  switch (op) {
    case 0: gradF32<NegGrad>(x, y, dy, out, n); break;
    case 1: gradF32<AbsGrad>(x, y, dy, out, n); break;
    case 2: case 20: gradF32<ZeroGrad>(x, y, dy, out, n); break;
    case 3: gradF32<SqrtGrad>(x, y, dy, out, n); break;
    case 4: gradF64<SquareGrad>(x, y, dy, out, n, alpha); break;
    case 5: gradF32<ExpGrad>(x, y, dy, out, n); break;
    case 6: gradF32<LogGrad>(x, y, dy, out, n); break;
    case 7: gradF64<Log1pGrad>(x, y, dy, out, n, alpha); break;
    case 8: gradF64<ReciprocalGrad>(x, y, dy, out, n, alpha); break;
    case 9: gradF64<SigmoidGrad>(x, y, dy, out, n, alpha); break;
    case 10: gradF64<TanhGrad>(x, y, dy, out, n, alpha); break;
    case 11: gradF32<ReluGrad>(x, y, dy, out, n); break;
    case 12: gradF64<LeakyReluGrad>(x, y, dy, out, n, alpha); break;
    case 13: gradF64<EluGrad>(x, y, dy, out, n, alpha); break;
    case 14: gradF64<SeluGrad>(x, y, dy, out, n, alpha); break;
    case 15: gradF64<SoftplusGrad>(x, y, dy, out, n, alpha); break;
    case 16: gradF64<SoftsignGrad>(x, y, dy, out, n, alpha); break;
    case 17: gradF64<GeluGrad>(x, y, dy, out, n, alpha); break;
    case 18: gradF64<SwishGrad>(x, y, dy, out, n, alpha); break;
    case 19: gradF64<HardSigmoidGrad>(x, y, dy, out, n, alpha); break;
    default: unreachable();
  }
}

/** out[i] = min(max(x[i], lo), hi), as Math.min(Math.max(...)). */
export function clip(x: usize, lo: f32, hi: f32, out: usize, n: usize): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  for (let i: usize = 0; i < n; i += 16) v128.store(out + i, f32x4.min(f32x4.max(v128.load(x + i), l), h));
}
