/**
 * What every synthetic generator shares: its options, its result, and the builder that collects
 * points, shuffles them with the seeded generator and packs them into tensors.
 */
import { allocData } from '../tensor/precision.js';
import { getRandom, Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Options every synthetic generator takes. */
export interface SyntheticOptions {
  /** Number of examples. Default 500 (the Playground's). */
  n?: number;
  /**
   * Amount of noise, ≥ 0; 0 gives the clean geometry. The Playground's slider spans 0–0.5; each
   * generator says what the number means for it.
   */
  noise?: number;
  /** Seed of this draw; without it the global generator (`ax.setSeed`) is used. */
  seed?: number;
  /** Shuffle the rows (default true, so a `validationSplit` tail holds every class). */
  shuffle?: boolean;
}

/** What a synthetic problem is. */
export type SyntheticTask = 'binary' | 'multiclass' | 'regression';

/** A generated data set. */
export interface SyntheticDataset {
  /** Inputs, shape [n, 2]. */
  x: Tensor;
  /**
   * Targets: [n, 1] of 0/1 for binary sets (−1/1 for bipolar truth tables), [n] of class indices
   * 0…k−1 for multiclass sets, [n, 1] of real values for regression sets.
   */
  y: Tensor;
  /** The generator's name, as in `listSyntheticDatasets()`. */
  name: string;
  task: SyntheticTask;
  /** 2 for binary, k for multiclass, null for regression. */
  numClasses: number | null;
}

/** Options after validation, with the generator to draw from. */
export interface ResolvedOptions {
  n: number;
  noise: number;
  rng: Random;
  shuffle: boolean;
}

/** Validates the common options; errors name the generator and the option. */
export function resolveOptions(name: string, options: SyntheticOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new Error(`synthetic.${name}: options must be an object such as { n: 200, noise: 0.1, seed: 1 }`);
  }
  const { n = 500, noise = 0, seed, shuffle = true } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`synthetic.${name}: n must be a positive integer, got ${n}`);
  }
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new Error(
      `synthetic.${name}: noise must be a finite number ≥ 0 (the Playground uses 0–0.5), got ${noise}`,
    );
  }
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new Error(`synthetic.${name}: seed must be a finite number, got ${seed}`);
  }
  return { n, noise, rng: seed === undefined ? getRandom() : new Random(seed), shuffle: shuffle !== false };
}

/** Uniform in [a, b). */
export function uniform(rng: Random, a: number, b: number): number {
  return a + (b - a) * rng.uniform();
}

/** How many of n examples class c of k gets: as even as possible, the first n mod k one more. */
export function classCount(n: number, k: number, c: number): number {
  return Math.floor(n / k) + (c < n % k ? 1 : 0);
}

/** Collects (x₁, x₂, target) rows, then shuffles and packs them. */
export class PointBuilder {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private count = 0;

  constructor(private readonly n: number) {
    this.xs = new Float64Array(2 * n);
    this.ys = new Float64Array(n);
  }

  push(x1: number, x2: number, target: number): void {
    const i = this.count++;
    this.xs[2 * i] = x1;
    this.xs[2 * i + 1] = x2;
    this.ys[i] = target;
  }

  /** The tensors, rows shuffled by `rng` when asked; y is [n, 1] unless `task` is multiclass ([n]). */
  finish(
    name: string,
    task: SyntheticTask,
    numClasses: number | null,
    rng: Random,
    shuffle: boolean,
  ): SyntheticDataset {
    const n = this.n;
    if (this.count !== n)
      throw new Error(`synthetic.${name}: internal error, ${this.count} of ${n} rows made`);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (shuffle) rng.shuffle(order);
    const x = allocData(2 * n);
    const y = allocData(n);
    for (let i = 0; i < n; i++) {
      const src = order[i];
      x[2 * i] = this.xs[2 * src];
      x[2 * i + 1] = this.xs[2 * src + 1];
      y[i] = this.ys[src];
    }
    const yShape = task === 'multiclass' ? [n] : [n, 1];
    return { x: new Tensor(x, [n, 2]), y: new Tensor(y, yShape), name, task, numClasses };
  }
}
