import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { formatNumber } from '../../src/viz/graph.js';
import { type Layout, layeredLayout, type Point, type RankDir } from '../../src/viz/graph-layout.js';

/** The course notes' example: u = bc, v = a + u, J = 3v at a = 5, b = 3, c = 2, after J.backward(). */
function notesExample(): { J: ax.Tensor; a: ax.Tensor; b: ax.Tensor; c: ax.Tensor } {
  const a = ax.variable(ax.scalar(5), true, 'a');
  const b = ax.variable(ax.scalar(3), true, 'b');
  const c = ax.variable(ax.scalar(2), true, 'c');
  const J = ax.mul(3, ax.add(a, ax.mul(b, c)));
  J.name = 'J';
  J.backward();
  return { J, a, b, c };
}

/** A 2-3-1 sigmoid MLP on XOR with a mean squared error, after backward. */
function mlpLoss(): ax.Tensor {
  ax.setSeed(7);
  const x = ax.tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  x.name = 'x';
  const y = ax.tensor([[0], [1], [1], [0]]);
  y.name = 'y';
  const w1 = ax.variable(ax.randomNormal([2, 3]), true, 'W1');
  const b1 = ax.variable(ax.zeros([3]), true, 'b1');
  const w2 = ax.variable(ax.randomNormal([3, 1]), true, 'W2');
  const b2 = ax.variable(ax.zeros([1]), true, 'b2');
  const h = ax.sigmoid(ax.add(ax.matMul(x, w1), b1));
  const out = ax.sigmoid(ax.add(ax.matMul(h, w2), b2));
  const loss = ax.mean(ax.square(ax.sub(out, y)));
  loss.name = 'L';
  loss.backward();
  return loss;
}

/**
 * A small XML check: every tag matches, attributes are quoted, text holds no raw `<`/`>` and every
 * `&` starts an entity. Returns the text contents, in order.
 */
