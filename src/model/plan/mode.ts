/**
 * Which path training and prediction take: the planned fast path (fused kernels over buffers planned
 * once per batch size) or the op-by-op autodiff graph. 'auto' plans every model the plan supports and
 * falls back to the graph for the rest. Internal: tests force either path to compare them.
 */
import type { Sequential } from '../sequential.js';

/** 'auto' (plan when supported), 'graph' (never plan), 'plan' (always plan; unsupported models throw). */
export type PlanMode = 'auto' | 'graph' | 'plan';

let mode: PlanMode = 'auto';

/**
 * Chooses the path of every later training step and predict call (internal, for tests).
 * @example
 * setPlanMode('graph'); // compare against the autodiff graph
 */
export function setPlanMode(next: PlanMode): void {
  if (next !== 'auto' && next !== 'graph' && next !== 'plan') {
    throw new Error(`setPlanMode: expected 'auto', 'graph' or 'plan', got ${String(next)}`);
  }
  mode = next;
}

/** The current mode. @example getPlanMode(); // 'auto' */
export function getPlanMode(): PlanMode {
  return mode;
}

/** Which path a model's last training step and last predict call took. */
export interface PlanPaths {
  train: 'plan' | 'graph' | null;
  predict: 'plan' | 'graph' | null;
}

const paths = new WeakMap<Sequential, PlanPaths>();

/** Records the path a step or predict call of `model` took. @example recordPath(model, 'train', 'plan'); */
export function recordPath(model: Sequential, what: keyof PlanPaths, path: 'plan' | 'graph'): void {
  let p = paths.get(model);
  if (p === undefined) {
    p = { train: null, predict: null };
    paths.set(model, p);
  }
  p[what] = path;
}

/**
 * The paths the model's last training step and last predict call took (null: none yet).
 * @example
 * await model.fit(x, y);
 * lastPaths(model).train; // 'plan'
 */
export function lastPaths(model: Sequential): PlanPaths {
  const p = paths.get(model);
  return { train: p?.train ?? null, predict: p?.predict ?? null };
}
