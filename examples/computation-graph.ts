/**
 * The course notes' computation graph: J(a, b, c) = 3(a + bc) with u = bc, v = a + u, J = 3v.
 * Forward (left to right) at a = 5, b = 3, c = 2 gives u = 6, v = 11, J = 33; backward (right to
 * left) gives ∂J/∂v = 3, ∂J/∂u = 3, ∂J/∂a = 3, ∂J/∂b = 3·c = 6, ∂J/∂c = 3·b = 9.
 *
 * Prints the graph as Graphviz DOT and the values and gradients, and writes the picture as SVG.
 * Run: npx tsx examples/computation-graph.ts [out.svg]   (default ./computation-graph.svg)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ax from '../src/index.js';

const a = ax.variable(ax.scalar(5), true, 'a');
const b = ax.variable(ax.scalar(3), true, 'b');
const c = ax.variable(ax.scalar(2), true, 'c');

// Forward, one op per step of the notes; the names label the boxes.
const u = ax.mul(b, c);
u.name = 'u';
const v = ax.add(a, u);
v.name = 'v';
const J = ax.mul(3, v);
J.name = 'J';

// Backward: the chain rule from J back to every input.
J.backward();

console.log(ax.graphToDot(J));
console.log('tensor   value   ∂J/∂(tensor)');
for (const t of [a, b, c, u, v, J]) {
  console.log(
    `${(t.name ?? '').padEnd(6)} ${String(t.item()).padStart(6)}   ${String(t.grad?.item()).padStart(6)}`,
  );
}

const out = resolve(process.argv[2] ?? 'computation-graph.svg');
writeFileSync(out, ax.graphToSvg(J, { title: 'J = 3(a + bc) at a = 5, b = 3, c = 2' }));
console.log(`\nwrote ${out}`);
