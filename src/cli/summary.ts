/**
 * `axon summary`: the Keras-style layer table of a saved model, plus what the CLI stored with it —
 * inputs, classes, scaler, loss and optimizer, and how it was trained.
 */
import { type CliIO, formatWallTime } from './io.js';
import { loadCliModel } from './model-files.js';

/** Options of `axon summary`, parsed. */
export interface SummaryOptions {
  model: string;
  json: boolean;
}

function list(names: readonly string[], max = 12): string {
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')}, … (${names.length} in all)`;
}

/**
 * Runs `axon summary`; resolves to the exit code.
 * @example await summary(io, { model: 'models/iris', json: false });
 */
export async function summary(io: CliIO, o: SummaryOptions): Promise<number> {
  const { model, meta, inputs, outputs, dir } = await loadCliModel(io, o.model);
  const layers = model.layers.map((l) => ({
    name: l.name,
    className: l.className,
    outputShape: l.outputShape,
    params: l.countParams(),
    ...(typeof l.getConfig().activation === 'string' ? { activation: l.getConfig().activation } : {}),
  }));
  if (o.json) {
    io.stdout(
      `${JSON.stringify({
        name: model.name,
        inputs,
        outputs,
        params: model.countParams(),
        layers,
        task: meta.task,
        classNames: meta.classNames,
        featureNames: meta.featureNames,
        targetName: meta.targetName,
        scaler: meta.scaler?.className ?? null,
        loss: model.loss?.name ?? null,
        optimizer: model.optimizer?.name ?? null,
        training: meta.training,
      })}\n`,
    );
    return 0;
  }
  const lines = [`Model folder: ${dir}`, model.summary({ print: false }), ''];
  lines.push(`Inputs: ${inputs} features (${list(meta.featureNames)})`);
  lines.push(
    meta.task === 'classification'
      ? `Output: ${meta.classNames?.length} classes (${list(meta.classNames ?? [])})${meta.targetName ? `, target '${meta.targetName}'` : ''}`
      : `Output: regression${meta.targetName ? ` of '${meta.targetName}'` : ''} (${outputs} value${outputs === 1 ? '' : 's'})`,
  );
  lines.push(`Feature scaling: ${meta.scaler?.className ?? 'none'}`);
  if (model.loss) lines.push(`Loss: ${model.loss.name}; optimizer: ${model.optimizer?.name ?? 'none'}`);
  const t = meta.training;
  if (t) {
    const split = t.testSplit > 0 ? `, test split ${t.testSplit}` : '';
    const val = t.validationSplit > 0 ? `, validation split ${t.validationSplit}` : '';
    lines.push(
      `Trained on: ${t.data} — ${t.epochs} epochs, batch size ${t.batchSize}, ${t.optimizer} (learning rate ${t.learningRate}), seed ${t.seed}${split}${val}, ${formatWallTime(t.wallTimeMs)}`,
    );
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