function checkXml(svg: string): string[] {
  const body = svg.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  const texts: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    assert.ok(!text.includes('>'), `raw '>' in text: ${text}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text), `unescaped '&' in text: ${text}`);
    if (text.trim() !== '') {
      assert.ok(stack.length > 0, 'text outside the root element');
      texts.push(text);
    }
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `malformed tag at ${body.slice(lt, lt + 60)}`);
    const [whole, closing, name, attrs, selfClosing] = m;
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(attrs), `unescaped '&' in attributes of <${name}>`);
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
    i = lt + whole.length;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'exactly one root element');
  return texts;
}

interface Rect {
  id: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box of every tensor and op node, keyed by the node ids that the DOT output uses too. */
function nodeBoxes(svg: string): Rect[] {
  const re =
    /<g class="node [^"]*" id="(\w+)">(?:<title>[^<]*<\/title>)?<rect class="box (\w+)[^"]*" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/g;
  return [...svg.matchAll(re)].map((m) => ({
    id: m[1],
    kind: m[2],
    x: Number(m[3]),
    y: Number(m[4]),
    width: Number(m[5]),
    height: Number(m[6]),
  }));
}

function assertNoOverlap(boxes: readonly Rect[]): void {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i];
      const q = boxes[j];
      const apart =
        p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
      assert.ok(apart, `boxes ${p.id} and ${q.id} overlap: ${JSON.stringify(p)} ${JSON.stringify(q)}`);
    }
  }
}

function assertInsideViewBox(svg: string, boxes: readonly Rect[]): void {
  const m = /<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  assert.ok(m, 'svg has width, height and viewBox');
  assert.equal(m[1], m[3]);
  assert.equal(m[2], m[4]);
  for (const b of boxes) {
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= Number(m[1]) && b.y + b.height <= Number(m[2]), b.id);
  }
}

function dotEdges(dot: string): Array<[string, string]> {
  return [...dot.matchAll(/^ {2}(\w+) -> (\w+);$/gm)].map((m) => [m[1], m[2]]);
}

function dotLabels(dot: string): Map<string, string> {
  return new Map([...dot.matchAll(/^ {2}(\w+) \[.*label="((?:[^"\\]|\\.)*)"/gm)].map((m) => [m[1], m[2]]));
}

describe('graphToDot', () => {
  it("shows the notes' J = 3(a + bc): values 5, 3, 2 → 33 and gradients 3, 6, 9", () => {
    const { J } = notesExample();
    const dot = ax.graphToDot(J);
    assert.match(dot, /^digraph "computation graph of J" \{/);
    assert.match(dot, /rankdir=LR/);
    const labels = dotLabels(dot);
    const texts = [...labels.values()];
    for (const expected of [
      'a = 5|∂J/∂a = 3',
      'b = 3|∂J/∂b = 6',
      'c = 2|∂J/∂c = 9',
      'mul = 6|grad = 3', // u = bc, unnamed: titled by its op
      'add = 11|grad = 3', // v = a + u
      'J = 33|∂J/∂J = 1',
      '3', // the constant 3 of 3v: no gradient
    ]) {
      assert.ok(texts.includes(expected), `missing node '${expected}' in\n${dot}`);
    }
    // Edges run operands → op → result: rebuild each op's "inputs ⇒ output" from the edge list.
    const byKey = (k: string): string => (labels.get(k) as string).split(/ = |\|/)[0];
    const ops = [...labels.keys()].filter((k) => k.startsWith('op'));
    const summary = ops
      .map((op) => {
        const edges = dotEdges(dot);
        const inputs = edges.filter(([, to]) => to === op).map(([from]) => byKey(from));
        const outputs = edges.filter(([from]) => from === op).map(([, to]) => byKey(to));
        return `${labels.get(op)}(${inputs.sort().join(',')})⇒${outputs.join(',')}`;
      })
      .sort();
    assert.deepEqual(summary, ['+(a,mul)⇒add', '×(3,add)⇒J', '×(b,c)⇒mul']);
    assert.equal(dotEdges(dot).length, 9);
    assert.match(dot, /tooltip="mul"/);
  });

  it('styles constants apart from variables and the output', () => {
    const dot = ax.graphToDot(notesExample().J);
    assert.match(dot, /style="filled,dashed".*label="3"/);
    assert.match(dot, /fillcolor="#dbeafe".*label="a = 5/);
    assert.match(dot, /style="filled,bold".*label="J = 33/);
  });

  it('honours showGrad, precision and rankdir, and shows no gradient before backward', () => {
    const x = ax.variable(ax.scalar(1 / 3), true, 'x');
    const y = ax.mul(x, x);
    assert.ok(!ax.graphToDot(y).includes('∂'), 'no .grad before backward');
    y.backward();
    const dot = ax.graphToDot(y, { precision: 2, rankdir: 'TB' });
    assert.match(dot, /rankdir=TB/);
    assert.ok(dot.includes('x = 0.33|∂y/∂x = 0.67'), dot); // ∂(x²)/∂x = 2x, unnamed root is y
    assert.ok(!ax.graphToDot(y, { showGrad: false }).includes('∂'));
    // x·x: two edges from x into the one op.
    assert.equal(dotEdges(dot).filter(([from]) => from === 't0').length, 2);
  });

  it('escapes names for DOT records', () => {
    const a = ax.variable(ax.scalar(1), true, 'a<b&"c"|\\');
    const dot = ax.graphToDot(ax.neg(a));
    assert.ok(dot.includes('label="a\\<b&\\"c\\"\\|\\\\ = 1"'), dot);
  });

  it('rejects bad options with a clear message', () => {
    const { J } = notesExample();
    assert.throws(
      () => ax.graphToDot(J, { rankdir: 'XY' as 'LR' }),
      /rankdir must be 'LR' or 'TB', got 'XY'/,
    );
    assert.throws(() => ax.graphToSvg(J, { precision: 0 }), /precision must be an integer from 1 to 17/);
    assert.throws(() => ax.graphToSvg(J, { maxValues: -1 }), /maxValues must be a positive integer/);
  });
});

describe('graphToSvg', () => {
  it('draws the notes example: well-formed, every number present, one box per node, no overlaps', () => {
    const { J } = notesExample();
    const svg = ax.graphToSvg(J);
    assert.match(
      svg,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    const texts = checkXml(svg);
    for (const t of ['a = 5', 'b = 3', 'c = 2', 'mul = 6', 'add = 11', 'J = 33', '3']) {
      assert.ok(texts.includes(t), `missing text '${t}'`);
    }
    for (const t of ['∂J/∂a = 3', '∂J/∂b = 6', '∂J/∂c = 9', '∂J/∂J = 1']) assert.ok(texts.includes(t), t);
    const boxes = nodeBoxes(svg);
    assert.equal(boxes.filter((b) => b.kind === 'tensor').length, 7); // a, b, c, u, v, J and the constant 3
    assert.equal(boxes.filter((b) => b.kind === 'op').length, 3); // ×, +, ×
    assert.equal((svg.match(/<rect class="box /g) ?? []).length, 10);
    assert.equal((svg.match(/marker-end="url\(#axon-graph-arrow\)"/g) ?? []).length, 9);
    assertNoOverlap(boxes);
    assertInsideViewBox(svg, boxes);
    assert.match(svg, /<rect class="box tensor constant"[^>]*stroke-dasharray/);
    assert.doesNotMatch(svg, /<rect class="box tensor variable"[^>]*stroke-dasharray/);
  });

  it('draws every edge forward: left to right (LR) or top to bottom (TB)', () => {
    const { J } = notesExample();
    const edges = dotEdges(ax.graphToDot(J));
    for (const rankdir of ['LR', 'TB'] as const) {
      const svg = ax.graphToSvg(J, { rankdir });
      const box = new Map(nodeBoxes(svg).map((b) => [b.id, b]));
      assertNoOverlap([...box.values()]);
      for (const [from, to] of edges) {
        const p = box.get(from) as Rect;
        const q = box.get(to) as Rect;
        if (rankdir === 'LR') assert.ok(p.x + p.width < q.x, `${from} → ${to} goes left to right`);
        else assert.ok(p.y + p.height < q.y, `${from} → ${to} goes top to bottom`);
      }
    }
  });

  it('is deterministic: the same graph, built twice, gives the same bytes', () => {
    const first = ax.graphToSvg(notesExample().J, { precision: 3 });
    const second = ax.graphToSvg(notesExample().J, { precision: 3 });
    assert.equal(first, second);
    assert.equal(ax.graphToDot(notesExample().J), ax.graphToDot(notesExample().J));
  });

  it('draws a 2-layer MLP with its loss without overlaps, in both directions', () => {
    const loss = mlpLoss();
    const order = ax.topologicalOrder(loss);
    const opCount = order.filter((t) => t.node).length;
    assert.ok(order.length >= 15 && opCount >= 9, `${order.length} tensors, ${opCount} ops`);
    for (const rankdir of ['LR', 'TB'] as const) {
      const svg = ax.graphToSvg(loss, { rankdir });
      const texts = checkXml(svg);
      const boxes = nodeBoxes(svg);
      assert.equal(boxes.filter((b) => b.kind === 'tensor').length, order.length);
      assert.equal(boxes.filter((b) => b.kind === 'op').length, opCount);
      assertNoOverlap(boxes);
      assertInsideViewBox(svg, boxes);
      assert.ok(texts.includes('W1 [2×3]') && texts.includes('y [4×1]') && texts.includes('[0, 1, 1, 0]ᵀ'));
      assert.ok(texts.includes(`L = ${formatNumber(loss.item(), 4)}`));
      assert.ok(texts.some((t) => t.startsWith('∂L/∂W1 =')));
      for (const op of ['matMul', 'sigmoid', '+', '−']) assert.ok(texts.includes(op), op);
    }
  });

  it('escapes XML special characters in names and the title', () => {
    const a = ax.variable(ax.scalar(2), true, 'a<b&"c"');
    const y = ax.square(a);
    y.backward();
    const svg = ax.graphToSvg(y, { title: "it's <J> & co" });
    const texts = checkXml(svg);
    assert.ok(texts.includes('a&lt;b&amp;&quot;c&quot; = 2'));
    assert.ok(texts.includes('∂y/∂a&lt;b&amp;&quot;c&quot; = 4'));
    assert.ok(texts.includes('it&apos;s &lt;J&gt; &amp; co'));
    assert.ok(!svg.includes('a<b'));
  });

  it('summarizes big tensors as shape and a few values, and draws a lone leaf', () => {
    const w = ax.variable(ax.range(0, 100), true, 'w');
    const svg = ax.graphToSvg(ax.sum(w));
    const texts = checkXml(svg);
    assert.ok(texts.includes('w [100]') && texts.includes('[0, 1, 2, …]'), texts.join(' | '));
    const lone = ax.graphToSvg(ax.variable(ax.tensor([1.5, -2]), true, 'v'));
    assert.deepEqual(
      nodeBoxes(lone).map((b) => b.kind),
      ['tensor'],
    );
    assert.ok(checkXml(lone).includes('[1.5, -2]'));
  });
});

describe('formatNumber', () => {
  it('prints significant digits without trailing zeros', () => {
    assert.equal(formatNumber(5, 4), '5');
    assert.equal(formatNumber(Math.fround(1 / 3), 4), '0.3333');
    assert.equal(formatNumber(Math.fround(0.1), 4), '0.1');
    assert.equal(formatNumber(1.5e7, 4), '1.5e+7');
    assert.equal(formatNumber(-2.5e-7, 3), '-2.5e-7');
    assert.equal(formatNumber(Number.NaN, 4), 'NaN');
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY, 4), '-∞');
  });
});

/** Points along each route as drawn by edgePathData: straight runs and the S-curves across the gaps. */
function routeSamples(route: readonly Point[], rankdir: RankDir): Point[] {
  const out: Point[] = [];
  for (let k = 1; k < route.length; k++) {
    const p = route[k - 1];
    const q = route[k];
    const m = rankdir === 'LR' ? { x: (p.x + q.x) / 2, y: p.y } : { x: p.x, y: (p.y + q.y) / 2 };
    const n = rankdir === 'LR' ? { x: (p.x + q.x) / 2, y: q.y } : { x: q.x, y: (p.y + q.y) / 2 };
    for (let s = 1; s < 20; s++) {
      const t = s / 20;
      const [a, b, c, d] = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3];
      out.push({ x: a * p.x + b * m.x + c * n.x + d * q.x, y: a * p.y + b * m.y + c * n.y + d * q.y });
    }
  }
  return out;
}

function assertEdgesAvoidBoxes(layout: Layout, rankdir: RankDir): void {
  layout.edges.forEach((route, e) => {
    for (const pt of routeSamples(route, rankdir)) {
      layout.boxes.forEach((b, i) => {
        const inside =
          pt.x > b.x + 0.5 && pt.x < b.x + b.width - 0.5 && pt.y > b.y + 0.5 && pt.y < b.y + b.height - 0.5;
        assert.ok(!inside, `edge ${e} passes through box ${i} at ${pt.x},${pt.y}`);
      });
    }
  });
}

describe('layeredLayout', () => {
  // x feeds every step of a chain t_k = op(t_{k-1}, x): long edges from x to every op.
  function reuseChain(steps: number): {
    sizes: Array<{ width: number; height: number }>;
    edges: Array<[number, number]>;
  } {
    const sizes = [{ width: 40, height: 24 }];
    const edges: Array<[number, number]> = [];
    let prev = -1;
    for (let i = 0; i < steps; i++) {
      sizes.push({ width: 30, height: 20 }, { width: 30 + 7 * (i % 3), height: 20 + 9 * (i % 2) });
      const op = sizes.length - 2;
      if (prev >= 0) edges.push([prev, op]);
      edges.push([0, op], [op, op + 1]);
      prev = op + 1;
    }
    return { sizes, edges };
  }

  it('keeps edges out of boxes, through dummy nodes or along lanes', () => {
    const { sizes, edges } = reuseChain(8);
    for (const rankdir of ['LR', 'TB'] as const) {
      for (const dummyBudget of [4000, 5]) {
        const layout = layeredLayout(sizes, edges, { rankdir, rankSep: 40, nodeSep: 16, dummyBudget });
        assertEdgesAvoidBoxes(layout, rankdir);
        for (const b of layout.boxes) {
          assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= layout.width && b.y + b.height <= layout.height);
        }
        for (const route of layout.edges) {
          for (const p of route)
            assert.ok(p.x >= 0 && p.y >= 0 && p.x <= layout.width && p.y <= layout.height);
        }
      }
    }
  });

  it('bounds the work on deep graphs that reuse a tensor: long edges share a lane', () => {
    // 300 steps: through dummies the edges from x would need about 300²/2·2 = 90,000 of them.
    const { sizes, edges } = reuseChain(300);
    const layout = layeredLayout(sizes, edges, { rankdir: 'LR', rankSep: 40, nodeSep: 16 });
    const points = layout.edges.reduce((n, r) => n + r.length, 0);
    assert.ok(points < 8 * edges.length + 2 * 4000, `${points} route points`);
    assert.equal(layout.boxes.length, sizes.length);
  });

  it('puts the notes example on 7 ranks, the leaves a and 3 next to their consumers', () => {
    // 0 b, 1 c, 2 ×, 3 u, 4 a, 5 +, 6 v, 7 three, 8 ×, 9 J
    const sizes = Array.from({ length: 10 }, () => ({ width: 20, height: 20 }));
    const edges: Array<[number, number]> = [
      [0, 2],
      [1, 2],
      [2, 3],
      [4, 5],
      [3, 5],
      [5, 6],
      [7, 8],
      [6, 8],
      [8, 9],
    ];
    const layout = layeredLayout(sizes, edges, { rankdir: 'LR', rankSep: 10, nodeSep: 10 });
    const column = layout.boxes.map((b) => b.x / 30);
    assert.deepEqual(column, [0, 0, 1, 2, 2, 3, 4, 4, 5, 6]);
    assertEdgesAvoidBoxes(layout, 'LR');
  });
});
