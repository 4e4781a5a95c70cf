import { noGrad } from '../autograd/backprop.js';
import { tensor } from '../tensor/create.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Anything that maps points [n, 2] to scores: [n] or [n, 1] (probability of class 1) or [n, k] (class scores). */
export type PointClassifier = (points: Tensor) => Tensor;

/** The predicted class on a regular grid over a rectangle of the plane. */
export interface BoundaryGrid {
  readonly columns: number;
  readonly rows: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  /** Row-major classes, row 0 at the top (largest y), as a picture is read. */
  readonly classes: Int32Array;
}

function classesOf(scores: Tensor, n: number): Int32Array {
  const out = new Int32Array(n);
  const width = scores.size / n;
  if (!Number.isInteger(width) || scores.shape[0] !== n) {
    throw new Error(
      `decision boundary: the classifier returned shape ${formatShape(scores.shape)} for ${n} points; expected [${n}], [${n},1] or [${n},k]`,
    );
  }
  const v = scores.values;
  for (let i = 0; i < n; i++) {
    if (width === 1) {
      out[i] = v[i] >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < width; k++) if (v[i * width + k] > v[i * width + best]) best = k;
    out[i] = best;
  }
  return out;
}

/**
 * Evaluates a classifier on a `columns` × `rows` grid covering the points (with a margin).
 * @example
 * const grid = ax.decisionBoundaryGrid((p) => model.predict(p), x, { columns: 60, rows: 24 });
 */
export function decisionBoundaryGrid(
  classify: PointClassifier,
  points: Tensor,
  options: { columns?: number; rows?: number; margin?: number } = {},
): BoundaryGrid {
  if (points.rank !== 2 || points.shape[1] !== 2) {
    throw new Error(`decision boundary: points must have shape [n, 2], got ${formatShape(points.shape)}`);
  }
  const { columns = 60, rows = 24, margin = 0.1 } = options;
  const p = points.values;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.length; i += 2) {
    xMin = Math.min(xMin, p[i]);
    xMax = Math.max(xMax, p[i]);
    yMin = Math.min(yMin, p[i + 1]);
    yMax = Math.max(yMax, p[i + 1]);
  }
  const padX = (xMax - xMin || 1) * margin;
  const padY = (yMax - yMin || 1) * margin;
  xMin -= padX;
  xMax += padX;
  yMin -= padY;
  yMax += padY;
  const grid = new Float32Array(columns * rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const i = (r * columns + c) * 2;
      grid[i] = xMin + ((c + 0.5) / columns) * (xMax - xMin);
      grid[i + 1] = yMax - ((r + 0.5) / rows) * (yMax - yMin);
    }
  }
  const scores = noGrad(() => classify(tensor(grid, [columns * rows, 2])));
  return { columns, rows, xMin, xMax, yMin, yMax, classes: classesOf(scores, columns * rows) };
}

const REGION = ['·', ' ', '-', '~', ':', '+'];
const POINT = ['o', 'x', '#', '@', '%', '&'];

/**
 * Draws a decision boundary as text: each cell shows the predicted class's shading, and each data point
 * its true class's mark on top. Returns the lines joined by newlines.
 * @example
 * console.log(ax.renderDecisionBoundaryText(grid, x, y));
 */
export function renderDecisionBoundaryText(grid: BoundaryGrid, points?: Tensor, labels?: Tensor): string {
  const cells = Array.from(grid.classes, (k) => REGION[k % REGION.length]);
  if (points && labels) {
    // One-hot labels: the arg max; class indices or 0/1 labels: the value itself.
    const oneHot = labels.rank === 2 && labels.shape[1] > 1;
    const truth = oneHot ? classesOf(labels, points.shape[0]) : Int32Array.from(labels.values, Math.round);
    const p = points.values;
    for (let i = 0; i < points.shape[0]; i++) {
      // A point on the far edge belongs to the last cell, not outside the picture.
      const c = Math.min(
        Math.floor(((p[2 * i] - grid.xMin) / (grid.xMax - grid.xMin)) * grid.columns),
        grid.columns - 1,
      );
      const r = Math.min(
        Math.floor(((grid.yMax - p[2 * i + 1]) / (grid.yMax - grid.yMin)) * grid.rows),
        grid.rows - 1,
      );
      if (c >= 0 && r >= 0) cells[r * grid.columns + c] = POINT[truth[i] % POINT.length];
    }
  }
  const lines: string[] = [];
  for (let r = 0; r < grid.rows; r++)
    lines.push(cells.slice(r * grid.columns, (r + 1) * grid.columns).join(''));
  const border = `+${'-'.repeat(grid.columns)}+`;
  return [border, ...lines.map((l) => `|${l}|`), border].join('\n');
}
