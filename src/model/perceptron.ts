/**
 * Rosenblatt's perceptron: one neuron with a sign activation, trained by the perceptron learning rule
 * (not by gradients — sign has none). It learns any linearly separable labelling in finitely many
 * mistakes (Novikoff's theorem) and never stops making mistakes on one that is not, such as XOR.
 */
import { type TensorLike, toTensor } from '../ops/engine.js';
import { allocData } from '../tensor/precision.js';
import { getRandom, Random } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `new ax.Perceptron(...)`. */
export interface PerceptronOptions {
  /** Number of input features (the width of each row of x). */
  inputDim: number;
  /** η in w ← w + η·y·x. Default 1, as in the notes. */
  learningRate?: number;
  /** Training stops after this many epochs if it has not converged. Default 100. */
  maxEpochs?: number;
  /** Visit the rows in a new random order every epoch. Default false: the given order, as in a hand trace. */
  shuffle?: boolean;
  /** Seed of the shuffling order; without it the global generator (`ax.setSeed`) is used. */
  seed?: number;
}

/** How the labels were written; predictions come back in the same coding. */
export type LabelCoding = 'bipolar' | 'binary';

/** What `fit` returns. */
export interface PerceptronFitResult {
  /** True when the last epoch made no mistake: the data are separated by the learnt line. */
  converged: boolean;
  /** Number of epochs run (including the final mistake-free one when converged). */
  epochs: number;
  /** Mistakes (updates) in each epoch, in order. */
  errors: number[];
}

/** One visit of one row during `fit`, passed to the `onStep` callback (after any update). */
export interface PerceptronStep {
  /** 1-based epoch. */
  epoch: number;
  /** Row of x that was visited. */
  row: number;
  /** w·x + b before the update. */
  net: number;
  /** Target in bipolar coding (−1 or +1). */
  target: number;
  /** sign(net) in bipolar coding, before the update. */
  output: number;
  /** Whether the row was misclassified (and the weights therefore changed). */
  mistake: boolean;
  /** Weights after this step (a copy). */
  weights: number[];
  /** Bias after this step. */
  bias: number;
}

/** Extra options of `fit`. */
export interface PerceptronFitOptions {
  /** Called after every row of every epoch: a step-by-step trace of the learning rule. */
  onStep?: (step: PerceptronStep) => void;
}

/**
 * A single-layer perceptron with the notes' sign activation: o = +1 when w·x + b > 0, and −1
 * otherwise (so a point exactly on the boundary, including every point before training, is −1).
 * Weights and bias start at 0. On each misclassified row the rule w ← w + η·y·x, b ← b + η·y applies
 * (y in ±1). Labels may be ±1 or 0/1; predictions use the coding seen in `fit`.
 * @example
 * const p = new ax.Perceptron({ inputDim: 2 });
 * const res = p.fit([[-1, -1], [-1, 1], [1, -1], [1, 1]], [-1, -1, -1, 1]); // AND, bipolar
 * res.converged;                 // true (errors per epoch [1, 2, 0])
 * p.predict([[1, 1]]).arraySync(); // [1]
 */
export class Perceptron {
  readonly inputDim: number;
  readonly learningRate: number;
  readonly maxEpochs: number;
  readonly shuffle: boolean;
  private readonly seed: number | undefined;
  private readonly w: Float64Array;
  private b = 0;
  private coding: LabelCoding = 'bipolar';

