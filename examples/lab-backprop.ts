/**
 * The lab notes' two-layer sigmoid network, backpropagated by hand. Forward (no biases, rows are
 * examples):
 *   s⁽²⁾ = x·W⁽¹⁾,  a⁽²⁾ = f(s⁽²⁾),  s⁽³⁾ = a⁽²⁾·W⁽²⁾,  ŷ = f(s⁽³⁾),  C = Σ ½(y − ŷ)²,  f = sigmoid.
 * Backward, exactly the notes' four lines:
 *   δ⁽³⁾ = −(y − ŷ) ∘ f′(s⁽³⁾)          ∂C/∂W⁽²⁾ = (a⁽²⁾)ᵀ δ⁽³⁾
 *   δ⁽²⁾ = δ⁽³⁾ (W⁽²⁾)ᵀ ∘ f′(s⁽²⁾)       ∂C/∂W⁽¹⁾ = xᵀ δ⁽²⁾
 * with f′(s) = f(s)(1 − f(s)). The hand gradients are compared with Axon's autodiff, then used for a
 * few hundred steps of gradient descent W ← W − μ ∂C/∂W.
 *
 * Run: npx tsx examples/lab-backprop.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** Toy data in the style of the lab: (hours of sleep, hours of study) → test score, each scaled to [0, 1]. */
export const LAB_X = [
  [3 / 10, 5 / 5],
  [5 / 10, 1 / 5],
  [10 / 10, 2 / 5],
];
export const LAB_Y = [[0.75], [0.82], [0.93]];

/** Every quantity of one forward and backward pass, as nested arrays. */
export interface LabPass {
  s2: number[][];
  a2: number[][];
  s3: number[][];
  yHat: number[][];
  cost: number;
  delta3: number[][];
  dW2: number[][];
  delta2: number[][];
  dW1: number[][];
}

/** What the example produced. */
export interface LabBackpropRun {
  W1: number[][];
  W2: number[][];
  hand: LabPass;
  autodiff: { dW1: number[][]; dW2: number[][] };
  /** max |hand − autodiff| for each weight matrix. */
  maxAbsDiff: { W1: number; W2: number };
  training: { steps: number; learningRate: number; costBefore: number; costAfter: number; yHat: number[][] };
}

const f = (s: ax.Tensor): ax.Tensor => ax.sigmoid(s);
/** f′(s) = f(s)(1 − f(s)), written out rather than taken from the library's backward rule. */
const fPrime = (s: ax.Tensor): ax.Tensor => {
  const fs = ax.sigmoid(s);
  return ax.mul(fs, ax.sub(1, fs));
};

function cost(x: ax.Tensor, y: ax.Tensor, W1: ax.Tensor, W2: ax.Tensor): ax.Tensor {
  const yHat = f(ax.matMul(f(ax.matMul(x, W1)), W2));
  return ax.sum(ax.mul(0.5, ax.square(ax.sub(y, yHat))));
}

/** One forward pass and the notes' hand backward pass, explicit ops only (nothing records a graph). */
export function handBackprop(x: ax.Tensor, y: ax.Tensor, W1: ax.Tensor, W2: ax.Tensor): LabPass {
  const s2 = ax.matMul(x, W1);
  const a2 = f(s2);
  const s3 = ax.matMul(a2, W2);
  const yHat = f(s3);
  const c = ax.sum(ax.mul(0.5, ax.square(ax.sub(y, yHat))));
  const delta3 = ax.mul(ax.neg(ax.sub(y, yHat)), fPrime(s3));
  const dW2 = ax.matMul(a2, delta3, true, false);
  const delta2 = ax.mul(ax.matMul(delta3, W2, false, true), fPrime(s2));
  const dW1 = ax.matMul(x, delta2, true, false);
  const m = (t: ax.Tensor): number[][] => t.arraySync() as number[][];
  return {
    s2: m(s2),
    a2: m(a2),
    s3: m(s3),
    yHat: m(yHat),
    cost: c.item(),
    delta3: m(delta3),
    dW2: m(dW2),
    delta2: m(delta2),
    dW1: m(dW1),
  };
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
  }
  return worst;
}

