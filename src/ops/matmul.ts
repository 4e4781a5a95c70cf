import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { result, sumTo, type TensorLike, toTensor } from './engine.js';

/**
 * Matrix product of the last two axes: op(a) · op(b), where op transposes when asked. Leading (batch)
 * axes must match, or one operand may be a single matrix shared by the whole batch.
 * @example
 * ax.matMul(x, w);              // [n, in] · [in, units] → [n, units]
 * ax.matMul(a, b, false, true); // a · bᵀ
 */
export function matMul(aIn: TensorLike, bIn: TensorLike, transposeA = false, transposeB = false): Tensor {
  const a = toTensor(aIn, 'matMul', 'a');
  const b = toTensor(bIn, 'matMul', 'b');
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(
      `matMul: both inputs need rank ≥ 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const kb = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  const describe = () =>
    `${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''}`;
  if (k !== kb) {
    throw new Error(`matMul: inner dimensions differ in ${describe()}: ${k} vs ${kb}`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const aBatched = aBatch.length > 0;
  const bBatched = bBatch.length > 0;
  if (aBatched && bBatched && !shapesEqual(aBatch, bBatch)) {
    throw new Error(
      `matMul: batch dimensions differ in ${describe()}: ${formatShape(aBatch)} vs ${formatShape(bBatch)}`,
    );
  }
  const batchShape = aBatched ? aBatch : bBatch;
  const batch = batchShape.reduce((s, d) => s * d, 1);
  const out = allocData(batch * m * n);
  kernels().matMul(a.values, b.values, { batch, m, k, n, transposeA, transposeB, aBatched, bBatched }, out);
  const label =
    transposeA || transposeB ? `${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}` : undefined;
  return result(
    out,
    [...batchShape, m, n],
    'matMul',
    [a, b],
    (dy) => {
      // C = op(A)·op(B): each case is the chain rule dA = dC·op(B)ᵀ, dB = op(A)ᵀ·dC, re-transposed.
      let da: Tensor;
      let db: Tensor;
      if (!transposeA && !transposeB) {
        da = matMul(dy, b, false, true);
        db = matMul(a, dy, true, false);
      } else if (!transposeA && transposeB) {
        da = matMul(dy, b, false, false);
        db = matMul(dy, a, true, false);
      } else if (transposeA && !transposeB) {
        da = matMul(b, dy, false, true);
        db = matMul(a, dy, false, false);
      } else {
        da = matMul(b, dy, true, true);
        db = matMul(dy, a, true, true);
      }
      // A matrix shared across the batch collects the batch's gradients.
      return [sumTo(da, a.shape), sumTo(db, b.shape)];
    },
    label,
  );
}
