/**
 * The shapes of saved models, as TF.js defines them (`tf.io.ModelArtifacts`, `IOHandler`, `SaveResult`),
 * so that artifacts move between Axon and TF.js unchanged: Axon's `io.withSaveHandler` receives what
 * `tf.io.fromMemory` takes, and the reverse.
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Element types a weights manifest may name; Axon's model weights are float32. */
export type WeightDType = 'float32' | 'int32' | 'bool' | 'complex64' | 'string';

/** One tensor of the weights, as the manifest lists it: the values follow in this order in the weight data. */
export interface WeightSpec {
  /** `<layer>/<weight>`, e.g. 'dense/kernel'. */
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** 'optimizer' marks optimizer state TF.js saves with `includeOptimizer` (skipped by Axon). */
  group?: string;
}

/** One entry of model.json's `weightsManifest`: the files (in order) that hold these weights' bytes. */
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

/** `trainingConfig` of model.json (Keras snake_case keys; TF.js camelCase inside `optimizer_config.config`). */
export interface TrainingConfig {
  /** 'categorical_crossentropy', or Keras's `{ class_name, config }` for a loss with options. */
  loss: string | JsonObject;
  /** Metric names, e.g. ['accuracy']. */
  /** Metric names; TF.js writes {} for none (and Keras may write { output: [names] }). */
  metrics?: string[] | Record<string, string[]> | null;
  optimizer_config: { class_name: string; config: JsonObject };
}

/**
 * A saved model in memory (TF.js `ModelArtifacts`): the Keras topology (snake_case), the weight specs and
 * the weight bytes (float32 little-endian, in spec order), and optionally the training config and
 * user-defined metadata (Axon's own under the key `axon`).
 */
export interface ModelArtifacts {
  /** `{ class_name: 'Sequential', config: { name, layers: [{ class_name, config }] }, keras_version, backend }`. */
  modelTopology: JsonObject;
  /** 'layers-model'. */
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  /** One buffer, or several whose concatenation is the data (TF.js `WeightData`). */
  weightData?: ArrayBuffer | ArrayBuffer[];
  trainingConfig?: TrainingConfig;
  /** Free-form JSON; Axon keeps its metadata under `userDefinedMetadata.axon`. */
  userDefinedMetadata?: { [key: string]: unknown };
}

/** What a save reports (TF.js `SaveResult`). */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: 'JSON';
    modelTopologyBytes: number;
    weightSpecsBytes: number;
    weightDataBytes: number;
  };
}

/**
 * Where models are saved to or loaded from (TF.js `IOHandler`): `save` receives the artifacts, `load`
 * produces them. `description` (Axon only) names the source in error messages, e.g. a file path.
 */
export interface IOHandler {
  save?: (artifacts: ModelArtifacts) => Promise<SaveResult>;
  load?: () => Promise<ModelArtifacts>;
  readonly description?: string;
}

/** Options of `model.save`. */
export interface SaveConfig {
  /**
   * Write the compiled loss, metrics and optimizer (class and hyperparameters) as `trainingConfig`, so a
   * loaded model can continue training. Default true. Optimizer state (moments) is not saved.
   */
  includeOptimizer?: boolean;
  /**
   * Axon metadata to store under `userDefinedMetadata.axon` instead of `model.metadata` (JSON data: feature
   * scalers, class names, ...).
   */
  metadata?: Record<string, unknown>;
}
