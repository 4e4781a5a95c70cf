/**
 * A layered (Sugiyama-style) layout for small DAGs, in plain TypeScript: ranks by longest path,
 * dummy nodes on long edges, barycenter sweeps against crossings, and positions inside a rank by
 * isotonic regression (each node as close as possible to its neighbours, boxes never overlapping).
 * Edges stay out of boxes: they run straight through a rank's column and curve only in the gaps.
 */

/** Ranks left to right (`LR`) or top to bottom (`TB`). */
export type RankDir = 'LR' | 'TB';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LayoutOptions {
  readonly rankdir: RankDir;
  /** Gap between ranks, where the edges curve (and the arrows sit). */
  readonly rankSep: number;
  /** Gap between neighbouring boxes of one rank. */
  readonly nodeSep: number;
  /** Most dummy nodes before the longest edges are routed along lanes instead. Default 4000. */
  readonly dummyBudget?: number;
}

export interface Layout {
  /** One box per node, in input order; coordinates start at 0. */
  readonly boxes: readonly Box[];
  /** One polyline per edge, source box → target box; see `edgePathData`. */
  readonly edges: ReadonlyArray<readonly Point[]>;
  readonly width: number;
  readonly height: number;
}

interface LNode {
  readonly rank: number;
  readonly real: boolean;
  /** Size along the rank axis (x for LR) and across it (y for LR). */
  readonly along: number;
  readonly across: number;
  readonly preds: number[];
  readonly succs: number[];
}

const DUMMY_ACROSS = 4;
/** Beyond this many dummy nodes the longest edges leave the grid and run along lanes past the drawing. */
const DUMMY_BUDGET = 4000;
const SWEEPS = 12;

/** Rank of each node: longest path from a source; then sources move right, next to their first consumer. */
function assignRanks(n: number, edges: ReadonlyArray<readonly [number, number]>): number[] {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Array<number>(n).fill(0);
  for (const [u, v] of edges) {
    succs[u].push(v);
    preds[v].push(u);
    indegree[v]++;
  }
  const rank = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q];
    for (const v of succs[u]) {
      rank[v] = Math.max(rank[v], rank[u] + 1);
      if (--indegree[v] === 0) queue.push(v);
    }
  }
  if (queue.length !== n) throw new Error('graph layout: the graph has a cycle; a computation graph cannot');
  // A leaf used late (the 3 of J = 3v) would otherwise draw a long edge across the whole picture.
  for (let i = 0; i < n; i++) {
    if (preds[i].length === 0 && succs[i].length > 0) rank[i] = Math.min(...succs[i].map((v) => rank[v])) - 1;
  }
  return rank;
}

/** Number of crossing edge pairs between consecutive ranks, for the given positions. */
function crossings(nodes: readonly LNode[], layers: readonly number[][], pos: readonly number[]): number {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    const pairs: Array<[number, number]> = [];
    for (const u of layers[r]) for (const v of nodes[u].succs) pairs.push([pos[u], pos[v]]);
    for (let i = 0; i < pairs.length; i++) {
      for (let j = i + 1; j < pairs.length; j++) {
        if ((pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0) total++;
      }
    }
  }
  return total;
}

/** Orders each rank by the barycenter of its neighbours, sweeping down and up; keeps the best order seen. */
function orderLayers(nodes: readonly LNode[], layers: number[][]): void {
  const pos = new Array<number>(nodes.length).fill(0);
  for (const layer of layers) for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
  let best = layers.map((l) => [...l]);
  let bestCrossings = crossings(nodes, layers, pos);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const ranks = layers.map((_, r) => r);
    if (!down) ranks.reverse();
    for (const r of ranks) {
      const layer = layers[r];
      const key = new Map<number, number>();
      for (const v of layer) {
        const nbrs = down ? nodes[v].preds : nodes[v].succs;
        key.set(v, nbrs.length === 0 ? pos[v] : nbrs.reduce((s, u) => s + pos[u], 0) / nbrs.length);
      }
      // Stable: ties keep the current order, so the result is deterministic.
      layer.sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || pos[a] - pos[b]);
      for (let i = 0; i < layer.length; i++) pos[layer[i]] = i;
    }
    const c = crossings(nodes, layers, pos);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => [...l]);
    }
  }
  for (let r = 0; r < best.length; r++) layers[r] = best[r];
}

