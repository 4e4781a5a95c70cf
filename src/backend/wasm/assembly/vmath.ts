// Vector math on f64x2 lanes, and conversions between f32x4 and two f64x2 halves.
//
// Why double precision: the JS reference backend evaluates every formula in f64 and rounds once to f32.
// Evaluating the same formulas here in f64 keeps the two backends within an ulp or two of each other
// even where a formula cancels (1 − y² in tanh′, the zero of gelu′ and swish′, dy − eˣ·Σdy), which a
// float32 evaluation could not promise. The arithmetic is still vectorized, so it stays far cheaper
// than the scalar Math.exp / Math.log of the JS kernels.

const LN2_HI: f64 = 6.93147180369123816490e-1; // ln 2 with trailing zero bits: n·LN2_HI is exact
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.4426950408889634;
const SQRT2: f64 = 1.4142135623730951;

// @ts-ignore: decorator
@inline
export function lowHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline
export function highHalf(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Rounds two f64x2 halves to one f32x4. */
// @ts-ignore: decorator
@inline
export function joinHalves(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** 1.5·2⁵²: adding it rounds an f64 below 2⁵¹ in magnitude to an integer held in the low mantissa bits. */
const ROUNDER: f64 = 6755399441055744.0;

/** eʳ − 1 for |r| ≤ ln2/2: Taylor series to r¹¹/11! (truncation below 4e-15), by Estrin's scheme. */
// @ts-ignore: decorator
@inline
function expm1Reduced(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p23 = f64x2.add(f64x2.splat(1.0 / 2.0), f64x2.mul(r, f64x2.splat(1.0 / 6.0)));
  const p45 = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const p67 = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)));
  const p89 = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0)));
  const p1011 = f64x2.add(f64x2.splat(1.0 / 3628800.0), f64x2.mul(r, f64x2.splat(1.0 / 39916800.0)));
  const low = f64x2.add(p23, f64x2.mul(r2, p45));
  const mid = f64x2.add(p67, f64x2.mul(r2, p89));
  const all = f64x2.add(f64x2.add(low, f64x2.mul(r4, mid)), f64x2.mul(r8, p1011));
  // r + r²·(1/2 + r/6 + ... + r⁹/11!)
  return f64x2.add(r, f64x2.mul(r2, all));
}

/**
 * Range reduction for exp: x = n·ln2 + r, |r| ≤ ln2/2. `clampExp` bounds x to [−708, 709] (beyond it
 * every result rounds to 0 or ∞ in f32 anyway, and 2ⁿ stays a normal number; pmin/pmax keep a NaN x,
 * their first operand). `rounded` gives t = n + ROUNDER, whose low mantissa bits hold n.
 */
// @ts-ignore: decorator
@inline
function clampExp(x: v128): v128 {
  return f64x2.pmin(f64x2.pmax(x, f64x2.splat(-708)), f64x2.splat(709));
}

// @ts-ignore: decorator
@inline
function rounded(x: v128): v128 {
  return f64x2.add(f64x2.mul(x, f64x2.splat(LOG2E)), f64x2.splat(ROUNDER));
}

// @ts-ignore: decorator
@inline
function remainder(x: v128, n: v128): v128 {
  return f64x2.sub(f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
}

/** 2ⁿ from t = n + ROUNDER: n + 1023 shifted into the exponent field. */
// @ts-ignore: decorator
@inline
function scaleOf(t: v128): v128 {
  return i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52);
}

/**
 * eˣ in f64 (relative error a few 1e-16). NaN passes through; below −708 the result is exactly 0 and
 * above 709 exactly ∞, as Math.exp gives at ±∞ (so ∞·e⁻∞ is NaN in both backends, not ∞·tiny).
 */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  const c = clampExp(x);
  const t = rounded(c);
  const r = remainder(c, f64x2.sub(t, f64x2.splat(ROUNDER)));
  const e = f64x2.mul(f64x2.add(f64x2.splat(1), expm1Reduced(r)), scaleOf(t));
  const tiny = f64x2.lt(x, f64x2.splat(-708));
  return v128.bitselect(f64x2.splat(Infinity), v128.andnot(e, tiny), f64x2.gt(x, f64x2.splat(709)));
}

/** eˣ − 1 in f64, accurate for small |x| too (no cancellation: the reduced series is used directly). */
// @ts-ignore: decorator
@inline
export function vexpm1(x: v128): v128 {
  x = clampExp(x);
  const t = rounded(x);
  const n = f64x2.sub(t, f64x2.splat(ROUNDER));
  const q = expm1Reduced(remainder(x, n));
  const scaled = f64x2.sub(f64x2.mul(f64x2.add(f64x2.splat(1), q), scaleOf(t)), f64x2.splat(1));
  // n = 0 exactly when |x| < ln2/2: there eˣ − 1 = q with full relative accuracy.
  return v128.bitselect(q, scaled, f64x2.eq(n, f64x2.splat(0)));
}

/**
 * ln x in f64 (fdlibm's reduction and polynomial). x = 2ᵉ·m with m in [√½, √2); ln m from s = f/(2+f).
 * ln 0 = −∞, ln of a negative number = NaN, ln ∞ = ∞, as Math.log.
 */
