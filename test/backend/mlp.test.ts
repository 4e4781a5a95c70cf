/**
 * A whole forward and backward pass of a small MLP (matMul, bias add, relu, tanh, sigmoid,
 * softmax cross-entropy, mean) on the JS and WASM backends: the same weights give the same loss and
 * the same gradient for every weight, to 1e-5 relative (on the scale of each gradient tensor, since
 * individual entries can cancel to ~0).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { wasmFallbackCount } from './helpers.js';

const initial = ax.getBackend();
after(() => ax.setBackend(initial));

interface Pass {
  loss: number;
  grads: Record<string, Float32Array>;
}

/** 64 samples, 20 → 48 (relu) → 32 (tanh) → 24 (sigmoid) → 10 classes; seeded weights and data. */
function pass(backend: string): Pass {
  ax.setBackend(backend);
  ax.setSeed(1234);
  const x = ax.randomNormal([64, 20]);
  const oneHot = new Float32Array(64 * 10);
  for (let i = 0; i < 64; i++) oneHot[i * 10 + ((i * 7) % 10)] = 1;
  const labels = ax.tensor(oneHot, [64, 10]);
  const layer = (name: string, inputs: number, units: number) => ({
    w: ax.variable(ax.randomNormal([inputs, units], 0, 1 / Math.sqrt(inputs)), true, `${name}.w`),
    b: ax.variable(ax.randomNormal([units], 0, 0.1), true, `${name}.b`),
  });
  const l1 = layer('l1', 20, 48);
  const l2 = layer('l2', 48, 32);
  const l3 = layer('l3', 32, 24);
  const l4 = layer('l4', 24, 10);
  const { value, grads } = ax.variableGrads(() => {
    const h1 = ax.relu(ax.add(ax.matMul(x, l1.w), l1.b));
    const h2 = ax.tanh(ax.add(ax.matMul(h1, l2.w), l2.b));
    const h3 = ax.sigmoid(ax.add(ax.matMul(h2, l3.w), l3.b));
    const logits = ax.add(ax.matMul(h3, l4.w), l4.b);
    return ax.mean(ax.softmaxCrossEntropyWithLogits(labels, logits));
  });
  const out: Record<string, Float32Array> = {};
  for (const [name, g] of Object.entries(grads)) out[name] = Float32Array.from(g.dataSync());
  return { loss: value.item(), grads: out };
}

describe('a small MLP on both backends', () => {
  it('gives the same loss and the same gradients', () => {
    const js = pass('js');
    const wasm = pass('wasm');
    assert.ok(Math.abs(wasm.loss - js.loss) <= 1e-5 * Math.abs(js.loss), `loss ${wasm.loss} vs ${js.loss}`);
    assert.deepEqual(Object.keys(wasm.grads).sort(), Object.keys(js.grads).sort());
    assert.equal(Object.keys(js.grads).length, 8);
    for (const [name, g] of Object.entries(js.grads)) {
      const w = wasm.grads[name];
      const scale = Math.max(...g.map(Math.abs));
      assert.ok(scale > 0, `${name}: the gradient is not all zero`);
      for (let i = 0; i < g.length; i++) {
        assert.ok(Math.abs(w[i] - g[i]) <= 1e-5 * scale, `${name}[${i}]: wasm ${w[i]} vs js ${g[i]}`);
      }
    }
    assert.equal(wasmFallbackCount(), 0);
  });
});