/**
 * Positions of one rank's nodes (in order) closest, in least squares, to `target`, with each gap at
 * least `minGap[i]` (between node i and i + 1). Subtracting the running minimum offsets turns the
 * gaps into "non-decreasing", which pool-adjacent-violators solves exactly.
 */
function nearestFeasible(target: readonly number[], minGap: readonly number[]): number[] {
  const n = target.length;
  const offset = new Array<number>(n).fill(0);
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1] + minGap[i - 1];
  const blocks: Array<{ sum: number; count: number }> = [];
  for (let i = 0; i < n; i++) {
    blocks.push({ sum: target[i] - offset[i], count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (prev.sum / prev.count <= last.sum / last.count) break;
      prev.sum += last.sum;
      prev.count += last.count;
      blocks.pop();
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.sum / b.count + offset[out.length]);
  return out;
}

/** Cross-axis centers: start stacked, then pull each node toward the mean of its neighbours. */
function assignCrossPositions(
  nodes: readonly LNode[],
  layers: readonly number[][],
  nodeSep: number,
): number[] {
  const center = new Array<number>(nodes.length).fill(0);
  const gaps = layers.map((layer) =>
    layer.slice(1).map((v, i) => {
      const u = layer[i];
      const sep = nodes[u].real && nodes[v].real ? nodeSep : nodeSep / 2;
      return (nodes[u].across + nodes[v].across) / 2 + sep;
    }),
  );
  layers.forEach((layer, r) => {
    const stacked = nearestFeasible(new Array<number>(layer.length).fill(0), gaps[r]);
    for (let i = 0; i < layer.length; i++) center[layer[i]] = stacked[i];
  });
  const relax = (r: number, side: 'preds' | 'succs' | 'both'): void => {
    const layer = layers[r];
    const target = layer.map((v) => {
      const nbrs =
        side === 'both'
          ? [...nodes[v].preds, ...nodes[v].succs]
          : side === 'preds'
            ? nodes[v].preds
            : nodes[v].succs;
      return nbrs.length === 0 ? center[v] : nbrs.reduce((s, u) => s + center[u], 0) / nbrs.length;
    });
    const placed = nearestFeasible(target, gaps[r]);
    for (let i = 0; i < layer.length; i++) center[layer[i]] = placed[i];
  };
  for (let pass = 0; pass < 8; pass++) {
    for (let r = 1; r < layers.length; r++) relax(r, 'preds');
    for (let r = layers.length - 2; r >= 0; r--) relax(r, 'succs');
  }
  for (let r = 0; r < layers.length; r++) relax(r, 'both');
  return center;
}

/** Spreads the ends of several edges over a box side, in the order of the nodes at their other end. */
function portOffsets(ends: Array<{ edge: number; other: number }>, across: number): Map<number, number> {
  const out = new Map<number, number>();
  const m = ends.length;
  const step = m > 1 ? Math.min(10, (across * 0.6) / (m - 1)) : 0;
  ends
    .sort((a, b) => a.other - b.other || a.edge - b.edge)
    .forEach((e, k) => {
      out.set(e.edge, (k - (m - 1) / 2) * step);
    });
  return out;
}

/**
 * Which edges run along a lane past the drawing (lane index ≥ 0) instead of through dummy nodes (-1):
 * none while the dummies fit the budget, else the longest edges first. A node's lane edges share one
 * lane, like a bus; lanes are reused by sources whose rank intervals do not overlap.
 */
function laneAssignment(
  rank: readonly number[],
  edges: ReadonlyArray<readonly [number, number]>,
  budget: number,
): number[] {
  const lane = new Array<number>(edges.length).fill(-1);
  const span = edges.map(([u, v]) => rank[v] - rank[u] - 1);
  let total = span.reduce((a, b) => a + b, 0);
  if (total <= budget) return lane;
  const longest = edges.map((_, e) => e).sort((a, b) => span[b] - span[a] || a - b);
  const reach = new Map<number, number>(); // source → last rank its lane must reach
  for (const e of longest) {
    if (total <= budget || span[e] < 2) break;
    const [u, v] = edges[e];
    reach.set(u, Math.max(reach.get(u) ?? 0, rank[v]));
    lane[e] = 0;
    total -= span[e];
  }
  const sources = [...reach.keys()].sort((a, b) => rank[a] - rank[b] || a - b);
  const laneEnd: number[] = [];
  const laneOf = new Map<number, number>();
  for (const u of sources) {
    let k = laneEnd.findIndex((end) => end < rank[u]);
    if (k < 0) k = laneEnd.push(0) - 1;
    laneEnd[k] = reach.get(u) as number;
    laneOf.set(u, k);
  }
  edges.forEach(([u], e) => {
    if (lane[e] >= 0) lane[e] = laneOf.get(u) as number;
  });
  return lane;
}

/**
 * Lays out a DAG: `sizes[i]` is node i's box, `edges` are [from, to] index pairs.
 * @example
 * const { boxes, edges } = layeredLayout([{ width: 40, height: 20 }, { width: 40, height: 20 }], [[0, 1]],
 *   { rankdir: 'LR', rankSep: 40, nodeSep: 16 });
 */
export function layeredLayout(
  sizes: readonly Size[],
  edges: ReadonlyArray<readonly [number, number]>,
  options: LayoutOptions,
): Layout {
  const lr = options.rankdir === 'LR';
  const rank = assignRanks(sizes.length, edges);
  const nodes: LNode[] = sizes.map((s, i) => ({
    rank: rank[i],
    real: true,
    along: lr ? s.width : s.height,
    across: lr ? s.height : s.width,
    preds: [],
    succs: [],
  }));
  const lane = laneAssignment(rank, edges, options.dummyBudget ?? DUMMY_BUDGET);
  // Each edge becomes a chain through one dummy node per rank it skips (a lane edge: just its ends).
  const chains = edges.map(([u, v], e) => {
    const chain = [u];
    if (lane[e] >= 0) return [u, v];
    for (let r = rank[u] + 1; r < rank[v]; r++) {
      nodes.push({ rank: r, real: false, along: 0, across: DUMMY_ACROSS, preds: [], succs: [] });
      chain.push(nodes.length - 1);
    }
    chain.push(v);
    for (let k = 0; k + 1 < chain.length; k++) {
      nodes[chain[k]].succs.push(chain[k + 1]);
      nodes[chain[k + 1]].preds.push(chain[k]);
    }
    return chain;
  });
  const rankCount = rank.reduce((m, r) => Math.max(m, r + 1), 0);
  const layers: number[][] = Array.from({ length: rankCount }, () => []);
  for (let i = 0; i < nodes.length; i++) layers[nodes[i].rank].push(i);
  orderLayers(nodes, layers);
  const center = assignCrossPositions(nodes, layers, options.nodeSep);

  // Along the rank axis each rank is a column as wide as its widest box.
  const colSize = layers.map((layer) => layer.reduce((m, v) => Math.max(m, nodes[v].along), 0));
  const colStart: number[] = [];
  let along = 0;
  for (let r = 0; r < rankCount; r++) {
    colStart.push(along);
    along += colSize[r] + (r + 1 < rankCount ? options.rankSep : 0);
  }
  let minAcross = Number.POSITIVE_INFINITY;
  let maxAcross = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nodes.length; i++) {
    minAcross = Math.min(minAcross, center[i] - nodes[i].across / 2);
    maxAcross = Math.max(maxAcross, center[i] + nodes[i].across / 2);
  }
  if (nodes.length === 0) minAcross = maxAcross = 0;
  const laneCount = lane.reduce((m, k) => Math.max(m, k + 1), 0);
  const lanesFrom = maxAcross - minAcross;
  const laneAt = (k: number): number => lanesFrom + options.nodeSep * (k + 1);
  if (laneCount > 0) maxAcross += options.nodeSep * (laneCount + 0.5);
  const mid = (i: number): number => colStart[nodes[i].rank] + colSize[nodes[i].rank] / 2;
  const cross = (i: number): number => center[i] - minAcross;
  const toPoint = (a: number, c: number): Point => (lr ? { x: a, y: c } : { x: c, y: a });

  const boxes: Box[] = sizes.map((s, i) => {
    const p = toPoint(mid(i) - nodes[i].along / 2, cross(i) - nodes[i].across / 2);
    return { x: p.x, y: p.y, width: s.width, height: s.height };
  });

  const outEnds = sizes.map(() => [] as Array<{ edge: number; other: number }>);
  const inEnds = sizes.map(() => [] as Array<{ edge: number; other: number }>);
  chains.forEach((chain, e) => {
    const first = lane[e] >= 0 ? laneAt(lane[e]) + minAcross : center[chain[1]];
    outEnds[chain[0]].push({ edge: e, other: first });
    inEnds[chain[chain.length - 1]].push({ edge: e, other: center[chain[chain.length - 2]] });
  });
  const outPort = outEnds.map((ends, i) => portOffsets(ends, nodes[i].across));
  const inPort = inEnds.map((ends, i) => portOffsets(ends, nodes[i].across));

  const routes = chains.map((chain, e) => {
    const u = chain[0];
    const v = chain[chain.length - 1];
    const pts: Array<[number, number]> = [];
    const start = cross(u) + (outPort[u].get(e) as number);
    pts.push([mid(u) + nodes[u].along / 2, start], [colStart[nodes[u].rank] + colSize[nodes[u].rank], start]);
    for (const d of chain.slice(1, -1)) {
      const r = nodes[d].rank;
      pts.push([colStart[r], cross(d)], [colStart[r] + colSize[r], cross(d)]);
    }
    if (lane[e] >= 0) {
      const last = nodes[v].rank - 1;
      pts.push(
        [colStart[nodes[u].rank + 1], laneAt(lane[e])],
        [colStart[last] + colSize[last], laneAt(lane[e])],
      );
    }
    const end = cross(v) + (inPort[v].get(e) as number);
    pts.push([colStart[nodes[v].rank], end], [mid(v) - nodes[v].along / 2, end]);
    // Drop repeated points: a zero-length last segment would leave the arrowhead without a direction.
    return pts
      .filter((p, k) => k === 0 || p[0] !== pts[k - 1][0] || p[1] !== pts[k - 1][1])
      .map(([a, c]) => toPoint(a, c));
  });

  const extentAlong = along;
  const extentAcross = maxAcross - minAcross;
  return {
    boxes,
    edges: routes,
    width: lr ? extentAlong : extentAcross,
    height: lr ? extentAcross : extentAlong,
  };
}

