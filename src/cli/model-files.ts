/**
 * The CLI's view of a saved model: the TF.js Layers files (written and read by src/io) plus the
 * metadata `axon train` stores with them — the feature scaler, the class names, the CSV schema and
 * how the model was trained — read back and checked against the model itself.
 */
import { z } from 'zod';
import * as ax from '../node.js';
import type { Task } from './builtins.js';
import { absolute, type CliIO, pathKind, UserError, userStep } from './io.js';

/** How a model was trained, as `axon train` records it. */
export interface TrainingRecord {
  /** The training data: a CSV path, an IDX folder or builtin:NAME. */
  data: string;
  /** Fraction held out as the test set (0: none) and the seed of that split. */
  testSplit: number;
  seed: number;
  validationSplit: number;
  epochs: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  layers: number[];
  activation: string;
  loss: string;
  /** Wall time of fit, in ms. */
  wallTimeMs: number;
}

/** What `axon train` stores in `model.metadata` (saved as userDefinedMetadata.axon). */
export interface CliMetadata {
  task: Task;
  classNames: string[] | null;
  featureNames: string[];
  targetName: string | null;
  scaler: ax.ScalerJSON | null;
  csvSchema: ax.CsvSchema | null;
  training: TrainingRecord | null;
}

/** A loaded model with its metadata, checked to agree. */
export interface LoadedModel {
  model: ax.Sequential;
  meta: CliMetadata;
  scaler: ax.Scaler | null;
  /** Number of input features. */
  inputs: number;
  /** Width of the output layer. */
  outputs: number;
  /** The folder holding model.json. */
  dir: string;
}

