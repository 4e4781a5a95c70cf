/**
 * CSV to tensors, browser-safe: `parseCsv(text or bytes, options)` → `{ x [n, d], y, featureNames,
 * targetName, classNames?, task, schema }`. The Node adapter's `readCsvFile(path)` reads a file and
 * calls it. Parsing is csv-parse's (quotes, embedded delimiters and newlines); this module decides the
 * layout (delimiter, header, scikit-learn's first line), the target and the columns' encoding.
 */
import type { Tensor } from '../tensor/tensor.js';
import {
  type CategoricalEncoding,
  type CsvFeatureColumn,
  type CsvSchema,
  type CsvTask,
  encodeColumns,
  type LabelOrder,
  type MissingPolicy,
} from './csv-columns.js';
import { DEFAULT_MISSING, detectDelimiter, detectHeader, detectSklearn, readTable } from './csv-layout.js';
import { decodeText } from './gzip.js';

export type { CategoricalEncoding, CsvFeatureColumn, CsvSchema, CsvTask, LabelOrder, MissingPolicy };

/** Options of `parseCsv`. Every one has a default that suits a plain numeric CSV. */
export interface CsvOptions {
  /** Field delimiter; default detected among ',', ';', tab (and space when none of them occurs). */
  delimiter?: string;
  /** Whether line 1 is a header; default detected (text cells above numeric columns). */
  header?: boolean;
  /** Column names to use (for a file without header, or to rename). */
  columnNames?: string[];
  /** Target column: a name, or a 0-based index (negative counts from the end). Default: the last column. */
  target?: string | number;
  /**
   * 'classification' maps target values to class indices; 'regression' keeps numbers. Default 'auto':
   * text targets, a scikit-learn header with class names, or integer targets with at most 20 distinct
   * values of which some repeat are classes; other numbers are a regression target.
   */
  task?: CsvTask | 'auto';
  /** Columns (names or indices) to treat as categorical even though they hold numbers. */
  categorical?: readonly (string | number)[];
  /** Columns (names or indices) to leave out of the features. */
  ignore?: readonly (string | number)[];
  /** Categorical features as one-hot columns ('oneHot', default) or category indices ('index'). */
  encoding?: CategoricalEncoding;
  /**
   * Order of class names and categories: 'sorted' (default; numbers numerically, text by code point) is
   * stable when rows are reordered; 'appearance' follows the first occurrence in the file.
   */
  classOrder?: LabelOrder;
  /** Fixed class names (e.g. from a saved model): the target's values must be among them. */
  classNames?: readonly string[];
  /** Missing or non-numeric cells: 'error' (default), 'drop' the row, impute the column 'mean' or 'zero'. */
  missing?: MissingPolicy;
  /** Cells that count as missing; default '', NA, N/A, NaN, nan, null, NULL, None, ?. */
  missingValues?: readonly string[];
  /**
   * scikit-learn's layout (line 1 = `n_rows,n_features,class names…`, the label last): default detected
   * (the counts must match the file); true requires it, false never reads line 1 that way.
   */
  sklearn?: boolean;
  /** Shape of y: default 'auto' = [n] of class indices for classification, [n, 1] for regression. */
  yShape?: 'auto' | 'vector' | 'column';
  /** Encode exactly as a previous parse did (its `schema`): same feature columns, categories, classes. */
  schema?: CsvSchema;
  /** Lines starting with this character are comments. */
  comment?: string;
  /** Names the data in errors, e.g. the file path. Default 'CSV'. */
  source?: string;
}

/** A parsed CSV: features, targets and what they mean. */
export interface CsvDataset {
  /** Features, [n, d] float32 (one-hot columns for categorical features). */
  x: Tensor;
  /** Targets: [n] class indices (classification) or [n, 1] numbers (regression); see `yShape`. */
  y: Tensor;
  /** Names of the d columns of x (`column=category` for one-hot columns). */
  featureNames: string[];
  targetName: string;
  /** Class names, index i naming class i (classification only); store them with the model. */
  classNames?: string[];
  task: CsvTask;
  /** The encoding as JSON, to parse test data or data to predict the same way. */
  schema: CsvSchema;
  /** Data rows dropped by missing: 'drop'. */
  dropped: number;
}

