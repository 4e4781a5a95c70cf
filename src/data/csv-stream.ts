/**
 * A CSV file as a stream of batches for `model.fitDataset` (Node only): the file is read in 64 KiB chunks
 * through csv-parse's streaming parser, and only one batch of rows is held at a time, so a file far larger
 * than memory can be trained on. Cells are encoded exactly as `parseCsv` encodes them (csv-columns.ts),
 * with a schema fixed before the first batch:
 * - given (`schema`, e.g. from the training parse stored with a model), it is used as is;
 * - otherwise the layout — delimiter, header, which columns are numeric or categorical, the task, and the
 *   fill values of `missing: 'mean' | 'zero'` — is inferred from the first `inferRows` lines, and then,
 *   when there are categorical features or class names to find (a classification target without
 *   `classNames`), one first pass over the whole file collects every category and class, ordered as
 *   `parseCsv` orders them. So the encoding equals `parseCsv` of the whole file.
 * A scaler given by name ('standard', 'minMax') is fitted in one more pass over the encoded batches.
 */
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CsvOptions, parseCsv } from './csv.js';
import { type CsvFeatureColumn, type CsvSchema, type CsvTask, encodeColumns } from './csv-columns.js';
import { DEFAULT_MISSING, detectDelimiter, detectHeader, parseNumber, readTable } from './csv-layout.js';
import {
  isGzipFile,
  type Layout,
  lineOfRecord,
  readHead,
  recordChunks,
  type Source,
  shuffled,
} from './csv-stream-read.js';
import { MinMaxScaler, type Scaler, StandardScaler } from './preprocessing.js';

/** Options of `csvDataset`: those of `parseCsv` (except the scikit-learn layout), plus batching. */
export interface CsvDatasetOptions extends Omit<CsvOptions, 'sklearn'> {
  /** Rows per batch. Default 32. With `missing: 'drop'` a batch holds its kept rows only. */
  batchSize?: number;
  /**
   * Feature scaling applied to every batch: a fitted scaler, or 'standard' / 'minMax' ([0, 1]) to fit
   * one on the file (one extra pass); the fitted scaler is `dataset.scaler`, to save with the model.
   */
  scaler?: Scaler | 'standard' | 'minMax';
  /** Lines read to infer the layout when no schema is given. Default 1000. */
  inferRows?: number;
  /**
   * Rows held in a shuffle buffer (TF.js `dataset.shuffle(bufferSize)`): each batch row is drawn at
   * random (global seeded generator) from the buffer. Default 0: rows in file order.
   */
  shuffleBuffer?: number;
}

/** One batch of a CSV stream. */
export interface CsvBatch {
  /** Features, [rows, features] float32 (scaled when a scaler is set). */
  xs: Tensor;
  /** Targets: [rows] class indices or [rows, 1] numbers, as parseCsv's `y`. */
  ys: Tensor;
}

/** Stands for a line number in a message until the line is known (see encodeStream). */
const UNKNOWN_LINE = -1;

/**
 * The file's records encoded with `schema`, chunk by chunk: the one place where cells become numbers, for
 * the batches and for the first pass (which reads the categories and classes each chunk found).
 */
async function* encodeStream(
  source: Source,
  schema: CsvSchema,
  yShape: CsvOptions['yShape'],
  chunkRows: number,
  shuffleBuffer: number,
): AsyncGenerator<ReturnType<typeof encodeColumns>> {
  const { path, layout } = source;
  let chunks = recordChunks(source, chunkRows);
  if (shuffleBuffer > 0) chunks = shuffled(chunks, shuffleBuffer, chunkRows);
  for await (const { rows, records } of chunks) {
    let encoded: ReturnType<typeof encodeColumns>;
    // encodeColumns asks for a line only to report a bad cell; finding it needs a read, done after the throw.
    let failed: number | null = null;
    try {
      encoded = encodeColumns({
        source: path,
        names: layout.names,
        rows,
        lineOfRow: (r) => {
          failed = records[r];
          return UNKNOWN_LINE;
        },
        featureCols: layout.featureCols,
        featureSpecs: schema.features,
        categorical: new Set(),
        targetCol: layout.targetCol,
        task: schema.task,
        classNames: schema.classNames ?? null,
        targetIsIndex: false,
        encoding: schema.encoding,
        order: 'appearance',
        missing: schema.missing,
        missingTokens: layout.missingTokens,
        yShape: yShape ?? 'auto',
      });
    } catch (error) {
      const message = (error as Error).message;
      // A chunk whose every row is dropped (missing: 'drop') gives no batch, not an error.
      if (schema.missing === 'drop' && /data rows were dropped/.test(message)) continue;
      if (failed === null) throw error;
      const line = await lineOfRecord(source, failed);
      throw new Error(message.replace(`line ${UNKNOWN_LINE}`, `line ${line}`));
    }
    yield encoded;
  }
}

