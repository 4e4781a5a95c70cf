/**
 * From CSV cells to numbers: which columns are numeric or categorical, what a missing or non-numeric
 * cell does (error naming the line and column, drop the row, or impute), how categories and class
 * names become indices, and the schema that repeats the same encoding on new data.
 */
import { allocData } from '../tensor/precision.js';
import { Tensor } from '../tensor/tensor.js';
import { parseNumber } from './csv-layout.js';

/** What a missing or non-numeric cell does: an error (default), drop its row, or impute. */
export type MissingPolicy = 'error' | 'drop' | 'mean' | 'zero';
/** Categorical features as one 0/1 column per category, or as one column of category indices. */
export type CategoricalEncoding = 'oneHot' | 'index';
/** Order of class names and categories: sorted (numbers numerically) or by first appearance. */
export type LabelOrder = 'sorted' | 'appearance';
/** What the target column is for. */
export type CsvTask = 'classification' | 'regression';

/** One source column used as a feature, as the schema records it. */
export interface CsvFeatureColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  /** The categories of a categorical column, in encoding order. */
  categories?: string[];
  /** The value imputed for a missing cell (policy 'mean' or 'zero'): a number, or a category. */
  fill?: number | string;
}

/**
 * Everything needed to encode another file (test data, data to predict) exactly like the training
 * file: the feature columns with their categories and fill values, the target and the class names.
 * Plain JSON, so it can be stored in a model file.
 */
export interface CsvSchema {
  /** All column names of the training file, in order. */
  columns: string[];
  /** Whether those names came from a header row (else they are generated: column_0, column_1, …). */
  header: boolean;
  features: CsvFeatureColumn[];
  target: string | null;
  task: CsvTask;
  classNames?: string[];
  encoding: CategoricalEncoding;
  missing: MissingPolicy;
}

/** Tensors are float32: a value beyond its range would silently become ±Infinity, so it is an error here. */
function assertFloat32(v: number, cell: string, where: () => string): void {
  if (!Number.isFinite(Math.fround(v))) {
    throw new Error(`${where()}: '${cell}' is outside the float32 range (about ±3.4e38)`);
  }
}

/** The cells to encode and how. */
export interface EncodeInput {
  source: string;
  names: string[];
  rows: string[][];
  /** 1-based line number of data row r. */
  lineOfRow: (r: number) => number;
  featureCols: number[];
  /** Column kinds and categories to reuse (from a schema), aligned with featureCols. */
  featureSpecs: (CsvFeatureColumn | null)[];
  /** Source columns forced to be categorical. */
  categorical: ReadonlySet<number>;
  targetCol: number | null;
  task: CsvTask | 'auto';
  /** Class names fixed in advance (a schema, or a scikit-learn header). */
  classNames: string[] | null;
  /** Targets are already class indices into classNames (scikit-learn layout). */
  targetIsIndex: boolean;
  encoding: CategoricalEncoding;
  order: LabelOrder;
  missing: MissingPolicy;
  missingTokens: ReadonlySet<string>;
  yShape: 'auto' | 'vector' | 'column';
}

/** The encoded data and the schema describing the encoding. */
export interface Encoded {
  x: Tensor;
  y: Tensor | null;
  featureNames: string[];
  features: CsvFeatureColumn[];
  task: CsvTask;
  classNames?: string[];
  /** Data rows dropped by the 'drop' policy. */
  dropped: number;
}

/** Integer targets with at most this many distinct values are taken as classes when task is 'auto'. */
export const MAX_AUTO_CLASSES = 20;

/** A cell or name in an error message: on one line, and not a whole paragraph. */
function quote(text: string): string {
  const flat = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `'${flat.length > 40 ? `${flat.slice(0, 40)}…` : flat}'`;
}

function ordered(values: Iterable<string>, order: LabelOrder, numeric: boolean): string[] {
  const list = [...values];
  if (order === 'appearance') return list;
  return numeric
    ? list.sort((a, b) => Number(a) - Number(b))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Numeric when at least half the non-missing cells are numbers: a stray word in a number column is an error, not a category. */
function isNumericColumn(rows: string[][], j: number, missing: ReadonlySet<string>): boolean {
  let numbers = 0;
  let texts = 0;
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r][j];
    if (missing.has(cell)) continue;
    if (Number.isNaN(parseNumber(cell))) texts++;
    else numbers++;
  }
  return numbers > 0 && numbers >= texts;
}

const POLICY_HINT = "pass missing: 'drop', 'mean' or 'zero' to drop or impute such cells";

