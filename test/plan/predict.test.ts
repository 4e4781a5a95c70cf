/**
 * `predict` on the inference plan: the same values as the graph's forward pass (bits on the JS
 * backend, 1e-5 on WASM) for one sample, a ragged batch and many rows, whatever the batch size asked
 * (rows are independent, so the plan may take more per pass); dropout off; softmax Activation layers
 * and Flatten inputs included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { lastPaths, setPlanMode } from '../../src/model/plan/index.js';

function build(): ax.Sequential {
  ax.setSeed(6);
  return ax.sequential({
    layers: [
      ax.layers.flatten({ inputShape: [3, 10] }),
      ax.layers.dense({ units: 48, activation: 'relu' }),
      ax.layers.dropout({ rate: 0.5 }),
      ax.layers.dense({ units: 24, activation: 'gelu' }),
      ax.layers.dense({ units: 5 }),
      ax.layers.activation({ activation: 'softmax' }),
    ],
  });
}

/** The graph's predictions of `m`, then the plan's (checking it took the plan). */
function predictBoth(
  backend: string,
  x: ax.Tensor,
  batchSize?: number,
): { plan: Float32Array; graph: Float32Array } {
  const previous = ax.getBackend();
  ax.setBackend(backend);
  try {
    const m = build();
    const args = batchSize === undefined ? {} : { batchSize };
    setPlanMode('graph');
    let graph: Float32Array;
    try {
      graph = m.predict(x, args).dataSync();
    } finally {
      setPlanMode('auto');
    }
    const plan = m.predict(x, args);
    assert.equal(lastPaths(m).predict, 'plan');
    assert.deepEqual(plan.shape, [x.shape[0], 5]);
    return { plan: plan.dataSync(), graph };
  } finally {
    ax.setBackend(previous);
  }
}

describe('planned predict', () => {
  const rng = new ax.Random(2);
  const rows = (n: number) =>
    ax.tensor(
      Float32Array.from({ length: n * 30 }, () => rng.normal()),
      [n, 3, 10],
    );

  for (const [n, batchSize] of [
    [1, undefined],
    [7, 3],
    [300, 32],
    [1100, 1000],
  ] as const) {
    it(`equals the graph bit for bit on JS: ${n} rows, batchSize ${batchSize ?? 'default'}`, () => {
      const x = rows(n);
      const { plan, graph } = predictBoth('js', x, batchSize);
      assert.deepEqual(plan, graph);
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let c = 0; c < 5; c++) s += plan[r * 5 + c];
        assert.ok(Math.abs(s - 1) < 1e-5, `row ${r} is a distribution (dropout is off)`);
      }
    });
  }

  it('agrees with the graph to 1e-5 on WASM', () => {
    for (const n of [1, 5, 600]) {
      const { plan, graph } = predictBoth('wasm', rows(n));
      for (let i = 0; i < graph.length; i++) {
        assert.ok(
          Math.abs(plan[i] - graph[i]) <= 1e-5 * Math.max(Math.abs(graph[i]), 1e-2),
          `${n} rows, value ${i}`,
        );
      }
    }
  });

  it('gives a row the same values alone as within a batch (the same bits on JS)', () => {
    const previous = ax.getBackend();
    try {
      for (const backend of ['js', 'wasm']) {
        ax.setBackend(backend);
        const m = build();
        const x = rows(64);
        const all = m
          .predict(x)
          .dataSync()
          .slice(17 * 5, 18 * 5);
        const one = m.predict(ax.slice(x, [17, 0, 0], [1, 3, 10])).dataSync();
        // On WASM a single row may run on the JS kernels (too small to pay for the copies): ulps apart.
        if (backend === 'js') assert.deepEqual(one, all);
        else for (let i = 0; i < 5; i++) assert.ok(Math.abs(one[i] - all[i]) <= 1e-6, `wasm value ${i}`);
      }
    } finally {
      ax.setBackend(previous);
    }
  });
});
