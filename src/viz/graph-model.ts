import { topologicalOrder } from '../autograd/backprop.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * What a tensor is in the picture: a `variable` gets gradients and was not computed, a `constant`
 * gets none (plain data, a number written in the formula, a non-trainable variable), a `computed`
 * tensor came out of an op, and the `output` is the root the graph was drawn from.
 */
export type TensorRole = 'variable' | 'constant' | 'computed' | 'output';

/** One line of text in a tensor's box: its name (and value), its values, or its gradient. */
export interface GraphLine {
  readonly text: string;
  readonly style: 'title' | 'value' | 'grad';
}

/** A tensor of the graph, with the text that describes it. */
export interface TensorVertex {
  readonly kind: 'tensor';
  /** Stable id for DOT/SVG: `t<i>`, i = position in topological order. */
  readonly key: string;
  readonly role: TensorRole;
  readonly lines: readonly GraphLine[];
}

/** An op of the graph, drawn between its operands and its result. */
export interface OpVertex {
  readonly kind: 'op';
  /** Stable id: `op<i>`, i = the position of the op's result in topological order. */
  readonly key: string;
  /** The op's name as recorded (`mul`, `matMul`...). */
  readonly op: string;
  /** What the box shows: a symbol for arithmetic (`×`), else the op name, then the op's label. */
  readonly text: string;
}

export type Vertex = TensorVertex | OpVertex;

/** The computation graph as plain data: vertices, and edges (operand → op → result) as index pairs. */
export interface GraphModel {
  readonly vertices: readonly Vertex[];
  readonly edges: ReadonlyArray<readonly [number, number]>;
  /** How the root is called in ∂root/∂x (its name, else `y`). */
  readonly rootSymbol: string;
  readonly tensorCount: number;
  readonly opCount: number;
  /** Whether some tensor shows a gradient line. */
  readonly hasGrad: boolean;
}

/** How numbers are printed and how much of each tensor is shown. */
export interface GraphTextOptions {
  /** Significant digits of the values and gradients shown (1–17). Default 4. */
  precision?: number;
  /** Show each tensor's `.grad` when it has one (as left by the last `backward()`). Default true. */
  showGrad?: boolean;
  /** Tensors with at most this many elements are shown whole; bigger ones as a few leading values. Default 6. */
  maxValues?: number;
}

const OP_SYMBOLS: Readonly<Record<string, string>> = { add: '+', sub: '−', mul: '×', div: '÷' };
const SUMMARY_VALUES = 3; // leading values shown for a big tensor

/**
 * A number in `digits` significant digits without trailing zeros: 5, 0.3333, 1.5e+7.
 * Integers below a million print exactly, as the notes write them.
 * @example
 * formatNumber(Math.fround(1 / 3), 4); // '0.3333'
 * formatNumber(1.5e7, 4);             // '1.5e+7'
 */
export function formatNumber(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return v
    .toPrecision(digits)
    .replace(/(\.\d*?)0+(e|$)/, '$1$2')
    .replace(/\.(e|$)/, '$1');
}

