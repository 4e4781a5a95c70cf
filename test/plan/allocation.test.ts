/**
 * The planned training loop allocates nothing per step: after the first epoch has planned its
 * buffers, more steps create no tensor (tensor ids are handed out one per tensor ever created) and no
 * new buffer — the batches, activations, deltas, gradients and predictions live in the same planned
 * arrays step after step. The graph path, for contrast, creates dozens of tensors per step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { trainingPlanFor } from '../../src/model/plan/index.js';
import { withMode } from './helpers.js';

/** Tensors created so far (ids are consecutive: a probe tensor's id counts every earlier one). */
function tensorsCreated(): number {
  return ax.scalar(0).id;
}

const N = 64;
const rng = new ax.Random(8);
const X = ax.tensor(Array.from({ length: N }, () => Array.from({ length: 6 }, () => rng.normal())));
const Y = ax.tensor(Array.from({ length: N }, (_, i) => i % 3));

function build(): ax.Sequential {
  ax.setSeed(1);
  const m = ax.sequential({
    layers: [
      ax.layers.dense({ units: 16, inputShape: [6], activation: 'relu' }),
      ax.layers.dropout({ rate: 0.2 }),
      ax.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

/** Tensors created by one fit of `epochs` epochs (batches of 10: six full ones and a ragged 4). */
async function tensorsPerFit(m: ax.Sequential, epochs: number): Promise<number> {
  const before = tensorsCreated();
  await m.fit(X, Y, { epochs, batchSize: 10, verbose: 0 });
  return tensorsCreated() - before - 1;
}

describe('allocation in the planned training loop', () => {
  for (const backend of ['js', 'wasm']) {
    it(`creates no tensor per step on ${backend} (graph: many)`, async () => {
      const previous = ax.getBackend();
      ax.setBackend(backend);
      try {
        const m = build();
        await tensorsPerFit(m, 1); // plans the buffers of both batch sizes
        const short = await tensorsPerFit(m, 2);
        const long = await tensorsPerFit(m, 12);
        // Seventy more steps, not one more tensor: what a fit creates is per call, not per step.
        assert.equal(long, short, `fit created ${long - short} tensors in 70 extra steps`);
        const graph = await withMode('graph', async () => {
          const g = build();
          await tensorsPerFit(g, 1);
          return (await tensorsPerFit(g, 2)) - (await tensorsPerFit(g, 1));
        });
        assert.ok(graph > 7 * 20, `the graph path creates tensors every step (${graph} in 7 steps)`);
      } finally {
        ax.setBackend(previous);
      }
    });
  }

  it('reuses the same buffers step after step', () => {
    const m = build();
    const plan = trainingPlanFor(m, m.compiled as NonNullable<typeof m.compiled>);
    assert.ok(typeof plan !== 'string', String(plan));
    const x = Float32Array.from(X.values.subarray(0, 60));
    const y = Float32Array.from(Y.values.subarray(0, 10));
    const buffers = plan.buffers(10);
    plan.step(buffers, x, y);
    const outputs = [...buffers.out];
    const grads = plan.grads.map((g) => g.values);
    const ids = tensorsCreated();
    for (let i = 0; i < 50; i++) plan.step(buffers, x, y);
    assert.equal(tensorsCreated(), ids + 1, 'no tensor created in 50 steps');
    assert.equal(plan.buffers(10), buffers, 'the same buffers for the same batch size');
    buffers.out.forEach((b, i) => {
      assert.equal(b, outputs[i]);
    });
    plan.grads.forEach((g, i) => {
      assert.equal(g.values, grads[i]);
    });
  });
});
