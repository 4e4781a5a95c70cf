/**
 * Classic teaching sets beyond the Playground: two moons, k Gaussian blobs, a linearly separable
 * set, and the logic-gate truth tables of the perceptron lesson.
 */
import { allocData } from '../tensor/precision.js';
import { Tensor } from '../tensor/tensor.js';
import {
  classCount,
  PointBuilder,
  resolveOptions,
  type SyntheticDataset,
  type SyntheticOptions,
  uniform,
} from './synthetic-common.js';
import { gaussVariance } from './synthetic-playground.js';

/** Moon radius in data units: the unit-radius moons are scaled to fill the Playground's ±6 square. */
const MOON_SCALE = 2.5;

/**
 * Two interleaving half circles of radius 2.5: class 0 is the upper arc centred at (−1.25, −0.625),
 * class 1 the lower arc centred at (1.25, 0.625) (scikit-learn's make_moons, centred and scaled by
 * 2.5). Noise is the standard deviation of Gaussian jitter in moon radii, as in scikit-learn
 * (noise 0.1 → σ = 0.25 units).
 * @example
 * const { x, y } = ax.datasets.synthetic.moons({ n: 200, noise: 0.1, seed: 7 });
 */
export function moons(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('moons', options);
  const points = new PointBuilder(n);
  for (let c = 0; c < 2; c++) {
    const count = classCount(n, 2, c);
    for (let i = 0; i < count; i++) {
      const t = uniform(rng, 0, Math.PI);
      // Unit moons: upper arc (cos t, sin t) and lower arc (1 − cos t, 0.5 − sin t), then centred.
      const u1 = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
      const u2 = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      const x1 = (u1 - 0.5 + noise * rng.normal()) * MOON_SCALE;
      const x2 = (u2 - 0.25 + noise * rng.normal()) * MOON_SCALE;
      points.push(x1, x2, c);
    }
  }
  return points.finish('moons', 'binary', 2, rng, shuffle);
}

/** Options of `blobs`. */
export interface BlobsOptions extends SyntheticOptions {
  /** Number of classes k (default 3). */
  classes?: number;
}

/** Radius of the circle on which the blob centres sit. */
const BLOB_RADIUS = 3.5;

/**
 * k Gaussian blobs (classes 0…k−1) centred evenly on a circle of radius 3.5, class c at angle 2πc/k.
 * Noise sets the variance as in `gauss` (0.5 at noise 0, 4 at noise 0.5). y is [n] of class indices.
 * @example
 * const { x, y } = ax.datasets.synthetic.blobs({ n: 300, classes: 4, seed: 8 }); // y [300] in 0…3
 */
export function blobs(options?: BlobsOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('blobs', options);
  const k = options?.classes ?? 3;
  if (!Number.isInteger(k) || k < 2) {
    throw new Error(`synthetic.blobs: classes must be an integer ≥ 2, got ${k}`);
  }
  const std = Math.sqrt(gaussVariance(noise));
  const points = new PointBuilder(n);
  for (let c = 0; c < k; c++) {
    const angle = (2 * Math.PI * c) / k;
    const cx = BLOB_RADIUS * Math.cos(angle);
    const cy = BLOB_RADIUS * Math.sin(angle);
    const count = classCount(n, k, c);
    for (let i = 0; i < count; i++) points.push(cx + std * rng.normal(), cy + std * rng.normal(), c);
  }
  return points.finish('blobs', 'multiclass', k, rng, shuffle);
}

/** Half-width of the empty band around the line of `linear`. */
const LINEAR_MARGIN = 0.5;

/**
 * A linearly separable set: points uniform in ±5, split by a random line through the origin (its
 * angle drawn from the seed), with an empty band of half-width 0.5 on either side, half of the points
 * in each class. Class 1 is the side the line's normal points to. Noise moves the labelling point by
 * up to ±5·noise per axis (as in `circle`), so with noise > 0 the set is no longer separable.
 * @example
 * const { x, y } = ax.datasets.synthetic.linear({ n: 100, seed: 9 });
 * new ax.Perceptron({ inputDim: 2 }).fit(x, y).converged; // true
 */
export function linear(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('linear', options);
  const theta = uniform(rng, 0, 2 * Math.PI);
  const u1 = Math.cos(theta);
  const u2 = Math.sin(theta);
  const points = new PointBuilder(n);
  for (let c = 0; c < 2; c++) {
    const side = c === 1 ? 1 : -1;
    const count = classCount(n, 2, 1 - c);
    for (let i = 0; i < count; i++) {
      // Rejection sampling: at least ~43% of the square lies on each side beyond the margin.
      let x1: number;
      let x2: number;
      do {
        x1 = uniform(rng, -5, 5);
        x2 = uniform(rng, -5, 5);
      } while (side * (u1 * x1 + u2 * x2) < LINEAR_MARGIN);
      const n1 = x1 + uniform(rng, -5, 5) * noise;
      const n2 = x2 + uniform(rng, -5, 5) * noise;
      points.push(x1, x2, u1 * n1 + u2 * n2 > 0 ? 1 : 0);
    }
  }
  return points.finish('linear', 'binary', 2, rng, shuffle);
}

/** A two-input logic gate. */
export type Gate = 'and' | 'or' | 'xor' | 'nand' | 'nor';

const GATES: Record<Gate, (a: number, b: number) => number> = {
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  nand: (a, b) => 1 - (a & b),
  nor: (a, b) => 1 - (a | b),
};

/**
 * The truth table of a two-input gate: rows (0,0), (0,1), (1,0), (1,1) in that order, x [4, 2],
 * y [4, 1]. With `bipolar: true` every 0 (inputs and outputs) becomes −1, as in the notes' perceptron
 * examples.
 * @example
 * const { x, y } = ax.datasets.synthetic.truthTable('and', { bipolar: true });
 * // x [[-1,-1],[-1,1],[1,-1],[1,1]], y [[-1],[-1],[-1],[1]]
 */
export function truthTable(gate: Gate, options: { bipolar?: boolean } = {}): SyntheticDataset {
  const f = GATES[gate];
  if (typeof f !== 'function') {
    throw new Error(
      `synthetic.truthTable: unknown gate '${gate}'; expected one of ${Object.keys(GATES).join(', ')}`,
    );
  }
  const low = options.bipolar ? -1 : 0;
  const x = allocData(8);
  const y = allocData(4);
  for (let i = 0; i < 4; i++) {
    const a = i >> 1;
    const b = i & 1;
    x[2 * i] = a === 1 ? 1 : low;
    x[2 * i + 1] = b === 1 ? 1 : low;
    y[i] = f(a, b) === 1 ? 1 : low;
  }
  return {
    x: new Tensor(x, [4, 2]),
    y: new Tensor(y, [4, 1]),
    name: `${gate}-table`,
    task: 'binary',
    numClasses: 2,
  };
}
