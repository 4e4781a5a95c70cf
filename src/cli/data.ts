/**
 * `--data` in all its forms — a CSV file, a folder of IDX files, `builtin:NAME` — loaded into one
 * shape (LoadedTable). When a trained model is given, the data is encoded the way the model expects:
 * its CSV schema, its class names, its task.
 */
import * as ax from '../node.js';
import { builtinName, fromCsv, type LoadedTable, loadBuiltin, type Task } from './builtins.js';
import { absolute, type CliIO, pathKind, UserError, userStep } from './io.js';
import type { TaskName } from './options.js';

/** Where the data comes from, resolved. */
export type DataSource =
  | { kind: 'csv'; path: string; label: string }
  | { kind: 'idx'; dir: string; label: string }
  | { kind: 'builtin'; name: string; label: string };

/**
 * Resolves the text of `--data`: `builtin:NAME`, a folder (IDX files) or a file (CSV, plain or .gz).
 * @example await resolveData(io, 'builtin:iris') // { kind: 'builtin', name: 'iris', label: 'builtin:iris' }
 */
export async function resolveData(io: CliIO, text: string): Promise<DataSource> {
  if (text.trim() === '')
    throw new UserError('--data is empty; give a CSV file, a folder of IDX files or builtin:NAME');
  const match = /^builtin:(.*)$/i.exec(text.trim());
  if (match) {
    const name = builtinName(match[1]);
    return { kind: 'builtin', name, label: `builtin:${name}` };
  }
  const path = absolute(io, text);
  const kind = await pathKind(path);
  if (kind === null) throw new UserError(`file not found: ${text}`);
  return kind === 'dir' ? { kind: 'idx', dir: path, label: path } : { kind: 'csv', path, label: path };
}

/** What the trained model fixes about its data (when evaluating or predicting). */
export interface ModelEncoding {
  task: Task;
  classNames: string[] | null;
  schema: ax.CsvSchema | null;
}

/** Options of `loadTable`. */
export interface TableRequest {
  /** IDX folders and MNIST: the train-* files or the t10k-* files. */
  part: 'train' | 'test';
  /** Whether the target is required (train, evaluate) or optional (predict). */
  needTarget: boolean;
  seed: number;
  target?: string;
  task?: TaskName;
  /** CSV cells that are missing or not numbers: an error (default), drop the row, or impute. */
  missing?: ax.MissingPolicy;
  samples?: number;
  noise?: number;
  classes?: number;
  dataDir?: string;
  /** The model's encoding; absent when training. */
  model?: ModelEncoding;
}

/**
 * Loads the data of `source` for a command.
 * @example const table = await loadTable(io, source, { part: 'train', needTarget: true, seed: 1 });
 */
export async function loadTable(io: CliIO, source: DataSource, request: TableRequest): Promise<LoadedTable> {
  if (source.kind === 'builtin') {
    if (request.target !== undefined) {
      throw new UserError(`--target applies to CSV files; builtin:${source.name} has its own target`);
    }
    return loadBuiltin(io, source.name, request);
  }
  if (source.kind === 'idx') return loadIdxFolder(source.dir, request);
  return loadCsv(source.path, request);
}

async function loadCsv(path: string, request: TableRequest): Promise<LoadedTable> {
  const model = request.model;
  const options: ax.CsvOptions = {};
  if (model?.schema) {
    // The model fixes the target; naming that same column (by name or 0-based index) is fine.
    if (request.target !== undefined && !sameColumn(request.target, model.schema)) {
      throw new UserError(
        `--target ${request.target} differs from the column the model was trained on ('${model.schema.target}'); leave --target out or name that column`,
      );
    }
    options.schema = model.schema;
  } else {
    if (request.target !== undefined) options.target = request.target;
    if (model) {
      options.task = model.task;
      if (model.classNames) options.classNames = model.classNames;
    } else {
      if (request.task !== undefined) options.task = request.task;
      if (request.missing !== undefined) options.missing = request.missing;
    }
  }
  if (request.needTarget) {
    return fromCsv(await csvStep(() => ax.readCsvFile(path, options)));
  }
  // Without a schema or --target, every column is an input.
  const data = await csvStep(() => ax.readCsvFeaturesFile(path, options));
  return {
    x: data.x,
    y: data.y ?? null,
    task: model?.task ?? 'regression',
    classNames: data.classNames ?? model?.classNames ?? null,
    featureNames: data.featureNames,
    targetName: model?.schema?.target ?? null,
    schema: data.schema,
    presplit: false,
    defaultScale: 'standard',
  };
}