/**
 * A CSV file as a re-iterable dataset of `{ xs, ys }` batches: every iteration reads the file again from
 * the start. Create it with `ax.csvDataset`.
 * @example
 * const ds = await ax.csvDataset('big.csv', { target: 'label', batchSize: 256, scaler: 'standard' });
 * await model.fitDataset(ds, { epochs: 5 });
 */
export class CsvStreamDataset implements AsyncIterable<CsvBatch> {
  /** Batches per pass, once a pass has counted the rows (and none is dropped); else null. */
  size: number | null = null;
  /** Data rows of the file, once a pass has counted them; else null. */
  rows: number | null = null;
  /** The scaler applied to xs, or null. */
  scaler: Scaler | null = null;
  /** Names of the columns of xs (`column=category` for one-hot columns). */
  readonly featureNames: string[];

  /** @internal Use `csvDataset`. */
  constructor(
    private readonly source: Source,
    /** The encoding (columns, categories, classes): store it with the model, parse test data with it. */
    readonly schema: CsvSchema,
    readonly batchSize: number,
    private readonly yShape: CsvOptions['yShape'],
    private readonly shuffleBuffer: number,
  ) {
    this.featureNames = schema.features.flatMap((f) =>
      f.kind === 'categorical' && schema.encoding === 'oneHot'
        ? (f.categories ?? []).map((c) => `${f.name}=${c}`)
        : [f.name],
    );
  }

  /** The file read. */
  get path(): string {
    return this.source.path;
  }

  /** Class names, index i naming class i (classification only). */
  get classNames(): string[] | undefined {
    return this.schema.classNames;
  }

  get task(): CsvTask {
    return this.schema.task;
  }

  get targetName(): string {
    return this.schema.target as string;
  }

  [Symbol.asyncIterator](): AsyncGenerator<CsvBatch> {
    return this.batches(true);
  }

  /** @internal One pass over the file; `scaled` applies the scaler, `shuffle` the shuffle buffer. */
  async *batches(scaled: boolean, shuffle = true): AsyncGenerator<CsvBatch> {
    const buffer = shuffle ? this.shuffleBuffer : 0;
    const chunks = encodeStream(this.source, this.schema, this.yShape, this.batchSize, buffer);
    for await (const { x, y } of chunks) {
      yield { xs: scaled && this.scaler ? this.scaler.transform(x) : x, ys: y as Tensor };
    }
  }
}

