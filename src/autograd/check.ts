import { type TensorLike, toTensor } from '../ops/engine.js';
import { withFloat64 } from '../tensor/precision.js';
import { Random } from '../tensor/random.js';
import { formatShape, shapesEqual, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { backpropagate, isRecording, noGrad } from './backprop.js';

/** Options of `checkGradients`. Every field is optional. */
export interface GradientCheckOptions {
  /** Half-width h of the central difference (f(x + h) − f(x − h)) / 2h. Default 1e-6. */
  epsilon?: number;
  /** The check passes when the largest relative error is ≤ this. Default 1e-3. */
  tolerance?: number;
  /**
   * Denominator floor of the relative error |a − n| / max(|a|, |n|, floor). Below it the error is
   * measured in absolute terms, so a gradient that is 0 analytically and 1e-11 numerically (rounding)
   * does not count as a 100% error. Default 1e-4.
   */
  floor?: number;
  /** Seed of the output weights and of the element subset. Default 0. */
  seed?: number;
  /**
   * Check at most this many elements of each input, drawn at random (seeded) without replacement.
   * For big inputs: each checked element costs two evaluations of f. Default: every element.
   */
  maxElements?: number;
}

/** How well the analytic gradient of one input matches finite differences. */
export interface InputGradientCheck {
  /** Position of the input in `inputs`. */
  readonly input: number;
  /** Shape of the input. */
  readonly shape: number[];
  /** Largest relative error over the checked elements (see `GradientCheckOptions.floor`). */
  readonly maxRelativeError: number;
  /** Largest |analytic − numeric| over the checked elements. */
  readonly maxAbsoluteError: number;
  /** Flat (row-major) index of the element with the largest relative error; -1 if none was checked. */
  readonly worstIndex: number;
  /** The same element as a multi-index into `shape`. */
  readonly worstMultiIndex: number[];
  /** Analytic and numeric gradient at the worst element (NaN if none was checked). */
  readonly worstAnalytic: number;
  readonly worstNumeric: number;
  /** Number of elements compared (all of them unless `maxElements` limited it). */
  readonly checkedElements: number;
  /** The whole analytic gradient, row-major. */
  readonly analytic: Float64Array;
  /** The numeric gradient, row-major; NaN at elements that were not checked. */
  readonly numeric: Float64Array;
  /** Whether maxRelativeError ≤ tolerance. */
  readonly passed: boolean;
}

/** The result of `checkGradients`: one report per input plus the overall worst element. */
export interface GradientCheckResult {
  readonly inputs: InputGradientCheck[];
  /** Largest relative error over all inputs. */
  readonly maxRelativeError: number;
  /** Largest absolute error over all inputs. */
  readonly maxAbsoluteError: number;
  /** Input holding the element with the largest relative error (-1 if nothing was checked). */
  readonly worstInput: number;
  /** That element, flat and as a multi-index into its input. */
  readonly worstIndex: number;
  readonly worstMultiIndex: number[];
  /** Whether every input passed: maxRelativeError ≤ tolerance. */
  readonly passed: boolean;
  readonly epsilon: number;
  readonly tolerance: number;
}

const DEFAULTS = { epsilon: 1e-6, tolerance: 1e-3, floor: 1e-4, seed: 0 };

/**
 * Checks the reverse-mode gradients of `f` against central finite differences, in float64.
 *
 * Every input is copied into a float64 leaf (the caller's tensors are never touched) and f runs with
 * float64 storage, so the difference quotient is not drowned by float32 rounding. A non-scalar
 * output y is reduced to L = Σ w ⊙ y with fixed pseudo-random weights w ∈ [0.5, 1.5) (seeded):
 * distinct weights make every output element count differently, so a backward rule that routes a
 * gradient to the wrong position cannot hide behind a plain sum. The analytic ∂L/∂x comes from the
 * engine with dy = w; the numeric one is (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h per element.
 *
 * Relative error of one element: |a − n| / max(|a|, |n|, floor) (floor 1e-4 by default), which is
 * the usual relative error for gradients of normal size and an absolute error near zero.
 *
 * Throws if f does not return a Tensor, changes its output shape, or returns NaN/±Infinity
 * (naming the input and element that were being perturbed).
 * @example
 * const r = ax.checkGradients((a, b) => ax.matMul(a, b), [ax.randomNormal([2, 3]), ax.randomNormal([3, 4])]);
 * r.passed;            // true
 * r.maxRelativeError;  // ~1e-9 (float64 central differences)
 * r.inputs[1].worstMultiIndex; // e.g. [2, 0]
 */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly TensorLike[],
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const epsilon = options.epsilon ?? DEFAULTS.epsilon;
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  const floor = options.floor ?? DEFAULTS.floor;
  const seed = options.seed ?? DEFAULTS.seed;
  const maxElements = options.maxElements ?? Number.POSITIVE_INFINITY;
  validateOptions(epsilon, tolerance, floor, seed, maxElements);
  if (typeof f !== 'function') throw new Error(`checkGradients: f must be a function, got ${typeof f}`);
  if (!Array.isArray(inputs)) throw new Error('checkGradients: inputs must be an array of tensors');
  if (!isRecording())
    throw new Error('checkGradients: called inside noGrad(), where no gradient is recorded; call it outside');

  return withFloat64(() => {
    const sources = inputs.map((x, i) => toTensor(x, 'checkGradients', `inputs[${i}]`));
    const leaves = sources.map((t) => new Tensor(Float64Array.from(t.values), t.shape, true));
    const names = sources.map((t, i) => (t.name ? `inputs[${i}] ('${t.name}')` : `inputs[${i}]`));

    // Analytic pass, before any buffer is perturbed (backward rules read their inputs' values).
    const y = evaluate(f, leaves, 'for the given inputs', null);
    const random = new Random(seed);
    const weights = outputWeights(y, random);
    const gradients = backpropagate(y, weights, false);
    const analytic = leaves.map((x) => {
      const g = gradients.get(x);
      return g ? Float64Array.from(g.values) : new Float64Array(x.size);
    });

    const reports = leaves.map((x, i) => {
      const elements = chooseElements(x.size, maxElements, random);
      const numeric = new Float64Array(x.size).fill(Number.NaN);
      const v = x.values;
      for (let e = 0; e < elements.length; e++) {
        const j = elements[e];
        const original = v[j];
        const plus = original + epsilon;
        const minus = original - epsilon;
        const where = (sign: string) =>
          `when ${names[i]} element ${j} ${formatShape(multiIndex(j, x.shape))} was moved by ${sign}${epsilon.toExponential()}`;
        v[j] = plus;
        const yPlus = noGrad(() => evaluate(f, leaves, where('+'), y.shape)).values.slice();
        v[j] = minus;
        // Read before restoring x: the output may share the input's buffer (e.g. a reshape).
        const yMinus = noGrad(() => evaluate(f, leaves, where('−'), y.shape)).values;
        // Difference first, then weight and sum: no cancellation between two large sums. The actual
        // step (plus − minus) is used, as x ± h rounds when |x| is large.
        let dL = 0;
        for (let k = 0; k < yPlus.length; k++) dL += weights.values[k] * (yPlus[k] - yMinus[k]);
        v[j] = original;
        numeric[j] = dL / (plus - minus);
      }
      return compare(i, x.shape, analytic[i], numeric, elements, floor, tolerance);
    });
    return summarize(reports, epsilon, tolerance);
  });
}

