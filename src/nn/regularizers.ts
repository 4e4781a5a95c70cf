/**
 * Weight penalties added to the loss: penalty = l1·Σ|w| + l2·Σw², Keras's form (no ½ on the L2 term), with
 * TF.js 4.22's defaults (0.01). The penalty is one fused op: a training step evaluates it for every kernel,
 * so it makes one pass over w forward and one backward instead of five intermediate tensors.
 */
import { result } from '../ops/engine.js';
import { allocData } from '../tensor/precision.js';
import { Tensor } from '../tensor/tensor.js';
import { canonicalIdentifier } from './identifiers.js';

/** A penalty on a weight tensor. */
export interface Regularizer {
  /** 'l1', 'l2' or 'l1l2'. */
  readonly name: string;
  /** Scalar penalty l1·Σ|w| + l2·Σw², recorded for autodiff: its gradient is l1·sign(w) + 2·l2·w. */
  apply(w: Tensor): Tensor;
  getConfig(): { l1: number; l2: number };
}

function checkFactor(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}: '${name}' must be a finite number ≥ 0, got ${String(value)}`);
  }
}

/** l1·Σ|w| + l2·Σw² as one recorded op. Sums run in float64 so large kernels lose no precision. */
function penalty(w: Tensor, l1: number, l2: number): Tensor {
  const x = w.values;
  const n = x.length;
  let sumAbs = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sumAbs += Math.abs(v);
    sumSq += v * v;
  }
  const out = allocData(1);
  out[0] = l1 * sumAbs + l2 * sumSq;
  return result(
    out,
    [],
    'l1l2',
    [w],
    (dy) => {
      const g = dy.values[0];
      const a = g * l1;
      const b = 2 * g * l2;
      const dx = allocData(n);
      // sign(0) = 0: a zero weight gets no L1 push (as TF/Keras; TF.js's abs gradient gives −1 there).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        dx[i] = (v > 0 ? a : v < 0 ? -a : 0) + b * v;
      }
      return [new Tensor(dx, w.shape)];
    },
    `l1=${l1}, l2=${l2}`,
  );
}

function make(name: string, l1: number, l2: number): Regularizer {
  return Object.freeze({
    name,
    apply: (w: Tensor): Tensor => {
      if (!(w instanceof Tensor)) throw new Error(`regularizer ${name}: apply() needs a Tensor`);
      return penalty(w, l1, l2);
    },
    getConfig: () => ({ l1, l2 }),
  });
}

/**
 * Factories: `l1`, `l2` and `l1l2`, each factor defaulting to 0.01 (TF.js).
 * @example
 * const r = ax.regularizers.l2({ l2: 1e-4 });
 * r.apply(ax.tensor([1, -2])).item(); // 1e-4 · (1 + 4) = 5e-4
 */
export const regularizers = {
  /** l1·Σ|w|. @example ax.regularizers.l1({ l1: 0.001 }) */
  l1: ({ l1 = 0.01 }: { l1?: number } = {}): Regularizer => {
    checkFactor('regularizers.l1', 'l1', l1);
    return make('l1', l1, 0);
  },
  /** l2·Σw² (no ½). @example ax.regularizers.l2({ l2: 0.001 }) */
  l2: ({ l2 = 0.01 }: { l2?: number } = {}): Regularizer => {
    checkFactor('regularizers.l2', 'l2', l2);
    return make('l2', 0, l2);
  },
  /** l1·Σ|w| + l2·Σw². @example ax.regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }) */
  l1l2: ({ l1 = 0.01, l2 = 0.01 }: { l1?: number; l2?: number } = {}): Regularizer => {
    checkFactor('regularizers.l1l2', 'l1', l1);
    checkFactor('regularizers.l1l2', 'l2', l2);
    return make('l1l2', l1, l2);
  },
} as const;

function isRegularizer(id: unknown): id is Regularizer {
  return (
    typeof id === 'object' &&
    id !== null &&
    typeof (id as Regularizer).apply === 'function' &&
    typeof (id as Regularizer).getConfig === 'function'
  );
}

/**
 * The regularizer an id names, with default factors: 'l1', 'l2', 'l1l2' / 'l1_l2'. A {@link Regularizer} is
 * returned as is; null/undefined mean "no regularizer" (null). Unknown names throw, listing the valid ones.
 * @example ax.getRegularizer('l2')?.getConfig() // { l1: 0, l2: 0.01 }
 */
export function getRegularizer(id: string | Regularizer | null | undefined): Regularizer | null {
  if (id === undefined || id === null) return null;
  if (isRegularizer(id)) return id;
  if (typeof id !== 'string') {
    throw new Error(`regularizer: expected a name or a Regularizer object, got ${JSON.stringify(id)}`);
  }
  const name = canonicalIdentifier('regularizer', id, regularizers) as keyof typeof regularizers;
  return regularizers[name]();
}