/**
 * Builds the 2-3-1 network from `seed`, backpropagates by hand and by autodiff, then trains it with
 * the hand gradients.
 * @example
 * const run = runLabBackpropExample();
 * run.maxAbsDiff.W1; // < 1e-7: the notes' δ formulas are what autodiff computes
 */
export function runLabBackpropExample(seed = 1, steps = 500, learningRate = 1): LabBackpropRun {
  ax.setSeed(seed);
  const x = ax.tensor(LAB_X);
  const y = ax.tensor(LAB_Y);
  let W1 = ax.randomNormal([2, 3]);
  let W2 = ax.randomNormal([3, 1]);
  const hand = handBackprop(x, y, W1, W2);
  const [g1, g2] = ax.grads((w1, w2) => cost(x, y, w1, w2))([W1, W2]);
  const autodiff = { dW1: g1.arraySync() as number[][], dW2: g2.arraySync() as number[][] };
  const start = { W1: W1.arraySync() as number[][], W2: W2.arraySync() as number[][] };
  for (let i = 0; i < steps; i++) {
    const pass = handBackprop(x, y, W1, W2);
    W1 = ax.sub(W1, ax.mul(learningRate, ax.tensor(pass.dW1)));
    W2 = ax.sub(W2, ax.mul(learningRate, ax.tensor(pass.dW2)));
  }
  const after = handBackprop(x, y, W1, W2);
  return {
    ...start,
    hand,
    autodiff,
    maxAbsDiff: { W1: maxAbsDiff(hand.dW1, autodiff.dW1), W2: maxAbsDiff(hand.dW2, autodiff.dW2) },
    training: { steps, learningRate, costBefore: hand.cost, costAfter: after.cost, yHat: after.yHat },
  };
}

function show(label: string, m: number[][]): void {
  const rows = m.map((r) => `[${r.map((v) => v.toFixed(6).padStart(10)).join(' ')}]`);
  console.log(`${label} =`);
  for (const r of rows) console.log(`   ${r}`);
}

function main(): void {
  const run = runLabBackpropExample();
  const { hand } = run;
  console.log('Lab notes: 2-3-1 sigmoid network, C = Σ ½(y − ŷ)², no biases\n');
  show('x', LAB_X);
  show('y', LAB_Y);
  show('W⁽¹⁾', run.W1);
  show('W⁽²⁾', run.W2);
  console.log('\nForward');
  show('s⁽²⁾ = x·W⁽¹⁾', hand.s2);
  show('a⁽²⁾ = f(s⁽²⁾)', hand.a2);
  show('s⁽³⁾ = a⁽²⁾·W⁽²⁾', hand.s3);
  show('ŷ = f(s⁽³⁾)', hand.yHat);
  console.log(`C = Σ ½(y − ŷ)² = ${hand.cost.toFixed(6)}`);
  console.log('\nBackward, by hand');
  show('δ⁽³⁾ = −(y − ŷ) ∘ f′(s⁽³⁾)', hand.delta3);
  show('∂C/∂W⁽²⁾ = (a⁽²⁾)ᵀ δ⁽³⁾', hand.dW2);
  show('δ⁽²⁾ = δ⁽³⁾ (W⁽²⁾)ᵀ ∘ f′(s⁽²⁾)', hand.delta2);
  show('∂C/∂W⁽¹⁾ = xᵀ δ⁽²⁾', hand.dW1);
  console.log('\nThe same gradients from autodiff (ax.grads)');
  show('∂C/∂W⁽²⁾', run.autodiff.dW2);
  show('∂C/∂W⁽¹⁾', run.autodiff.dW1);
  console.log(
    `max |hand − autodiff|: W⁽¹⁾ ${run.maxAbsDiff.W1.toExponential(2)}, W⁽²⁾ ${run.maxAbsDiff.W2.toExponential(2)}`,
  );
  const t = run.training;
  console.log(
    `\nGradient descent with the hand gradients, W ← W − ${t.learningRate}·∂C/∂W, ${t.steps} steps:`,
  );
  console.log(`C ${t.costBefore.toFixed(6)} → ${t.costAfter.toFixed(6)}`);
  show('ŷ after training (targets 0.75, 0.82, 0.93)', t.yHat);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
