/**
 * `axon train`: load the data, hold out a test part if asked, fit a scaler on the training rows, build
 * and train the network in memory with a progress bar, report the final metrics, then save the model
 * (atomically) with its metadata, and the loss/accuracy curves as DIR/training.svg. Nothing is written
 * before training has succeeded, so a failure never touches a model already in --out.
 */
import { join } from 'node:path';
import * as ax from '../node.js';
import { trainingCurvesSvg } from '../viz/curves.js';
import type { LoadedTable } from './builtins.js';
import { loadTable, resolveData } from './data.js';
import { metricsTable } from './format.js';
import {
  absolute,
  type CliIO,
  formatWallTime,
  pathKind,
  UserError,
  userStep,
  writeFileAtomic,
} from './io.js';
import { type CliMetadata, saveCliModel } from './model-files.js';
import { buildNetwork, chooseHead, learningRateOf, targetsFor } from './network.js';
import type { LossName, OptimizerName, ScaleName, TaskName } from './options.js';
import { randomSeed, rowRange, shuffleTable, splitTable } from './prepare.js';
import { progressCallback } from './progress.js';

/** Options of `axon train`, parsed. */
export interface TrainOptions {
  data: string;
  out: string;
  target?: string;
  task: TaskName;
  missing: ax.MissingPolicy;
  layers: number[];
  activation: string;
  loss: LossName;
  optimizer: OptimizerName;
  lr?: number;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  testSplit: number;
  seed?: number;
  scale: ScaleName;
  dataDir?: string;
  samples?: number;
  noise?: number;
  classes?: number;
  json: boolean;
}

function describeData(label: string, table: LoadedTable, test: LoadedTable | null): string {
  const n = table.x.shape[0];
  const d = table.x.shape[1];
  const target =
    table.task === 'classification'
      ? `${table.classNames?.length} classes (${shortList(table.classNames ?? [])})`
      : `regression target${table.targetName ? ` '${table.targetName}'` : ''}`;
  const held = test ? `; ${test.x.shape[0]} rows held out for testing` : '';
  return `Data: ${label} — ${n} training rows × ${d} features, ${target}${held}`;
}

