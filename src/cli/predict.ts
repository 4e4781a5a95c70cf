/**
 * `axon predict`: runs a saved model on new rows, encoded with the stored CSV schema and scaled with
 * the stored scaler. Classifiers print the class name of each row with its probability (and every
 * class's probability); regressors print the predicted value. CSV on stdout, or into --out.
 */
import { loadTable, resolveData } from './data.js';
import { csvCell, shortNumber } from './format.js';
import { absolute, type CliIO, UserError, userStep, writeFileAtomic } from './io.js';
import { classProbabilities, loadCliModel, predictedClasses } from './model-files.js';
import { scaled } from './prepare.js';

/** Options of `axon predict`, parsed. */
export interface PredictOptions {
  model: string;
  data: string;
  out?: string;
  target?: string;
  seed?: number;
  dataDir?: string;
  samples?: number;
  noise?: number;
  classes?: number;
  json: boolean;
}

/**
 * Runs `axon predict`; resolves to the exit code.
 * @example await predict(io, { model: 'models/iris', data: 'new-flowers.csv', json: false });
 */
export async function predict(io: CliIO, o: PredictOptions): Promise<number> {
  const loaded = await loadCliModel(io, o.model);
  const { meta } = loaded;
  const source = await resolveData(io, o.data);
  const table = await loadTable(io, source, {
    part: 'test',
    needTarget: false,
    seed: o.seed ?? meta.training?.seed ?? 0,
    target: o.target,
    samples: o.samples,
    noise: o.noise,
    classes: o.classes,
    dataDir: o.dataDir,
    model: { task: meta.task, classNames: meta.classNames, schema: meta.csvSchema },
  });
  const d = table.x.shape[1];
  if (d !== loaded.inputs) {
    const hint =
      meta.targetName && d === loaded.inputs + 1
        ? ` (if one column is the target, name it with --target)`
        : '';
    throw new UserError(
      `${source.label} has ${d} feature columns but the model was trained on ${loaded.inputs}${hint}`,
    );
  }
  const x = scaled(loaded, table.x, source.label);
  const output = loaded.model.predict(x, { batchSize: 256 });
  const n = x.shape[0];
  const lines: string[] = [];
  let json: Record<string, unknown>;
  if (meta.task === 'classification' && meta.classNames) {
    const names = meta.classNames;
    const k = names.length;
    const p = classProbabilities(output, k);
    const predicted = predictedClasses(p, n, k);
    lines.push(['prediction', 'probability', ...names.map((c) => `p(${c})`)].map(csvCell).join(','));
    const probabilities: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(p.subarray(i * k, (i + 1) * k), shortNumber);
      probabilities.push(row);
      lines.push([csvCell(names[predicted[i]]), String(row[predicted[i]]), ...row.map(String)].join(','));
    }
    json = { predictions: Array.from(predicted, (c) => names[c]), probabilities, classNames: names };
  } else {
    const width = output.shape[1];
    const name = meta.targetName ?? 'prediction';
    lines.push(
      width === 1
        ? csvCell(name)
        : Array.from({ length: width }, (_, j) => csvCell(`${name}_${j}`)).join(','),
    );
    const values: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(output.values.subarray(i * width, (i + 1) * width), shortNumber);
      values.push(row);
      lines.push(row.map(String).join(','));
    }
    json = { predictions: width === 1 ? values.map((r) => r[0]) : values };
  }
  if (o.json) {
    io.stdout(`${JSON.stringify(json)}\n`);
    return 0;
  }
  const text = `${lines.join('\n')}\n`;
  if (o.out === undefined) {
    io.stdout(text);
    return 0;
  }
  const path = absolute(io, o.out);
  await userStep(() => writeFileAtomic(path, text), `cannot write ${o.out}: `);
  io.stdout(`Wrote ${n} predictions to ${path}\n`);
  return 0;
}