  constructor(options: PerceptronOptions) {
    if (options === null || typeof options !== 'object') {
      throw new Error('Perceptron: expected an options object such as { inputDim: 2 }');
    }
    const { inputDim, learningRate = 1, maxEpochs = 100, shuffle = false, seed } = options;
    if (!Number.isInteger(inputDim) || inputDim < 1) {
      throw new Error(`Perceptron: inputDim must be a positive integer, got ${inputDim}`);
    }
    if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) {
      throw new Error(`Perceptron: learningRate must be a positive finite number, got ${learningRate}`);
    }
    if (!Number.isInteger(maxEpochs) || maxEpochs < 1) {
      throw new Error(`Perceptron: maxEpochs must be a positive integer, got ${maxEpochs}`);
    }
    if (seed !== undefined && !Number.isFinite(seed)) {
      throw new Error(`Perceptron: seed must be a finite number, got ${seed}`);
    }
    this.inputDim = inputDim;
    this.learningRate = learningRate;
    this.maxEpochs = maxEpochs;
    this.shuffle = shuffle;
    this.seed = seed;
    this.w = new Float64Array(inputDim);
  }

  /** The weight vector w, shape [inputDim] (a copy). */
  get weights(): Tensor {
    const data = allocData(this.inputDim);
    data.set(this.w);
    return new Tensor(data, [this.inputDim]);
  }

  /** The bias b (the notes' w₀, whose input x₀ is always 1). */
  get bias(): number {
    return this.b;
  }

  /** The label coding learnt by the last `fit` ('bipolar' before any fit). */
  get labelCoding(): LabelCoding {
    return this.coding;
  }

  /**
   * Runs the perceptron rule over the rows, epoch after epoch, until an epoch makes no mistake
   * (converged) or `maxEpochs` is reached. Continues from the current weights if called again.
   * @example
   * const p = new ax.Perceptron({ inputDim: 2, maxEpochs: 50 });
   * p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]); // XOR: { converged: false, epochs: 50, ... }
   */
  fit(x: TensorLike, y: TensorLike, options: PerceptronFitOptions = {}): PerceptronFitResult {
    const xs = this.checkInputs('fit', x);
    const n = xs.shape[0];
    if (n === 0) throw new Error('Perceptron.fit: x has no rows; give at least one training example');
    const { targets, coding } = readLabels(toTensor(y, 'Perceptron.fit', 'y'), n, xs.shape);
    this.coding = coding;
    const d = this.inputDim;
    const xv = xs.values;
    const w = this.w;
    const eta = this.learningRate;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const rng = this.shuffle ? (this.seed === undefined ? getRandom() : new Random(this.seed)) : null;
    const onStep = options.onStep;
    const errors: number[] = [];
    for (let epoch = 1; epoch <= this.maxEpochs; epoch++) {
      if (rng) rng.shuffle(order);
      let mistakes = 0;
      for (let k = 0; k < n; k++) {
        const i = order[k];
        const row = i * d;
        let net = this.b;
        for (let j = 0; j < d; j++) net += w[j] * xv[row + j];
        const output = net > 0 ? 1 : -1;
        const target = targets[i];
        const mistake = output !== target;
        if (mistake) {
          mistakes++;
          const step = eta * target;
          for (let j = 0; j < d; j++) w[j] += step * xv[row + j];
          this.b += step;
        }
        if (onStep) {
          onStep({ epoch, row: i, net, target, output, mistake, weights: Array.from(w), bias: this.b });
        }
      }
      errors.push(mistakes);
      if (mistakes === 0) return { converged: true, epochs: epoch, errors };
    }
    return { converged: false, epochs: this.maxEpochs, errors };
  }

  /**
   * w·x + b for every row: positive means the positive class, its size the (unnormalized) distance
   * to the boundary.
   * @example
   * p.decisionFunction([[1, 1], [0, 0]]); // Tensor [2]
   */
  decisionFunction(x: TensorLike): Tensor {
    const xs = this.checkInputs('decisionFunction', x);
    const n = xs.shape[0];
    const d = this.inputDim;
    const out = allocData(n);
    for (let i = 0; i < n; i++) {
      let net = this.b;
      for (let j = 0; j < d; j++) net += this.w[j] * xs.values[i * d + j];
      out[i] = net;
    }
    return new Tensor(out, [n]);
  }

  /**
   * The class of every row, shape [n]: +1/−1 if the labels were bipolar, 1/0 if they were 0/1.
   * @example
   * p.predict([[1, 1], [-1, 1]]).arraySync(); // [1, -1]
   */
  predict(x: TensorLike): Tensor {
    const net = this.decisionFunction(x);
    const negative = this.coding === 'bipolar' ? -1 : 0;
    const v = net.values;
    for (let i = 0; i < v.length; i++) v[i] = v[i] > 0 ? 1 : negative;
    return net;
  }

  /** x as a [n, inputDim] tensor of finite numbers, or a clear error. */
  private checkInputs(method: string, x: TensorLike): Tensor {
    const op = `Perceptron.${method}`;
    const xs = toTensor(x, op, 'x');
    if (xs.rank !== 2 || xs.shape[1] !== this.inputDim) {
      throw new Error(
        `${op}: x has shape ${formatShape(xs.shape)}, but this perceptron has inputDim ${this.inputDim}: ` +
          `expected shape [n,${this.inputDim}]`,
      );
    }
    const d = this.inputDim;
    const v = xs.values;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        const row = Math.floor(i / d);
        throw new Error(
          `${op}: x row ${row} has a non-finite value (${v[i]}) in column ${i % d}; every input must be a finite number`,
        );
      }
    }
    return xs;
  }
}

/**
 * Reads y ([n] or [n, 1]) as bipolar targets and detects its coding: any 0 means 0/1, any −1 means
 * ±1; labels that are all 1 count as ±1. Mixing the codings, or any other value, is an error naming the row.
 */
function readLabels(
  y: Tensor,
  n: number,
  xShape: readonly number[],
): { targets: Int8Array; coding: LabelCoding } {
  const op = 'Perceptron.fit';
  const okShape =
    (y.rank === 1 && y.shape[0] === n) || (y.rank === 2 && y.shape[0] === n && y.shape[1] === 1);
  if (!okShape) {
    throw new Error(
      `${op}: y has shape ${formatShape(y.shape)} but x has shape ${formatShape(xShape)}: ` +
        `expected y of shape [${n}] or [${n},1], one label per row`,
    );
  }
  const targets = new Int8Array(n);
  let coding: LabelCoding | null = null;
  let codingRow = -1;
  for (let i = 0; i < n; i++) {
    const label = y.values[i];
    let seen: LabelCoding | null;
    if (label === 1) seen = null;
    else if (label === -1) seen = 'bipolar';
    else if (label === 0) seen = 'binary';
    else {
      throw new Error(
        `${op}: y row ${i} is ${label}; perceptron labels must be -1/1 (bipolar) or 0/1 (binary)`,
      );
    }
    if (seen !== null) {
      if (coding !== null && seen !== coding) {
        throw new Error(
          `${op}: y row ${i} is ${label}, but row ${codingRow} is ${coding === 'binary' ? 0 : -1}: ` +
            'labels must all be -1/1 (bipolar) or all be 0/1 (binary), not a mix',
        );
      }
      if (coding === null) {
        coding = seen;
        codingRow = i;
      }
    }
    targets[i] = label === 1 ? 1 : -1;
  }
  return { targets, coding: coding ?? 'bipolar' };
}