/** The features of a CSV to predict on; y only when the target column is present. */
export interface CsvFeatures {
  x: Tensor;
  y?: Tensor;
  featureNames: string[];
  classNames?: string[];
  schema: CsvSchema;
  dropped: number;
}

const TASKS = ['auto', 'classification', 'regression'];
const ENCODINGS = ['oneHot', 'index'];
const ORDERS = ['sorted', 'appearance'];
const POLICIES = ['error', 'drop', 'mean', 'zero'];
const Y_SHAPES = ['auto', 'vector', 'column'];

function checkChoice(source: string, option: string, value: unknown, choices: string[]): void {
  if (value !== undefined && !choices.includes(value as string)) {
    throw new Error(
      `${source}: option ${option} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
}

function listColumns(names: string[]): string {
  const shown = names.slice(0, 50).map((n, i) => `${i}:${n}`);
  return shown.join(', ') + (names.length > 50 ? `, … (${names.length} columns)` : '');
}

/** A column given by name or 0-based index (negative from the end), checked. */
function resolveColumn(
  source: string,
  role: string,
  spec: string | number,
  names: string[],
  header: boolean,
): number {
  if (typeof spec === 'number') {
    const j = spec < 0 ? names.length + spec : spec;
    if (!Number.isInteger(spec) || j < 0 || j >= names.length) {
      throw new Error(
        `${source}: ${role} column index ${spec} is out of range: the file has ${names.length} columns ` +
          `(0…${names.length - 1}, or −1…−${names.length} from the end): ${listColumns(names)}`,
      );
    }
    return j;
  }
  if (typeof spec !== 'string')
    throw new Error(`${source}: ${role} column must be a name or an index, got ${typeof spec}`);
  let j = names.indexOf(spec);
  if (j < 0) {
    const wanted = spec.trim().toLowerCase();
    const matches = names.flatMap((n, k) => (n.trim().toLowerCase() === wanted ? [k] : []));
    if (matches.length === 1) j = matches[0];
  }
  if (j < 0 && /^-?\d+$/.test(spec.trim())) return resolveColumn(source, role, Number(spec), names, header);
  if (j < 0) {
    const hint = header ? '' : ' (the file has no header row, so pass a 0-based index)';
    throw new Error(
      `${source}: unknown ${role} column '${spec}'${hint}; the columns are: ${listColumns(names)}`,
    );
  }
  return j;
}

function validate(options: CsvOptions): string {
  if (options === null || typeof options !== 'object') {
    throw new Error(
      `parseCsv: options must be an object such as { target: 'label' }, got ${String(options)}`,
    );
  }
  const source = options.source ?? 'CSV';
  checkChoice(source, 'task', options.task, TASKS);
  checkChoice(source, 'encoding', options.encoding, ENCODINGS);
  checkChoice(source, 'classOrder', options.classOrder, ORDERS);
  checkChoice(source, 'missing', options.missing, POLICIES);
  checkChoice(source, 'yShape', options.yShape, Y_SHAPES);
  if (
    options.delimiter !== undefined &&
    (typeof options.delimiter !== 'string' || options.delimiter.length === 0)
  ) {
    throw new Error(`${source}: option delimiter must be a non-empty string such as ',' or '\\t'`);
  }
  return source;
}

function parse(input: string | Uint8Array, options: CsvOptions, needTarget: boolean) {
  const source = validate(options);
  const schema = options.schema;
  const text = decodeText(input, source);
  if (text.trim() === '') throw new Error(`${source}: the file is empty (no header and no data rows)`);
  const missingTokens = new Set(options.missingValues ?? DEFAULT_MISSING);
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const table = readTable(text, delimiter, source, options.comment);
  const { records } = table;
  if (records.length === 0)
    throw new Error(`${source}: the file holds no records (only blank or comment lines)`);

  // Layout: scikit-learn's first line, a header, or data from line 1.
  let sk = options.sklearn === false || options.header !== undefined ? null : detectSklearn(records);
  if (options.sklearn === true && !sk) {
    const first = records[0];
    const counts = /^\d+$/.test(first[0] ?? '') && /^\d+$/.test(first[1] ?? '');
    if (!counts) {
      throw new Error(
        `${source}: line 1 is not a scikit-learn header 'n_rows,n_features,class names…': ${first.join(',')}`,
      );
    }
    sk = {
      rows: Number(first[0]),
      features: Number(first[1]),
      classNames: first.slice(2).filter((c) => c !== ''),
    };
    if (sk.rows !== records.length - 1) {
      throw new Error(
        `${source}: line 1 announces ${sk.rows} rows but the file has ${records.length - 1} data rows`,
      );
    }
  }
  const header = sk !== null || (options.header ?? detectHeader(records, missingTokens));
  const start = header ? 1 : 0;
  const width = sk ? sk.features + 1 : records[0].length;
  let names: string[];
  if (sk) names = [...Array.from({ length: sk.features }, (_, j) => `column_${j}`), 'target'];
  else if (header) names = records[0].map((n, j) => (n === '' ? `column_${j}` : n));
  else names = Array.from({ length: width }, (_, j) => `column_${j}`);
  if (options.columnNames) {
    if (options.columnNames.length !== width) {
      throw new Error(
        `${source}: columnNames has ${options.columnNames.length} names but the file has ${width} columns`,
      );
    }
    names = [...options.columnNames];
  }
  const rows = records.slice(start);
  if (rows.length === 0) throw new Error(`${source}: the file has a header row but no data rows`);
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== width) {
      const ref = sk
        ? `${width} (n_features + 1, from line 1)`
        : header
          ? `${width} (the header, line 1)`
          : `${width} (line ${table.lineOf(0)})`;
      throw new Error(
        `${source}: line ${table.lineOf(start + r)} has ${rows[r].length} fields but ${ref} were expected`,
      );
    }
  }

  // The target and the feature columns.
  let targetCol: number | null;
  let featureCols: number[];
  let featureSpecs: (CsvFeatureColumn | null)[];
  if (schema) {
    ({ targetCol, featureCols } = matchSchema(source, schema, names, header, needTarget));
    featureSpecs = schema.features;
  } else {
    const spec = options.target ?? (needTarget ? -1 : undefined);
    targetCol = spec === undefined ? null : resolveColumn(source, 'target', spec, names, header);
    const ignored = new Set(
      (options.ignore ?? []).map((c) => resolveColumn(source, 'ignored', c, names, header)),
    );
    featureCols = names.flatMap((_, j) => (j === targetCol || ignored.has(j) ? [] : [j]));
    featureSpecs = featureCols.map(() => null);
  }
  if (featureCols.length === 0) throw new Error(`${source}: no feature columns are left besides the target`);
  const categorical = new Set(
    (options.categorical ?? []).map((c) => resolveColumn(source, 'categorical', c, names, header)),
  );
  const skClasses = sk && sk.classNames.length > 0 && targetCol === width - 1 ? sk.classNames : null;
  const classNames = options.classNames ?? schema?.classNames ?? skClasses;
  const encoding = options.encoding ?? schema?.encoding ?? 'oneHot';
  const missing = options.missing ?? schema?.missing ?? 'error';
  const encoded = encodeColumns({
    source,
    names,
    rows,
    lineOfRow: (r) => table.lineOf(start + r),
    featureCols,
    featureSpecs,
    categorical,
    targetCol,
    task: options.task ?? schema?.task ?? 'auto',
    classNames: classNames ? [...classNames] : null,
    targetIsIndex: skClasses !== null && !options.classNames,
    encoding,
    order: options.classOrder ?? 'sorted',
    missing,
    missingTokens,
    yShape: options.yShape ?? 'auto',
  });
  const targetName = targetCol === null ? (schema?.target ?? null) : names[targetCol];
  const outSchema: CsvSchema = {
    columns: schema?.columns ?? names,
    header: schema?.header ?? header,
    features: encoded.features,
    target: targetName,
    task: encoded.task,
    ...(encoded.classNames ? { classNames: encoded.classNames } : {}),
    encoding,
    missing,
  };
  return { encoded, targetName, schema: outSchema };
}

/** Finds the schema's columns in a new file: by name when it has a header, else by position. */
function matchSchema(
  source: string,
  schema: CsvSchema,
  names: string[],
  header: boolean,
  needTarget: boolean,
) {
  if (!schema || !Array.isArray(schema.features) || !Array.isArray(schema.columns)) {
    throw new Error(
      `${source}: option schema must be the schema of a previous parseCsv (with features and columns)`,
    );
  }
  let position: (name: string) => number;
  if (header) {
    position = (name) => names.indexOf(name);
  } else {
    const withTarget = names.length === schema.columns.length;
    const targetAt = schema.target === null ? -1 : schema.columns.indexOf(schema.target);
    if (!withTarget && !(names.length === schema.columns.length - 1 && targetAt >= 0)) {
      throw new Error(
        `${source}: the file has ${names.length} columns and no header, but the model's data had ${schema.columns.length} (${schema.columns.join(', ')})`,
      );
    }
    position = (name) => {
      const k = schema.columns.indexOf(name);
      if (k < 0 || withTarget) return k;
      return k === targetAt ? -1 : k > targetAt ? k - 1 : k;
    };
  }
  const featureCols = schema.features.map((f) => {
    const j = position(f.name);
    if (j < 0) {
      throw new Error(
        `${source}: column '${f.name}' used by the model is missing; the file has: ${listColumns(names)}`,
      );
    }
    return j;
  });
  const t = schema.target === null ? -1 : position(schema.target);
  if (t < 0 && needTarget) {
    throw new Error(
      `${source}: the target column '${schema.target}' is missing; the file has: ${listColumns(names)}`,
    );
  }
  return { targetCol: t < 0 ? null : t, featureCols };
}

