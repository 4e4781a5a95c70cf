/**
 * `axon evaluate`: a saved model's loss and metrics on data encoded as in training (its CSV schema,
 * scaler and class names), with a confusion matrix for classifiers. An IDX folder is evaluated on its
 * t10k files; the data the model was trained on with --test-split is evaluated on the held-out rows.
 */
import type * as ax from '../node.js';
import type { LoadedTable } from './builtins.js';
import { loadTable, resolveData } from './data.js';
import { confusionMatrix, confusionMatrixText, metricText } from './format.js';
import { type CliIO, UserError } from './io.js';
import { classProbabilities, type LoadedModel, loadCliModel, predictedClasses } from './model-files.js';
import { targetsFor } from './network.js';
import { checkFits, scaled, splitTable } from './prepare.js';

/** Options of `axon evaluate`, parsed. */
export interface EvaluateOptions {
  model: string;
  data: string;
  target?: string;
  testSplit?: number;
  seed?: number;
  dataDir?: string;
  samples?: number;
  noise?: number;
  classes?: number;
  json: boolean;
}

/** Compiles a model saved without a training config (TF.js `save` without optimizer) as train would have. */
function ensureCompiled(loaded: LoadedModel): void {
  const { model, meta, outputs } = loaded;
  if (model.compiled !== null) return;
  const loss =
    meta.training?.loss ??
    (meta.task === 'regression'
      ? 'meanSquaredError'
      : outputs === 1
        ? 'binaryCrossentropy'
        : 'sparseCategoricalCrossentropy');
  model.compile({
    optimizer: 'adam',
    loss,
    metrics: meta.task === 'classification' ? ['accuracy'] : ['mae'],
  });
}

/**
 * The targets the compiled loss reads: one-hot rows unless it takes class indices (or one sigmoid unit).
 * @example loaded.model.evaluate(x, modelTargets(loaded, y));
 */
export function modelTargets(loaded: LoadedModel, y: ax.Tensor): ax.Tensor {
  const { model, meta, outputs } = loaded;
  if (meta.task !== 'classification' || outputs === 1) return y;
  const oneHot = model.loss?.name !== 'sparseCategoricalCrossentropy';
  return targetsFor({ oneHot }, y, outputs);
}

/**
 * The evaluation data and a phrase saying which rows it is (e.g. the rows held out in training).
 * @example const { table, note } = await evaluationData(io, loaded, { data: 'builtin:iris' });
 */
export async function evaluationData(
  io: CliIO,
  loaded: LoadedModel,
  o: Omit<EvaluateOptions, 'model' | 'json'>,
): Promise<{ table: LoadedTable; label: string; note: string }> {
  const source = await resolveData(io, o.data);
  const record = loaded.meta.training;
  let fraction = o.testSplit ?? 0;
  let note = '';
  let seed = o.seed ?? record?.seed ?? 0;
  if (o.testSplit === undefined && record !== null && record.testSplit > 0 && record.data === source.label) {
    fraction = record.testSplit;
    seed = o.seed ?? record.seed;
    note = `the rows held out in training (test split ${fraction}, seed ${seed})`;
  } else if (fraction > 0) {
    note = `the test part of a split (test split ${fraction}, seed ${seed})`;
  }
  let table = await loadTable(io, source, {
    part: 'test',
    needTarget: true,
    seed,
    target: o.target,
    samples: o.samples,
    noise: o.noise,
    classes: o.classes,
    dataDir: o.dataDir,
    model: { task: loaded.meta.task, classNames: loaded.meta.classNames, schema: loaded.meta.csvSchema },
  });
  if (fraction > 0) {
    if (table.presplit) {
      throw new UserError(
        `--test-split does not apply to ${source.label}: it has its own test files (t10k-*)`,
      );
    }
    table = splitTable(table, fraction, seed, source.label).test;
  }
  if (note === '' && table.presplit) note = 'its test files';
  return { table, label: source.label, note };
}

/**
 * Runs `axon evaluate`; prints the metrics (a JSON object with --json) and, for classifiers, the
 * confusion matrix. Resolves to the exit code.
 * @example await evaluate(io, { model: 'models/iris', data: 'builtin:iris', json: true });
 */
export async function evaluate(io: CliIO, o: EvaluateOptions): Promise<number> {
  const loaded = await loadCliModel(io, o.model);
  const { table, label, note } = await evaluationData(io, loaded, o);
  checkFits(table, loaded, label);
  const x = scaled(loaded, table.x, label);
  const y = table.y as ax.Tensor;
  ensureCompiled(loaded);
  const logs = loaded.model.evaluate(x, modelTargets(loaded, y), { batchSize: 256 });
  if (o.json) {
    io.stdout(`${JSON.stringify(logs)}\n`);
    return 0;
  }
  const n = x.shape[0];
  io.stdout(
    `Model: ${loaded.dir}${loaded.meta.training ? ` (trained on ${loaded.meta.training.data})` : ''}\n`,
  );
  io.stdout(`Data: ${label} — ${n} rows${note ? `, ${note}` : ''}\n\n`);
  const width = Math.max(...Object.keys(logs).map((k) => k.length));
  for (const [k, v] of Object.entries(logs)) io.stdout(`${k.padEnd(width)}  ${metricText(v)}\n`);
  const classNames = loaded.meta.classNames;
  if (loaded.meta.task === 'classification' && classNames) {
    const k = classNames.length;
    const probabilities = classProbabilities(loaded.model.predict(x, { batchSize: 256 }), k);
    const predicted = predictedClasses(probabilities, n, k);
    const matrix = confusionMatrix(y.values, predicted, k);
    io.stdout(
      `\nConfusion matrix (rows: true class, columns: predicted class):\n${confusionMatrixText(matrix, classNames)}\n`,
    );
  }
  return 0;
}