/**
 * SVG path data for a route of `layeredLayout`: straight where it runs along a column, an S-curve
 * (tangents along the rank axis) where it crosses a gap between ranks. `fmt` prints a coordinate.
 * @example
 * const d = edgePathData(layout.edges[0], 'LR', (v) => v.toFixed(1)); // 'M… L… C…'
 */
export function edgePathData(points: readonly Point[], rankdir: RankDir, fmt: (v: number) => string): string {
  const lr = rankdir === 'LR';
  const parts = [`M${fmt(points[0].x)},${fmt(points[0].y)}`];
  for (let k = 1; k < points.length; k++) {
    const p = points[k - 1];
    const q = points[k];
    const straight = lr ? p.y === q.y : p.x === q.x;
    if (straight) {
      parts.push(`L${fmt(q.x)},${fmt(q.y)}`);
    } else if (lr) {
      const m = (p.x + q.x) / 2;
      parts.push(`C${fmt(m)},${fmt(p.y)} ${fmt(m)},${fmt(q.y)} ${fmt(q.x)},${fmt(q.y)}`);
    } else {
      const m = (p.y + q.y) / 2;
      parts.push(`C${fmt(p.x)},${fmt(m)} ${fmt(q.x)},${fmt(m)} ${fmt(q.x)},${fmt(q.y)}`);
    }
  }
  return parts.join(' ');
}
