/**
 * The harness of the TF.js reference tests (matrix.test.ts, penalties.test.ts): the axes of the matrix
 * (hidden activations, output/loss heads, optimizers), a fixed small data set, twin models with identical
 * initial weights, and one function that trains both and compares everything.
 *
 * Protocol: the same network in both libraries, Axon's initial weights copied into TF.js (model.setWeights,
 * Keras order), EPOCHS = 3 unshuffled epochs of BATCH = 4 on N = 11 rows (4 + 4 + 3: a ragged last batch),
 * then the per-epoch losses and metric, every final weight, predict, and evaluate (batched raggedly too).
 *
 * Tolerance: per element, |axon − tfjs| ≤ rtol · max(|tfjs|, floor), rtol = 1e-5 (SGD family) or 1e-4
 * (adaptive optimizers: RMSprop, Adagrad, Adam, Adamax). The floor keeps an element near zero from
 * being judged relatively when its error is absolute:
 * - weights: floor 0.1, a tenth of the Glorot limit √(6/(fanIn + fanOut)) ≈ 0.6–0.8 of these layers —
 *   a weight that crosses zero carries the absolute rounding of the steps that moved it;
 * - predictions, losses, metrics: floor 1, the scale of these outputs (probabilities, ±1 labels,
 *   regression targets of scale 2) — an output near 0 is a cancellation of O(1) terms.
 * Observed worst cases (relative, with these floors; each file prints its own after the run): weights
 * 6e-6 (SGD family), 2e-5 (adaptive); predictions 3e-6 (SGD family), 2e-5 (Adam); losses and evaluate
 * ≤ 5e-6. Adam is the loosest because TF.js keeps β₂ᵗ in a float32 variable, so its bias correction
 * 1 − β₂ᵗ is off by ~1.3e-5 relative at t = 1 (0.999 is not a float32) where Axon computes it in
 * float64; with β₂ = 1 − 2⁻¹⁰ (exact in float32) the Adam prediction errors drop about sixfold.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/index.js';

// ─── The axes ────────────────────────────────────────────────────────────────────────────────────

export const ACTIVATIONS = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'gelu',
  'swish',
  'hardSigmoid',
  'linear',
] as const;
export type HiddenActivation = (typeof ACTIVATIONS)[number];

/**
 * TF.js Layers has no 'leakyRelu' activation string; a linear Dense followed by its LeakyReLU layer is
 * the same function. α = 0.2, Keras's default for the activation (TF.js's layer defaults to 0.3).
 */
const LEAKY_ALPHA = 0.2;

export type TfLoss = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

export interface Head {
  name: string;
  activation: 'sigmoid' | 'softmax' | 'linear' | 'tanh';
  units: number;
  axLoss: string;
  tfLoss: TfLoss;
  /** Metric given to both compiles; null for hinge, where TF.js's 'accuracy' (binary, 0.5 threshold) means nothing for ±1 labels. */
  metric: string | null;
  targets: number[][];
}

const N = 11;
const BATCH = 4;
const EPOCHS = 3;

/** Inputs: a fixed seeded draw, [11, 4], unit scale. */
export const X: number[][] = (() => {
  const rng = new ax.Random(20240611);
  return Array.from({ length: N }, () => Array.from({ length: 4 }, () => rng.normal()));
})();

const CLASSES = Array.from({ length: N }, (_, i) => (i * 7 + 3) % 3);
export const BINARY = Array.from({ length: N }, (_, i) => (i * 5 + 1) % 2);
/** Regression targets of scale 2, so Huber sees residuals on both sides of δ = 1. */
const REAL: number[][] = (() => {
  const rng = new ax.Random(77);
  return Array.from({ length: N }, () => [2 * rng.normal(), 2 * rng.normal()]);
})();

/**
 * Huber for TF.js Layers (which has no 'huber' string): tf.losses.huberLoss with δ = 1, unreduced,
 * then the mean over the last axis — the per-sample form a Layers loss function returns, as Keras's.
 */
function tfHuber(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.mean(tf.losses.huberLoss(yTrue, yPred, undefined, 1, tf.Reduction.NONE), -1);
}

