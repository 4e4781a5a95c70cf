// Reductions over the middle axis of x viewed as [outer, reduced, inner], and the row-wise softmax
// family over x viewed as [rows, cols].
//
// Like the JS kernels, sums accumulate in f64 and every softmax formula is evaluated in f64 (with the
// vectorized exp of vmath.ts), then rounded once, so both backends agree to an ulp or two. Max and min
// propagate NaN, as the JS kernels do.

import { highHalf, joinHalves, lowHalf, vexp } from './vmath';

// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

function sumRow(x: usize, len: i32): f64 {
  const bytes = <usize>len << 2;
  const whole = bytes & ~(<usize>15);
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let i: usize = 0;
  for (; i < whole; i += 16) {
    const v = v128.load(x + i);
    acc0 = f64x2.add(acc0, lowHalf(v));
    acc1 = f64x2.add(acc1, highHalf(v));
  }
  let s = hsum(f64x2.add(acc0, acc1));
  for (; i < bytes; i += 4) s += <f64>load<f32>(x + i);
  return s;
}

function extremeRow(x: usize, len: i32, isMax: bool): f32 {
  const bytes = <usize>len << 2;
  const whole = bytes & ~(<usize>15);
  let acc = f32x4.splat(isMax ? -Infinity : Infinity);
  let i: usize = 0;
  if (isMax) for (; i < whole; i += 16) acc = f32x4.max(acc, v128.load(x + i));
  else for (; i < whole; i += 16) acc = f32x4.min(acc, v128.load(x + i));
  const l0 = f32x4.extract_lane(acc, 0);
  const l1 = f32x4.extract_lane(acc, 1);
  const l2 = f32x4.extract_lane(acc, 2);
  const l3 = f32x4.extract_lane(acc, 3);
  // wasm f32.max / f32.min propagate NaN, as the JS kernels' explicit NaN checks do.
  let r = isMax ? max(max(l0, l1), max(l2, l3)) : min(min(l0, l1), min(l2, l3));
  if (isMax) for (; i < bytes; i += 4) r = max(r, load<f32>(x + i));
  else for (; i < bytes; i += 4) r = min(r, load<f32>(x + i));
  return r;
}

/** Σ exp(x − m) in f64 over one row. */
function sumExpRow(x: usize, len: i32, m: f64): f64 {
  const bytes = <usize>len << 2;
  const whole = bytes & ~(<usize>15);
  const mv = f64x2.splat(m);
  let acc = f64x2.splat(0);
  let i: usize = 0;
  for (; i < whole; i += 16) {
    const v = v128.load(x + i);
    acc = f64x2.add(acc, vexp(f64x2.sub(lowHalf(v), mv)));
    acc = f64x2.add(acc, vexp(f64x2.sub(highHalf(v), mv)));
  }
  let s = hsum(acc);
  for (; i < bytes; i += 4) s += Math.exp(<f64>load<f32>(x + i) - m);
  return s;
}

function logSumExpRow(x: usize, len: i32): f32 {
  const m = extremeRow(x, len, true);
  if (!isFinite(m)) return m;
  return <f32>(<f64>m + Math.log(sumExpRow(x, len, <f64>m)));
}

