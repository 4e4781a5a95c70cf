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

/**
 * The activation a fused Dense kernel applies to z = x·W + b: an elementwise op, the identity, or the
 * row-wise softmax / log-softmax over the units.
 */
export type DenseActivation = UnaryOp | 'linear' | 'softmax' | 'logSoftmax';

/** A kernel call with every operand fixed in advance. */
export type BoundKernel = () => void;

/** Shape of a Dense layer's product: x [m, k] · W [k, n] (+ b [n]) → [m, n]. */
export interface DenseDims {
  m: number;
  k: number;
  n: number;
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

  // ---- fused kernels (the planned training and inference path, src/model/plan) ------------------

  /**
   * Dense forward in one call: z = x·W (+ b when not null), a = f(z). Each element is rounded as the
   * separate matMul, add and activation kernels round it, so the result equals the unfused ops'. `z`
   * may be the same buffer as `a` (inference keeps no pre-activation).
   */
  denseForward(
    x: DataArray,
    w: DataArray,
    b: DataArray | null,
    dims: DenseDims,
    activation: DenseActivation,
    alpha: number,
    z: DataArray,
    a: DataArray,
  ): void;
  /**
   * Dense backward in one call, from da = ∂C/∂a: δ = da ∘ f′(z) (the softmax Jacobian for softmax) into
   * `dz` (which may be `da` itself), then ∂C/∂W = xᵀδ into `dw`, ∂C/∂b = Σ_rows δ into `db` and
   * ∂C/∂x = δWᵀ into `dx`; a null output is skipped (frozen weights, no bias, the first layer).
   */
  denseBackward(
    x: DataArray,
    w: DataArray,
    z: DataArray,
    a: DataArray,
    da: DataArray,
    dims: DenseDims,
    activation: DenseActivation,
    alpha: number,
    dz: DataArray,
    dw: DataArray | null,
    db: DataArray | null,
    dx: DataArray | null,
  ): void;
  /**
   * Optional: `denseForward` bound once to fixed operands, for the plans, which call the same layer on
   * the same buffers every step. Null when binding saves nothing here (the caller then calls
   * `denseForward`). The bound call must give the results `denseForward` gives on this backend.
   */
  bindDenseForward?(
    x: DataArray,
    w: DataArray,
    b: DataArray | null,
    dims: DenseDims,
    activation: DenseActivation,
    alpha: number,
    z: DataArray,
    a: DataArray,
  ): BoundKernel | null;
  /** Optional: `denseBackward` bound once to fixed operands (see `bindDenseForward`). */
  bindDenseBackward?(
    x: DataArray,
    w: DataArray,
    z: DataArray,
    a: DataArray,
    da: DataArray,
    dims: DenseDims,
    activation: DenseActivation,
    alpha: number,
    dz: DataArray,
    dw: DataArray | null,
    db: DataArray | null,
    dx: DataArray | null,
  ): BoundKernel | null;
  /**
   * Softmax cross-entropy from logits, row by row over [rows, cols]: loss[r] = −Σ y·log softmax(x), and
   * dx = scale·(softmax(x)·Σy − y), rounded step by step as softmaxCrossEntropyWithLogits's ops round.
   */
  softmaxCrossEntropy(
    logits: DataArray,
    labels: DataArray,
    rows: number,
    cols: number,
    scale: number,
    loss: DataArray,
    dLogits: DataArray,
  ): void;
  /**
   * Sigmoid cross-entropy from logits, elementwise: loss = max(x, 0) − x·y + log(1 + e^−|x|) and
   * dx = scale·(σ(x) − y), rounded as sigmoidCrossEntropyWithLogits's ops round.
   */
  sigmoidCrossEntropy(
    logits: DataArray,
    labels: DataArray,
    scale: number,
    loss: DataArray,
    dLogits: DataArray,
  ): void;
  /**
   * One Adam step in place, in f64 and stored as float32 (Adam.update's arithmetic, term for term):
   * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − lr·(m/c1)/(√(v/c2) + ε), with the bias
   * corrections c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ given.
   */
  adamUpdate(
    w: DataArray,
    g: DataArray,
    m: DataArray,
    v: DataArray,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
}
