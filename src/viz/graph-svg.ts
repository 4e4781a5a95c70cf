import type { Tensor } from '../tensor/tensor.js';
import { edgePathData, layeredLayout, type RankDir } from './graph-layout.js';
import {
  buildGraphModel,
  type GraphModel,
  type GraphTextOptions,
  resolveTextOptions,
  type TensorRole,
} from './graph-model.js';

/** Options of `graphToSvg`. */
export interface GraphSvgOptions extends GraphTextOptions {
  /** Ranks left to right (`'LR'`, default, like the course notes) or top to bottom (`'TB'`). */
  rankdir?: RankDir;
  /** The heading line. Default: `Computation graph of <root name>` and the counts. */
  title?: string;
  /** Font size of the boxes' text, in px. Default 13. */
  fontSize?: number;
}

const FONT_FAMILY = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';
const MARGIN = 16;
const TEXT = '#1f2937';
const GRAD = '#b91c1c';
const EDGE = '#4b5563';

/** Fill, stroke and dash of each kind of box; constants are grey and dashed, the output bold green. */
const STYLES: Readonly<
  Record<TensorRole | 'op', { fill: string; stroke: string; dash?: string; width: number }>
> = {
  variable: { fill: '#dbeafe', stroke: '#1d4ed8', width: 1.5 },
  constant: { fill: '#f3f4f6', stroke: '#6b7280', dash: '4 3', width: 1.2 },
  computed: { fill: '#ffffff', stroke: '#374151', width: 1.2 },
  output: { fill: '#dcfce7', stroke: '#15803d', width: 2.2 },
  op: { fill: '#fef3c7', stroke: '#b45309', width: 1.2 },
};

const LEGEND: ReadonlyArray<[TensorRole | 'op', string]> = [
  ['variable', 'variable (gets ∂)'],
  ['constant', 'constant'],
  ['computed', 'computed'],
  ['output', 'output'],
  ['op', 'op'],
];

/** Escapes the five XML special characters, for text and attribute values. @example escapeXml('a<b') // 'a&lt;b' */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/**
 * Estimated advance width of `text` in em, per character class. The numbers are those of DejaVu Sans,
 * the widest of the usual fallbacks, so boxes are never too narrow whatever font the viewer picks.
 * @example
 * textWidthEm('a = 5') * 13; // px at font size 13
 */
export function textWidthEm(text: string, bold = false): number {
  let w = 0;
  for (const ch of text) {
    if ("il.,:;|!'`".includes(ch)) w += 0.3;
    else if (' ()[]{}-'.includes(ch)) w += 0.39;
    else if ('mwMW…'.includes(ch)) w += 1.0;
    else if ('=+×÷−<>~'.includes(ch)) w += 0.84;
    else if (ch >= 'A' && ch <= 'Z') w += 0.72;
    else if (ch.charCodeAt(0) > 0x2000)
      w += 0.8; // math symbols and the rest
    else w += 0.64; // digits, lowercase, ∂ and other letters
  }
  return bold ? w * 1.08 : w;
}

const num = (v: number): string => String(Math.round(v * 10) / 10);

interface Drawn {
  width: number;
  height: number;
  body: (x: number, y: number) => string;
}

function drawVertex(model: GraphModel, i: number, fontSize: number): Drawn {
  const v = model.vertices[i];
  const lineHeight = Math.round(fontSize * 1.35);
  if (v.kind === 'op') {
    const fs = fontSize;
    const height = lineHeight + 9;
    const width = Math.max(height, Math.ceil(textWidthEm(v.text, true) * fs) + 18);
    const s = STYLES.op;
    return {
      width,
      height,
      body: (x, y) =>
        `<g class="node op" id="${v.key}"><title>${escapeXml(v.op)}</title>` +
        `<rect class="box op" x="${num(x)}" y="${num(y)}" width="${width}" height="${height}" rx="${height / 2}" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${s.width}"/>` +
        `<text x="${num(x + width / 2)}" y="${num(y + height / 2 + fs * 0.35)}" text-anchor="middle" font-size="${fs}" font-weight="bold" fill="${TEXT}">${escapeXml(v.text)}</text></g>`,
    };
  }
  const padX = 10;
  const padY = 6;
  const width = Math.max(
    44,
    Math.ceil(Math.max(...v.lines.map((l) => textWidthEm(l.text, l.style === 'title') * fontSize))) +
      2 * padX,
  );
  const height = v.lines.length * lineHeight + 2 * padY;
  const s = STYLES[v.role];
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  return {
    width,
    height,
    body: (x, y) => {
      const texts = v.lines.map((l, k) => {
        const base = y + padY + (k + 0.5) * lineHeight + fontSize * 0.35;
        const weight = l.style === 'title' ? ' font-weight="bold"' : '';
        const fill = l.style === 'grad' ? GRAD : TEXT;
        return `<text x="${num(x + width / 2)}" y="${num(base)}" text-anchor="middle"${weight} fill="${fill}">${escapeXml(l.text)}</text>`;
      });
      return (
        `<g class="node tensor ${v.role}" id="${v.key}">` +
        `<rect class="box tensor ${v.role}" x="${num(x)}" y="${num(y)}" width="${width}" height="${height}" rx="7" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${s.width}"${dash}/>` +
        `${texts.join('')}</g>`
      );
    },
  };
}

