import type { DataArray } from '../tensor/precision.js';

/**
 * The kernel interface. Every kernel is a plain function over flat buffers and shapes that writes
 * into a caller-provided `out` buffer: no tensors, no graph, no per-element closures. The JS backend
 * (`js/`) is the reference; a WASM backend implements the same interface and must agree with it.
 */

/** Elementwise functions of one input. `alpha` parameterizes leakyRelu and elu. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'sqrt'
  | 'square'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'reciprocal'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'gelu'
  | 'swish'
  | 'hardSigmoid'
  | 'step';

/** Elementwise functions of two inputs, with NumPy broadcasting. Comparisons give 1 or 0. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual';

export type ReduceOp = 'sum' | 'max' | 'min' | 'logSumExp';
export type ArgReduceOp = 'argMax' | 'argMin';

/** Shape of a reduction: the input viewed as [outer, reduced, inner], reduced over the middle. */
export interface ReduceDims {
  outer: number;
  reduced: number;
  inner: number;
}

/** Shape of a (batched) matrix product: out[batch, m, n] = op(a)[batch, m, k] · op(b)[batch, k, n]. */
export interface MatMulDims {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** False when `a` is one matrix shared by every batch entry (broadcast). */
  aBatched: boolean;
  bBatched: boolean;
}

export interface Backend {
  readonly name: string;

  /** out[i] = f(x[i]). */
  unary(op: UnaryOp, x: DataArray, out: DataArray, alpha: number): void;
  /** out[i] = dy[i] · f′(x[i]); `y` is f(x), which some derivatives use. */
  unaryGrad(op: UnaryOp, x: DataArray, y: DataArray, dy: DataArray, out: DataArray, alpha: number): void;
  /** out = a ∘ b with broadcasting; `outShape` is the broadcast shape. */
  binary(
    op: BinaryOp,
    a: DataArray,
    aShape: readonly number[],
    b: DataArray,
    bShape: readonly number[],
    out: DataArray,
    outShape: readonly number[],
  ): void;
  /** out = cond ≠ 0 ? a : b, with broadcasting of all three. */
  where(
    cond: DataArray,
    condShape: readonly number[],
    a: DataArray,
    aShape: readonly number[],
    b: DataArray,
    bShape: readonly number[],
    out: DataArray,
    outShape: readonly number[],
  ): void;
  /** out[i] = min(max(x[i], lo), hi). */
  clip(x: DataArray, lo: number, hi: number, out: DataArray): void;
  /** Repeats x (shape `xShape`) to fill `outShape` by broadcasting. */
  broadcastTo(x: DataArray, xShape: readonly number[], out: DataArray, outShape: readonly number[]): void;

  reduce(op: ReduceOp, x: DataArray, dims: ReduceDims, out: DataArray): void;
  /** Index (as a float) of the max/min along the middle axis; the first one wins ties. */
  argReduce(op: ArgReduceOp, x: DataArray, dims: ReduceDims, out: DataArray): void;

  matMul(a: DataArray, b: DataArray, dims: MatMulDims, out: DataArray): void;

  /** out = x with axes permuted: out axis i is x axis perm[i]. */
  transpose(x: DataArray, shape: readonly number[], perm: readonly number[], out: DataArray): void;
  /**
   * Copies the box `begin .. begin+size` between a full tensor of shape `fullShape` and a compact one.
   * `intoFull` false: full → compact (slice). True: compact → that box of full (the slice's gradient).
   */
  sliceCopy(
    full: DataArray,
    fullShape: readonly number[],
    begin: readonly number[],
    size: readonly number[],
    compact: DataArray,
    intoFull: boolean,
  ): void;
  /** out = x gathered along `axis` at `indices` (integers). */
  gather(x: DataArray, shape: readonly number[], indices: Int32Array, axis: number, out: DataArray): void;
  /** out (shape of x) += dy scattered back along `axis` at `indices`: the gradient of gather. */
  scatterAdd(
    dy: DataArray,
    xShape: readonly number[],
    indices: Int32Array,
    axis: number,
    out: DataArray,
  ): void;
  /** Joins tensors along `axis`; all shapes agree except on that axis. */
  concat(
    inputs: readonly DataArray[],
    shapes: readonly (readonly number[])[],
    axis: number,
    out: DataArray,
  ): void;

  /** Softmax over the last axis of x viewed as [rows, cols]. */
  softmax(x: DataArray, rows: number, cols: number, out: DataArray): void;
  /** Log-softmax over the last axis of x viewed as [rows, cols]. */
  logSoftmax(x: DataArray, rows: number, cols: number, out: DataArray): void;
  /** dx = y ∘ (dy − Σ dy∘y), row by row, where y = softmax(x). */
  softmaxGrad(y: DataArray, dy: DataArray, rows: number, cols: number, out: DataArray): void;
  /** dx = dy − exp(y) ∘ Σ dy, row by row, where y = logSoftmax(x). */
  logSoftmaxGrad(y: DataArray, dy: DataArray, rows: number, cols: number, out: DataArray): void;
}