/** Sorted as parseCsv sorts: class names numerically when they are all numbers, else by code point. */
function ordered(values: Iterable<string>, order: CsvOptions['classOrder'], numeric: boolean): string[] {
  const list = [...values];
  if (order === 'appearance') return list;
  const allNumbers = numeric && list.every((v) => !Number.isNaN(parseNumber(v)));
  return allNumbers
    ? list.sort((a, b) => Number(a) - Number(b))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The first pass: every category of the categorical features and every class of the target, over the
 * whole file, with the column kinds and fill values of the inferred schema. Returns the counts too.
 */
async function collectLabels(
  source: Source,
  inferred: CsvSchema,
  given: readonly string[] | undefined,
  order: CsvOptions['classOrder'],
): Promise<{ schema: CsvSchema; rows: number; records: number }> {
  const kindsOnly: CsvFeatureColumn[] = inferred.features.map(({ name, kind, fill }) => ({
    name,
    kind,
    ...(fill === undefined ? {} : { fill }),
  }));
  const probe: CsvSchema = { ...inferred, features: kindsOnly, classNames: given ? [...given] : undefined };
  const categories = kindsOnly.map(() => new Set<string>());
  const classes = new Set<string>();
  let rows = 0;
  let dropped = 0;
  for await (const chunk of encodeStream(source, probe, 'auto', 4096, 0)) {
    chunk.features.forEach((f, i) => {
      for (const c of f.categories ?? []) categories[i].add(c);
    });
    for (const c of chunk.classNames ?? []) classes.add(c);
    rows += chunk.x.shape[0];
    dropped += chunk.dropped;
  }
  if (rows === 0) throw new Error(`${source.path}: the file has no data rows to train on`);
  const features = inferred.features.map((f, i) =>
    f.kind === 'categorical' ? { ...f, categories: ordered(categories[i], order, false) } : f,
  );
  const classNames =
    inferred.task === 'classification' ? (given ? [...given] : ordered(classes, order, true)) : undefined;
  const schema: CsvSchema = { ...inferred, features, ...(classNames ? { classNames } : {}) };
  if (!classNames) delete schema.classNames;
  return { schema, rows, records: rows + dropped };
}

/**
 * A scaler fitted on the encoded features in one pass (file order: the shuffle buffer would only spend
 * random draws), with per-column statistics merged batch by batch (Chan et al.); also the rows counted.
 */
async function fitScaler(
  ds: CsvStreamDataset,
  kind: 'standard' | 'minMax',
): Promise<{ scaler: Scaler; rows: number }> {
  const d = ds.featureNames.length;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  const batchMean = new Float64Array(d);
  let n = 0;
  for await (const { xs } of ds.batches(false, false)) {
    const v = xs.values;
    const k = xs.shape[0];
    batchMean.fill(0);
    for (let i = 0; i < v.length; i += d) {
      for (let j = 0; j < d; j++) {
        const value = v[i + j];
        batchMean[j] += value;
        if (value < lo[j]) lo[j] = value;
        if (value > hi[j]) hi[j] = value;
      }
    }
    for (let j = 0; j < d; j++) batchMean[j] /= k;
    const total = n + k;
    for (let j = 0; j < d; j++) {
      let batchM2 = 0;
      for (let i = j; i < v.length; i += d) {
        const c = v[i] - batchMean[j];
        batchM2 += c * c;
      }
      const delta = batchMean[j] - mean[j];
      m2[j] += batchM2 + ((delta * delta * n) / total) * k;
      mean[j] += (delta * k) / total;
    }
    n = total;
  }
  if (kind === 'minMax') {
    const scaler = MinMaxScaler.fromJSON({
      className: 'MinMaxScaler',
      featureRange: [0, 1],
      dataMin: Array.from(lo),
      dataMax: Array.from(hi),
    });
    return { scaler, rows: n };
  }
  // As StandardScaler.fit: population deviation; constant (or nearly) columns get scale 1.
  const tiny = 10 * Number.EPSILON;
  const scale = Array.from(mean, (m, j) => {
    const s = Math.sqrt(m2[j] / n);
    return lo[j] === hi[j] || s < tiny * Math.max(1, Math.abs(m)) ? 1 : s;
  });
  return {
    scaler: StandardScaler.fromJSON({ className: 'StandardScaler', mean: Array.from(mean), scale }),
    rows: n,
  };
}

function positive(key: string, value: number | undefined, fallback: number, zero = false): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < (zero ? 0 : 1)) {
    throw new Error(`csvDataset: option ${key} must be an integer ≥ ${zero ? 0 : 1}, got ${String(value)}`);
  }
  return v;
}

