/**
 * Pictures of a tensor's computation graph — the course notes' J = 3(a + bc) drawing for any tensor:
 * `graphToDot` for Graphviz, `graphToSvg` for a standalone SVG laid out here, with no dependency.
 */
import type { Tensor } from '../tensor/tensor.js';
import { buildGraphModel, type GraphLine, type GraphTextOptions, resolveTextOptions } from './graph-model.js';

export { formatNumber, type GraphTextOptions, type TensorRole } from './graph-model.js';
export { escapeXml, type GraphSvgOptions, graphToSvg } from './graph-svg.js';

/** Options of `graphToDot`. */
export interface GraphDotOptions extends GraphTextOptions {
  /** Ranks left to right (`'LR'`, default, like the course notes) or top to bottom (`'TB'`). */
  rankdir?: 'LR' | 'TB';
}

const DOT_STYLE = {
  variable: 'style="filled", fillcolor="#dbeafe", color="#1d4ed8"',
  constant: 'style="filled,dashed", fillcolor="#f3f4f6", color="#6b7280"',
  computed: 'style="filled", fillcolor="#ffffff", color="#374151"',
  output: 'style="filled,bold", fillcolor="#dcfce7", color="#15803d", penwidth=2',
} as const;

/** A DOT double-quoted string's content: backslashes and quotes escaped. */
function dotString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A record field: also escapes the characters that structure records. */
function recordField(lines: readonly GraphLine[]): string {
  return lines.map((l) => dotString(l.text).replace(/[{}|<>]/g, '\\$&')).join('\\n');
}

/**
 * The computation graph behind `root` in Graphviz DOT: a rounded record per tensor (name, shape,
 * values | gradient after `root.backward()`), a small box per op (hover shows the op's name) and
 * edges input → op → output. Render it with `dot -Tsvg`, or use `graphToSvg` for no Graphviz.
 * Node ids (`t<i>`, `op<i>`) follow the graph's topological order, so the text is deterministic.
 * @example
 * const a = ax.variable(ax.scalar(5), true, 'a');
 * const j = ax.mul(3, a);
 * j.name = 'J';
 * j.backward();
 * console.log(ax.graphToDot(j)); // digraph … t0 [… label="a = 5|∂J/∂a = 3"] … t0 -> op2 …
 */
export function graphToDot(root: Tensor, options: GraphDotOptions = {}): string {
  const text = resolveTextOptions(options, 'graphToDot');
  const rankdir = options.rankdir ?? 'LR';
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new Error(`graphToDot: rankdir must be 'LR' or 'TB', got '${String(rankdir)}'`);
  }
  const model = buildGraphModel(root, text);
  const out = [
    `digraph "computation graph of ${dotString(model.rootSymbol)}" {`,
    `  graph [rankdir=${rankdir}, nodesep=0.3, ranksep=0.45];`,
    '  node [fontname="Helvetica", fontsize=12];',
    '  edge [color="#4b5563", arrowsize=0.7];',
  ];
  for (const v of model.vertices) {
    if (v.kind === 'op') {
      out.push(
        `  ${v.key} [shape=box, style="rounded,filled", fillcolor="#fef3c7", color="#b45309", fontsize=11, ` +
          `height=0.3, width=0.3, label="${dotString(v.text)}", tooltip="${dotString(v.op)}"];`,
      );
    } else {
      // Fields: name (and values), then the gradient; records stack them across the rank direction.
      const main = v.lines.filter((l) => l.style !== 'grad');
      const grad = v.lines.filter((l) => l.style === 'grad');
      const fields = grad.length > 0 ? `${recordField(main)}|${recordField(grad)}` : recordField(main);
      out.push(`  ${v.key} [shape=Mrecord, ${DOT_STYLE[v.role]}, label="${fields}"];`);
    }
  }
  for (const [u, v] of model.edges) out.push(`  ${model.vertices[u].key} -> ${model.vertices[v].key};`);
  out.push('}', '');
  return out.join('\n');
}
