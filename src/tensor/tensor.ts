import { backpropagate } from '../autograd/backprop.js';
import { formatTensor } from './format.js';
import { type DataArray, residentData } from './precision.js';
import { formatShape, shapesEqual, sizeOf } from './shape.js';

/** Nested number arrays, as returned by `arraySync()`. */
export type NestedArray = number | NestedArray[];

/**
 * How a tensor was computed: the op, its inputs, and the op's own backward rule — given ∂L/∂output it
 * returns ∂L/∂input for each input (null where that input needs none).
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (dy: Tensor, y: Tensor) => readonly (Tensor | null)[];
  /** Short description of the op's parameters, for graph pictures (e.g. `axis=1`). */
  readonly label?: string;
}

let nextId = 0;

/**
 * An n-dimensional array of float32 numbers, row-major. Tensors are immutable (only a `Variable`
 * changes, through `assign`), so ops may share buffers. Memory is reclaimed by the garbage collector:
 * there is nothing to dispose.
 * @example
 * const x = ax.tensor([[1, 2], [3, 4]]);
 * x.shape;        // [2, 2]
 * x.arraySync();  // [[1, 2], [3, 4]]
 */
export class Tensor {
  /** Dimensions, outermost first. A scalar has shape `[]`. */
  readonly shape: number[];
  /** Number of elements. */
  readonly size: number;
  readonly dtype = 'float32' as const;
  /** Unique id, used to name nodes in graph pictures. */
  readonly id: number;
  /** Optional name shown in graph pictures and error messages. */
  name: string | undefined;
  /** Whether gradients flow to this tensor (true for trainable variables and everything computed from them). */
  requiresGrad: boolean;
  /** ∂(root)/∂(this), set by `root.backward()`. */
  grad: Tensor | null = null;
  /** @internal The flat buffer. Library code reads it directly; user code calls `dataSync()`. */
  values: DataArray;
  /** @internal How this tensor was computed, when gradients are being recorded. */
  node: GradNode | null = null;

  /** @internal Use `ax.tensor(...)` and the other creation functions. */
  constructor(values: DataArray, shape: readonly number[], requiresGrad = false) {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new Error(`Tensor: shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
    }
    this.values = values;
    this.shape = [...shape];
    this.size = size;
    this.requiresGrad = requiresGrad;
    this.id = nextId++;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a flat Float32Array, row-major. */
  dataSync(): Float32Array {
    return Float32Array.from(this.values);
  }

  /** Same as `dataSync()`, as a promise (TF.js compatibility). */
  async data(): Promise<Float32Array> {
    return this.dataSync();
  }

  /** The values as nested arrays (a number for a scalar). */
  arraySync(): NestedArray {
    const v = this.values;
    if (this.shape.length === 0) return v[0]!;
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis]!;
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === this.shape.length - 1 ? v[offset + i]! : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** Same as `arraySync()`, as a promise (TF.js compatibility). */
  async array(): Promise<NestedArray> {
    return this.arraySync();
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new Error(
        `item(): the tensor has ${this.size} elements (shape ${formatShape(this.shape)}); expected exactly 1`,
      );
    return this.values[0]!;
  }

  /**
   * Reverse-mode differentiation from this tensor: walks its graph in reverse topological order and
   * sets `.grad` on every tensor in it that requires gradients. `dy` defaults to 1 for a scalar.
   * @example
   * const a = ax.variable(ax.scalar(5));
   * const j = ax.mul(3, a);
   * j.backward();
   * a.grad!.item(); // 3
   */
  backward(dy?: Tensor): void {
    if (!dy && this.size !== 1) {
      throw new Error(
        `backward(): the tensor has shape ${formatShape(this.shape)}; pass dy for a non-scalar result`,
      );
    }
    if (dy && !shapesEqual(dy.shape, this.shape)) {
      throw new Error(
        `backward(): dy has shape ${formatShape(dy.shape)} but the tensor has shape ${formatShape(this.shape)}`,
      );
    }
    const seed = dy ?? new Tensor(Float32Array.of(1), this.shape);
    const grads = backpropagate(this, seed, true);
    for (const [t, g] of grads) t.grad = g;
  }

  /** Printed like TF.js: `Tensor` then the values, aligned, with long axes elided. */
  toString(): string {
    return formatTensor(this);
  }

  /** `print()` as in TF.js: logs `toString()`. */
  print(): void {
    console.log(this.toString());
  }
}

/** A copy of float32 values where kernels read them without copying (see `residentData`). */
function residentCopy(values: DataArray): DataArray {
  if (!(values instanceof Float32Array)) return values.slice();
  const copy = residentData(values.length);
  if (!(copy instanceof Float32Array)) return values.slice();
  copy.set(values);
  return copy;
}

/**
 * A mutable tensor: model weights. Trainable variables receive gradients. Its `values` may live inside
 * the kernels' memory (see `residentData`): a `subarray` view of them must not be kept longer than the
 * variable itself.
 * @example
 * const w = ax.variable(ax.zeros([2, 1]), true, 'w');
 * w.assign(ax.ones([2, 1]));
 */
export class Variable extends Tensor {
  readonly trainable: boolean;

  constructor(initial: Tensor, trainable = true, name?: string) {
    super(residentCopy(initial.values), initial.shape, trainable);
    this.trainable = trainable;
    this.name = name;
  }

  /** Replaces the values in place; the new value must have the same shape. */
  assign(value: Tensor): void {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new Error(
        `assign: variable${this.name ? ` '${this.name}'` : ''} has shape ${formatShape(this.shape)}, value has ${formatShape(value.shape)}`,
      );
    }
    this.values.set(value.values);
  }
}
