/** Text the commands print: metric tables, confusion matrices, CSV cells, JSON numbers. */

/** A metric value in a table: 4 decimals, scientific when tiny or huge. @example metricText(0.98765) // '0.9877' */
export function metricText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(3);
  return v.toFixed(4);
}

function pad(cells: string[][], rightAlignFrom = 1): string {
  const widths = cells[0].map((_, j) => Math.max(...cells.map((row) => [...row[j]].length)));
  return cells
    .map((row) =>
      row
        .map((cell, j) => {
          const fill = ' '.repeat(widths[j] - [...cell].length);
          return j >= rightAlignFrom ? fill + cell : cell + fill;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Rows of metrics as an aligned table: one row per data part, one column per metric.
 * @example metricsTable([['training', { loss: 0.1, accuracy: 0.98 }]])
 */
export function metricsTable(
  rows: ReadonlyArray<readonly [string, Readonly<Record<string, number>>]>,
): string {
  const keys: string[] = [];
  for (const [, logs] of rows) for (const k of Object.keys(logs)) if (!keys.includes(k)) keys.push(k);
  const cells = [
    ['', ...keys],
    ...rows.map(([label, logs]) => [label, ...keys.map((k) => (k in logs ? metricText(logs[k]) : '-'))]),
  ];
  return pad(cells);
}

/**
 * Confusion matrix counts [k × k] (rows: true class, columns: predicted).
 * @example confusionMatrix(Int32Array.of(0, 1), Int32Array.of(0, 0), 2) // [[1, 0], [1, 0]]
 */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k: number,
): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][predicted[i]]++;
  return m;
}

/**
 * The matrix as text with class names on both axes (long names cut to 16 characters).
 * @example confusionMatrixText([[5, 0], [1, 4]], ['cat', 'dog'])
 */
export function confusionMatrixText(
  matrix: readonly (readonly number[])[],
  classNames: readonly string[],
): string {
  const short = classNames.map((c) => ([...c].length > 16 ? `${[...c].slice(0, 15).join('')}…` : c));
  const cells = [['true \\ predicted', ...short], ...matrix.map((row, i) => [short[i], ...row.map(String)])];
  return pad(cells);
}

/** A CSV field, quoted when it holds a delimiter, a quote or a line break. @example csvCell('a,b') // '"a,b"' */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number for CSV and JSON output: float32 precision, no trailing noise. @example shortNumber(0.30000001) // 0.3 */
export function shortNumber(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : v;
}
