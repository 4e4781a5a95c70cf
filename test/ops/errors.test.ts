import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

const z = (...shape: number[]): ax.Tensor => ax.zeros(shape);

describe('op errors name the op and the shapes', () => {
  it('broadcasting (add, mul, where, broadcastTo)', () => {
    assert.throws(
      () => ax.add(z(2, 3), z(4)),
      /^Error: add: shapes \[2,3\] and \[4\] cannot be broadcast together \(axis 1 of the result: 3 vs 4/,
    );
    assert.throws(
      () => ax.mul(z(2, 3), z(3, 2)),
      /^Error: mul: shapes \[2,3\] and \[3,2\] cannot be broadcast together/,
    );
    assert.throws(() => ax.sub(z(5, 1, 3), z(2, 4)), /sub: shapes \[5,1,3\] and \[2,4\]/);
    assert.throws(() => ax.greater(z(2), z(3)), /greater: shapes \[2\] and \[3\]/);
    assert.throws(() => ax.where(z(2), z(3), 0), /where: shapes \[2\] and \[3\] cannot be broadcast/);
    assert.throws(
      () => ax.broadcastTo(z(2, 3), [3]),
      /broadcastTo: a tensor of shape \[2,3\] cannot be broadcast to \[3\]/,
    );
  });

  it('matMul: inner and batch dimensions, rank', () => {
    assert.throws(
      () => ax.matMul(z(2, 3), z(4, 5)),
      /matMul: inner dimensions differ in \[2,3\] · \[4,5\]: 3 vs 4/,
    );
    assert.throws(
      () => ax.matMul(z(2, 3), z(4, 5), true, true),
      /matMul: inner dimensions differ in \[2,3\]ᵀ · \[4,5\]ᵀ: 2 vs 5/,
    );
    assert.throws(
      () => ax.matMul(z(2, 2, 3), z(3, 3, 2)),
      /matMul: batch dimensions differ in \[2,2,3\] · \[3,3,2\]: \[2\] vs \[3\]/,
    );
    assert.throws(
      () => ax.matMul(z(3), z(3, 2)),
      /matMul: both inputs need rank ≥ 2, got shapes \[3\] and \[3,2\]/,
    );
  });

  it('concat and stack', () => {
    assert.throws(
      () => ax.concat([z(2, 3), z(2, 4)], 0),
      /concat: tensors\[1\] has shape \[2,4\], incompatible with tensors\[0\] of shape \[2,3\] along axis 0/,
    );
    assert.throws(() => ax.concat([z(2, 3), z(3)], 1), /concat: tensors\[1\] has shape \[3\]/);
    assert.throws(() => ax.concat([]), /concat: needs at least one tensor/);
    assert.throws(
      () => ax.stack([z(2), z(3)]),
      /stack: tensors\[1\] has shape \[3\] but tensors\[0\] has \[2\]/,
    );
  });

  it('reshape', () => {
    assert.throws(
      () => ax.reshape(z(2, 3), [4, 2]),
      /reshape: cannot reshape a tensor of shape \[2,3\] \(6 elements\) into \[4,2\] \(8 elements\)/,
    );
    assert.throws(
      () => ax.reshape(z(2, 3), [4, -1]),
      /reshape: cannot reshape a tensor of shape \[2,3\] \(6 elements\) into \[4,-1\]/,
    );
    assert.throws(
      () => ax.reshape(z(2, 3), [-1, -1]),
      /reshape: only one dimension can be -1, got \[-1,-1\]/,
    );
  });

  it('slice out of range', () => {
    assert.throws(
      () => ax.slice(z(2, 3), [1, 1], [2, 1]),
      /slice: begin \[1,1\] with size \[2,1\] does not fit in a tensor of shape \[2,3\] \(axis 0\)/,
    );
    assert.throws(
      () => ax.slice(z(2, 3), [0, 2], [1, 2]),
      /does not fit in a tensor of shape \[2,3\] \(axis 1\)/,
    );
    assert.throws(() => ax.slice(z(2, 3), [0, 4]), /slice: .*\(axis 1\)/);
  });

  it('gather index out of range', () => {
    assert.throws(
      () => ax.gather(z(3, 2), [0, 3]),
      /gather: index 3 at position 1 is out of range for axis 0 of length 3 \(shape \[3,2\]\)/,
    );
    assert.throws(() => ax.gather(z(3, 2), [-1]), /gather: index -1 at position 0 is out of range/);
    assert.throws(() => ax.gather(z(3, 2), [1.5]), /gather: index 1\.5/);
    assert.throws(() => ax.gather(z(3, 2), [2], 1), /out of range for axis 1 of length 2/);
  });

  it('bad axis', () => {
    assert.throws(
      () => ax.sum(z(2, 3), 2),
      /sum: axis 2 is out of range for a tensor of rank 2 \(valid: -2\.\.1\)/,
    );
    assert.throws(() => ax.mean(z(2, 3), -3), /mean: axis -3 is out of range/);
    assert.throws(() => ax.max(z(2, 3), 0.5), /max: axis 0\.5 is out of range/);
    assert.throws(() => ax.argMax(z(2, 3), 5), /argMax: axis 5 is out of range/);
    assert.throws(() => ax.softmax(z(2, 3), 2), /softmax: axis 2 is out of range/);
    assert.throws(() => ax.concat([z(2), z(2)], 1), /concat: axis 1 is out of range/);
    assert.throws(() => ax.unstack(z(2), 1), /unstack: axis 1 is out of range/);
    assert.throws(() => ax.gather(z(2), [0], 1), /gather: axis 1 is out of range/);
    assert.throws(() => ax.squeeze(z(2, 1), [0]), /squeeze: axis 0 of shape \[2,1\] has length 2, not 1/);
    assert.throws(() => ax.argMax(ax.scalar(1)), /argMax: needs a tensor of rank ≥ 1, got a scalar/);
  });

  it('bad perm', () => {
    assert.throws(
      () => ax.transpose(z(2, 3), [0, 0]),
      /transpose: perm \[0,0\] is not a permutation of the 2 axes of a tensor of shape \[2,3\]/,
    );
    assert.throws(() => ax.transpose(z(2, 3), [0, 1, 2]), /perm \[0,1,2\] is not a permutation/);
    assert.throws(() => ax.transpose(z(2, 3, 4), [2, 0]), /perm \[2,0\] is not a permutation of the 3 axes/);
  });

  it('cross-entropies need labels and logits of one shape', () => {
    assert.throws(
      () => ax.sigmoidCrossEntropyWithLogits(z(2), z(3)),
      /sigmoidCrossEntropyWithLogits: labels have shape \[2\] but logits have shape \[3\]/,
    );
    assert.throws(
      () => ax.softmaxCrossEntropyWithLogits(z(2, 2), z(2, 3)),
      /softmaxCrossEntropyWithLogits: labels have shape \[2,2\] but logits have shape \[2,3\]/,
    );
  });

  it('clipByValue bounds and unknown backends', () => {
    assert.throws(() => ax.clipByValue(z(2), 1, 0), /clipByValue: lo \(1\) must be ≤ hi \(0\)/);
    const before = ax.getBackend();
    assert.throws(() => ax.setBackend('gpu'), /setBackend: unknown backend 'gpu' \(available: js/);
    assert.equal(ax.getBackend(), before);
  });
});