/** The legend line: a swatch per kind of box, then the colour of gradients. Returns markup and width. */
function legend(x: number, y: number, fontSize: number, model: GraphModel): { svg: string; width: number } {
  const fs = Math.round(fontSize * 0.85);
  const parts: string[] = [];
  let cx = x;
  for (const [kind, label] of LEGEND) {
    const s = STYLES[kind];
    const dash = s.dash ? ` stroke-dasharray="3 2"` : '';
    const rx = kind === 'op' ? 5 : 3;
    parts.push(
      `<rect class="legend-swatch" x="${num(cx)}" y="${num(y - fs * 0.8)}" width="16" height="${num(fs)}" rx="${rx}" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${s.width}"${dash}/>`,
      `<text x="${num(cx + 21)}" y="${num(y)}" font-size="${fs}" fill="${TEXT}">${escapeXml(label)}</text>`,
    );
    cx += 21 + textWidthEm(label) * fs + 14;
  }
  if (model.hasGrad) {
    const label = `red: gradient ∂${model.rootSymbol}/∂x`;
    parts.push(
      `<text x="${num(cx)}" y="${num(y)}" font-size="${fs}" fill="${GRAD}">${escapeXml(label)}</text>`,
    );
    cx += textWidthEm(label) * fs;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, width: cx - x };
}

/**
 * The computation graph behind `root` as a standalone SVG document (no Graphviz, no DOM): a box per
 * tensor with its name, shape, values and gradient (after `root.backward()`), a small rounded box
 * per op between its operands and its result, arrows from inputs to outputs, and a title and legend
 * line. The layout is layered (rank = longest path from the inputs, rows ordered against crossings)
 * and the output is deterministic: the same graph gives the same bytes.
 * @example
 * const a = ax.variable(ax.scalar(5), true, 'a');
 * const j = ax.mul(3, a);
 * j.name = 'J';
 * j.backward();
 * const svg = ax.graphToSvg(j, { precision: 3 }); // '<?xml …<svg …>…a = 5…∂J/∂a = 3…</svg>'
 */
export function graphToSvg(root: Tensor, options: GraphSvgOptions = {}): string {
  const text = resolveTextOptions(options, 'graphToSvg');
  const rankdir = options.rankdir ?? 'LR';
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new Error(`graphToSvg: rankdir must be 'LR' or 'TB', got '${String(rankdir)}'`);
  }
  const fontSize = options.fontSize ?? 13;
  if (!(fontSize >= 6 && fontSize <= 72)) {
    throw new Error(`graphToSvg: fontSize must be a number of px from 6 to 72, got ${fontSize}`);
  }
  const model = buildGraphModel(root, text);
  const drawn = model.vertices.map((_, i) => drawVertex(model, i, fontSize));
  const layout = layeredLayout(drawn, model.edges, {
    rankdir,
    rankSep: Math.round(fontSize * 3),
    nodeSep: Math.round(fontSize * 1.3),
  });

  const titleSize = Math.round(fontSize * 1.15);
  const title =
    options.title ??
    `Computation graph of ${model.rootSymbol}: ${model.tensorCount} tensor${model.tensorCount === 1 ? '' : 's'}, ${model.opCount} op${model.opCount === 1 ? '' : 's'}`;
  const titleY = MARGIN + titleSize;
  const legendY = titleY + Math.round(fontSize * 1.6);
  const top = legendY + Math.round(fontSize * 1.2);
  const key = legend(MARGIN, legendY, fontSize, model);
  const width = Math.ceil(
    Math.max(layout.width, key.width, textWidthEm(title, true) * titleSize) + 2 * MARGIN,
  );
  const height = Math.ceil(top + layout.height + MARGIN);
  // Centre the drawing under the heading when the heading is the wider of the two.
  const left = (width - layout.width) / 2;

  const edges = layout.edges.map(
    (pts) =>
      `<path d="${edgePathData(
        pts.map((p) => ({ x: p.x + left, y: p.y + top })),
        rankdir,
        num,
      )}" fill="none" stroke="${EDGE}" stroke-width="1.3" marker-end="url(#axon-graph-arrow)"/>`,
  );
  const nodes = drawn.map((d, i) => d.body(layout.boxes[i].x + left, layout.boxes[i].y + top));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="${fontSize}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="axon-graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">' +
      `<path d="M0,0 L10,5 L0,10 z" fill="${EDGE}"/></marker></defs>`,
    `<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${MARGIN}" y="${titleY}" font-size="${titleSize}" font-weight="bold" fill="${TEXT}">${escapeXml(title)}</text>`,
    key.svg,
    `<g class="edges">${edges.join('')}</g>`,
    `<g class="nodes">${nodes.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
