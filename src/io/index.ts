/** `ax.io` (save/load handlers, artifacts ↔ model) and `ax.loadModel`: the TF.js Layers format. */
import {
  fromMemory,
  getLoadHandler,
  getSaveHandler,
  memory,
  registerLoadRouter,
  registerSaveRouter,
  withSaveHandler,
} from './handlers.js';
import { modelFromArtifacts } from './load.js';
import { fromModelJson, parseModelJson, toModelJson } from './model-json.js';
import { modelToArtifacts } from './save.js';

export { artifactsInfo, type IORouter, type MemoryHandler } from './handlers.js';
export { loadModel, modelFromArtifacts } from './load.js';
export type { ModelJson } from './model-json.js';
export { modelToArtifacts, saveModel } from './save.js';
export type {
  IOHandler,
  JsonObject,
  JsonValue,
  ModelArtifacts,
  SaveConfig,
  SaveResult,
  TrainingConfig,
  WeightDType,
  WeightSpec,
  WeightsManifestEntry,
} from './types.js';

/**
 * Model IO in the TF.js Layers format, named as in TF.js's `tf.io` where TF.js has the function.
 * @example
 * const sink = ax.io.memory();
 * await model.save(sink);                                   // or ax.io.withSaveHandler(fn)
 * const copy = await ax.loadModel(ax.io.fromMemory(sink.artifacts!));
 * const { json, weights } = ax.io.toModelJson(sink.artifacts!); // model.json text + weights.bin bytes
 */
export const io = {
  /** Passes saved artifacts to a function (TF.js `tf.io.withSaveHandler`). */
  withSaveHandler,
  /** Loads given artifacts (TF.js `tf.io.fromMemory`). */
  fromMemory,
  /** Keeps the saved artifacts in memory; also loads them back. */
  memory,
  /** Loads model.json text plus its weight files given by path (browser file pickers). */
  fromModelJson,
  /** model.json text and weights.bin bytes for artifacts (downloads). */
  toModelJson,
  /** Parses and checks model.json text. */
  parseModelJson,
  /** A built model as artifacts (what `save` hands to a handler). */
  modelToArtifacts,
  /** A model from artifacts, validated (what `loadModel` does after `handler.load()`). */
  modelFromArtifacts,
  /** The handler `model.save(url)` uses for a URL. */
  getSaveHandler,
  /** The handler `loadModel(url)` uses for a URL. */
  getLoadHandler,
  /** Adds a URL scheme for `model.save(url)`. */
  registerSaveRouter,
  /** Adds a URL scheme for `loadModel(url)`. */
  registerLoadRouter,
};