export const HEADS: Head[] = [
  {
    name: 'sigmoid+binaryCrossentropy',
    activation: 'sigmoid',
    units: 1,
    axLoss: 'binaryCrossentropy',
    tfLoss: 'binaryCrossentropy',
    metric: 'accuracy',
    targets: BINARY.map((b) => [b]),
  },
  {
    name: 'softmax+categoricalCrossentropy',
    activation: 'softmax',
    units: 3,
    axLoss: 'categoricalCrossentropy',
    tfLoss: 'categoricalCrossentropy',
    metric: 'accuracy',
    targets: CLASSES.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))),
  },
  {
    name: 'softmax+sparseCategoricalCrossentropy',
    activation: 'softmax',
    units: 3,
    axLoss: 'sparseCategoricalCrossentropy',
    tfLoss: 'sparseCategoricalCrossentropy',
    metric: 'accuracy',
    targets: CLASSES.map((c) => [c]),
  },
  {
    name: 'linear+meanSquaredError',
    activation: 'linear',
    units: 2,
    axLoss: 'meanSquaredError',
    tfLoss: 'meanSquaredError',
    metric: 'mae',
    targets: REAL,
  },
  {
    name: 'linear+meanAbsoluteError',
    activation: 'linear',
    units: 2,
    axLoss: 'meanAbsoluteError',
    tfLoss: 'meanAbsoluteError',
    metric: 'mse',
    targets: REAL,
  },
  {
    name: 'linear+huber',
    activation: 'linear',
    units: 2,
    axLoss: 'huber',
    tfLoss: tfHuber,
    metric: 'mse',
    targets: REAL,
  },
  {
    // ±1 labels: with 0/1 labels TF.js's hinge departs from Keras (see the last describe block).
    name: 'tanh+hinge',
    activation: 'tanh',
    units: 1,
    axLoss: 'hinge',
    tfLoss: 'hinge',
    metric: null,
    targets: BINARY.map((b) => [2 * b - 1]),
  },
];

export interface OptimizerCase {
  name: string;
  adaptive: boolean;
  axon: () => ax.Optimizer;
  tfjs: () => tf.Optimizer;
}

/** Rates above the defaults so that 9 steps move every weight measurably (asserted). */
export const OPTIMIZERS: OptimizerCase[] = [
  {
    name: 'sgd',
    adaptive: false,
    axon: () => ax.optimizers.sgd({ learningRate: 0.1 }),
    tfjs: () => tf.train.sgd(0.1),
  },
  {
    name: 'sgd+momentum',
    adaptive: false,
    axon: () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }),
    tfjs: () => tf.train.momentum(0.05, 0.9),
  },
  {
    name: 'sgd+nesterov',
    adaptive: false,
    axon: () => ax.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    tfjs: () => tf.train.momentum(0.05, 0.9, true),
  },
  {
    name: 'rmsprop',
    adaptive: true,
    axon: () => ax.optimizers.rmsprop({ learningRate: 0.01 }),
    tfjs: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
  },
  {
    name: 'adagrad',
    adaptive: true,
    axon: () => ax.optimizers.adagrad({ learningRate: 0.1 }),
    tfjs: () => tf.train.adagrad(0.1, 0.1),
  },
  {
    name: 'adam',
    adaptive: true,
    axon: () => ax.optimizers.adam({ learningRate: 0.01 }),
    tfjs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-7),
  },
  {
    name: 'adamax',
    adaptive: true,
    axon: () => ax.optimizers.adamax({ learningRate: 0.02 }),
    tfjs: () => tf.train.adamax(0.02, 0.9, 0.999, 1e-7, 0),
  },
];
export const byName = (name: string): OptimizerCase => {
  const o = OPTIMIZERS.find((c) => c.name === name);
  if (!o) throw new Error(`no optimizer case ${name}`);
  return o;
};

// ─── Comparison ──────────────────────────────────────────────────────────────────────────────────

const WEIGHT_FLOOR = 0.1;
const OUTPUT_FLOOR = 1;

/** Worst relative error seen per optimizer and quantity, printed after the run. */
const worst = new Map<string, number>();