/** Reduction along the middle axis when inner > 1: whole rows of `inner` values combine at once. */
function reduceColumns(op: i32, base: usize, reduced: i32, inner: i32, out: usize, scratch: usize): void {
  const bytes = <usize>inner << 2;
  const whole = bytes & ~(<usize>15);
  const pitch = bytes;
  if (op == 0) {
    memory.fill(scratch, 0, bytes << 1);
    for (let r = 0; r < reduced; r++) {
      const row = base + <usize>r * pitch;
      let i: usize = 0;
      for (; i < whole; i += 16) {
        const v = v128.load(row + i);
        const s = scratch + (i << 1);
        v128.store(s, f64x2.add(v128.load(s), lowHalf(v)));
        v128.store(s, f64x2.add(v128.load(s, 16), highHalf(v)), 16);
      }
      for (; i < bytes; i += 4) {
        const s = scratch + (i << 1);
        store<f64>(s, load<f64>(s) + <f64>load<f32>(row + i));
      }
    }
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(out + i, <f32>load<f64>(scratch + (i << 1)));
    return;
  }
  const isMax = op != 2;
  const start = f32x4.splat(isMax ? -Infinity : Infinity);
  let i: usize = 0;
  for (; i < whole; i += 16) v128.store(out + i, start);
  for (; i < bytes; i += 4) store<f32>(out + i, isMax ? -Infinity : Infinity);
  for (let r = 0; r < reduced; r++) {
    const row = base + <usize>r * pitch;
    i = 0;
    if (isMax) {
      for (; i < whole; i += 16) v128.store(out + i, f32x4.max(v128.load(out + i), v128.load(row + i)));
      for (; i < bytes; i += 4) store<f32>(out + i, max(load<f32>(out + i), load<f32>(row + i)));
    } else {
      for (; i < whole; i += 16) v128.store(out + i, f32x4.min(v128.load(out + i), v128.load(row + i)));
      for (; i < bytes; i += 4) store<f32>(out + i, min(load<f32>(out + i), load<f32>(row + i)));
    }
  }
  if (op != 3) return;
  // logSumExp: Σ exp(x − m) per column (1 per term where m is not finite), then m + log Σ.
  memory.fill(scratch, 0, bytes << 1);
  for (let r = 0; r < reduced; r++) {
    const row = base + <usize>r * pitch;
    for (i = 0; i < bytes; i += 4) {
      const m = <f64>load<f32>(out + i);
      const s = scratch + (i << 1);
      store<f64>(s, load<f64>(s) + (isFinite(m) ? Math.exp(<f64>load<f32>(row + i) - m) : 1));
    }
  }
  for (i = 0; i < bytes; i += 4) {
    const m = <f64>load<f32>(out + i);
    if (isFinite(m)) store<f32>(out + i, <f32>(m + Math.log(load<f64>(scratch + (i << 1)))));
  }
}

/**
 * op ∈ {0 sum, 1 max, 2 min, 3 logSumExp} over the middle axis of x = [outer, reduced, inner].
 * `scratch` must hold 8·inner bytes when inner > 1.
 */
export function reduce(op: i32, x: usize, outer: i32, reduced: i32, inner: i32, out: usize, scratch: usize): void {
  const block = <usize>reduced * <usize>inner * 4;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * block;
    if (inner == 1) {
      const dst = out + (<usize>o << 2);
      if (op == 0) store<f32>(dst, <f32>sumRow(base, reduced));
      else if (op == 3) store<f32>(dst, logSumExpRow(base, reduced));
      else store<f32>(dst, extremeRow(base, reduced, op == 1));
    } else {
      reduceColumns(op, base, reduced, inner, out + <usize>o * (<usize>inner << 2), scratch);
    }
  }
}

// ---- softmax family, row by row ---------------------------------------------------------------

/** softmax: e = exp(x − max) stored as f32 (as the JS kernel does), then divided by Σe (f64). */
export function softmax(x: usize, rows: i32, cols: i32, out: usize): void {
  const bytes = <usize>cols << 2;
  const whole = bytes & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * bytes;
    const or = out + <usize>r * bytes;
    const m = <f64>extremeRow(xr, cols, true);
    const mv = f64x2.splat(m);
    let acc = f64x2.splat(0);
    let i: usize = 0;
    for (; i < whole; i += 16) {
      const v = v128.load(xr + i);
      const lo = vexp(f64x2.sub(lowHalf(v), mv));
      const hi = vexp(f64x2.sub(highHalf(v), mv));
      acc = f64x2.add(acc, f64x2.add(lo, hi));
      v128.store(or + i, joinHalves(lo, hi));
    }
    let sum = hsum(acc);
    for (; i < bytes; i += 4) {
      const e = Math.exp(<f64>load<f32>(xr + i) - m);
      sum += e;
      store<f32>(or + i, <f32>e);
    }
    const sv = f64x2.splat(sum);
    for (i = 0; i < whole; i += 16) {
      const v = v128.load(or + i);
      v128.store(or + i, joinHalves(f64x2.div(lowHalf(v), sv), f64x2.div(highHalf(v), sv)));
    }
    for (; i < bytes; i += 4) store<f32>(or + i, <f32>(<f64>load<f32>(or + i) / sum));
  }
}