function validateOptions(
  epsilon: number,
  tolerance: number,
  floor: number,
  seed: number,
  maxElements: number,
): void {
  if (!(epsilon > 0) || !Number.isFinite(epsilon))
    throw new Error(`checkGradients: epsilon must be a positive finite number, got ${epsilon}`);
  if (!(tolerance >= 0)) throw new Error(`checkGradients: tolerance must be ≥ 0, got ${tolerance}`);
  if (!(floor > 0)) throw new Error(`checkGradients: floor must be > 0, got ${floor}`);
  if (!Number.isFinite(seed)) throw new Error(`checkGradients: seed must be a finite number, got ${seed}`);
  if (!(maxElements >= 1) || (Number.isFinite(maxElements) && !Number.isInteger(maxElements)))
    throw new Error(`checkGradients: maxElements must be a positive integer, got ${maxElements}`);
}

/** Runs f and checks that it returned a finite Tensor of the expected shape. */
function evaluate(
  f: (...xs: Tensor[]) => Tensor,
  leaves: readonly Tensor[],
  context: string,
  expectedShape: readonly number[] | null,
): Tensor {
  const y: unknown = f(...leaves);
  if (!(y instanceof Tensor)) {
    const got = y === null ? 'null' : Array.isArray(y) ? 'an array' : typeof y;
    throw new Error(`checkGradients: f must return a Tensor, got ${got} ${context}`);
  }
  if (expectedShape && !shapesEqual(y.shape, expectedShape)) {
    throw new Error(
      `checkGradients: f returned shape ${formatShape(y.shape)} ${context}, but ${formatShape(expectedShape)} for the given inputs; the output shape must not depend on the values`,
    );
  }
  const v = y.values;
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k])) {
      throw new Error(
        `checkGradients: f returned ${v[k]} at output element ${k} ${formatShape(multiIndex(k, y.shape))} ${context}; ` +
          `keep the inputs inside f's domain, at least epsilon away from its edges`,
      );
    }
  }
  return y;
}

