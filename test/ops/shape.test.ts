import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ax from '../../src/index.js';

const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());

/** Row-major multi-index of a flat position. */
function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    out[axis] = index % shape[axis];
    index = Math.floor(index / shape[axis]);
  }
  return out;
}

/** Flat position of a multi-index. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flatIndex = 0;
  for (let axis = 0; axis < shape.length; axis++) flatIndex = flatIndex * shape[axis] + idx[axis];
  return flatIndex;
}

const shapeArb = (minRank: number, maxRank: number) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: minRank, maxLength: maxRank });

/** A shape and a permutation of its axes. */
const shapeAndPerm = shapeArb(0, 5).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    ),
  ),
);

describe('reshape', () => {
  it('keeps row-major order and infers one -1 dimension', () => {
    const x = ax.range(0, 12);
    const r = ax.reshape(x, [3, -1]);
    assert.deepEqual(r.shape, [3, 4]);
    assert.deepEqual(r.arraySync(), [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    assert.deepEqual(ax.reshape(x, [-1]).shape, [12]);
    assert.deepEqual(ax.reshape(x, [2, -1, 3]).shape, [2, 2, 3]);
    assert.deepEqual(ax.reshape(ax.scalar(5), [1, 1]).shape, [1, 1]);
    assert.deepEqual(ax.reshape(ax.tensor([5]), []).shape, []);
    assert.deepEqual(flat(ax.reshape(r, [12])), flat(x));
  });

  it('a reshaped variable does not change when the variable is assigned', () => {
    const v = ax.variable(ax.tensor([1, 2, 3, 4]));
    const r = ax.reshape(v, [2, 2]);
    v.assign(ax.zeros([4]));
    assert.deepEqual(flat(r), [1, 2, 3, 4]);
    assert.deepEqual(flat(v), [0, 0, 0, 0]);
  });
});

describe('transpose', () => {
  it('default reverses the axes (the matrix transpose)', () => {
    const m = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(ax.transpose(m).arraySync(), [
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const t = ax.reshape(ax.range(0, 24), [2, 3, 4]);
    const r = ax.transpose(t);
    assert.deepEqual(r.shape, [4, 3, 2]);
    // r[k][j][i] = t[i][j][k] = 12i + 4j + k.
    assert.equal(r.dataSync()[ravel([3, 1, 1], [4, 3, 2])], 12 + 4 + 3);
    assert.equal(ax.transpose(ax.scalar(7)).item(), 7);
  });

  it('any permutation moves each element to the permuted index (property)', () => {
    fc.assert(
      fc.property(shapeAndPerm, ([shape, perm]) => {
        const size = shape.reduce((p, d) => p * d, 1);
        const x = ax.reshape(ax.range(0, size), shape);
        const y = ax.transpose(x, perm);
        const outShape = perm.map((p) => shape[p]);
        assert.deepEqual(y.shape, outShape);
        const yv = y.dataSync();
        for (let o = 0; o < size; o++) {
          const outIdx = unravel(o, outShape);
          const inIdx = new Array<number>(shape.length);
          perm.forEach((p, i) => {
            inIdx[p] = outIdx[i];
          });
          assert.equal(yv[o], ravel(inIdx, shape));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('transpose by perm then by its inverse is the identity (property)', () => {
    fc.assert(
      fc.property(shapeAndPerm, fc.integer({ min: 0, max: 1e6 }), ([shape, perm], seed) => {
        const x = ax.randomNormal(shape, 0, 1, 'float32', seed);
        const inverse = new Array<number>(perm.length);
        perm.forEach((p, i) => {
          inverse[p] = i;
        });
        const back = ax.transpose(ax.transpose(x, perm), inverse);
        assert.deepEqual(back.shape, shape);
        assert.deepEqual(flat(back), flat(x));
      }),
      { numRuns: 100 },
    );
  });
});

describe('slice', () => {
  const x = ax.reshape(ax.range(0, 24), [2, 3, 4]);

  it('boxes by begin and size, -1 meaning to the end', () => {
    assert.deepEqual(ax.slice(x, [1, 1, 1], [1, 2, 2]).arraySync(), [
      [
        [17, 18],
        [21, 22],
      ],
    ]);
    assert.deepEqual(ax.slice(x, [0, 2], [-1, -1]).arraySync(), [[[8, 9, 10, 11]], [[20, 21, 22, 23]]]);
    assert.deepEqual(ax.slice(x, 1).shape, [1, 3, 4]);
    assert.deepEqual(flat(ax.slice(ax.range(0, 10), 7)), [7, 8, 9]);
    assert.deepEqual(flat(ax.slice(ax.range(0, 10), 2, 3)), [2, 3, 4]);
    assert.deepEqual(ax.slice(x, [0, 0, 4], [-1, -1, 0]).shape, [2, 3, 0]);
  });

  it('concat then slice gives back the parts (property)', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 4),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.integer({ min: 0, max: 1e6 }),
        (shape, lengths, axisPick, seed) => {
          const axis = axisPick % shape.length;
          const parts = lengths.map((len, i) =>
            ax.randomNormal(
              shape.map((d, j) => (j === axis ? len : d)),
              0,
              1,
              'float32',
              seed + i,
            ),
          );
          const joined = ax.concat(parts, axis - (axisPick % 2 === 0 ? 0 : shape.length));
          assert.equal(
            joined.shape[axis],
            lengths.reduce((a, b) => a + b, 0),
          );
          let offset = 0;
          parts.forEach((p) => {
            const begin = shape.map((_, j) => (j === axis ? offset : 0));
            const back = ax.slice(joined, begin, p.shape);
            assert.deepEqual(back.shape, p.shape);
            assert.deepEqual(flat(back), flat(p));
            offset += p.shape[axis];
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('gather', () => {
  const x = ax.tensor([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);

  it('rows, columns, repeats, and a 2-D index tensor', () => {
    assert.deepEqual(ax.gather(x, [2, 0, 2]).arraySync(), [
      [7, 8, 9],
      [1, 2, 3],
      [7, 8, 9],
    ]);
    assert.deepEqual(ax.gather(x, [1], 1).arraySync(), [[2], [5], [8]]);
    assert.deepEqual(ax.gather(x, ax.tensor([2, 0]), -1).arraySync(), [
      [3, 1],
      [6, 4],
      [9, 7],
    ]);
    const g = ax.gather(
      x,
      ax.tensor([
        [0, 1],
        [2, 2],
      ]),
    );
    assert.deepEqual(g.shape, [2, 2, 3]);
    assert.deepEqual(flat(g), [1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 8, 9]);
    assert.deepEqual(ax.gather(x, Int32Array.of(1)).arraySync(), [[4, 5, 6]]);
    assert.deepEqual(ax.gather(x, []).shape, [0, 3]);
  });

  it('on the middle axis of a 3-D tensor matches index arithmetic', () => {
    const t = ax.reshape(ax.range(0, 24), [2, 3, 4]);
    const g = ax.gather(t, [2, 2, 0, 1], 1);
    assert.deepEqual(g.shape, [2, 4, 4]);
    const gv = g.dataSync();
    const idx = [2, 2, 0, 1];
    for (let o = 0; o < gv.length; o++) {
      const [i, j, k] = unravel(o, [2, 4, 4]);
      assert.equal(gv[o], ravel([i, idx[j], k], [2, 3, 4]));
    }
  });
});

describe('concat, stack, unstack', () => {
  it('concat along each axis', () => {
    const a = ax.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = ax.tensor([[5, 6]]);
    assert.deepEqual(ax.concat([a, b]).arraySync(), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    assert.deepEqual(ax.concat([a, ax.tensor([[7], [8]])], 1).arraySync(), [
      [1, 2, 7],
      [3, 4, 8],
    ]);
    assert.deepEqual(ax.concat([a, ax.tensor([[9], [10]])], -1).arraySync(), [
      [1, 2, 9],
      [3, 4, 10],
    ]);
    assert.deepEqual(flat(ax.concat([ax.tensor([1]), [2, 3], ax.zeros([0])])), [1, 2, 3]);
  });

  it('stack along a new axis, at any position, then unstack gives back the parts', () => {
    const a = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = ax.tensor([
      [7, 8, 9],
      [10, 11, 12],
    ]);
    const s0 = ax.stack([a, b]);
    assert.deepEqual(s0.shape, [2, 2, 3]);
    assert.deepEqual(flat(s0), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const s1 = ax.stack([a, b], 1);
    assert.deepEqual(s1.shape, [2, 2, 3]);
    assert.deepEqual(flat(s1), [1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12]);
    const s2 = ax.stack([a, b], -1);
    assert.deepEqual(s2.shape, [2, 3, 2]);
    assert.deepEqual(flat(s2), [1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12]);
    for (const [s, axis] of [
      [s0, 0],
      [s1, 1],
      [s2, 2],
    ] as const) {
      const parts = ax.unstack(s, axis);
      assert.equal(parts.length, 2);
      assert.deepEqual(parts[0].shape, [2, 3]);
      assert.deepEqual(flat(parts[0]), flat(a));
      assert.deepEqual(flat(parts[1]), flat(b));
    }
    assert.deepEqual(flat(ax.stack([1, 2, 3])), [1, 2, 3]);
    assert.deepEqual(
      ax
        .unstack(
          ax.tensor([
            [1, 2],
            [3, 4],
          ]),
          1,
        )
        .map((t) => flat(t)),
      [
        [1, 3],
        [2, 4],
      ],
    );
  });

  it('stack then unstack is the identity (property)', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.integer({ min: 0, max: 1e6 }),
        (shape, count, axisPick, seed) => {
          const axis = axisPick % (shape.length + 1);
          const parts = Array.from({ length: count }, (_, i) =>
            ax.randomNormal(shape, 0, 1, 'float32', seed + i),
          );
          const s = ax.stack(parts, axis);
          assert.deepEqual(s.shape, [...shape.slice(0, axis), count, ...shape.slice(axis)]);
          const back = ax.unstack(s, axis);
          assert.equal(back.length, count);
          back.forEach((t, i) => {
            assert.deepEqual(t.shape, shape);
            assert.deepEqual(flat(t), flat(parts[i]));
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('expandDims and squeeze', () => {
  it('expandDims inserts a 1 at the axis (negative counts from the new end)', () => {
    const x = ax.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(ax.expandDims(x).shape, [1, 2, 3]);
    assert.deepEqual(ax.expandDims(x, 1).shape, [2, 1, 3]);
    assert.deepEqual(ax.expandDims(x, 2).shape, [2, 3, 1]);
    assert.deepEqual(ax.expandDims(x, -1).shape, [2, 3, 1]);
    assert.deepEqual(flat(ax.expandDims(x, 1)), flat(x));
    assert.deepEqual(ax.expandDims(ax.scalar(3)).shape, [1]);
  });

  it('squeeze removes all size-1 axes or the listed ones', () => {
    const x = ax.zeros([1, 3, 1, 2, 1]);
    assert.deepEqual(ax.squeeze(x).shape, [3, 2]);
    assert.deepEqual(ax.squeeze(x, [0]).shape, [3, 1, 2, 1]);
    assert.deepEqual(ax.squeeze(x, [2, -1]).shape, [1, 3, 2]);
    assert.deepEqual(ax.squeeze(ax.zeros([1, 1])).shape, []);
    const y = ax.tensor([[[1], [2]]]);
    assert.deepEqual(ax.squeeze(y).arraySync(), [1, 2]);
  });
});
