/** The Keras 2 model summary table. */
import { formatKerasShape, type Layer } from '../nn/layers/layer.js';

/** Options of `model.summary`. */
export interface SummaryOptions {
  /** Print the table (through `printFn`). Default true. */
  print?: boolean;
  /** Where lines go when printing. Default console.log. */
  printFn?: (line: string) => void;
  /** Total width. Default 65 (Keras). */
  lineLength?: number;
  /** Column ends as fractions of the width (≤ 1) or characters. Default [0.45, 0.85, 1] (Keras, sequential). */
  positions?: readonly number[];
}

/** Keras's print_row: each field is cut to its column, and a column always ends with a space. */
function row(fields: readonly string[], positions: readonly number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line += field;
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(0, positions[i] - line.length));
  });
  return line;
}

/** 669706 → '669,706' (Python's '{:,}'). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The summary of a built sequential model, as Keras 2 prints it:
 * ```
 * Model: "sequential"
 * _________________________________________________________________
 * Layer (type)                 Output Shape              Param #
 * =================================================================
 * dense (Dense)                (None, 3)                 9
 * ...
 * Total params: 13
 * ```
 * @example summaryText('sequential', model.layers)
 */
export function summaryText(name: string, layers: readonly Layer[], options: SummaryOptions = {}): string {
  const lineLength = options.lineLength ?? 65;
  const fractions = options.positions ?? [0.45, 0.85, 1];
  const positions = fractions.map((p) => (p <= 1 ? Math.floor(lineLength * p) : p));
  const lines: string[] = [`Model: "${name}"`, '_'.repeat(lineLength)];
  lines.push(row(['Layer (type)', 'Output Shape', 'Param #'], positions));
  lines.push('='.repeat(lineLength));
  let trainable = 0;
  let total = 0;
  layers.forEach((layer, i) => {
    lines.push(
      row(
        [
          `${layer.name} (${layer.className})`,
          formatKerasShape(layer.outputShape),
          String(layer.countParams()),
        ],
        positions,
      ),
    );
    lines.push(i === layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
    total += layer.countParams();
    for (const w of layer.trainableWeights) trainable += w.size;
  });
  if (layers.length === 0) lines.push('='.repeat(lineLength));
  lines.push(`Total params: ${thousands(total)}`);
  lines.push(`Trainable params: ${thousands(trainable)}`);
  lines.push(`Non-trainable params: ${thousands(total - trainable)}`);
  lines.push('_'.repeat(lineLength));
  return lines.join('\n');
}