// @ts-ignore: decorator
@inline
export function vlog(x: v128): v128 {
  const bits = x;
  // Exponent and mantissa. Promoted f32 values are never subnormal in f64, so no renormalization.
  const expBits = i64x2.shr_u(bits, 52);
  const eInt = i32x4.sub(v128.shuffle<i32>(expBits, expBits, 0, 2, 0, 2), i32x4.splat(1023));
  let e = f64x2.convert_low_i32x4_s(eInt);
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = v128.bitselect(f64x2.add(e, f64x2.splat(1)), e, big);
  const f = f64x2.sub(m, f64x2.splat(1));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2), f));
  const z = f64x2.mul(s, s);
  // R = z·(L1 + L2 z + ... + L7 z⁶), by Estrin's scheme (fdlibm's coefficients).
  const z2 = f64x2.mul(z, z);
  const z4 = f64x2.mul(z2, z2);
  const l12 = f64x2.add(f64x2.splat(6.666666666666735130e-1), f64x2.mul(z, f64x2.splat(3.999999999940941908e-1)));
  const l34 = f64x2.add(f64x2.splat(2.857142874366239149e-1), f64x2.mul(z, f64x2.splat(2.222219843214978396e-1)));
  const l56 = f64x2.add(f64x2.splat(1.818357216161805012e-1), f64x2.mul(z, f64x2.splat(1.531383769920937332e-1)));
  const l567 = f64x2.add(l56, f64x2.mul(z2, f64x2.splat(1.479819860511658591e-1)));
  const R = f64x2.mul(z, f64x2.add(f64x2.add(l12, f64x2.mul(z2, l34)), f64x2.mul(z4, l567)));
  const hfsq = f64x2.mul(f64x2.splat(0.5), f64x2.mul(f, f));
  const logm = f64x2.sub(f, f64x2.sub(hfsq, f64x2.mul(s, f64x2.add(hfsq, R))));
  let result = f64x2.add(f64x2.mul(e, f64x2.splat(LN2_HI)), f64x2.add(logm, f64x2.mul(e, f64x2.splat(LN2_LO))));
  // Special values: x = 0 → −∞; x < 0 or NaN → NaN; x = ∞ → ∞.
  result = v128.bitselect(f64x2.splat(-Infinity), result, f64x2.eq(x, f64x2.splat(0)));
  result = v128.bitselect(f64x2.splat(NaN), result, v128.not(f64x2.ge(x, f64x2.splat(0))));
  return v128.bitselect(x, result, f64x2.eq(x, f64x2.splat(Infinity)));
}

/** ln(1 + x) in f64: ln u − ((u − 1) − x)/u with u = 1 + x recovers the bits lost in forming u. */
// @ts-ignore: decorator
@inline
export function vlog1p(x: v128): v128 {
  const u = f64x2.add(f64x2.splat(1), x);
  const correction = f64x2.div(f64x2.sub(f64x2.sub(u, f64x2.splat(1)), x), u);
  // The correction is NaN only where u is 0 or ∞ (x = −1, x = ∞), where ln u is already the answer.
  const safe = v128.bitselect(correction, f64x2.splat(0), f64x2.eq(correction, correction));
  return f64x2.sub(vlog(u), safe);
}

/** |x| with the sign of `sign`. */
// @ts-ignore: decorator
@inline
export function copySign(x: v128, sign: v128): v128 {
  const mask = i64x2.splat(0x8000000000000000);
  return v128.or(v128.andnot(x, mask), v128.and(sign, mask));
}

/** tanh x = t/(t + 2) with t = e^{2|x|} − 1, signed. |x| is capped at 20, where tanh is 1 in f64. */
// @ts-ignore: decorator
@inline
export function vtanh(x: v128): v128 {
  const ax = f64x2.pmin(f64x2.abs(x), f64x2.splat(20));
  const t = vexpm1(f64x2.add(ax, ax));
  return copySign(f64x2.div(t, f64x2.add(t, f64x2.splat(2))), x);
}

/** σ(x) as the JS kernel: 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) below, so exp never overflows. */
// @ts-ignore: decorator
@inline
export function vsigmoid(x: v128): v128 {
  const e = vexp(f64x2.neg(f64x2.abs(x)));
  const s = f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), e));
  return v128.bitselect(s, f64x2.mul(e, s), f64x2.ge(x, f64x2.splat(0)));
}

/** log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}). */
// @ts-ignore: decorator
@inline
export function vsoftplus(x: v128): v128 {
  return f64x2.add(f64x2.max(x, f64x2.splat(0)), vlog1p(vexp(f64x2.neg(f64x2.abs(x)))));
}

/** The JS kernel's erf (Numerical Recipes erfc fit, |error| < 1.2e-7), term for term. */
// @ts-ignore: decorator
@inline
export function verf(x: v128): v128 {
  const z = f64x2.abs(x);
  const t = f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), f64x2.mul(f64x2.splat(0.5), z)));
  let p = f64x2.splat(0.17087277);
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-0.82215223));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.48851587));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-1.13520398));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.27886807));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(-0.18628806));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.09678418));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(0.37409196));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(1.00002368));
  const arg = f64x2.add(f64x2.sub(f64x2.neg(f64x2.mul(z, z)), f64x2.splat(1.26551223)), f64x2.mul(t, p));
  const r = f64x2.mul(t, vexp(arg));
  return v128.bitselect(f64x2.sub(f64x2.splat(1), r), f64x2.sub(r, f64x2.splat(1)), f64x2.ge(x, f64x2.splat(0)));
}
