import { allocData, type DataArray } from './precision.js';
import { getRandom, Random } from './random.js';
import { assertValidShape, formatShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** What `tensor()` accepts: a number, nested arrays of numbers (or booleans), or a flat typed array. */
export type TensorInput =
  | number
  | boolean
  | readonly TensorInput[]
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array;

function position(path: readonly number[]): string {
  return path.map((i) => `[${i}]`).join('') || 'the top level';
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `a string ('${v.length > 20 ? `${v.slice(0, 20)}…` : v}')`;
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  return `a value of type ${typeof v}`;
}

/** Infers the shape of nested arrays, checking that they are rectangular. */
function inferShape(values: unknown, path: number[]): number[] {
  if (ArrayBuffer.isView(values)) return [(values as unknown as ArrayLike<number>).length];
  if (!Array.isArray(values)) return [];
  if (values.length === 0) return [0];
  const inner = inferShape(values[0], [...path, 0]);
  for (let i = 1; i < values.length; i++) {
    const shape = inferShape(values[i], [...path, i]);
    if (shape.length !== inner.length || shape.some((d, k) => d !== inner[k])) {
      throw new Error(
        `tensor(): ragged nested array: the element at ${position([...path, i])} has shape ${formatShape(shape)}, ` +
          `but the element at ${position([...path, 0])} has shape ${formatShape(inner)}; every row must have the same shape`,
      );
    }
  }
  return [values.length, ...inner];
}

/** Writes nested values into `out` in row-major order, rejecting anything that is not a number. */
function flattenInto(values: unknown, out: DataArray, offset: number, path: number[]): number {
  if (ArrayBuffer.isView(values)) {
    const flat = values as unknown as ArrayLike<number>;
    for (let i = 0; i < flat.length; i++) out[offset + i] = flat[i];
    return offset + flat.length;
  }
  if (Array.isArray(values)) {
    for (let i = 0; i < values.length; i++) offset = flattenInto(values[i], out, offset, [...path, i]);
    return offset;
  }
  if (typeof values === 'number') out[offset] = values;
  else if (typeof values === 'boolean') out[offset] = values ? 1 : 0;
  else
    throw new Error(`tensor(): the element at ${position(path)} is ${describe(values)}; expected a number`);
  return offset + 1;
}

/**
 * Creates a tensor from nested arrays, or from flat values and a shape.
 * @example
 * ax.tensor([[1, 2], [3, 4]]);            // shape [2, 2]
 * ax.tensor([1, 2, 3, 4], [2, 2]);        // the same
 * ax.tensor(new Float32Array(6), [2, 3]); // zeros, shape [2, 3]
 */
export function tensor(values: TensorInput, shape?: readonly number[]): Tensor {
  const inferred = inferShape(values, []);
  const size = sizeOf(inferred);
  if (shape !== undefined) {
    assertValidShape('tensor()', shape);
    const needed = sizeOf(shape);
    if (inferred.length === 0 && needed !== 1) {
      // A single number with a shape fills it, as in TF.js.
      return fill(shape, Number(flattenOne(values)));
    }
    if (needed !== size) {
      throw new Error(`tensor(): shape ${formatShape(shape)} needs ${needed} values, but ${size} were given`);
    }
  }
  const data = allocData(size);
  flattenInto(values, data, 0, []);
  return new Tensor(data, shape ?? inferred);
}

function flattenOne(v: TensorInput): number {
  const out = new Float64Array(1);
  flattenInto(v, out, 0, []);
  return out[0];
}

/**
 * A rank-0 tensor.
 * @example
 * ax.scalar(3.5).item(); // 3.5
 */
export function scalar(value: number): Tensor {
  if (typeof value !== 'number') throw new Error(`scalar(): expected a number, got ${describe(value)}`);
  return tensor(value);
}

/**
 * A tensor of the given shape with every element equal to `value`.
 * @example
 * ax.fill([2, 3], 7);
 */
export function fill(shape: readonly number[], value: number): Tensor {
  assertValidShape('fill()', shape);
  const data = allocData(sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape);
}

/** A tensor of zeros. @example ax.zeros([2, 2]) */
export function zeros(shape: readonly number[]): Tensor {
  return fill(shape, 0);
}

/** A tensor of ones. @example ax.ones([3]) */
export function ones(shape: readonly number[]): Tensor {
  return fill(shape, 1);
}

/** Zeros with the shape of `x`. @example ax.zerosLike(x) */
export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0);
}

/** Ones with the shape of `x`. @example ax.onesLike(x) */
export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1);
}

/**
 * Identity matrix (ones on the diagonal), `numRows` × `numColumns` (default square).
 * @example
 * ax.eye(3);
 */
export function eye(numRows: number, numColumns = numRows): Tensor {
  const t = zeros([numRows, numColumns]);
  for (let i = 0; i < Math.min(numRows, numColumns); i++) t.values[i * numColumns + i] = 1;
  return t;
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included.
 * @example
 * ax.linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1)
    throw new Error(`linspace(): num must be a positive integer, got ${num}`);
  const data = allocData(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  return new Tensor(data, [num]);
}

/**
 * Values from `start` up to (not including) `stop` by `step`.
 * @example
 * ax.range(0, 5);       // [0, 1, 2, 3, 4]
 * ax.range(5, 0, -2);   // [5, 3, 1]
 */
export function range(start: number, stop: number, step = 1): Tensor {
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`range(): step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocData(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/** A tensor of independent draws: from the global stream, or from a fresh one when `seed` is given. */
function randomTensor(
  op: string,
  shape: readonly number[],
  seed: number | undefined,
  draw: (rng: Random) => number,
): Tensor {
  assertValidShape(op, shape);
  const rng = seed === undefined ? getRandom() : new Random(seed);
  const data = allocData(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Tensor(data, shape);
}

/**
 * Uniform random values in [minval, maxval). Uses the global seed unless `seed` is given.
 * @example
 * ax.setSeed(1);
 * ax.randomUniform([2, 3], -1, 1);
 */
export function randomUniform(
  shape: readonly number[],
  minval = 0,
  maxval = 1,
  _dtype: 'float32' = 'float32',
  seed?: number,
): Tensor {
  return randomTensor('randomUniform()', shape, seed, (rng) => minval + (maxval - minval) * rng.uniform());
}

/**
 * Normally distributed random values. Uses the global seed unless `seed` is given.
 * @example
 * ax.randomNormal([2, 2], 0, 0.1);
 */
export function randomNormal(
  shape: readonly number[],
  mean = 0,
  stdDev = 1,
  _dtype: 'float32' = 'float32',
  seed?: number,
): Tensor {
  return randomTensor('randomNormal()', shape, seed, (rng) => mean + stdDev * rng.normal());
}

/**
 * Normal values redrawn until they fall within two standard deviations of the mean (as in TF.js and Keras).
 * @example
 * ax.truncatedNormal([784, 256], 0, 0.05);
 */
export function truncatedNormal(
  shape: readonly number[],
  mean = 0,
  stdDev = 1,
  _dtype: 'float32' = 'float32',
  seed?: number,
): Tensor {
  return randomTensor('truncatedNormal()', shape, seed, (rng) => {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    return mean + stdDev * z;
  });
}
