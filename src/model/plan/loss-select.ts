/**
 * Which loss head runs a compiled loss. The built-in losses are recognized by name and options, then
 * checked on a probe batch against the loss's own perSample (so a custom Loss that merely borrows a
 * built-in's name still trains on the graph).
 */

import { noGrad } from '../../autograd/backprop.js';
import { jsBackend } from '../../backend/js/index.js';
import type { Loss } from '../../nn/losses.js';
import { Tensor } from '../../tensor/tensor.js';
import {
  categoricalCrossentropyHead,
  categoricalCrossentropyLogitsHead,
  sparseCategoricalCrossentropyHead,
  sparseCategoricalCrossentropyLogitsHead,
} from './loss-categorical.js';
import {
  binaryCrossentropyHead,
  binaryCrossentropyLogitsHead,
  hingeHead,
  huberHead,
  type LossHead,
  meanAbsoluteErrorHead,
  meanSquaredErrorHead,
} from './loss-heads.js';

function namedHead(loss: Loss): LossHead | null {
  const logits = loss.fromLogits === true;
  switch (loss.name) {
    case 'meanSquaredError':
      return logits ? null : meanSquaredErrorHead;
    case 'meanAbsoluteError':
      return logits ? null : meanAbsoluteErrorHead;
    case 'hinge':
      return logits ? null : hingeHead;
    case 'huber': {
      const delta = loss.config?.delta;
      return logits || typeof delta !== 'number' ? null : huberHead(delta);
    }
    case 'binaryCrossentropy':
      return logits ? binaryCrossentropyLogitsHead : binaryCrossentropyHead;
    case 'categoricalCrossentropy':
      return logits ? categoricalCrossentropyLogitsHead : categoricalCrossentropyHead;
    case 'sparseCategoricalCrossentropy':
      return logits ? sparseCategoricalCrossentropyLogitsHead : sparseCategoricalCrossentropyHead;
    default:
      return null;
  }
}

const ROWS = 3;
const COLS = 3;
/** Probabilities, some beyond the clip bounds, for the probability losses. */
const PROBABILITIES = [0.2, 0.5, 0.3, 1e-9, 0.9, 0.1, 0.6, 0.3, 1];
/** Logits or regression outputs, on both sides of huber's δ = 1. */
const REALS = [1.5, -0.3, 2.2, -2, 0.05, 0.7, 3.1, -1.2, 0.4];

/** A probe batch the loss accepts: [predictions, targets]. */
function probe(loss: Loss, head: LossHead): [Tensor, Tensor] {
  const probabilities = !loss.fromLogits && /Crossentropy$/.test(loss.name);
  const pred = new Tensor(Float32Array.from(probabilities ? PROBABILITIES : REALS), [ROWS, COLS]);
  let target: number[];
  if (head.sparse) target = [2, 0, 1];
  else if (loss.name === 'categoricalCrossentropy') target = [0, 0, 1, 1, 0, 0, 0, 1, 0];
  else if (loss.name === 'binaryCrossentropy') target = [1, 0, 1, 0, 0, 1, 1, 1, 0];
  else if (loss.name === 'hinge') target = [1, -1, 1, -1, -1, 1, 1, 1, -1];
  else target = [1, -0.5, 2, 0.3, -2.5, 0.7, 1.1, -0.2, 0];
  const shape = head.sparse ? [ROWS] : [ROWS, COLS];
  return [pred, new Tensor(Float32Array.from(target), shape)];
}

/** Whether the head gives the loss's own per-sample values on the probe (to float32 rounding). */
function agreesOnProbe(loss: Loss, head: LossHead): boolean {
  try {
    const [pred, target] = probe(loss, head);
    const want = noGrad(() => loss.perSample(target, pred)).values;
    const perSample = new Float32Array(ROWS);
    const scratch = Array.from({ length: head.scratchBuffers }, () => new Float32Array(ROWS * COLS));
    head.run(pred.values, target.values, {
      rows: ROWS,
      cols: COLS,
      perSample,
      grad: new Float32Array(ROWS * COLS),
      scratch,
      kernels: jsBackend,
    });
    if (want.length !== ROWS) return false;
    for (let r = 0; r < ROWS; r++) {
      if (!(Math.abs(want[r] - perSample[r]) <= 1e-6 * Math.max(1, Math.abs(want[r])))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const verdicts = new WeakMap<Loss, LossHead | null>();

/**
 * The head that runs `loss`, or null when the loss is not a built-in the plan implements.
 * @example
 * lossHead(ax.getLoss('mse')); // meanSquaredErrorHead
 */
export function lossHead(loss: Loss): LossHead | null {
  const known = verdicts.get(loss);
  if (known !== undefined) return known;
  const named = namedHead(loss);
  const head = named !== null && agreesOnProbe(loss, named) ? named : null;
  verdicts.set(loss, head);
  return head;
}
