import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// 10,000 forward/backward/update steps of a small MLP in a child process started with --expose-gc, so
// the heap can be measured after a full collection. The graph of each step must become garbage once
// the step is over: nothing (the variables, their .grad, a global registry) may keep it alive.

const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));

const script = `
import * as ax from ${JSON.stringify(index)};
ax.setSeed(0);
const x = ax.randomNormal([8, 4]);
const y = ax.tensor([0, 1, 1, 0, 1, 0, 0, 1], [8, 1]);
const W1 = ax.variable(ax.randomNormal([4, 16], 0, 0.5), true, 'W1');
const b1 = ax.variable(ax.zeros([16]), true, 'b1');
const W2 = ax.variable(ax.randomNormal([16, 1], 0, 0.5), true, 'W2');
const b2 = ax.variable(ax.zeros([1]), true, 'b2');
const params = [W1, b1, W2, b2];
const loss = () => {
  const h = ax.tanh(ax.add(ax.matMul(x, W1), b1));
  const logits = ax.add(ax.matMul(h, W2), b2);
  return ax.mean(ax.sigmoidCrossEntropyWithLogits(y, logits));
};
// heapUsed counts the JS objects (tensors, graph nodes, closures); typed-array buffers live outside
// the heap and are counted by arrayBuffers.
const heap = () => { globalThis.gc(); globalThis.gc(); const u = process.memoryUsage(); return [u.heapUsed, u.arrayBuffers]; };
let atStep1000 = [0, 0];
let first = 0;
let last = 0;
for (let step = 1; step <= 10000; step++) {
  if (step % 2 === 0) {
    // Functional API.
    const { value, grads } = ax.variableGrads(loss);
    ax.noGrad(() => { for (const p of params) p.assign(ax.sub(p, ax.mul(grads[p.name], 0.1))); });
    last = value.item();
  } else {
    // backward(): every intermediate of the step gets a .grad that must die with the step.
    const L = loss();
    L.backward();
    ax.noGrad(() => { for (const p of params) p.assign(ax.sub(p, ax.mul(p.grad, 0.1))); });
    last = L.item();
  }
  if (step === 1) first = last;
  if (step === 1000) atStep1000 = heap();
}
const atStep10000 = heap();
console.log(JSON.stringify({
  heapGrowth: atStep10000[0] - atStep1000[0],
  bufferGrowth: atStep10000[1] - atStep1000[1],
  first,
  last,
}));
`;

describe('memory', () => {
  it('stays flat over 10,000 forward/backward steps of a small MLP', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('../../', import.meta.url)) },
    );
    assert.equal(child.status, 0, child.stderr);
    const { heapGrowth, bufferGrowth, first, last } = JSON.parse(child.stdout.trim()) as Record<
      string,
      number
    >;
    const MB = 2 ** 20;
    // Keeping each step's graph alive would add ~7 MB of heap per 1,000 steps.
    assert.ok(
      heapGrowth < 2 * MB,
      `heap grew by ${(heapGrowth / MB).toFixed(2)} MB between steps 1,000 and 10,000`,
    );
    assert.ok(bufferGrowth < 1 * MB, `buffers grew by ${(bufferGrowth / MB).toFixed(2)} MB`);
    // The steps really trained: the loss went down.
    assert.ok(Number.isFinite(last) && last < first * 0.8, `loss ${first} → ${last}`);
  });
});
