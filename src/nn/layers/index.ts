/** `ax.layers`: TF.js-style layer factories, and rebuilding a layer from its `{ className, config }`. */
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { type ActivationArgs, ActivationLayer, Dropout, type DropoutArgs, Flatten } from './core.js';
import { Dense, type DenseArgs } from './dense.js';
import type { Layer, LayerArgs } from './layer.js';
import type { SerializedObject } from './serialize.js';

export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { type ActivationArgs, ActivationLayer, Dropout, type DropoutArgs, Flatten } from './core.js';
export { Dense, type DenseArgs } from './dense.js';
export { type CallArgs, Layer, type LayerArgs, type Shape } from './layer.js';
export type { ConfigValue, InitializerSpec, RegularizerSpec, SerializedObject } from './serialize.js';

/**
 * Layer factories, named as in TF.js (`tf.layers.dense(...)`).
 * @example
 * const model = ax.sequential({ layers: [
 *   ax.layers.dense({ units: 512, inputShape: [784], activation: 'relu' }),
 *   ax.layers.dropout({ rate: 0.2 }),
 *   ax.layers.dense({ units: 10, activation: 'softmax' }),
 * ]});
 */
export const layers = {
  /** Fully connected: activation(x·W + b). @example ax.layers.dense({ units: 3, inputDim: 2, activation: 'sigmoid' }) */
  dense: (args: DenseArgs): Dense => new Dense(args),
  /** An activation function as a layer. @example ax.layers.activation({ activation: 'relu' }) */
  activation: (args: ActivationArgs): ActivationLayer => new ActivationLayer(args),
  /** Inverted dropout, active only in training. @example ax.layers.dropout({ rate: 0.5 }) */
  dropout: (args: DropoutArgs): Dropout => new Dropout(args),
  /** [batch, ...] → [batch, product]. @example ax.layers.flatten({ inputShape: [28, 28] }) */
  flatten: (args: LayerArgs = {}): Flatten => new Flatten(args),
  /** Batch normalization (Keras defaults). @example ax.layers.batchNormalization() */
  batchNormalization: (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args),
} as const;

type LayerFactory = (config: SerializedObject['config']) => Layer;

// Config values are the constructors' own option names (TF.js form), so each class takes its config back.
const registry = new Map<string, LayerFactory>([
  ['Dense', (c) => new Dense(c as unknown as DenseArgs)],
  ['Activation', (c) => new ActivationLayer(c as unknown as ActivationArgs)],
  ['Dropout', (c) => new Dropout(c as unknown as DropoutArgs)],
  ['Flatten', (c) => new Flatten(c as unknown as LayerArgs)],
  ['BatchNormalization', (c) => new BatchNormalization(c as unknown as BatchNormalizationArgs)],
]);

function withoutNulls(config: SerializedObject['config']): SerializedObject['config'] {
  const out: SerializedObject['config'] = {};
  for (const [k, v] of Object.entries(config)) if (v !== null) out[k] = v;
  return out;
}

/**
 * Registers a layer class for `layerFromConfig` (custom layers, or io modules reading other formats).
 * @example registerLayerClass('MyLayer', (config) => new MyLayer(config));
 */
export function registerLayerClass(className: string, factory: LayerFactory): void {
  registry.set(className, factory);
}

/**
 * A new layer from `{ className, config }` as `layer.getConfig()` and TF.js model.json (camelCase) give it.
 * The layer gets the config's name; its weights are fresh (set them with setWeights).
 * @example
 * const copy = layerFromConfig({ className: 'Dense', config: dense.getConfig() });
 */
export function layerFromConfig(spec: SerializedObject): Layer {
  const factory = registry.get(spec?.className);
  if (factory === undefined) {
    throw new Error(
      `layerFromConfig: unknown layer class '${String(spec?.className)}' (known: ${[...registry.keys()].join(', ')})`,
    );
  }
  return factory(withoutNulls(spec.config ?? {}));
}
