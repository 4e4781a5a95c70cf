/**
 * A model as TF.js Layers artifacts: the Keras topology (Axon's `getConfig()` with keys in snake_case,
 * as TF.js's `toJSON` writes it), the weights in Keras order, the training config, and Axon's metadata
 * under `userDefinedMetadata.axon`. Browser-safe: the bytes go to whichever IOHandler is given.
 */
import type { Sequential } from '../model/sequential.js';
import { getSaveHandler } from './handlers.js';
import { toJsonData } from './json.js';
import { tsToPythonic } from './keras-case.js';
import { trainingConfigOf } from './training-config.js';
import type { IOHandler, JsonObject, ModelArtifacts, SaveConfig, SaveResult } from './types.js';
import { concatBuffers, encodeOptimizerState, encodeWeights } from './weights.js';

/** The package version written into `generatedBy` and `keras_version`; keep in step with package.json. */
export const AXON_VERSION = '0.1.0';

/** The key of Axon's metadata inside `userDefinedMetadata`. */
export const METADATA_KEY = 'axon';

/**
 * The artifacts TF.js's `model.save` would produce for this model (with `includeOptimizer`), plus Axon's
 * metadata. The model must be built (its input shape known).
 * @example
 * const artifacts = ax.io.modelToArtifacts(model);
 * const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
 */
export function modelToArtifacts(model: Sequential, config: SaveConfig = {}): ModelArtifacts {
  const where = 'save';
  if (!model.built) {
    throw new Error(
      `${where}: the model has not been built yet, so it has no weights to save; give the first layer an inputShape, call build([null, features]), or fit/predict once`,
    );
  }
  const metadata = toJsonData(config.metadata ?? model.metadata ?? {}, 'save: metadata');
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new Error(`${where}: metadata must be an object (e.g. { classNames: ['setosa', ...] })`);
  }
  const modelTopology: JsonObject = {
    class_name: 'Sequential',
    config: tsToPythonic(model.getConfig()),
    keras_version: `axon-nn ${AXON_VERSION}`,
    backend: 'axon',
  };
  const { specs, data } = encodeWeights(model.weights);
  const artifacts: ModelArtifacts = {
    modelTopology,
    format: 'layers-model',
    generatedBy: `axon-nn v${AXON_VERSION}`,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
  if (model.compiled !== null && config.includeOptimizer !== false) {
    artifacts.trainingConfig = trainingConfigOf(model.compiled, model.outputShape, where);
    // The optimizer's state follows the weights, as TF.js writes it: training resumes where it stopped.
    const state = model.compiled.optimizer.getState?.(model.trainableWeights) ?? null;
    if (state !== null) {
      const extra = encodeOptimizerState(state);
      artifacts.weightSpecs = [...specs, ...extra.specs];
      artifacts.weightData = concatBuffers([data, extra.data]);
    }
  }
  if (Object.keys(metadata).length > 0) artifacts.userDefinedMetadata = { [METADATA_KEY]: metadata };
  return artifacts;
}

/**
 * Saves `model` through an IOHandler or a URL ('file://dir' in Node). Used by `model.save`.
 * @example await saveModel(model, ax.io.withSaveHandler(async (a) => upload(a)));
 */
export async function saveModel(
  model: Sequential,
  handlerOrUrl: string | IOHandler,
  config: SaveConfig = {},
): Promise<SaveResult> {
  const handler = typeof handlerOrUrl === 'string' ? getSaveHandler(handlerOrUrl, 'save') : handlerOrUrl;
  if (typeof handler !== 'object' || handler === null || typeof handler.save !== 'function') {
    throw new Error(
      "save: expected a URL such as 'file://models/iris' or an IOHandler with a save method (e.g. ax.io.withSaveHandler(fn) or ax.io.memory())",
    );
  }
  return handler.save(modelToArtifacts(model, config));
}