function shortList(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, …`;
}

/**
 * Runs `axon train`; resolves to the exit code (errors are thrown: UserError → 1, others → 2).
 * @example await train(io, { data: 'builtin:spiral', out: 'models/spiral', ... });
 */
export async function train(io: CliIO, o: TrainOptions): Promise<number> {
  const seed = o.seed ?? randomSeed();
  const out = absolute(io, o.out);
  if ((await pathKind(out)) === 'file') {
    throw new UserError(
      `--out ${o.out} is a file; give a folder (model.json, weights.bin and training.svg go there)`,
    );
  }
  const say = (line: string) => {
    if (!o.json) io.stdout(`${line}\n`);
  };

  // Data: load, hold out the test part, shuffle, scale.
  const source = await resolveData(io, o.data);
  if (source.kind !== 'csv' && (o.task !== 'auto' || o.missing !== 'error')) {
    throw new UserError(`--task and --missing apply to CSV files, not to ${source.label}`);
  }
  const loaded = await loadTable(io, source, {
    part: 'train',
    needTarget: true,
    seed,
    target: o.target,
    task: o.task === 'auto' ? undefined : o.task,
    missing: o.missing,
    samples: o.samples,
    noise: o.noise,
    classes: o.classes,
    dataDir: o.dataDir,
  });
  if (o.testSplit > 0 && loaded.presplit) {
    throw new UserError(
      `--test-split does not apply to ${source.label}: it has its own test files (t10k-*); run 'axon evaluate' on it after training`,
    );
  }
  let table = loaded;
  let test: LoadedTable | null = null;
  if (o.testSplit > 0) ({ train: table, test } = splitTable(loaded, o.testSplit, seed, source.label));
  else table = shuffleTable(loaded, seed);
  const y = table.y as ax.Tensor;
  const classes = table.classNames?.length ?? 0;
  const head = chooseHead(table.task, classes, o.loss, table.targetName);
  const scaleKind = o.scale === 'auto' ? table.defaultScale : o.scale;
  const scaler =
    scaleKind === 'standard' ? ax.standardScaler() : scaleKind === 'minmax' ? ax.minMaxScaler() : null;
  const x = scaler ? await userStep(() => scaler.fitTransform(table.x), `${source.label}: `) : table.x;
  const n = x.shape[0];
  const nFit = o.validationSplit > 0 ? Math.floor(n * (1 - o.validationSplit)) : n;
  if (nFit < 1 || (o.validationSplit > 0 && nFit >= n)) {
    throw new UserError(
      `--validation-split ${o.validationSplit} of ${n} rows leaves no training or no validation rows`,
    );
  }

  // The network, trained in memory.
  ax.setSeed(seed);
  const model = buildNetwork({
    inputs: x.shape[1],
    layers: o.layers,
    activation: o.activation,
    head,
    optimizer: o.optimizer,
    learningRate: o.lr,
  });
  const targets = targetsFor(head, y, classes);
  const xFit = nFit < n ? rowRange(x, 0, nFit) : x;
  const yFit = nFit < n ? rowRange(targets, 0, nFit) : targets;
  const validation = nFit < n ? ([rowRange(x, nFit, n), rowRange(targets, nFit, n)] as const) : null;
  const widths = [x.shape[1], ...o.layers, head.units].join('-');
  say(describeData(source.label, table, test));
  say(
    `Network: ${widths} (${o.layers.length > 0 ? `${o.activation}, ` : ''}${head.activation} output), ${model.countParams()} parameters; ` +
      `loss ${head.loss}, optimizer ${o.optimizer} (learning rate ${learningRateOf(model)}), batch size ${o.batchSize}, seed ${seed}`,
  );
  const started = Date.now();
  const history = await model.fit(xFit, yFit, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    shuffle: true,
    verbose: 0,
    ...(validation ? { validationData: validation } : {}),
    callbacks: o.json ? [] : [progressCallback(io)],
  });
  const wallTimeMs = Date.now() - started;

  // Final metrics on each part, in inference mode.
  const rows: Array<[string, Record<string, number>]> = [
    ['training', model.evaluate(xFit, yFit, { batchSize: 256 })],
  ];
  if (validation) rows.push(['validation', model.evaluate(validation[0], validation[1], { batchSize: 256 })]);
  if (test) {
    const xTest = scaler ? await userStep(() => scaler.transform(test.x), `${source.label}: `) : test.x;
    rows.push([
      'test',
      model.evaluate(xTest, targetsFor(head, test.y as ax.Tensor, classes), { batchSize: 256 }),
    ]);
  }

  // Save: the model first (atomic, rolls back on failure), then the curves beside it.
  const meta: CliMetadata = {
    task: table.task,
    classNames: table.classNames,
    featureNames: table.featureNames,
    targetName: table.targetName,
    scaler: scaler ? scaler.toJSON() : null,
    csvSchema: table.schema,
    training: {
      data: source.label,
      testSplit: o.testSplit,
      seed,
      validationSplit: o.validationSplit,
      epochs: o.epochs,
      batchSize: o.batchSize,
      optimizer: o.optimizer,
      learningRate: learningRateOf(model),
      layers: [...o.layers],
      activation: o.activation,
      loss: head.loss,
      wallTimeMs,
    },
  };
  const dir = await saveCliModel(io, model, meta, o.out);
  const svgPath = join(dir, 'training.svg');
  const svg = trainingCurvesSvg(history, {
    title: `axon train — ${source.kind === 'builtin' ? source.label : source.label.split(/[/\\]/).pop()}`,
  });
  await userStep(() => writeFileAtomic(svgPath, svg), `cannot write ${svgPath}: `);

  if (o.json) {
    const result: Record<string, number> = {};
    for (const [part, logs] of rows) {
      const prefix = part === 'training' ? '' : part === 'validation' ? 'val_' : 'test_';
      for (const [k, v] of Object.entries(logs)) result[prefix + k] = v;
    }
    io.stdout(`${JSON.stringify(result)}\n`);
    return 0;
  }
  say(`Trained ${history.epoch.length} epochs in ${formatWallTime(wallTimeMs)}.`);
  say('');
  say(metricsTable(rows));
  say('');
  say(`Saved the model to ${dir} (model.json, weights.bin) and the training curves to ${svgPath}`);
  return 0;
}
