/**
 * The JS reference tanh (src/backend/js/tanh.ts) replaces Math.tanh for speed: it must round to the same
 * float32 as Math.tanh, keep the special values, and give the wasm kernel's very bits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tanh } from '../../src/backend/js/tanh.js';
import { SPECIALS, seeded, wasmBackend } from './helpers.js';

function sweep(): Float32Array {
  const random = seeded(5);
  const xs: number[] = [...SPECIALS];
  // Every scale from 1e-30 to 1e3, both signs, and the region where the reduction changes branch.
  for (let i = 0; i < 40_000; i++) xs.push((random.uniform() * 2 - 1) * 10 ** (random.uniform() * 33 - 30));
  for (let i = 0; i < 10_000; i++) xs.push((random.uniform() * 2 - 1) * 25);
  for (let i = -400; i <= 400; i++) xs.push(i * (Math.LN2 / 8));
  return Float32Array.from(xs);
}

describe('JS tanh', () => {
  const xs = sweep();

  it('rounds to the float32 of Math.tanh everywhere', () => {
    for (const x of xs) {
      const ours = Math.fround(tanh(x));
      const reference = Math.fround(Math.tanh(x));
      if (!Object.is(ours, reference)) assert.fail(`tanh(${x}): ${ours}, Math.tanh gives ${reference}`);
    }
  });

  it('keeps ±0, NaN and ±∞ as Math.tanh does', () => {
    assert.ok(Object.is(tanh(-0), -0));
    assert.ok(Object.is(tanh(0), 0));
    assert.ok(Number.isNaN(tanh(Number.NaN)));
    assert.equal(tanh(Number.POSITIVE_INFINITY), 1);
    assert.equal(tanh(Number.NEGATIVE_INFINITY), -1);
  });

  it('gives the same bits as the wasm kernel', () => {
    const wasm = new Float32Array(xs.length);
    wasmBackend.unary('tanh', xs, wasm, 0);
    for (let i = 0; i < xs.length; i++) {
      const ours = Math.fround(tanh(xs[i]));
      if (!Object.is(ours, wasm[i])) assert.fail(`tanh(${xs[i]}): JS ${ours}, wasm ${wasm[i]}`);
    }
  });
});
