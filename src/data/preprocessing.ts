/**
 * Feature scaling fitted on training data: standardization (z = (x − μ)/σ) and min-max scaling, each
 * with its inverse and a JSON form so the fitted numbers travel inside a model file and `predict`
 * applies exactly the same transform. Statistics are accumulated in float64.
 */
import { z } from 'zod';
import { allocData } from '../tensor/precision.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export {
  type Batch,
  type BatchOptions,
  batches,
  oneHot,
  type Split,
  shuffle,
  type TrainTestSplitOptions,
  trainTestSplit,
} from './split.js';

/** The JSON of a fitted `StandardScaler`. */
export interface StandardScalerJSON {
  className: 'StandardScaler';
  mean: number[];
  scale: number[];
}

/** The JSON of a fitted `MinMaxScaler`. */
export interface MinMaxScalerJSON {
  className: 'MinMaxScaler';
  featureRange: [number, number];
  dataMin: number[];
  dataMax: number[];
}

/** Either scaler's JSON, as stored in a model file. */
export type ScalerJSON = StandardScalerJSON | MinMaxScalerJSON;

/** What both scalers offer. */
export interface Scaler {
  fit(x: Tensor): this;
  transform(x: Tensor): Tensor;
  fitTransform(x: Tensor): Tensor;
  inverseTransform(x: Tensor): Tensor;
  toJSON(): ScalerJSON;
}

/** Checks x is [n, d] with finite values; returns d. */
function columnsOf(where: string, x: Tensor, expected?: number): number {
  if (!(x instanceof Tensor))
    throw new Error(`${where}: expected a Tensor of shape [n, features], got ${typeof x}`);
  if (x.rank !== 2) {
    throw new Error(`${where}: expected a Tensor of shape [n, features], got shape ${formatShape(x.shape)}`);
  }
  const d = x.shape[1];
  if (expected !== undefined && d !== expected) {
    throw new Error(
      `${where}: x has ${d} features (shape ${formatShape(x.shape)}) but the scaler was fitted on ${expected}`,
    );
  }
  const v = x.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new Error(
        `${where}: x holds ${v[i]} at row ${Math.floor(i / d)}, column ${i % d}; clean or impute the data first`,
      );
    }
  }
  return d;
}

/** y[i, j] = x[i, j] · a[j] + b[j], the form of both scalers and their inverses. */
function affine(x: Tensor, a: Float64Array, b: Float64Array): Tensor {
  const d = a.length;
  const src = x.values;
  const out = allocData(src.length);
  for (let i = 0; i < src.length; i += d) {
    for (let j = 0; j < d; j++) out[i + j] = src[i + j] * a[j] + b[j];
  }
  return new Tensor(out, x.shape);
}

/** Columns whose spread is this small (or exactly constant) get scale 1, as in scikit-learn. */
const TINY = 10 * Number.EPSILON;

function invalid(where: string, error: z.ZodError): Error {
  return new Error(`${where}: invalid scaler JSON: ${z.prettifyError(error).replace(/\n/g, ' ')}`);
}

const standardSchema = z
  .object({
    className: z.literal('StandardScaler'),
    mean: z.array(z.number().finite()),
    scale: z.array(z.number().finite().positive()),
  })
  .refine((j) => j.mean.length === j.scale.length, { message: 'mean and scale must have the same length' });

/**
 * Standardization: each feature minus its training mean, divided by its training standard deviation
 * (population, ddof 0, as scikit-learn). A constant column gets scale 1, not NaN.
 * @example
 * const scaler = ax.standardScaler().fit(xTrain);
 * const xs = scaler.transform(xTest);
 * const json = scaler.toJSON(); // { className: 'StandardScaler', mean: [...], scale: [...] }
 */
export class StandardScaler implements Scaler {
  /** Per-feature means (null before fit). */
  mean: Float64Array | null = null;
  /** Per-feature divisors: standard deviations, 1 for constant features (null before fit). */
  scale: Float64Array | null = null;

