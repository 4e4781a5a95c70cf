/**
 * The perceptron of the course notes: sign activation, o = +1 when w·x + b > 0 and −1 otherwise,
 * trained by the rule w ← w + η·y·x, b ← b + η·y on every mistake. It learns AND and OR (bipolar
 * truth tables) and never settles on XOR, which no line separates.
 *
 * Run: npx tsx examples/perceptron.ts
 */
import { pathToFileURL } from 'node:url';
import * as ax from '../src/index.js';

/** What one gate's training produced. */
export interface GateRun {
  gate: 'and' | 'or' | 'xor';
  converged: boolean;
  epochs: number;
  /** Mistakes per epoch. */
  errors: number[];
  weights: number[];
  bias: number;
  /** Rows of the truth table: inputs, target, the trained perceptron's output. */
  table: { x1: number; x2: number; target: number; output: number }[];
}

/**
 * Trains one perceptron (zero start, η = 1, rows in truth-table order) on each bipolar gate.
 * @example
 * const { and, or, xor } = runPerceptronExample();
 * and.converged; // true
 * xor.converged; // false
 */
export function runPerceptronExample(maxEpochs = 100): { and: GateRun; or: GateRun; xor: GateRun } {
  const run = (gate: 'and' | 'or' | 'xor'): GateRun => {
    const { x, y } = ax.datasets.synthetic.truthTable(gate, { bipolar: true });
    const p = new ax.Perceptron({ inputDim: 2, learningRate: 1, maxEpochs });
    const { converged, epochs, errors } = p.fit(x, y);
    const xs = x.arraySync() as number[][];
    const targets = Array.from(y.dataSync());
    const outputs = Array.from(p.predict(x).dataSync());
    return {
      gate,
      converged,
      epochs,
      errors,
      weights: Array.from(p.weights.dataSync()),
      bias: p.bias,
      table: xs.map(([x1, x2], i) => ({ x1, x2, target: targets[i], output: outputs[i] })),
    };
  };
  return { and: run('and'), or: run('or'), xor: run('xor') };
}

/** The line w₁x₁ + w₂x₂ + b = 0 written as a learner would, e.g. `x₁ + x₂ − 1 = 0`. */
function boundary(w: number[], b: number): string {
  const terms: string[] = [];
  const add = (c: number, name: string): void => {
    if (c === 0) return;
    const size = Math.abs(c) === 1 && name ? name : `${Math.abs(c)}${name ? `·${name}` : ''}`;
    terms.push(terms.length === 0 ? `${c < 0 ? '−' : ''}${size}` : `${c < 0 ? '−' : '+'} ${size}`);
  };
  add(w[0], 'x₁');
  add(w[1], 'x₂');
  add(b, '');
  return `${terms.length ? terms.join(' ') : '0'} = 0`;
}

function report(r: GateRun): void {
  const name = r.gate.toUpperCase();
  console.log(`\n── ${name} (bipolar) ──`);
  const shown = r.errors.length > 12 ? [...r.errors.slice(0, 12), '…'] : r.errors;
  console.log(
    `converged: ${r.converged} after ${r.epochs} epoch(s); mistakes per epoch: ${shown.join(', ')}`,
  );
  console.log(`w = [${r.weights.join(', ')}], b = ${r.bias}  → boundary ${boundary(r.weights, r.bias)}`);
  console.log('  x₁  x₂ | target  output');
  for (const row of r.table) {
    const mark = row.target === row.output ? '' : '  ✗';
    const f = (v: number): string => String(v).padStart(3);
    console.log(` ${f(row.x1)} ${f(row.x2)} |   ${f(row.target)}     ${f(row.output)}${mark}`);
  }
}

function main(): void {
  console.log('Perceptron: o = sign(w·x + b) (+1 if > 0, else −1); on a mistake w ← w + η·y·x, b ← b + η·y');
  const { and, or, xor } = runPerceptronExample();
  report(and);
  report(or);
  console.log("   (the notes' OR line: w₁ = 1, w₂ = 1, b = 1, i.e. 1 + x₁ + x₂ = 0)");
  report(xor);
  if (!xor.converged) {
    const fewest = Math.min(...xor.errors);
    console.log(
      `\nXOR did not converge (converged: false): every one of the ${xor.epochs} epochs made at least ` +
        `${fewest} mistake(s). XOR is not linearly separable — no line w·x + b = 0 puts (−1,1) and (1,−1) ` +
        'on one side and (−1,−1) and (1,1) on the other — so the perceptron rule can never stop. ' +
        'A hidden layer fixes this (see examples/lab-backprop.ts).',
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
