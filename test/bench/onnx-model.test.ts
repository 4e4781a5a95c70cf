import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type * as Ort from 'onnxruntime-node';
import { median, verdict } from '../../bench/harness.js';
import { denseStackToOnnx } from '../../bench/onnx-model.js';

const require = createRequire(import.meta.url);

/** onnxruntime-node, or null where its native library cannot load (then the ORT tests skip). */
function loadOrt(): typeof Ort | null {
  try {
    return require('onnxruntime-node') as typeof Ort;
  } catch {
    return null;
  }
}

describe('bench ONNX writer (denseStackToOnnx)', () => {
  const ort = loadOrt();

  it('writes a 3-2-2 Gemm/Relu/Gemm/Softmax model that ORT loads and evaluates as derived by hand', {
    skip: ort === null ? 'onnxruntime-node did not load here' : false,
  }, async () => {
    if (ort === null) return;
    // Kernels in Keras layout [inputs, units].
    const bytes = denseStackToOnnx([
      {
        kernel: Float32Array.of(1, -1, 2, 0, 0, 3),
        bias: Float32Array.of(0.5, -10),
        inputs: 3,
        units: 2,
        activation: 'relu',
      },
      {
        kernel: Float32Array.of(1, 0, 0, 1),
        bias: Float32Array.of(0, 1),
        inputs: 2,
        units: 2,
        activation: 'softmax',
      },
    ]);
    const session = await ort.InferenceSession.create(bytes);
    assert.deepEqual(session.inputNames, ['x']);
    assert.deepEqual(session.outputNames, ['y']);
    // Rows x = [1, 1, 1] and [2, 0, -1].
    const x = new ort.Tensor('float32', Float32Array.of(1, 1, 1, 2, 0, -1), [2, 3]);
    const y = (await session.run({ x })).y;
    assert.deepEqual(y.dims, [2, 2]);
    // Row 1: z1 = [1+2+0+0.5, -1+0+3-10] = [3.5, -8] → relu [3.5, 0] → z2 = [3.5, 1] → softmax.
    // Row 2: z1 = [2+0+0+0.5, -2+0-3-10] = [2.5, -15] → relu [2.5, 0] → z2 = [2.5, 1].
    const softmax2 = (a: number, b: number) => [1 / (1 + Math.exp(b - a)), 1 / (1 + Math.exp(a - b))];
    const expected = [...softmax2(3.5, 1), ...softmax2(2.5, 1)];
    const got = Array.from(y.data as Float32Array);
    for (let i = 0; i < 4; i++)
      assert.ok(Math.abs(got[i] - expected[i]) < 1e-6, `y[${i}] = ${got[i]}, expected ${expected[i]}`);
    await session.release();
  });

  it('encodes large initializers (lengths past one varint byte) that ORT reads back intact', {
    skip: ort === null ? 'onnxruntime-node did not load here' : false,
  }, async () => {
    if (ort === null) return;
    // A 300-wide identity layer: 360 000 bytes of raw data, a three-byte length varint.
    const n = 300;
    const kernel = new Float32Array(n * n);
    for (let i = 0; i < n; i++) kernel[i * n + i] = 1;
    const bias = Float32Array.from({ length: n }, (_, i) => i / 100);
    const session = await ort.InferenceSession.create(
      denseStackToOnnx([{ kernel, bias, inputs: n, units: n, activation: 'linear' }]),
    );
    const input = Float32Array.from({ length: n }, (_, i) => -i);
    const y = (await session.run({ x: new ort.Tensor('float32', input, [1, n]) })).y.data as Float32Array;
    for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i] - (-i + i / 100)) < 1e-4, `y[${i}] = ${y[i]}`);
    await session.release();
  });
});

describe('bench harness', () => {
  it('median of odd and even counts', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('verdict: at-least and at-most targets, and no verdict for a non-finite ratio', () => {
    assert.equal(verdict(5, 5, 'atLeast'), 'PASS');
    assert.equal(verdict(4.99, 5, 'atLeast'), 'MISS');
    assert.equal(verdict(3, 3, 'atMost'), 'PASS');
    assert.equal(verdict(3.01, 3, 'atMost'), 'MISS');
    assert.equal(verdict(Number.NaN, 3, 'atMost'), 'n/a');
  });
});
