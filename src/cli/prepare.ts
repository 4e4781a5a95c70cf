/**
 * Steps between loading data and using it, shared by the commands: the seeded test split (the same
 * rows for `train --test-split F --seed S` and `evaluate --test-split F --seed S`), shuffling, row
 * ranges, and the checks that data fits a trained model.
 */
import * as ax from '../node.js';
import type { LoadedTable } from './builtins.js';
import { labelsOutOfRange } from './data.js';
import { UserError } from './io.js';
import type { LoadedModel } from './model-files.js';

/** Rows [start, end) of a tensor of any rank. @example rowRange(x, 0, 100) */
export function rowRange(t: ax.Tensor, start: number, end: number): ax.Tensor {
  return ax.slice(
    t,
    t.shape.map((_, i) => (i === 0 ? start : 0)),
    t.shape.map((_, i) => (i === 0 ? end - start : -1)),
  );
}

function withRows(table: LoadedTable, x: ax.Tensor, y: ax.Tensor | null): LoadedTable {
  return { ...table, x, y };
}

/**
 * Splits off a seeded test part (stratified for classes): the rows depend only on the data, the
 * fraction and the seed, so `evaluate` finds exactly the rows `train` held out.
 * @example const { train, test } = splitTable(table, 0.2, 1, 'builtin:iris');
 */
export function splitTable(
  table: LoadedTable,
  fraction: number,
  seed: number,
  label: string,
): { train: LoadedTable; test: LoadedTable } {
  if (table.y === null) throw new UserError(`${label}: a test split needs the target column`);
  const y = table.y;
  const n = table.x.shape[0];
  if (Math.ceil(fraction * n) >= n || Math.ceil(fraction * n) < 1) {
    throw new UserError(`${label}: --test-split ${fraction} of ${n} rows leaves no training or no test rows`);
  }
  let split: ax.Split;
  try {
    split = ax.trainTestSplit(table.x, y, {
      testSize: fraction,
      seed,
      stratify: table.task === 'classification',
    });
  } catch (error) {
    throw new UserError(`${label}: ${(error as Error).message}`);
  }
  return {
    train: withRows(table, split.xTrain, split.yTrain),
    test: withRows(table, split.xTest, split.yTest),
  };
}

/**
 * The rows in a seeded random order, so a validation tail holds every class even when the file is
 * sorted by class (Iris, breast cancer).
 * @example const shuffled = shuffleTable(table, 1);
 */
export function shuffleTable(table: LoadedTable, seed: number): LoadedTable {
  if (table.y === null) return table;
  const { x, y } = ax.shuffle(table.x, table.y, seed);
  return withRows(table, x, y);
}

/**
 * Throws a UserError unless the data has the model's number of features and, for classifiers, only
 * labels the model knows.
 * @example checkFits(table, loaded, 'test.csv');
 */
export function checkFits(table: LoadedTable, loaded: LoadedModel, label: string): void {
  const d = table.x.shape[1];
  if (d !== loaded.inputs) {
    const names = loaded.meta.featureNames;
    const shown = names.length <= 8 ? ` (${names.join(', ')})` : '';
    throw new UserError(
      `${label} has ${d} feature columns but the model was trained on ${loaded.inputs}${shown}; use data with the same columns as the training data`,
    );
  }
  if (table.y !== null && loaded.meta.task === 'classification' && loaded.meta.classNames) {
    const problem = labelsOutOfRange(table.y, loaded.meta.classNames, label);
    if (problem !== null) throw new UserError(problem);
  }
  if (table.y !== null && loaded.meta.task === 'regression' && table.task === 'classification') {
    // IDX folders and built-in classification sets hold labels, not the real values a regressor predicts.
    throw new UserError(`${label} holds class labels but the model is a regression model`);
  }
}

/**
 * x through the model's scaler (when it has one); non-finite inputs are a UserError.
 * @example const x = scaled(loaded, table.x, 'data.csv');
 */
export function scaled(loaded: Pick<LoadedModel, 'scaler'>, x: ax.Tensor, label: string): ax.Tensor {
  if (loaded.scaler === null) return x;
  try {
    return loaded.scaler.transform(x);
  } catch (error) {
    throw new UserError(`${label}: ${(error as Error).message}`);
  }
}

/**
 * A fresh seed when none was given (printed and stored with the model so the run can be repeated).
 * @example randomSeed() // 2718281828
 */
export function randomSeed(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0];
}