  fit(x: Tensor): this {
    const d = columnsOf('StandardScaler.fit', x);
    const n = x.shape[0];
    if (n === 0) throw new Error('StandardScaler.fit: x has no rows');
    const v = x.values;
    const mean = new Float64Array(d);
    for (let i = 0; i < v.length; i += d) for (let j = 0; j < d; j++) mean[j] += v[i + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    // Two passes: the variance of centred values does not cancel catastrophically.
    const variance = new Float64Array(d);
    const constant = new Uint8Array(d).fill(1);
    for (let i = 0; i < v.length; i += d) {
      for (let j = 0; j < d; j++) {
        const c = v[i + j] - mean[j];
        variance[j] += c * c;
        if (v[i + j] !== v[j]) constant[j] = 0;
      }
    }
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const s = Math.sqrt(variance[j] / n);
      scale[j] = constant[j] || s < TINY * Math.max(1, Math.abs(mean[j])) ? 1 : s;
    }
    this.mean = mean;
    this.scale = scale;
    return this;
  }

  private fitted(where: string): { mean: Float64Array; scale: Float64Array } {
    if (!this.mean || !this.scale)
      throw new Error(`StandardScaler.${where}: the scaler is not fitted; call fit(xTrain) first`);
    return { mean: this.mean, scale: this.scale };
  }

  transform(x: Tensor): Tensor {
    const { mean, scale } = this.fitted('transform');
    columnsOf('StandardScaler.transform', x, mean.length);
    return affine(
      x,
      scale.map((s) => 1 / s),
      mean.map((m, j) => -m / scale[j]),
    );
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  inverseTransform(x: Tensor): Tensor {
    const { mean, scale } = this.fitted('inverseTransform');
    columnsOf('StandardScaler.inverseTransform', x, mean.length);
    return affine(x, scale, mean);
  }

  toJSON(): StandardScalerJSON {
    const { mean, scale } = this.fitted('toJSON');
    return { className: 'StandardScaler', mean: Array.from(mean), scale: Array.from(scale) };
  }

  /**
   * A fitted scaler from its JSON, validated.
   * @example
   * const scaler = ax.StandardScaler.fromJSON({ className: 'StandardScaler', mean: [0], scale: [2] });
   */
  static fromJSON(json: unknown): StandardScaler {
    const parsed = standardSchema.safeParse(json);
    if (!parsed.success) throw invalid('StandardScaler.fromJSON', parsed.error);
    const scaler = new StandardScaler();
    scaler.mean = Float64Array.from(parsed.data.mean);
    scaler.scale = Float64Array.from(parsed.data.scale);
    return scaler;
  }
}

/** Options of `minMaxScaler`. */
export interface MinMaxScalerOptions {
  /** The interval training features are mapped onto; default [0, 1]. */
  featureRange?: [number, number];
}

const minMaxSchema = z
  .object({
    className: z.literal('MinMaxScaler'),
    featureRange: z.tuple([z.number().finite(), z.number().finite()]),
    dataMin: z.array(z.number().finite()),
    dataMax: z.array(z.number().finite()),
  })
  .refine((j) => j.dataMin.length === j.dataMax.length, {
    message: 'dataMin and dataMax must have the same length',
  })
  .refine((j) => j.dataMin.every((m, i) => m <= j.dataMax[i]), { message: 'dataMin must not exceed dataMax' })
  .refine((j) => j.featureRange[0] < j.featureRange[1], { message: 'featureRange must be increasing' });

/**
 * Min-max scaling: each feature mapped linearly so that its training minimum and maximum land on
 * `featureRange` (default [0, 1]). A constant column is only shifted (range taken as 1), as in scikit-learn.
 * @example
 * const scaler = ax.minMaxScaler({ featureRange: [-1, 1] }).fit(xTrain);
 * scaler.transform(xTrain); // every column spans [-1, 1]
 */
export class MinMaxScaler implements Scaler {
  readonly featureRange: [number, number];
  dataMin: Float64Array | null = null;
  dataMax: Float64Array | null = null;

  constructor(options: MinMaxScalerOptions = {}) {
    const range = options.featureRange ?? [0, 1];
    if (
      !Array.isArray(range) ||
      range.length !== 2 ||
      !(range[0] < range[1]) ||
      !range.every(Number.isFinite)
    ) {
      throw new Error(
        `minMaxScaler: featureRange must be [low, high] with low < high, got ${JSON.stringify(range)}`,
      );
    }
    this.featureRange = [range[0], range[1]];
  }

