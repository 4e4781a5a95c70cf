/**
 * Choosing and loading backends: the default (WASM where WebAssembly SIMD is available, as in Node 20),
 * setBackend/getBackend/ready, the hand-written base64 decoder the browser-safe loader uses, the async
 * instantiation path browsers need, and the JS fallback for float64 buffers (gradient checking).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeBase64, instantiateKernelsAsync, simdSupported } from '../../src/backend/wasm/loader.js';
import * as ax from '../../src/index.js';
import { data, jsBackend, seeded, wasmBackend } from './helpers.js';

const initial = ax.getBackend();
after(() => ax.setBackend(initial));

describe('backend selection', () => {
  it("defaults to 'wasm' in Node 20 (unless the test run chose one with AXON_BACKEND)", () => {
    assert.ok(simdSupported());
    const chosen = process.env.AXON_BACKEND;
    assert.equal(initial, chosen === undefined || chosen === '' ? 'wasm' : chosen);
  });

  it('switches with setBackend and reports with getBackend; ready() keeps an explicit choice', async () => {
    ax.setBackend('js');
    assert.equal(ax.getBackend(), 'js');
    assert.equal(await ax.ready(), 'js');
    ax.setBackend('wasm');
    assert.equal(ax.getBackend(), 'wasm');
    assert.equal(await ax.ready(), 'wasm');
  });

  it('names the available backends when asked for an unknown one', () => {
    assert.throws(() => ax.setBackend('webgpu'), /unknown backend 'webgpu' \(available: js, wasm\)/);
  });

  it('ops give the same values on both backends through the public API', () => {
    const x = ax.tensor(data(seeded(1), 600, 2), [20, 30]);
    const w = ax.tensor(data(seeded(2), 30 * 40, 1), [30, 40]);
    const run = (name: string) => {
      ax.setBackend(name);
      return ax.softmax(ax.tanh(ax.matMul(x, w))).dataSync();
    };
    const js = run('js');
    const wasm = run('wasm');
    for (let i = 0; i < js.length; i++) assert.ok(Math.abs(js[i] - wasm[i]) <= 1e-5 * js[i], `[${i}]`);
  });
});

describe('the WASM loader', () => {
  it('decodes base64 exactly as Buffer does, with and without padding', () => {
    const random = seeded(3);
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, () => random.int(256));
      const text = Buffer.from(bytes).toString('base64');
      assert.deepEqual(decodeBase64(text), bytes, `length ${length}`);
      assert.deepEqual(decodeBase64(text.replace(/=+$/, '')), bytes, `length ${length}, unpadded`);
    }
  });

  it('instantiates asynchronously (the browser main-thread path) into working kernels', async () => {
    const kernels = await instantiateKernelsAsync();
    assert.ok(kernels !== undefined);
    assert.ok(kernels.matMulScratchBytes() > 0);
    assert.ok(kernels.heapBase() > 0);
  });
});

describe('float64 buffers', () => {
  it('go to the JS kernels (gradient checking runs in float64)', () => {
    const x = Float64Array.from(data(seeded(4), 500, 1));
    const y = x.map((v) => v + 1e-12); // not representable in float32: a float32 copy would lose it
    const js = new Float64Array(500);
    const wasm = new Float64Array(500);
    jsBackend.binary('sub', y, [500], x, [500], js, [500]);
    wasmBackend.binary('sub', y, [500], x, [500], wasm, [500]);
    assert.deepEqual(wasm, js);
    assert.ok(Math.abs(wasm[0] - 1e-12) < 1e-15);
  });

  it('checkGradients passes on the wasm backend (its float64 run goes to the JS kernels)', () => {
    ax.setBackend('wasm');
    const w = ax.tensor(data(seeded(5), 30 * 20, 0.5), [30, 20]);
    const x = ax.tensor(data(seeded(6), 40 * 30, 1), [40, 30]);
    const r = ax.checkGradients((a, b) => ax.softmax(ax.tanh(ax.matMul(a, b))), [x, w]);
    assert.ok(r.passed, `max relative error ${r.maxRelativeError}`);
    assert.ok(r.maxRelativeError < 1e-4);
  });
});