/** dy for the analytic pass: 1 for a one-element output, else seeded weights in [0.5, 1.5). */
function outputWeights(y: Tensor, random: Random): Tensor {
  const w = new Float64Array(y.size);
  if (y.size === 1) w[0] = 1;
  else for (let k = 0; k < w.length; k++) w[k] = 0.5 + random.uniform();
  return new Tensor(w, y.shape);
}

/** Every index, or `count` distinct ones drawn at random and sorted. */
function chooseElements(size: number, count: number, random: Random): Int32Array {
  const all = new Int32Array(size);
  for (let i = 0; i < size; i++) all[i] = i;
  if (count >= size) return all;
  // Partial Fisher–Yates: the first `count` slots end up a uniform sample without replacement.
  for (let i = 0; i < count; i++) {
    const j = i + random.int(size - i);
    const tmp = all[i];
    all[i] = all[j];
    all[j] = tmp;
  }
  return all.slice(0, count).sort();
}

function compare(
  input: number,
  shape: readonly number[],
  analytic: Float64Array,
  numeric: Float64Array,
  elements: Int32Array,
  floor: number,
  tolerance: number,
): InputGradientCheck {
  let maxRelativeError = 0;
  let maxAbsoluteError = 0;
  let worstIndex = -1;
  for (let e = 0; e < elements.length; e++) {
    const j = elements[e];
    const a = analytic[j];
    const n = numeric[j];
    // A non-finite analytic gradient is a broken backward rule: report it as an infinite error.
    const absolute = Number.isFinite(a) ? Math.abs(a - n) : Number.POSITIVE_INFINITY;
    const relative = absolute / Math.max(Math.abs(a), Math.abs(n), floor);
    const rel = Number.isNaN(relative) ? Number.POSITIVE_INFINITY : relative;
    if (absolute > maxAbsoluteError) maxAbsoluteError = absolute;
    if (worstIndex < 0 || rel > maxRelativeError) {
      maxRelativeError = rel;
      worstIndex = j;
    }
  }
  return {
    input,
    shape: [...shape],
    maxRelativeError,
    maxAbsoluteError,
    worstIndex,
    worstMultiIndex: worstIndex < 0 ? [] : multiIndex(worstIndex, shape),
    worstAnalytic: worstIndex < 0 ? Number.NaN : analytic[worstIndex],
    worstNumeric: worstIndex < 0 ? Number.NaN : numeric[worstIndex],
    checkedElements: elements.length,
    analytic,
    numeric,
    passed: maxRelativeError <= tolerance,
  };
}

function summarize(reports: InputGradientCheck[], epsilon: number, tolerance: number): GradientCheckResult {
  let worst: InputGradientCheck | null = null;
  let maxAbsoluteError = 0;
  for (const r of reports) {
    if (r.worstIndex >= 0 && (worst === null || r.maxRelativeError > worst.maxRelativeError)) worst = r;
    if (r.maxAbsoluteError > maxAbsoluteError) maxAbsoluteError = r.maxAbsoluteError;
  }
  const maxRelativeError = worst ? worst.maxRelativeError : 0;
  return {
    inputs: reports,
    maxRelativeError,
    maxAbsoluteError,
    worstInput: worst ? worst.input : -1,
    worstIndex: worst ? worst.worstIndex : -1,
    worstMultiIndex: worst ? [...worst.worstMultiIndex] : [],
    passed: maxRelativeError <= tolerance,
    epsilon,
    tolerance,
  };
}

/** Flat row-major index → multi-index into `shape`. */
function multiIndex(flat: number, shape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  return strides.map((s, i) => Math.floor(flat / s) % shape[i]);
}