function assertClose(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rtol: number,
  floor: number,
  what: string,
  tally?: string,
): void {
  assert.equal(a.length, b.length, `${what}: ${a.length} values in Axon, ${b.length} in TF.js`);
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    assert.ok(Number.isFinite(a[i]) && Number.isFinite(b[i]), `${what}[${i}]: axon ${a[i]}, tfjs ${b[i]}`);
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    w = Math.max(w, e);
    assert.ok(
      e <= rtol,
      `${what}[${i}]: axon ${a[i]} vs tfjs ${b[i]} (relative error ${e.toExponential(2)} > ${rtol})`,
    );
  }
  if (tally !== undefined) worst.set(tally, Math.max(worst.get(tally) ?? 0, w));
}

// ─── Twins ───────────────────────────────────────────────────────────────────────────────────────

export interface Penalty {
  l1?: number;
  l2?: number;
}

export interface DenseSpec {
  units: number;
  activation: HiddenActivation | Head['activation'];
  kernel?: Penalty;
  bias?: Penalty;
  /** Add a Dropout layer with this rate after the Dense. */
  dropout?: number;
}

function axRegularizer(p: Penalty | undefined): ax.Regularizer | undefined {
  if (p === undefined) return undefined;
  const { l1, l2 } = p;
  if (l1 !== undefined && l2 !== undefined) return ax.regularizers.l1l2({ l1, l2 });
  return l1 !== undefined ? ax.regularizers.l1({ l1 }) : ax.regularizers.l2({ l2 });
}

function tfRegularizer(p: Penalty | undefined): ReturnType<typeof tf.regularizers.l1> | undefined {
  if (p === undefined) return undefined;
  const { l1, l2 } = p;
  if (l1 !== undefined && l2 !== undefined) return tf.regularizers.l1l2({ l1, l2 });
  return l1 !== undefined ? tf.regularizers.l1({ l1 }) : tf.regularizers.l2({ l2: l2 ?? 0 });
}

/** Keras's penalty l1·Σ|w| + l2·Σw², in float64, of TF.js's current weights (two per Dense, in order). */
function penaltyOf(specs: readonly DenseSpec[], model: tf.Sequential): number {
  const ws = model.getWeights();
  let total = 0;
  specs.forEach((s, i) => {
    [s.kernel, s.bias].forEach((p, j) => {
      if (p === undefined) return;
      for (const w of ws[2 * i + j].dataSync()) total += (p.l1 ?? 0) * Math.abs(w) + (p.l2 ?? 0) * w * w;
    });
  });
  return total;
}

interface Twins {
  axModel: ax.Sequential;
  tfModel: tf.Sequential;
}

/**
 * The same network in both. `initial` replaces Axon's fresh weights first (e.g. non-zero biases); then
 * TF.js gets Axon's weights.
 */
function twins(
  specs: readonly DenseSpec[],
  inputDim: number,
  initial?: (ws: ax.Tensor[]) => ax.Tensor[],
): Twins {
  const axModel = ax.sequential();
  const tfModel = tf.sequential();
  specs.forEach((s, i) => {
    const input = i === 0 ? { inputShape: [inputDim] } : {};
    const common = { units: s.units, ...input };
    axModel.add(
      ax.layers.dense({
        ...common,
        activation: s.activation,
        kernelRegularizer: axRegularizer(s.kernel),
        biasRegularizer: axRegularizer(s.bias),
      }),
    );
    const leaky = s.activation === 'leakyRelu';
    tfModel.add(
      tf.layers.dense({
        ...common,
        activation: leaky ? 'linear' : (s.activation as 'relu'),
        kernelRegularizer: tfRegularizer(s.kernel),
        biasRegularizer: tfRegularizer(s.bias),
      }),
    );
    if (leaky) tfModel.add(tf.layers.leakyReLU({ alpha: LEAKY_ALPHA }));
    if (s.dropout !== undefined) {
      axModel.add(ax.layers.dropout({ rate: s.dropout }));
      tfModel.add(tf.layers.dropout({ rate: s.dropout }));
    }
  });
  if (initial) axModel.setWeights(initial(axModel.getWeights()));
  tfModel.setWeights(axModel.getWeights().map((w) => tf.tensor(Array.from(w.dataSync()), w.shape)));
  return { axModel, tfModel };
}

