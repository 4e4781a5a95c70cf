/**
 * Logistic regression as in the notes: one sigmoid neuron ŷ = a = σ(x·w + b), the logistic loss
 * L = −(1/n) Σ [y log a + (1 − y) log(1 − a)], trained by plain gradient descent w ← w − η ∂L/∂w with
 * the gradients from Axon's autodiff (`ax.grads`). At every step the autodiff gradient is checked
 * against the notes' closed form ∂L/∂w = (1/n) Σ (a − y)·x = (1/n) xᵀ(a − y), ∂L/∂b = (1/n) Σ (a − y).
 *
 * Run: npx tsx examples/logistic-regression.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** Options of the example run. */
export interface LogisticRegressionOptions {
  epochs?: number;
  learningRate?: number;
  /** Record the loss every this many epochs (and at the last one). */
  logEvery?: number;
  n?: number;
  seed?: number;
}

/** What the run produced. */
export interface LogisticRegressionRun {
  /** [epoch, loss] before the update of that epoch, every `logEvery` epochs, then the final loss. */
  losses: [number, number][];
  finalLoss: number;
  /** Share of training points with (a ≥ 0.5) = y after training. */
  accuracy: number;
  weights: number[];
  bias: number;
  /** Largest |autodiff − closed form| over all epochs, for ∂L/∂w and ∂L/∂b. */
  maxGradDiff: { w: number; b: number };
  /** The first step's gradients both ways (w = 0, b = 0), for printing. */
  firstStep: { autodiffW: number[]; closedFormW: number[]; autodiffB: number; closedFormB: number };
}

/** The mean logistic loss, computed from the logits z for numerical safety (same value as with a = σ(z)). */
function logisticLoss(x: ax.Tensor, y: ax.Tensor, w: ax.Tensor, b: ax.Tensor): ax.Tensor {
  const z = ax.add(ax.matMul(x, w), b);
  return ax.mean(ax.sigmoidCrossEntropyWithLogits(y, z));
}

function maxAbsDiff(a: ax.Tensor, b: ax.Tensor): number {
  const u = a.dataSync();
  const v = b.dataSync();
  let m = 0;
  for (let i = 0; i < u.length; i++) m = Math.max(m, Math.abs(u[i] - v[i]));
  return m;
}

/**
 * Trains one sigmoid neuron on the linearly separable synthetic set by gradient descent.
 * @example
 * const run = runLogisticRegressionExample({ epochs: 100 });
 * run.accuracy;          // ≥ 0.95
 * run.maxGradDiff.w;     // ~1e-8: autodiff equals (1/n) xᵀ(a − y)
 */
export function runLogisticRegressionExample(options: LogisticRegressionOptions = {}): LogisticRegressionRun {
  const { epochs = 200, learningRate = 0.1, logEvery = 20, n = 200, seed = 7 } = options;
  const { x, y } = ax.datasets.synthetic.linear({ n, seed });
  let w = ax.zeros([2, 1]);
  let b = ax.zeros([1]);
  const lossAndGrads = ax.valueAndGrads((wt, bt) => logisticLoss(x, y, wt, bt));
  const losses: [number, number][] = [];
  const maxGradDiff = { w: 0, b: 0 };
  let firstStep: LogisticRegressionRun['firstStep'] | null = null;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const { value, grads } = lossAndGrads([w, b]);
    const [dw, db] = grads;
    // The notes' closed form, with explicit ops and no autodiff: a − y, then xᵀ(a − y)/n.
    const a = ax.sigmoid(ax.add(ax.matMul(x, w), b));
    const error = ax.sub(a, y);
    const dwClosed = ax.div(ax.matMul(x, error, true, false), n);
    const dbClosed = ax.reshape(ax.mean(error), [1]);
    maxGradDiff.w = Math.max(maxGradDiff.w, maxAbsDiff(dw, dwClosed));
    maxGradDiff.b = Math.max(maxGradDiff.b, maxAbsDiff(db, dbClosed));
    if (firstStep === null) {
      firstStep = {
        autodiffW: Array.from(dw.dataSync()),
        closedFormW: Array.from(dwClosed.dataSync()),
        autodiffB: db.item(),
        closedFormB: dbClosed.item(),
      };
    }
    if (epoch % logEvery === 0) losses.push([epoch, value.item()]);
    w = ax.sub(w, ax.mul(learningRate, dw));
    b = ax.sub(b, ax.mul(learningRate, db));
  }
  const finalLoss = logisticLoss(x, y, w, b).item();
  losses.push([epochs, finalLoss]);
  const a = ax.sigmoid(ax.add(ax.matMul(x, w), b)).dataSync();
  const labels = y.dataSync();
  let correct = 0;
  for (let i = 0; i < n; i++) if ((a[i] >= 0.5 ? 1 : 0) === labels[i]) correct++;
  return {
    losses,
    finalLoss,
    accuracy: correct / n,
    weights: Array.from(w.dataSync()),
    bias: b.item(),
    maxGradDiff,
    firstStep: firstStep ?? { autodiffW: [], closedFormW: [], autodiffB: 0, closedFormB: 0 },
  };
}

function main(): void {
  const epochs = 200;
  console.log(
    'Logistic regression: ŷ = σ(x·w + b), L = −mean[y log ŷ + (1 − y) log(1 − ŷ)], plain gradient descent',
  );
  console.log('Data: ax.datasets.synthetic.linear({ n: 200, seed: 7 }) — two classes split by a line\n');
  const run = runLogisticRegressionExample({ epochs });
  const fmt = (v: number): string => v.toFixed(6);
  const first = run.firstStep;
  console.log('First step (w = 0, b = 0):');
  console.log(
    `  autodiff     ∂L/∂w = [${first.autodiffW.map(fmt).join(', ')}], ∂L/∂b = ${fmt(first.autodiffB)}`,
  );
  console.log(
    `  (1/n)xᵀ(a−y) ∂L/∂w = [${first.closedFormW.map(fmt).join(', ')}], ∂L/∂b = ${fmt(first.closedFormB)}\n`,
  );
  for (const [epoch, loss] of run.losses)
    console.log(`epoch ${String(epoch).padStart(4)}  loss ${loss.toFixed(5)}`);
  console.log(`\nfinal w = [${run.weights.map((v) => v.toFixed(4)).join(', ')}], b = ${run.bias.toFixed(4)}`);
  console.log(`training accuracy: ${(run.accuracy * 100).toFixed(1)}%`);
  console.log(
    `max |autodiff − closed form| over all ${epochs} steps: ∂L/∂w ${run.maxGradDiff.w.toExponential(2)}, ` +
      `∂L/∂b ${run.maxGradDiff.b.toExponential(2)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