  fit(x: Tensor): this {
    const d = columnsOf('MinMaxScaler.fit', x);
    if (x.shape[0] === 0) throw new Error('MinMaxScaler.fit: x has no rows');
    const v = x.values;
    const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < v.length; i += d) {
      for (let j = 0; j < d; j++) {
        const value = v[i + j];
        if (value < lo[j]) lo[j] = value;
        if (value > hi[j]) hi[j] = value;
      }
    }
    this.dataMin = lo;
    this.dataMax = hi;
    return this;
  }

  /** x · scale + offset with the fitted numbers. */
  private coefficients(where: string): { scale: Float64Array; offset: Float64Array } {
    if (!this.dataMin || !this.dataMax)
      throw new Error(`MinMaxScaler.${where}: the scaler is not fitted; call fit(xTrain) first`);
    const [low, high] = this.featureRange;
    const lo = this.dataMin;
    const hi = this.dataMax;
    const scale = lo.map((m, j) => {
      const range = hi[j] - m;
      return (high - low) / (range < TINY * Math.max(1, Math.abs(m)) ? 1 : range);
    });
    return { scale, offset: lo.map((m, j) => low - m * scale[j]) };
  }

  transform(x: Tensor): Tensor {
    const { scale, offset } = this.coefficients('transform');
    columnsOf('MinMaxScaler.transform', x, scale.length);
    return affine(x, scale, offset);
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  inverseTransform(x: Tensor): Tensor {
    const { scale, offset } = this.coefficients('inverseTransform');
    columnsOf('MinMaxScaler.inverseTransform', x, scale.length);
    return affine(
      x,
      scale.map((s) => 1 / s),
      offset.map((o, j) => -o / scale[j]),
    );
  }

  toJSON(): MinMaxScalerJSON {
    this.coefficients('toJSON');
    return {
      className: 'MinMaxScaler',
      featureRange: [...this.featureRange],
      dataMin: Array.from(this.dataMin as Float64Array),
      dataMax: Array.from(this.dataMax as Float64Array),
    };
  }

  /**
   * A fitted scaler from its JSON, validated.
   * @example
   * ax.MinMaxScaler.fromJSON({ className: 'MinMaxScaler', featureRange: [0, 1], dataMin: [0], dataMax: [10] });
   */
  static fromJSON(json: unknown): MinMaxScaler {
    const parsed = minMaxSchema.safeParse(json);
    if (!parsed.success) throw invalid('MinMaxScaler.fromJSON', parsed.error);
    const scaler = new MinMaxScaler({ featureRange: parsed.data.featureRange });
    scaler.dataMin = Float64Array.from(parsed.data.dataMin);
    scaler.dataMax = Float64Array.from(parsed.data.dataMax);
    return scaler;
  }
}

/**
 * A new, unfitted standardization scaler.
 * @example
 * const xTrainStd = ax.standardScaler().fitTransform(xTrain);
 */
export function standardScaler(): StandardScaler {
  return new StandardScaler();
}

/**
 * A new, unfitted min-max scaler.
 * @example
 * const scaler = ax.minMaxScaler().fit(xTrain);
 */
export function minMaxScaler(options: MinMaxScalerOptions = {}): MinMaxScaler {
  return new MinMaxScaler(options);
}

/**
 * Either scaler from its JSON (dispatching on `className`), e.g. when loading a model file.
 * @example
 * const scaler = ax.scalerFromJSON(modelJson.axon.scaler);
 */
export function scalerFromJSON(json: unknown): StandardScaler | MinMaxScaler {
  const className =
    json !== null && typeof json === 'object' ? (json as { className?: unknown }).className : undefined;
  if (className === 'StandardScaler') return StandardScaler.fromJSON(json);
  if (className === 'MinMaxScaler') return MinMaxScaler.fromJSON(json);
  throw new Error(
    `scalerFromJSON: unknown scaler className ${JSON.stringify(className)}; expected 'StandardScaler' or 'MinMaxScaler'`,
  );
}