/**
 * Opens a CSV file (plain or gzipped) as a stream of `{ xs, ys }` batches for `model.fitDataset`, read
 * again on each pass with bounded memory. The schema is fixed up front: `schema` when given, else inferred
 * from the first `inferRows` lines, with a first pass over the file for the categories and class names
 * (see the module notes). Errors name the file, the 1-based line and the column.
 * @example
 * const train = await ax.csvDataset('train.csv', { target: 'label', batchSize: 128, scaler: 'standard' });
 * await model.fitDataset(train, { epochs: 10 });
 * const test = await ax.csvDataset('test.csv', { schema: train.schema, scaler: train.scaler });
 * await model.evaluateDataset(test);
 */
export async function csvDataset(path: string, options: CsvDatasetOptions = {}): Promise<CsvStreamDataset> {
  if (typeof path !== 'string' || path === '') throw new Error('csvDataset: expected a file path');
  const { batchSize: bs, scaler, inferRows: ir, shuffleBuffer: sb, ...csv } = options;
  const batchSize = positive('batchSize', bs, 32);
  const inferRows = positive('inferRows', ir, 1000);
  const shuffleBuffer = positive('shuffleBuffer', sb, 0, true);
  if (
    scaler !== undefined &&
    scaler !== 'standard' &&
    scaler !== 'minMax' &&
    typeof (scaler as Scaler | null)?.transform !== 'function'
  ) {
    throw new Error(
      `csvDataset: option scaler must be 'standard', 'minMax' or a fitted scaler, got ${String(scaler)}`,
    );
  }
  const gz = await isGzipFile(path);
  const text = await readHead(path, gz, inferRows);
  // The sample parse checks the options, the columns and the schema, and infers what is not given.
  const sample = parseCsv(text, { ...csv, sklearn: false, source: path });
  const delimiter = csv.delimiter ?? detectDelimiter(text);
  const missingTokens = new Set(csv.missingValues ?? DEFAULT_MISSING);
  const records = readTable(text, delimiter, path, csv.comment).records;
  const header = csv.header ?? detectHeader(records, missingTokens);
  const width = records[0].length;
  const names =
    csv.columnNames ??
    (header
      ? records[0].map((n, j) => (n === '' ? `column_${j}` : n))
      : Array.from({ length: width }, (_, j) => `column_${j}`));
  // By name in a file with a header, else by position in the schema's columns.
  const position = (name: string) => (header ? names : sample.schema.columns).indexOf(name);
  const layout: Layout = {
    delimiter,
    ...(csv.comment ? { comment: csv.comment } : {}),
    header,
    names,
    featureCols: sample.schema.features.map((f) => position(f.name)),
    targetCol: position(sample.targetName),
    missingTokens,
  };
  const source: Source = { path, gz, layout };
  let schema = sample.schema;
  let counted: { rows: number; records: number } | null = null;
  const needsLabels =
    schema.features.some((f) => f.kind === 'categorical') ||
    (schema.task === 'classification' && !csv.classNames);
  if (!csv.schema && needsLabels) {
    const pass = await collectLabels(source, schema, csv.classNames, csv.classOrder);
    schema = pass.schema;
    counted = pass;
  }
  const ds = new CsvStreamDataset(source, schema, batchSize, csv.yShape, shuffleBuffer);
  if (scaler === 'standard' || scaler === 'minMax') {
    const fitted = await fitScaler(ds, scaler);
    ds.scaler = fitted.scaler;
    // Under missing: 'drop' this pass cannot tell how many batches the dropped rows cost: no size then.
    counted ??= { rows: fitted.rows, records: schema.missing === 'drop' ? Number.NaN : fitted.rows };
  } else if (scaler !== undefined) {
    try {
      scaler.transform(zeros([1, ds.featureNames.length]));
    } catch (error) {
      throw new Error(
        `csvDataset: the given scaler does not fit the ${ds.featureNames.length} features of ${path}: ${(error as Error).message}`,
      );
    }
    ds.scaler = scaler;
  }
  if (counted) {
    ds.rows = counted.rows;
    if (counted.rows === counted.records) ds.size = Math.ceil(counted.rows / batchSize);
  }
  return ds;
}