/**
 * Parses CSV text (or UTF-8 bytes, gzipped or not) into features and targets.
 * Errors name the 1-based line and the column (name and index) of a bad cell.
 * @example
 * const { x, y, classNames } = ax.parseCsv('a,b,label\n1,2,cat\n3,4,dog\n', { target: 'label' });
 * x.shape;      // [2, 2]
 * y.arraySync(); // [0, 1]
 * classNames;   // ['cat', 'dog']
 */
export function parseCsv(input: string | Uint8Array, options: CsvOptions = {}): CsvDataset {
  const { encoded, targetName, schema } = parse(input, options, true);
  return {
    x: encoded.x,
    y: encoded.y as Tensor,
    featureNames: encoded.featureNames,
    targetName: targetName as string,
    ...(encoded.classNames ? { classNames: encoded.classNames } : {}),
    task: encoded.task,
    schema,
    dropped: encoded.dropped,
  };
}

/**
 * Parses a CSV of inputs to predict on. With `schema` (from the training parse, stored with the
 * model) the columns are encoded exactly as in training and a target column, if present, is read
 * too; without it every column not named by `target` is a feature.
 * @example
 * const train = ax.parseCsv(trainText, { target: 'species' });
 * const { x } = ax.parseCsvFeatures(newText, { schema: train.schema });
 */
export function parseCsvFeatures(input: string | Uint8Array, options: CsvOptions = {}): CsvFeatures {
  const { encoded, schema } = parse(input, options, false);
  return {
    x: encoded.x,
    ...(encoded.y ? { y: encoded.y } : {}),
    featureNames: encoded.featureNames,
    ...(encoded.classNames ? { classNames: encoded.classNames } : {}),
    schema,
    dropped: encoded.dropped,
  };
}