const metadataSchema = z.object({
  task: z.enum(['classification', 'regression']).optional(),
  classNames: z.array(z.string()).nullable().optional(),
  featureNames: z.array(z.string()).optional(),
  targetName: z.string().nullable().optional(),
  scaler: z.unknown().optional(),
  // The schema is checked by the CSV reader when it is used.
  csvSchema: z.record(z.string(), z.unknown()).nullable().optional(),
  training: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Output activation of the last Dense layer ('softmax', 'sigmoid', 'linear', ...), or null. */
function outputActivation(model: ax.Sequential): string | null {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const config = model.layers[i].getConfig();
    if (typeof config.activation === 'string') return config.activation;
  }
  return null;
}

/**
 * Reads the metadata of a loaded model; a model without (saved by TF.js or by code) gets what its
 * output layer implies: softmax or sigmoid → classes '0', '1', …; otherwise regression.
 */
function readMetadata(model: ax.Sequential, source: string): CliMetadata {
  const parsed = metadataSchema.safeParse(model.metadata ?? {});
  if (!parsed.success) {
    throw new UserError(`${source}: the Axon metadata is malformed: ${z.prettifyError(parsed.error)}`);
  }
  const m = parsed.data;
  const outputs = Number(model.outputShape[model.outputShape.length - 1]);
  const act = outputActivation(model);
  const task: Task = m.task ?? (act === 'softmax' || act === 'sigmoid' ? 'classification' : 'regression');
  let classNames = m.classNames ?? null;
  if (task === 'classification' && classNames === null) {
    classNames = Array.from({ length: outputs === 1 ? 2 : outputs }, (_, i) => String(i));
  }
  let scaler: ax.ScalerJSON | null = null;
  if (m.scaler !== undefined && m.scaler !== null) {
    try {
      scaler = ax.scalerFromJSON(m.scaler).toJSON();
    } catch (error) {
      throw new UserError(`${source}: the stored feature scaler is invalid: ${(error as Error).message}`);
    }
  }
  const inputs = Number(model.inputShape[1]);
  return {
    task,
    classNames,
    featureNames: m.featureNames ?? Array.from({ length: inputs }, (_, i) => `x${i + 1}`),
    targetName: m.targetName ?? null,
    scaler,
    csvSchema: (m.csvSchema ?? null) as ax.CsvSchema | null,
    training: (m.training ?? null) as TrainingRecord | null,
  };
}

/**
 * Loads DIR/model.json (+ weights.bin) and its metadata; every problem is a UserError naming the file.
 * @example const { model, meta, scaler } = await loadCliModel(io, 'models/iris');
 */
export async function loadCliModel(io: CliIO, dirText: string): Promise<LoadedModel> {
  const path = absolute(io, dirText);
  const kind = await pathKind(path);
  if (kind === null)
    throw new UserError(`model not found: ${dirText} (expected a folder holding model.json)`);
  const dir = kind === 'dir' ? path : path.replace(/[/\\][^/\\]*$/, '');
  if (kind === 'dir' && (await pathKind(`${path}/model.json`)) !== 'file') {
    throw new UserError(`no model.json in ${dirText}; pass the folder 'axon train --out' wrote`);
  }
  const model = await userStep(() => ax.loadModel(ax.io.fileSystem(path)));
  const source = `${dir}/model.json`;
  if (model.layers.length === 0 || !model.built) throw new UserError(`${source}: the model has no layers`);
  if (model.inputShape.length !== 2 || model.outputShape.length !== 2) {
    throw new UserError(
      `${source}: axon works with models of flat inputs and outputs; this one maps [${model.inputShape}] to [${model.outputShape}]`,
    );
  }
  const meta = readMetadata(model, source);
  const inputs = Number(model.inputShape[1]);
  const outputs = Number(model.outputShape[1]);
  checkAgreement(source, meta, inputs, outputs);
  return { model, meta, scaler: meta.scaler ? ax.scalerFromJSON(meta.scaler) : null, inputs, outputs, dir };
}

/** The metadata must describe this network: as many features, classes, scaler columns. */
function checkAgreement(source: string, meta: CliMetadata, inputs: number, outputs: number): void {
  if (meta.featureNames.length !== inputs) {
    throw new UserError(
      `${source}: the metadata names ${meta.featureNames.length} features but the network takes ${inputs} inputs; the files come from different models`,
    );
  }
  if (meta.scaler) {
    const width =
      meta.scaler.className === 'StandardScaler' ? meta.scaler.mean.length : meta.scaler.dataMin.length;
    if (width !== inputs) {
      throw new UserError(
        `${source}: the stored scaler was fitted on ${width} features but the network takes ${inputs}; the files come from different models`,
      );
    }
  }
  if (meta.task === 'classification') {
    const k = meta.classNames?.length ?? 0;
    if (!(outputs === k || (outputs === 1 && k === 2))) {
      throw new UserError(
        `${source}: the metadata lists ${k} classes but the output layer has ${outputs} units; the files come from different models`,
      );
    }
  }
}

/**
 * Saves the model and its metadata into `dir` (atomically: a failure leaves any previous model there
 * intact).
 * @example await saveCliModel(io, model, meta, 'models/iris');
 */
export async function saveCliModel(
  io: CliIO,
  model: ax.Sequential,
  meta: CliMetadata,
  dirText: string,
): Promise<string> {
  const dir = absolute(io, dirText);
  model.metadata = { ...meta };
  await userStep(() => model.save(ax.io.fileSystem(dir)), `cannot save the model to ${dirText}: `);
  return dir;
}

/**
 * Class probabilities [n, k] from the network's output: a single sigmoid unit p becomes (1 − p, p).
 * @example classProbabilities(model.predict(x), 2)
 */
export function classProbabilities(output: ax.Tensor, k: number): Float32Array {
  const n = output.shape[0];
  const width = output.shape[1];
  const v = output.values;
  if (width === k) return Float32Array.from(v);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    out[2 * i] = 1 - v[i];
    out[2 * i + 1] = v[i];
  }
  return out;
}

/**
 * The predicted class of each row (argmax; ties to the lower index).
 * @example predictedClasses(probabilities, n, k)
 */
export function predictedClasses(probabilities: Float32Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probabilities[i * k + j] > probabilities[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}
