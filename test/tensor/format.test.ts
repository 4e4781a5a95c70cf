import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

// toString() follows TF.js's layout ("Tensor", then the values indented by four spaces, one row per line,
// a blank line between matrices), with Axon's own number format: integers as they are, otherwise a
// shared 4-decimal (or exponent) format right-aligned to one width, and axes longer than 8 elided.

describe('Tensor.toString()', () => {
  it('scalars', () => {
    assert.equal(ax.scalar(3).toString(), 'Tensor\n    3');
    assert.equal(ax.scalar(-1.5).toString(), 'Tensor\n    -1.5000');
  });

  it('a vector', () => {
    assert.equal(ax.tensor([1, 2, 3]).toString(), 'Tensor\n    [1, 2, 3]');
  });

  it('a matrix (the TF.js example)', () => {
    assert.equal(
      ax
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .toString(),
      'Tensor\n    [[1, 2],\n     [3, 4]]',
    );
  });

  it('a 3-D tensor: matrices separated by a blank line', () => {
    assert.equal(
      ax.reshape(ax.range(1, 9), [2, 2, 2]).toString(),
      'Tensor\n    [[[1, 2],\n      [3, 4]],\n\n     [[5, 6],\n      [7, 8]]]',
    );
  });

  it('a 4-D tensor: two blank lines between 3-D blocks', () => {
    assert.equal(
      ax.reshape(ax.range(0, 16), [2, 2, 2, 2]).toString(),
      'Tensor\n    [[[[ 0,  1],\n       [ 2,  3]],\n\n      [[ 4,  5],\n       [ 6,  7]]],\n\n\n' +
        '     [[[ 8,  9],\n       [10, 11]],\n\n      [[12, 13],\n       [14, 15]]]]',
    );
  });

  it('mixed decimals share one precision and one width', () => {
    assert.equal(ax.tensor([1, 2.5, -3.25]).toString(), 'Tensor\n    [ 1.0000,  2.5000, -3.2500]');
    assert.equal(
      ax
        .tensor([
          [1, -2.5],
          [10.125, 3],
        ])
        .toString(),
      'Tensor\n    [[ 1.0000, -2.5000],\n     [10.1250,  3.0000]]',
    );
    // Integers of different widths are right-aligned.
    assert.equal(
      ax
        .tensor([
          [1, 22],
          [333, 4],
        ])
        .toString(),
      'Tensor\n    [[  1,  22],\n     [333,   4]]',
    );
  });

  it('exponent notation for large values and for small values that fixed notation would show as 0', () => {
    assert.equal(ax.tensor([1e7, 0.5]).toString(), 'Tensor\n    [1.0000e+7, 5.0000e-1]');
    assert.equal(ax.tensor([1e-5, 2]).toString(), 'Tensor\n    [1.0000e-5, 2.0000e+0]');
    assert.equal(ax.tensor([0.00002, 0.00003]).toString(), 'Tensor\n    [2.0000e-5, 3.0000e-5]');
    // Zeros do not force exponent notation.
    assert.equal(ax.tensor([0, 0.5]).toString(), 'Tensor\n    [0.0000, 0.5000]');
  });

  it('non-finite values', () => {
    assert.equal(
      ax.tensor([Number.NaN, Number.NEGATIVE_INFINITY, 1.5]).toString(),
      'Tensor\n    [      NaN, -Infinity,    1.5000]',
    );
  });

  it('elides long axes to their first and last 3 entries', () => {
    assert.equal(ax.range(0, 30).toString(), 'Tensor\n    [ 0,  1,  2, ..., 27, 28, 29]');
    // 8 is the longest axis shown in full.
    assert.equal(ax.range(0, 8).toString(), 'Tensor\n    [0, 1, 2, 3, 4, 5, 6, 7]');
    assert.equal(
      ax.reshape(ax.range(0, 900), [30, 30]).toString(),
      [
        'Tensor',
        '    [[  0,   1,   2, ...,  27,  28,  29],',
        '     [ 30,  31,  32, ...,  57,  58,  59],',
        '     [ 60,  61,  62, ...,  87,  88,  89],',
        '     ...,',
        '     [810, 811, 812, ..., 837, 838, 839],',
        '     [840, 841, 842, ..., 867, 868, 869],',
        '     [870, 871, 872, ..., 897, 898, 899]]',
      ].join('\n'),
    );
  });

  it('elides the outer axis of a 3-D tensor between blocks', () => {
    const s = ax.reshape(ax.range(0, 40), [10, 2, 2]).toString();
    assert.equal(
      s,
      'Tensor\n    [[[ 0,  1],\n      [ 2,  3]],\n\n     [[ 4,  5],\n      [ 6,  7]],\n\n     [[ 8,  9],\n      [10, 11]],\n\n' +
        '     ...,\n\n     [[28, 29],\n      [30, 31]],\n\n     [[32, 33],\n      [34, 35]],\n\n     [[36, 37],\n      [38, 39]]]',
    );
  });

  it('empty tensors', () => {
    assert.equal(ax.zeros([0]).toString(), 'Tensor\n    []');
    assert.equal(ax.zeros([2, 0]).toString(), 'Tensor\n    [[],\n     []]');
  });

  it('print() logs toString()', (t) => {
    const log = t.mock.method(console, 'log', () => {});
    ax.tensor([1, 2]).print();
    assert.equal(log.mock.callCount(), 1);
    assert.deepEqual(log.mock.calls[0]?.arguments, ['Tensor\n    [1, 2]']);
  });
});