/** `[2×3]`, the shape as written in the boxes (a scalar has none). @example shapeText([2, 3]) // '[2×3]' */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join('×')}]`;
}

/**
 * The values of `t` as text lines: `5` for a scalar, `[1, 2, 3]` for a small vector, `[1, 2, 3]ᵀ` for
 * a small column, one line per row for a small matrix, and the first few values then `…` for a big
 * tensor (its shape is in the title).
 * @example
 * valueLines(ax.tensor([[1, 2], [3, 4]]), 4, 6); // ['[[1, 2],', ' [3, 4]]']
 */
export function valueLines(t: Tensor, digits: number, maxValues: number): string[] {
  const v = t.values;
  const fmt = (i: number): string => formatNumber(v[i], digits);
  if (t.rank === 0) return [fmt(0)];
  if (t.size > maxValues) {
    const head: string[] = [];
    for (let i = 0; i < SUMMARY_VALUES && i < t.size; i++) head.push(fmt(i));
    return [`[${head.join(', ')}, …]`];
  }
  if (t.rank === 2 && t.shape[1] === 1 && t.shape[0] > 1) {
    // A column vector reads best as a transposed row: one line instead of one per element.
    const cells: string[] = [];
    for (let i = 0; i < t.size; i++) cells.push(fmt(i));
    return [`[${cells.join(', ')}]ᵀ`];
  }
  if (t.rank === 2 && t.shape[0] > 1) {
    const [rows, cols] = t.shape;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      const cells: string[] = [];
      for (let c = 0; c < cols; c++) cells.push(fmt(r * cols + c));
      lines.push(`${r === 0 ? '[' : ' '}[${cells.join(', ')}]${r === rows - 1 ? ']' : ','}`);
    }
    return lines;
  }
  // Any other small tensor: nested brackets on one line.
  let k = 0;
  const nest = (axis: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < t.shape[axis]; i++) parts.push(axis === t.rank - 1 ? fmt(k++) : nest(axis + 1));
    return `[${parts.join(', ')}]`;
  };
  return [nest(0)];
}

function roleOf(t: Tensor, root: Tensor): TensorRole {
  if (t === root) return 'output';
  if (t.node) return 'computed';
  return t.requiresGrad ? 'variable' : 'constant';
}

/** `lead = values` when the values fit one line, else `lead` alone then the value lines. */
function withValues(lead: string, lines: readonly string[], style: GraphLine['style']): GraphLine[] {
  if (lines.length === 1) return [{ text: `${lead} = ${lines[0]}`, style }];
  return [{ text: `${lead} =`, style }, ...lines.map((text) => ({ text, style }))];
}

function tensorLines(
  t: Tensor,
  rootSymbol: string,
  digits: number,
  maxValues: number,
  showGrad: boolean,
): GraphLine[] {
  const named = t.name !== undefined && t.name !== '';
  const title = named ? (t.name as string) : (t.node?.op ?? (t.requiresGrad ? 'tensor' : 'const'));
  const values = valueLines(t, digits, maxValues);
  const lines: GraphLine[] = [];
  if (t.rank === 0) {
    // An unnamed number written in the formula (the 3 of 3v) is shown as just that number.
    if (!named && !t.node && !t.requiresGrad) lines.push({ text: values[0], style: 'title' });
    else lines.push({ text: `${title} = ${values[0]}`, style: 'title' });
  } else {
    lines.push({ text: `${title} ${shapeText(t.shape)}`, style: 'title' });
    for (const text of values) lines.push({ text, style: 'value' });
  }
  if (showGrad && t.grad) {
    const lead = named ? `∂${rootSymbol}/∂${t.name}` : 'grad';
    lines.push(...withValues(lead, valueLines(t.grad, digits, maxValues), 'grad'));
  }
  return lines;
}

/** Checks the text options and fills in the defaults. @example resolveTextOptions({}, 'graphToSvg') */
export function resolveTextOptions(options: GraphTextOptions, where: string): Required<GraphTextOptions> {
  const precision = options.precision ?? 4;
  if (!Number.isInteger(precision) || precision < 1 || precision > 17) {
    throw new Error(
      `${where}: precision must be an integer from 1 to 17 (significant digits), got ${precision}`,
    );
  }
  const maxValues = options.maxValues ?? 6;
  if (!Number.isInteger(maxValues) || maxValues < 1) {
    throw new Error(`${where}: maxValues must be a positive integer, got ${maxValues}`);
  }
  return { precision, maxValues, showGrad: options.showGrad ?? true };
}

/**
 * The graph recorded behind `root` as vertices and edges: every tensor reachable through
 * `tensor.node` (in topological order, inputs first), and between each computed tensor and its
 * inputs a vertex for the op. Indices and keys depend only on the graph's structure, so the same
 * graph always gives the same model.
 * @example
 * const model = buildGraphModel(j, { precision: 3 });
 * model.vertices.length; // tensors + ops
 */
export function buildGraphModel(root: Tensor, options: Required<GraphTextOptions>): GraphModel {
  const order = topologicalOrder(root);
  const rootSymbol = root.name !== undefined && root.name !== '' ? root.name : 'y';
  const vertices: Vertex[] = [];
  const edges: Array<readonly [number, number]> = [];
  const indexOf = new Map<Tensor, number>();
  let opCount = 0;
  let hasGrad = false;
  order.forEach((t, i) => {
    const node = t.node;
    let opIndex = -1;
    if (node) {
      opIndex = vertices.length;
      const symbol = OP_SYMBOLS[node.op] ?? node.op;
      const text = node.label ? `${symbol} ${node.label}` : symbol;
      vertices.push({ kind: 'op', key: `op${i}`, op: node.op, text });
      opCount++;
      for (const input of node.inputs) edges.push([indexOf.get(input) as number, opIndex]);
    }
    const lines = tensorLines(t, rootSymbol, options.precision, options.maxValues, options.showGrad);
    if (lines.some((l) => l.style === 'grad')) hasGrad = true;
    indexOf.set(t, vertices.length);
    vertices.push({ kind: 'tensor', key: `t${i}`, role: roleOf(t, root), lines });
    if (opIndex >= 0) edges.push([opIndex, vertices.length - 1]);
  });
  return { vertices, edges, rootSymbol, tensorCount: order.length, opCount, hasGrad };
}