/** logSoftmax: x − (max + log Σ exp(x − max)), in f64. */
export function logSoftmax(x: usize, rows: i32, cols: i32, out: usize): void {
  const bytes = <usize>cols << 2;
  const whole = bytes & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * bytes;
    const or = out + <usize>r * bytes;
    const m = <f64>extremeRow(xr, cols, true);
    const logSum = m + Math.log(sumExpRow(xr, cols, m));
    const lv = f64x2.splat(logSum);
    let i: usize = 0;
    for (; i < whole; i += 16) {
      const v = v128.load(xr + i);
      v128.store(or + i, joinHalves(f64x2.sub(lowHalf(v), lv), f64x2.sub(highHalf(v), lv)));
    }
    for (; i < bytes; i += 4) store<f32>(or + i, <f32>(<f64>load<f32>(xr + i) - logSum));
  }
}

/** dx = y ∘ (dy − Σ dy∘y), in f64. */
export function softmaxGrad(y: usize, dy: usize, rows: i32, cols: i32, out: usize): void {
  const bytes = <usize>cols << 2;
  const whole = bytes & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * bytes;
    let acc = f64x2.splat(0);
    let i: usize = 0;
    for (; i < whole; i += 16) {
      const yv = v128.load(y + off + i);
      const dv = v128.load(dy + off + i);
      acc = f64x2.add(acc, f64x2.mul(lowHalf(dv), lowHalf(yv)));
      acc = f64x2.add(acc, f64x2.mul(highHalf(dv), highHalf(yv)));
    }
    let dot = hsum(acc);
    for (; i < bytes; i += 4) dot += <f64>load<f32>(dy + off + i) * <f64>load<f32>(y + off + i);
    const dotv = f64x2.splat(dot);
    for (i = 0; i < whole; i += 16) {
      const yv = v128.load(y + off + i);
      const dv = v128.load(dy + off + i);
      const lo = f64x2.mul(lowHalf(yv), f64x2.sub(lowHalf(dv), dotv));
      const hi = f64x2.mul(highHalf(yv), f64x2.sub(highHalf(dv), dotv));
      v128.store(out + off + i, joinHalves(lo, hi));
    }
    for (; i < bytes; i += 4) {
      store<f32>(out + off + i, <f32>(<f64>load<f32>(y + off + i) * (<f64>load<f32>(dy + off + i) - dot)));
    }
  }
}

/** dx = dy − exp(y) ∘ Σ dy, in f64. */
export function logSoftmaxGrad(y: usize, dy: usize, rows: i32, cols: i32, out: usize): void {
  const bytes = <usize>cols << 2;
  const whole = bytes & ~(<usize>15);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * bytes;
    const sum = sumRow(dy + off, cols);
    const sv = f64x2.splat(sum);
    let i: usize = 0;
    for (; i < whole; i += 16) {
      const yv = v128.load(y + off + i);
      const dv = v128.load(dy + off + i);
      const lo = f64x2.sub(lowHalf(dv), f64x2.mul(vexp(lowHalf(yv)), sv));
      const hi = f64x2.sub(highHalf(dv), f64x2.mul(vexp(highHalf(yv)), sv));
      v128.store(out + off + i, joinHalves(lo, hi));
    }
    for (; i < bytes; i += 4) {
      const e = Math.exp(<f64>load<f32>(y + off + i));
      store<f32>(out + off + i, <f32>(<f64>load<f32>(dy + off + i) - e * sum));
    }
  }
}