export interface RunSpec {
  specs: readonly DenseSpec[];
  axLoss: string;
  tfLoss: TfLoss;
  metric: string | null;
  optimizer: OptimizerCase;
  x: number[][];
  /** Targets given to Axon and (unless tfY is set) to TF.js. */
  y: number[][];
  tfY?: number[][];
  initial?: (ws: ax.Tensor[]) => ax.Tensor[];
}

/** The value under the one non-loss key of a log (the metric), by whatever name each library gives it. */
function metricOf(logs: Record<string, unknown>): unknown {
  const key = Object.keys(logs).find((k) => k !== 'loss');
  return key === undefined ? undefined : logs[key];
}

/** Trains both, asserts agreement, returns the largest distance any weight moved (to rule out a vacuous pass). */
export async function trainAndCompare(run: RunSpec, what: string): Promise<number> {
  const { axModel, tfModel } = twins(run.specs, run.x[0].length, run.initial);
  const metrics = run.metric === null ? undefined : [run.metric];
  axModel.compile({ optimizer: run.optimizer.axon(), loss: run.axLoss, metrics });
  tfModel.compile({ optimizer: run.optimizer.tfjs(), loss: run.tfLoss, metrics });
  const initial = axModel.getWeights().map((w) => Array.from(w.dataSync()));
  const rtol = run.optimizer.adaptive ? 1e-4 : 1e-5;
  const tag = run.optimizer.name;
  const args = { epochs: EPOCHS, batchSize: BATCH, shuffle: false, verbose: 0 };
  const xa = ax.tensor(run.x);
  const ya = ax.tensor(run.y);
  const xt = tf.tensor(run.x);
  const yt = tf.tensor(run.tfY ?? run.y);
  try {
    const ha = await axModel.fit(xa, ya, args);
    const ht = await tfModel.fit(xt, yt, args);
    assertClose(
      ha.history.loss,
      ht.history.loss as number[],
      rtol,
      OUTPUT_FLOOR,
      `${what}: per-epoch loss`,
      `${tag} loss`,
    );
    if (metrics !== undefined) {
      const ma = metricOf(ha.history) as number[];
      const mt = metricOf(ht.history) as number[];
      assertClose(ma, mt, rtol, OUTPUT_FLOOR, `${what}: per-epoch ${run.metric}`, `${tag} metric`);
    }

    const wa = axModel.getWeights().map((w) => w.dataSync());
    const wt = tfModel.getWeights().map((w) => w.dataSync());
    assert.equal(wa.length, wt.length, `${what}: number of weight tensors`);
    let moved = 0;
    for (let k = 0; k < wa.length; k++) {
      assertClose(wa[k], wt[k], rtol, WEIGHT_FLOOR, `${what}: weight ${k}`, `${tag} weights`);
      for (let i = 0; i < wa[k].length; i++) moved = Math.max(moved, Math.abs(wa[k][i] - initial[k][i]));
    }

    const pa = axModel.predict(xa).dataSync();
    const pt = tf.tidy(() => (tfModel.predict(xt) as tf.Tensor).dataSync());
    assertClose(pa, pt, rtol, OUTPUT_FLOOR, `${what}: predict`, `${tag} predict`);

    const ea = axModel.evaluate(xa, ya, { batchSize: BATCH });
    const evaluated = tfModel.evaluate(xt, yt, { batchSize: BATCH });
    const et = (Array.isArray(evaluated) ? evaluated : [evaluated]).map((s) => s.dataSync()[0]);
    // TF.js 4.22's evaluate leaves the weight penalties out (makeTestFunction adds none); Keras's, like
    // fit's loss in both libraries, includes them. Axon follows Keras, so add them to TF.js's figure.
    et[0] += penaltyOf(run.specs, tfModel);
    const axEvaluated = metrics === undefined ? [ea.loss] : [ea.loss, metricOf(ea) as number];
    assertClose(axEvaluated, et, rtol, OUTPUT_FLOOR, `${what}: evaluate`, `${tag} evaluate`);
    return moved;
  } finally {
    xt.dispose();
    yt.dispose();
    tfModel.dispose();
  }
}

/**
 * The worst relative error seen so far per optimizer and quantity, one line.
 * @example after(() => console.log(worstErrors()));
 */
export function worstErrors(): string {
  const lines = [...worst]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v.toExponential(1)}`);
  return `worst relative errors vs TF.js: ${lines.join('; ')}`;
}
