/**
 * Layout kernels on the JS and WASM backends: transposes (the blocked WASM kernel serves those that
 * swap two blocks of axes, possibly under batch axes; others go to the JS loop), and the block copies
 * that both backends share (sliceCopy, gather, scatterAdd, concat).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAgree, data, onBoth, seeded, wasmFallbackCount } from './helpers.js';

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** A uniformly random permutation of 0..n-1. */
function permutation(random: ReturnType<typeof seeded>, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe('transpose: JS and WASM agree', () => {
  it('matrix transposes, batched transposes and block swaps, with odd sizes and size-1 axes', () => {
    const cases: [number[], number[]][] = [
      [
        [1, 1],
        [1, 0],
      ],
      [
        [64, 33],
        [1, 0],
      ],
      [
        [33, 64],
        [1, 0],
      ],
      [
        [4, 17, 19],
        [0, 2, 1],
      ],
      [
        [6, 5, 7],
        [2, 0, 1],
      ], // [6·5, 7] → [7, 6·5]
      [
        [6, 5, 7],
        [1, 2, 0],
      ],
      [
        [3, 1, 50, 9],
        [0, 3, 1, 2],
      ], // a size-1 axis between the swapped blocks
      [
        [2, 3, 40, 7],
        [0, 1, 3, 2],
      ],
      [
        [300, 1],
        [1, 0],
      ], // only a size-1 axis moves: a plain copy
      [
        [5, 6, 7, 8],
        [3, 2, 1, 0],
      ], // not a block swap: the JS loop
      [
        [5, 6, 7, 8],
        [1, 0, 3, 2],
      ],
    ];
    const random = seeded(50);
    for (let i = 0; i < 20; i++) {
      const rank = 2 + random.int(3);
      cases.push([Array.from({ length: rank }, () => 1 + random.int(12)), permutation(random, rank)]);
    }
    for (const [shape, perm] of cases) {
      const x = data(random, size(shape), 1);
      const [wasm, js] = onBoth(size(shape), (b, out) => b.transpose(x, shape, perm, out));
      assertAgree(wasm, js, `transpose [${shape}] by [${perm}]`, 0, 0);
    }
    assert.equal(wasmFallbackCount(), 0);
  });
});

describe('block copies: JS and WASM agree', () => {
  const random = seeded(60);
  const shape = [6, 7, 9];
  const x = data(random, size(shape), 1);

  it('sliceCopy both ways', () => {
    const begin = [1, 2, 3];
    const extent = [4, 3, 5];
    const [wasm, js] = onBoth(size(extent), (b, out) => b.sliceCopy(x, shape, begin, extent, out, false));
    assertAgree(wasm, js, 'slice', 0, 0);
    const [wasmFull, jsFull] = onBoth(size(shape), (b, full) =>
      b.sliceCopy(full.fill(0), shape, begin, extent, js, true),
    );
    assertAgree(wasmFull, jsFull, 'slice gradient', 0, 0);
  });

  it('gather and scatterAdd along each axis', () => {
    const indices = Int32Array.from([2, 0, 2, 1]);
    for (let axis = 0; axis < 3; axis++) {
      const outShape = shape.map((d, i) => (i === axis ? indices.length : d));
      const [wasm, js] = onBoth(size(outShape), (b, out) => b.gather(x, shape, indices, axis, out));
      assertAgree(wasm, js, `gather axis ${axis}`, 0, 0);
      const [wasmDx, jsDx] = onBoth(size(shape), (b, out) => b.scatterAdd(js, shape, indices, axis, out));
      assertAgree(wasmDx, jsDx, `scatterAdd axis ${axis}`, 0, 0);
    }
  });

  it('concat along each axis', () => {
    const y = data(random, size(shape), 1);
    for (let axis = 0; axis < 3; axis++) {
      const outShape = shape.map((d, i) => (i === axis ? 2 * d : d));
      const [wasm, js] = onBoth(size(outShape), (b, out) => b.concat([x, y], [shape, shape], axis, out));
      assertAgree(wasm, js, `concat axis ${axis}`, 0, 0);
    }
  });
});
