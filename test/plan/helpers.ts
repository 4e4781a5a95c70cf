/**
 * Shared by the plan tests: twin trainings of one model on the graph path and on the planned path, and
 * the comparisons (bit for bit on the JS backend, 1e-5 relative on WASM).
 */
import assert from 'node:assert/strict';
import * as ax from '../../src/index.js';
import { lastPaths, type PlanMode, setPlanMode } from '../../src/model/plan/index.js';

/** What a training run leaves behind. */
export interface Run {
  weights: Float32Array[];
  loss: number[];
  history: Record<string, number[]>;
  predict: Float32Array;
  train: 'plan' | 'graph' | null;
  predictPath: 'plan' | 'graph' | null;
}

/** Runs `body` with the plan mode set, then restores 'auto'. */
export async function withMode<T>(mode: PlanMode, body: () => Promise<T> | T): Promise<T> {
  setPlanMode(mode);
  try {
    return await body();
  } finally {
    setPlanMode('auto');
  }
}

/**
 * Builds the model (seed 1), then fits it (seed 2: shuffling, dropout) in `mode` on `backend`, and
 * predicts x; everything seeded, so two runs differ only by the path.
 */
export async function train(
  mode: PlanMode,
  backend: string,
  build: () => ax.Sequential,
  x: ax.Tensor,
  y: ax.Tensor,
  fitArgs: ax.FitArgs,
): Promise<Run> {
  const previous = ax.getBackend();
  ax.setBackend(backend);
  try {
    return await withMode(mode, async () => {
      ax.setSeed(1);
      const model = build();
      ax.setSeed(2);
      const h = await model.fit(x, y, { verbose: 0, ...fitArgs });
      const train = lastPaths(model).train;
      const predict = model.predict(x).dataSync();
      return {
        weights: model.getWeights().map((w) => w.dataSync()),
        loss: h.history.loss,
        history: h.history,
        predict,
        train,
        predictPath: lastPaths(model).predict,
      };
    });
  } finally {
    ax.setBackend(previous);
  }
}

/** Every value the same bits. */
export function assertIdentical(plan: Run, graph: Run, what: string): void {
  assert.equal(plan.weights.length, graph.weights.length);
  plan.weights.forEach((w, i) => {
    for (let j = 0; j < w.length; j++) {
      if (!Object.is(w[j], graph.weights[i][j])) {
        assert.fail(`${what}: weight ${i}[${j}] ${w[j]} (plan) vs ${graph.weights[i][j]} (graph)`);
      }
    }
  });
  assert.deepEqual(plan.history, graph.history, `${what}: history`);
  for (let i = 0; i < plan.predict.length; i++) {
    if (!Object.is(plan.predict[i], graph.predict[i])) {
      assert.fail(`${what}: prediction ${i} ${plan.predict[i]} (plan) vs ${graph.predict[i]} (graph)`);
    }
  }
}

/** |a − b| ≤ rtol · max(|b|, floor) for every value. */
export function assertNear(plan: Run, graph: Run, what: string, rtol = 1e-5): void {
  const near = (a: number, b: number, floor: number, name: string) => {
    if (!(Math.abs(a - b) <= rtol * Math.max(Math.abs(b), floor))) {
      assert.fail(
        `${what}: ${name} ${a} (plan) vs ${b} (graph), relative error ${(Math.abs(a - b) / Math.abs(b)).toExponential(2)}`,
      );
    }
  };
  // Floors as the TF.js reference harness: a tenth of the weights' scale, 1 for outputs and losses.
  plan.weights.forEach((w, i) => {
    w.forEach((v, j) => {
      near(v, graph.weights[i][j], 0.1, `weight ${i}[${j}]`);
    });
  });
  for (const [key, series] of Object.entries(graph.history)) {
    series.forEach((v, e) => {
      near(plan.history[key][e], v, 1, `${key}[${e}]`);
    });
  }
  plan.predict.forEach((v, i) => {
    near(v, graph.predict[i], 1, `prediction ${i}`);
  });
}

/** One-hot rows for class indices. */
export function oneHot(classes: readonly number[], k: number): ax.Tensor {
  return ax.tensor(classes.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}
