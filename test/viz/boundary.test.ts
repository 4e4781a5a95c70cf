import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { decisionBoundaryGrid, renderDecisionBoundaryText } from '../../src/viz/boundary.js';

const points = ax.tensor([
  [-1, -1],
  [1, 1],
  [-1, 1],
  [1, -1],
]);

describe('decision boundary as text', () => {
  it('evaluates the classifier on a grid, top row = largest y', () => {
    // Class 1 where x > 0: the left half of every row is class 0.
    const grid = decisionBoundaryGrid((p) => ax.greater(ax.slice(p, [0, 0], [-1, 1]), 0), points, {
      columns: 10,
      rows: 4,
    });
    for (let r = 0; r < 4; r++) {
      assert.deepEqual(Array.from(grid.classes.slice(r * 10, r * 10 + 10)), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    }
    // Class 1 where y > 0: the top half.
    const byY = decisionBoundaryGrid((p) => ax.greater(ax.slice(p, [0, 1], [-1, 1]), 0), points, {
      columns: 4,
      rows: 4,
    });
    assert.deepEqual(Array.from(byY.classes), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('uses the arg max of multi-class scores and marks each point with its true class', () => {
    const scores = (p: ax.Tensor) =>
      ax.concat([ax.neg(ax.slice(p, [0, 0], [-1, 1])), ax.slice(p, [0, 0], [-1, 1])], 1);
    const grid = decisionBoundaryGrid(scores, points, { columns: 8, rows: 4, margin: 0 });
    const text = renderDecisionBoundaryText(grid, points, ax.tensor([0, 1, 0, 1]));
    const lines = text.split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[0], `+${'-'.repeat(8)}+`);
    // (-1, 1) is top-left and of class 0 ('o'); (1, 1) is top-right and of class 1 ('x').
    assert.equal(lines[1][1], 'o');
    assert.equal(lines[1][8], 'x');
    assert.equal(lines[4][1], 'o');
    assert.equal(lines[4][8], 'x');
  });

  it('rejects points that are not 2-D and classifiers of the wrong shape', () => {
    assert.throws(
      () => decisionBoundaryGrid((p) => p, ax.zeros([3, 3])),
      /points must have shape \[n, 2\], got \[3,3\]/,
    );
    assert.throws(
      () => decisionBoundaryGrid(() => ax.zeros([5]), points, { columns: 2, rows: 2 }),
      /returned shape \[5\] for 4 points/,
    );
  });
});
