// This file does not import the Node adapter, so gzip goes through fflate (the browser path).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'fflate';
import * as ax from '../../src/index.js';

const { parseIdx, encodeIdx } = ax;

function images(count: number, rows: number, cols: number): Uint8Array {
  const data = new Uint8Array(count * rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
  return data;
}

describe('IDX round trip', () => {
  it('encodes and parses labels and images, plain and gzipped', () => {
    const labels = Uint8Array.of(5, 0, 4, 1, 9);
    const pixels = images(3, 4, 2);
    for (const wrap of [(b: Uint8Array) => b, (b: Uint8Array) => gzipSync(b)]) {
      const l = parseIdx(wrap(encodeIdx([5], labels)));
      assert.equal(l.kind, 'labels');
      assert.equal(l.magic, 0x801);
      assert.deepEqual(l.dims, [5]);
      assert.deepEqual(Array.from(l.data), [5, 0, 4, 1, 9]);
      const im = parseIdx(wrap(encodeIdx([3, 4, 2], pixels)), { expect: 'images' });
      assert.equal(im.kind, 'images');
      assert.deepEqual(im.dims, [3, 4, 2]);
      assert.deepEqual(Array.from(im.data), Array.from(pixels));
    }
  });

  it('writes the big-endian header of the format', () => {
    const bytes = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    assert.deepEqual(Array.from(bytes.subarray(0, 16)), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
    assert.equal(bytes.length, 16 + 2 * 784);
  });

  it('turns images into [n, rows·cols] floats pixel/255 and labels into [n] indices', () => {
    const pixels = Uint8Array.of(0, 51, 255, 128, 1, 2);
    const x = ax.idxImagesToTensor(parseIdx(encodeIdx([1, 2, 3], pixels)));
    assert.deepEqual(x.shape, [1, 6]);
    assert.deepEqual(Array.from(x.dataSync()), Array.from(Float32Array.from(pixels, (p) => p / 255)));
    const y = ax.idxLabelsToTensor(parseIdx(encodeIdx([3], Uint8Array.of(2, 0, 9))), 10);
    assert.deepEqual(y.shape, [3]);
    assert.deepEqual(Array.from(y.dataSync()), [2, 0, 9]);
    assert.throws(
      () => ax.idxLabelsToTensor(parseIdx(encodeIdx([3], Uint8Array.of(2, 12, 9))), 10),
      /label 12 at index 1 is out of range; expected 0…9/,
    );
  });
});

describe('IDX corruption errors', () => {
  const good = encodeIdx([2, 2, 2], images(2, 2, 2)); // 16-byte header + 8 bytes

  it('rejects an unknown magic number, naming it and the expected ones', () => {
    const bad = good.slice();
    bad[2] = 0x0d; // float32 values, not unsigned bytes
    assert.throws(
      () => parseIdx(bad, { name: 'x.idx' }),
      /x\.idx has magic number 0x00000d03; expected 0x00000801 \(labels\) or 0x00000803 \(images\)/,
    );
    assert.throws(() => parseIdx(new TextEncoder().encode('hello world')), /magic number 0x68656c6c/);
  });

  it('rejects the wrong kind of file', () => {
    assert.throws(
      () => parseIdx(good, { name: 'train-labels', expect: 'labels' }),
      /train-labels holds images \(magic 0x00000803\) but labels were expected \(magic 0x00000801\)/,
    );
  });

  it('reports truncation with the expected and actual byte counts', () => {
    assert.throws(
      () => parseIdx(good.subarray(0, 20)),
      /is truncated: expected 24 bytes \(16-byte header \+ 2×2×2 values\), got 20/,
    );
    assert.throws(
      () => parseIdx(good.subarray(0, 10)),
      /is truncated: expected a 16-byte header for 3 dimension\(s\), got 10 bytes/,
    );
    assert.throws(
      () => parseIdx(good.subarray(0, 3)),
      /is truncated: expected at least 4 bytes \(the magic number\), got 3/,
    );
    const big = encodeIdx([60000], new Uint8Array(60000));
    assert.throws(
      () => parseIdx(big.subarray(0, 30000)),
      /expected 60008 bytes \(8-byte header \+ 60000 values\), got 30000/,
    );
  });

  it('reports extra bytes after the data', () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    assert.throws(() => parseIdx(longer), /has 3 extra bytes: expected 24 bytes/);
  });

  it('reports a truncated or corrupt gzip stream', () => {
    const gz = gzipSync(encodeIdx([4000], images(1, 40, 100)));
    assert.throws(
      () => parseIdx(gz.subarray(0, gz.length >> 1), { name: 'labels.gz' }),
      /labels\.gz: the gzip data is truncated or corrupt/,
    );
  });

  it('rejects images of zero width, and bad encodeIdx arguments', () => {
    assert.throws(() => parseIdx(encodeIdx([1, 0, 5], new Uint8Array(0))), /declares images of 0×5 pixels/);
    assert.throws(
      () => encodeIdx([2, 2], new Uint8Array(4)),
      /dims must be \[count\] \(labels\) or \[count, rows, cols\]/,
    );
    assert.throws(() => encodeIdx([3], new Uint8Array(2)), /dims \[3\] need 3 values, got 2/);
  });
});