/** Encodes the rows; throws at the first bad cell under the 'error' policy. */
export function encodeColumns(input: EncodeInput): Encoded {
  const { source, names, rows, featureCols, missing, missingTokens } = input;
  const n = rows.length;
  const where = (r: number, j: number) =>
    `${source}: line ${input.lineOfRow(r)}, column ${quote(names[j])} (index ${j})`;
  const keep = new Uint8Array(n).fill(1);

  // Kinds: from the schema, forced, or inferred.
  const kinds = featureCols.map((j, f) => {
    const spec = input.featureSpecs[f];
    if (spec) return spec.kind;
    if (input.categorical.has(j)) return 'categorical';
    return isNumericColumn(rows, j, missingTokens) ? 'numeric' : 'categorical';
  });

  // Pass 1: numbers parsed once; bad cells raise, drop their row, or wait for imputation.
  const numbers: (Float64Array | null)[] = kinds.map((k) => (k === 'numeric' ? new Float64Array(n) : null));
  for (let f = 0; f < featureCols.length; f++) {
    const j = featureCols[f];
    const values = numbers[f];
    for (let r = 0; r < n; r++) {
      const cell = rows[r][j];
      const absent = missingTokens.has(cell);
      const v = absent ? Number.NaN : values ? parseNumber(cell) : 0;
      if (values) values[r] = v;
      if (!absent && !Number.isNaN(v)) {
        assertFloat32(v, cell, () => where(r, j));
        continue;
      }
      if (missing === 'error') {
        const what = absent
          ? `missing value (${cell === '' ? 'empty cell' : quote(cell)})`
          : `${quote(cell)} is not a number`;
        throw new Error(`${where(r, j)}: ${what}; ${POLICY_HINT}`);
      }
      if (missing === 'drop') keep[r] = 0;
    }
  }

  // The target: numbers or labels, never imputed.
  const t = input.targetCol;
  let targetNumbers: Float64Array | null = null;
  let targetNumeric = false;
  if (t !== null) {
    targetNumeric = input.targetIsIndex || isNumericColumn(rows, t, missingTokens);
    if (!targetNumeric && input.task === 'regression') {
      const r = Math.max(
        0,
        rows.findIndex((row) => !missingTokens.has(row[t])),
      );
      throw new Error(
        `${where(r, t)}: the target ${quote(rows[r][t])} is not a number, so this column cannot be a regression target; use task: 'classification'`,
      );
    }
    targetNumbers = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const cell = rows[r][t];
      const absent = missingTokens.has(cell);
      const v = absent ? Number.NaN : targetNumeric ? parseNumber(cell) : 0;
      targetNumbers[r] = v;
      if (!absent && !Number.isNaN(v)) {
        assertFloat32(v, cell, () => where(r, t));
        continue;
      }
      if (missing === 'drop') {
        keep[r] = 0;
        continue;
      }
      const what = absent
        ? `is missing (${cell === '' ? 'empty cell' : quote(cell)})`
        : `${quote(cell)} is not a number`;
      throw new Error(
        `${where(r, t)}: the target ${what}; pass missing: 'drop' to drop rows without a target`,
      );
    }
  }

  let kept = 0;
  for (let r = 0; r < n; r++) kept += keep[r];
  if (kept === 0) {
    throw new Error(`${source}: all ${n} data rows were dropped because of missing or non-numeric values`);
  }

  // Categories and fill values, over the kept rows.
  const features: CsvFeatureColumn[] = featureCols.map((j, f) => {
    const spec = input.featureSpecs[f];
    const values = numbers[f];
    if (values) {
      let fill = spec?.fill;
      if (typeof fill !== 'number') {
        let sum = 0;
        let count = 0;
        for (let r = 0; r < n; r++) {
          if (keep[r] && !Number.isNaN(values[r])) {
            sum += values[r];
            count++;
          }
        }
        fill = missing === 'mean' && count > 0 ? sum / count : 0;
      }
      return {
        name: names[j],
        kind: 'numeric',
        ...(missing === 'mean' || missing === 'zero' ? { fill } : {}),
      };
    }
    const counts = new Map<string, number>();
    for (let r = 0; r < n; r++) {
      const cell = rows[r][j];
      if (keep[r] && !missingTokens.has(cell)) counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    const categories = spec?.categories ?? ordered(counts.keys(), input.order, false);
    let mode = categories[0];
    for (const c of categories) if ((counts.get(c) ?? 0) > (counts.get(mode) ?? 0)) mode = c;
    const fill = typeof spec?.fill === 'string' ? spec.fill : mode;
    return {
      name: names[j],
      kind: 'categorical',
      categories,
      ...(missing === 'mean' || missing === 'zero' ? { fill } : {}),
    };
  });

  // Classes.
  let task: CsvTask = input.task === 'auto' ? 'regression' : input.task;
  let classNames: string[] | undefined;
  let classIndex: Map<string, number> | null = null;
  if (t !== null && targetNumbers) {
    const key = (r: number) => (targetNumeric ? String(targetNumbers[r]) : rows[r][t]);
    if (input.task === 'auto') {
      if (!targetNumeric || input.classNames) task = 'classification';
      else {
        const distinct = new Set<number>();
        let integers = true;
        for (let r = 0; r < n && integers && distinct.size <= MAX_AUTO_CLASSES; r++) {
          if (!keep[r]) continue;
          integers = Number.isInteger(targetNumbers[r]);
          distinct.add(targetNumbers[r]);
        }
        // A class is a value shared by several rows: all-distinct integers are measurements.
        if (integers && distinct.size <= MAX_AUTO_CLASSES && distinct.size < kept) task = 'classification';
      }
    }
    if (task === 'classification') {
      if (input.classNames) {
        classNames = [...input.classNames];
      } else {
        const seen = new Set<string>();
        for (let r = 0; r < n; r++) if (keep[r]) seen.add(key(r));
        classNames = ordered(seen, input.order, targetNumeric);
      }
      if (!input.targetIsIndex) {
        classIndex = new Map(classNames.map((c, i) => [c, i]));
        for (let r = 0; r < n; r++) {
          if (keep[r] && !classIndex.has(key(r))) {
            throw new Error(
              `${where(r, t)}: class ${quote(rows[r][t])} is not one of the known classes (${classNames.join(', ')})`,
            );
          }
        }
      } else {
        for (let r = 0; r < n; r++) {
          const v = targetNumbers[r];
          if (keep[r] && !(Number.isInteger(v) && v >= 0 && v < classNames.length)) {
            throw new Error(
              `${where(r, t)}: label ${rows[r][t]} is not a class index 0…${classNames.length - 1} (${classNames.join(', ')})`,
            );
          }
        }
      }
    }
  }

  // Pass 2: write x and y.
  const featureNames: string[] = [];
  const oneHot = input.encoding === 'oneHot';
  for (const c of features) {
    if (c.kind === 'categorical' && oneHot)
      for (const cat of c.categories ?? []) featureNames.push(`${c.name}=${cat}`);
    else featureNames.push(c.name);
  }
  const width = featureNames.length;
  const x = allocData(kept * width);
  const lookups = features.map((c) =>
    c.categories ? new Map(c.categories.map((cat, i) => [cat, i])) : null,
  );
  let offset = 0;
  for (let f = 0; f < features.length; f++) {
    const j = featureCols[f];
    const values = numbers[f];
    const lookup = lookups[f];
    const fill = features[f].fill;
    const span = lookup && oneHot ? lookup.size : 1;
    let i = 0;
    for (let r = 0; r < n; r++) {
      if (!keep[r]) continue;
      const at = i * width + offset;
      i++;
      if (values) {
        const v = values[r];
        x[at] = Number.isNaN(v) ? (fill as number) : v;
        continue;
      }
      const cell = missingTokens.has(rows[r][j]) ? (fill as string) : rows[r][j];
      const k = (lookup as Map<string, number>).get(cell);
      if (k === undefined) {
        const known = features[f].categories?.join(', ');
        throw new Error(
          `${where(r, j)}: category ${quote(cell)} was not seen in the training data (known: ${known})`,
        );
      }
      if (oneHot) x[at + k] = 1;
      else x[at] = k;
    }
    offset += span;
  }

  let y: Tensor | null = null;
  if (t !== null && targetNumbers) {
    const yv = allocData(kept);
    let i = 0;
    for (let r = 0; r < n; r++) {
      if (!keep[r]) continue;
      yv[i++] = classIndex
        ? (classIndex.get(targetNumeric ? String(targetNumbers[r]) : rows[r][t]) as number)
        : targetNumbers[r];
    }
    const column = input.yShape === 'column' || (input.yShape === 'auto' && task === 'regression');
    y = new Tensor(yv, column ? [kept, 1] : [kept]);
  }
  return {
    x: new Tensor(x, [kept, width]),
    y,
    featureNames,
    features,
    task,
    ...(classNames ? { classNames } : {}),
    dropped: n - kept,
  };
}
