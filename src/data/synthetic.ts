/**
 * Seeded synthetic data sets, reachable as `ax.datasets.synthetic.<generator>(...)` or by name through
 * `loadSynthetic(name, options)` (what the CLI's `builtin:NAME` and the Playground use). Every draw
 * comes from the seeded generator: the same `seed` (or the same `ax.setSeed`) gives identical data.
 */
import { blobs, type Gate, linear, moons, truthTable } from './synthetic-classic.js';
import type { SyntheticDataset, SyntheticOptions, SyntheticTask } from './synthetic-common.js';
import { circle, gauss, regGauss, regPlane, spiral, xor } from './synthetic-playground.js';

export type { BlobsOptions, Gate } from './synthetic-classic.js';
export type { SyntheticDataset, SyntheticOptions, SyntheticTask } from './synthetic-common.js';

/** Options of `loadSynthetic`: the common ones, plus those only some sets read. */
export interface LoadSyntheticOptions extends SyntheticOptions {
  /** Number of classes, for `blobs` (default 3). */
  classes?: number;
  /** −1 instead of 0 in the truth tables (`and-table`, `or-table`, `xor-table`). */
  bipolar?: boolean;
}

/** One entry of `listSyntheticDatasets()`. */
export interface SyntheticDatasetInfo {
  name: string;
  task: SyntheticTask;
  description: string;
}

interface Entry extends SyntheticDatasetInfo {
  make: (options: LoadSyntheticOptions) => SyntheticDataset;
}

const table =
  (gate: Gate) =>
  (options: LoadSyntheticOptions): SyntheticDataset =>
    truthTable(gate, { bipolar: options.bipolar === true });

const REGISTRY: readonly Entry[] = [
  {
    name: 'circle',
    task: 'binary',
    description: 'disc (class 1) inside a ring (class 0) — Playground',
    make: circle,
  },
  { name: 'xor', task: 'binary', description: 'quadrants, class 1 where x₁·x₂ ≥ 0 — Playground', make: xor },
  {
    name: 'gauss',
    task: 'binary',
    description: 'two Gaussian clouds at (2,2) and (−2,−2) — Playground',
    make: gauss,
  },
  { name: 'spiral', task: 'binary', description: 'two interleaved spiral arms — Playground', make: spiral },
  { name: 'moons', task: 'binary', description: 'two interleaving half circles (make_moons)', make: moons },
  {
    name: 'blobs',
    task: 'multiclass',
    description: 'k Gaussian blobs on a circle (option classes, default 3)',
    make: blobs,
  },
  {
    name: 'linear',
    task: 'binary',
    description: 'linearly separable: a random line with a 0.5 margin',
    make: linear,
  },
  {
    name: 'and-table',
    task: 'binary',
    description: 'AND truth table, 4 rows (option bipolar)',
    make: table('and'),
  },
  {
    name: 'or-table',
    task: 'binary',
    description: 'OR truth table, 4 rows (option bipolar)',
    make: table('or'),
  },
  {
    name: 'xor-table',
    task: 'binary',
    description: 'XOR truth table, 4 rows, not linearly separable',
    make: table('xor'),
  },
  {
    name: 'reg-plane',
    task: 'regression',
    description: 'regression: target (x₁ + x₂)/10 — Playground',
    make: regPlane,
  },
  {
    name: 'reg-gauss',
    task: 'regression',
    description: 'regression: six ±1 bumps — Playground',
    make: regGauss,
  },
];

/**
 * The synthetic sets `loadSynthetic` knows, each with its task and a one-line description.
 * @example
 * ax.listSyntheticDatasets().map((d) => d.name); // ['circle', 'xor', 'gauss', 'spiral', 'moons', ...]
 */
export function listSyntheticDatasets(): SyntheticDatasetInfo[] {
  return REGISTRY.map(({ name, task, description }) => ({ name, task, description }));
}

/**
 * Generates a synthetic set by name (case-insensitive). Truth tables ignore n, noise and seed.
 * @example
 * const { x, y } = ax.loadSynthetic('spiral', { n: 400, noise: 0.1, seed: 42 });
 */
export function loadSynthetic(name: string, options: LoadSyntheticOptions = {}): SyntheticDataset {
  const key = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const entry = REGISTRY.find((e) => e.name === key);
  if (!entry) {
    throw new Error(
      `loadSynthetic: unknown data set '${String(name)}'; available: ${REGISTRY.map((e) => e.name).join(', ')}`,
    );
  }
  return entry.make(options);
}

/**
 * The generators, one function per set (`ax.datasets.synthetic.circle(...)`), plus `list` and `load`
 * (the same as `listSyntheticDatasets` and `loadSynthetic`).
 * @example
 * const { x, y } = ax.datasets.synthetic.moons({ n: 200, noise: 0.1, seed: 1 });
 */
export const synthetic = {
  circle,
  xor,
  gauss,
  spiral,
  moons,
  blobs,
  linear,
  truthTable,
  regPlane,
  regGauss,
  list: listSyntheticDatasets,
  load: loadSynthetic,
};