/** Reads a CSV; the reader's hint about its `missing` option becomes the CLI's `--missing`. */
async function csvStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      message
        .replace(/pass missing: 'drop', 'mean' or 'zero'/, 'pass --missing drop, mean or zero (axon train)')
        .replace(/pass missing: 'drop'/, 'pass --missing drop (axon train)'),
    );
  }
}

/** The names an IDX file goes by: gzipped or not, and the dotted variant some archives use. */
function idxNames(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [`${base}.gz`, base, `${dotted}.gz`, dotted];
}

async function findIdx(dir: string, base: string): Promise<string> {
  for (const name of idxNames(base)) {
    const path = `${dir}/${name}`;
    if ((await pathKind(path)) === 'file') return path;
  }
  throw new UserError(
    `no ${base}[.gz] file in ${dir}; an IDX data folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz)`,
  );
}

async function loadIdxFolder(dir: string, request: TableRequest): Promise<LoadedTable> {
  if (request.target !== undefined) throw new UserError('--target applies to CSV files, not to IDX folders');
  const prefix = request.part === 'train' ? 'train' : 't10k';
  const imagesPath = await findIdx(dir, `${prefix}-images-idx3-ubyte`);
  const images = await userStep(() => ax.readIdxFile(imagesPath, { expect: 'images' }));
  const x = ax.idxImagesToTensor(images);
  let y: ax.Tensor | null = null;
  let classNames = request.model?.classNames ?? null;
  const labelsBase = `${prefix}-labels-idx1-ubyte`;
  const hasLabels = await findIdx(dir, labelsBase).then(
    (p) => p,
    () => null,
  );
  if (hasLabels === null && request.needTarget) await findIdx(dir, labelsBase);
  if (hasLabels !== null) {
    const labels = await userStep(() => ax.readIdxFile(hasLabels, { expect: 'labels' }));
    if (labels.dims[0] !== images.dims[0]) {
      throw new UserError(
        `${hasLabels} holds ${labels.dims[0]} labels but ${imagesPath} holds ${images.dims[0]} images`,
      );
    }
    if (classNames === null) {
      let max = 1;
      for (let i = 0; i < labels.data.length; i++) if (labels.data[i] > max) max = labels.data[i];
      classNames = Array.from({ length: max + 1 }, (_, i) => String(i));
    }
    const k = classNames.length;
    y = await userStep(() => ax.idxLabelsToTensor(labels, k, hasLabels));
  }
  return {
    x,
    y,
    task: 'classification',
    classNames,
    featureNames: Array.from({ length: x.shape[1] }, (_, i) => `pixel_${i}`),
    targetName: 'label',
    schema: null,
    presplit: true,
    defaultScale: 'none',
  };
}

/**
 * The first class index outside 0…k−1, as a one-line error; null when every label is a known class.
 * @example labelsOutOfRange(y, ['a', 'b'], 'data.csv')
 */
export function labelsOutOfRange(y: ax.Tensor, classNames: readonly string[], label: string): string | null {
  const v = y.values;
  const k = classNames.length;
  for (let i = 0; i < v.length; i++) {
    if (!(Number.isInteger(v[i]) && v[i] >= 0 && v[i] < k)) {
      return `${label}: label ${v[i]} at row ${i + 1} is out of range; the model knows ${k} classes (0…${k - 1}: ${classNames.join(', ')})`;
    }
  }
  return null;
}

function sameColumn(target: string | number, schema: ax.CsvSchema): boolean {
  const trained = schema.target;
  if (trained === null) return false;
  const asIndex = typeof target === 'number' ? target : /^-?\d+$/.test(target) ? Number(target) : null;
  if (asIndex !== null) {
    const index = asIndex < 0 ? schema.columns.length + asIndex : asIndex;
    return schema.columns[index] === trained;
  }
  return String(target).toLowerCase() === trained.toLowerCase();
}
