/**
 * The layout of a CSV text before any column is interpreted: records (csv-parse), the delimiter, the
 * header row, scikit-learn's `n_rows,n_features,class names…` first line, and the 1-based line number
 * of any record (computed only when an error needs it, so the fast path parses without bookkeeping).
 */
import { parse as parseBrowser } from 'csv-parse/browser/esm/sync';

/** The options of csv-parse's synchronous `parse` that Axon uses. */
export interface CsvEngineOptions {
  delimiter: string;
  relax_column_count: boolean;
  skip_empty_lines: boolean;
  bom: boolean;
  comment?: string;
  info?: boolean;
  to?: number;
}

/** csv-parse's synchronous `parse`, or a build of it for another platform. */
export type CsvEngine = (input: string, options: CsvEngineOptions) => unknown[];

// The browser build of csv-parse carries its own Buffer; Node's build is faster (it uses the native
// one), so the Node adapter swaps it in through setCsvEngine.
let engine: CsvEngine = parseBrowser as CsvEngine;

/** @internal Replaces the csv-parse build (the Node adapter passes `csv-parse/sync`); null restores the default. */
export function setCsvEngine(next: CsvEngine | null): void {
  engine = next ?? (parseBrowser as CsvEngine);
}

/** Cells that mean "no value" unless the caller gives another list. */
export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** The number a trimmed cell holds, or NaN when it is not a plain decimal number. */
export function parseNumber(cell: string): number {
  return NUMBER.test(cell) ? Number(cell) : Number.NaN;
}

interface RecordInfo {
  lines: number;
  empty_lines: number;
  comment_lines: number;
}

/** A parsed text: its records (cells trimmed) and what is needed to find their line numbers. */
export interface Table {
  records: string[][];
  delimiter: string;
  /** 1-based line in the text where record `i` starts. */
  lineOf(i: number): number;
}

const CANDIDATES = [',', ';', '\t'];

/**
 * The delimiter among , ; and tab that splits the first lines into the same number of fields most
 * consistently; a space when none of them occurs; ',' for a single column.
 */
export function detectDelimiter(text: string): string {
  const sample = text
    .slice(0, 65536)
    .split(/\r\n|\n|\r/)
    .slice(0, 30)
    .map((line) => line.replace(/"(?:[^"]|"")*"?/g, '""'))
    .filter((line) => line.trim() !== '');
  let best = { delimiter: '', lines: 0, fields: 0 };
  for (const delimiter of CANDIDATES) {
    const counts = new Map<number, number>();
    for (const line of sample) {
      const n = line.split(delimiter).length - 1;
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [fields, lines] of counts) {
      if (lines > best.lines || (lines === best.lines && fields > best.fields))
        best = { delimiter, lines, fields };
    }
  }
  if (best.delimiter !== '') return best.delimiter;
  return sample.some((line) => /\S\s+\S/.test(line.trim())) ? ' ' : ',';
}

function rethrow(source: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  throw new Error(`${source}: the CSV text could not be parsed: ${message}`);
}

/**
 * Splits the text into records with csv-parse. Cells are trimmed; blank lines are skipped; with a space
 * delimiter, runs of spaces count as one.
 */
export function readTable(text: string, delimiter: string, source: string, comment?: string): Table {
  const options: CsvEngineOptions = {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    ...(comment ? { comment } : {}),
  };
  let raw: string[][];
  try {
    raw = engine(text, options) as string[][];
  } catch (error) {
    rethrow(source, error);
  }
  const records: string[][] = [];
  let origin: number[] | null = null;
  const spaces = delimiter === ' ';
  for (let i = 0; i < raw.length; i++) {
    let record = raw[i];
    for (let j = 0; j < record.length; j++) record[j] = record[j].trim();
    if (spaces) record = record.filter((cell) => cell !== '');
    if (record.length === 0 || (record.length === 1 && record[0] === '')) {
      // A line of blanks: drop it, and from now on remember where each kept record came from.
      origin ??= Array.from({ length: records.length }, (_, k) => k);
      continue;
    }
    origin?.push(i);
    records.push(record);
  }
  const lineOf = (i: number): number => {
    const k = origin ? origin[i] : i;
    try {
      const withInfo = engine(text, { ...options, info: true, to: k + 1 }) as { info: RecordInfo }[];
      // csv-parse reports where a record ends; it starts after the previous one and the blank and
      // comment lines between them (a quoted field may span lines).
      const info = withInfo[k].info;
      const before = k > 0 ? withInfo[k - 1].info : { lines: 0, empty_lines: 0, comment_lines: 0 };
      return (
        before.lines + 1 + info.empty_lines - before.empty_lines + info.comment_lines - before.comment_lines
      );
    } catch {
      return k + 1;
    }
  };
  return { records, delimiter, lineOf };
}

/** Whether a first record is a header: some cell is text where the rows below hold numbers. */
export function detectHeader(records: string[][], missing: ReadonlySet<string>): boolean {
  if (records.length === 0) return false;
  const first = records[0];
  const isText = (cell: string) => !missing.has(cell) && Number.isNaN(parseNumber(cell));
  if (records.length === 1) return first.every(isText);
  const sample = records.slice(1, 101);
  let anyNumericColumn = false;
  for (let j = 0; j < first.length; j++) {
    let numbers = 0;
    let texts = 0;
    for (const row of sample) {
      const cell = row[j];
      if (cell === undefined || missing.has(cell)) continue;
      if (Number.isNaN(parseNumber(cell))) texts++;
      else numbers++;
    }
    if (numbers > 0 && texts === 0) {
      anyNumericColumn = true;
      if (isText(first[j])) return true;
    }
  }
  if (anyNumericColumn || !first.every(isText)) return false;
  // Only text columns: a header's names do not reappear as values below them.
  return first.every((name, j) => !sample.some((row) => row[j] === name));
}

/** What scikit-learn's first line says: `n_rows,n_features[,class names…]`. */
export interface SklearnHeader {
  rows: number;
  features: number;
  classNames: string[];
}

const COUNT = /^\d+$/;

/** Reads the first record as a scikit-learn header when its counts match the rows below it. */
export function detectSklearn(records: string[][]): SklearnHeader | null {
  if (records.length < 2) return null;
  const first = records[0];
  if (first.length < 2 || !COUNT.test(first[0]) || !COUNT.test(first[1])) return null;
  const rows = Number(first[0]);
  const features = Number(first[1]);
  if (rows !== records.length - 1 || records[1].length !== features + 1) return null;
  // Newer scikit-learn pads the line with trailing commas: empty names are not classes.
  const classNames = first.slice(2).filter((name) => name !== '');
  // A line of numbers as wide as the data is more likely a data row whose values happen to match.
  const named = classNames.some((name) => Number.isNaN(parseNumber(name)));
  if (!named && first.length === records[1].length) return null;
  return { rows, features, classNames };
}
