/**
 * A Sequential model from TF.js Layers artifacts, with every step checked: the structure (zod), the
 * layer classes and options (the layer constructors), the weights manifest against the weights the
 * topology creates (names, count, shapes, dtype), the byte count, the training config. Each failure is
 * one message naming the source and what was expected. Nothing in a file is ever executed: configs are
 * JSON data read by JSON.parse and turned into layers by a fixed table of classes.
 */
import { Sequential } from '../model/sequential.js';
import { layerFromConfig } from '../nn/layers/index.js';
import type { Layer } from '../nn/layers/layer.js';
import { Random, withRandom } from '../tensor/random.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { getLoadHandler } from './handlers.js';
import { toJsonData } from './json.js';
import { pythonicToTs } from './keras-case.js';
import { METADATA_KEY } from './save.js';
import { artifactsSchema, parseWith, sequentialTopologySchema } from './schema.js';
import { compileArgsOf } from './training-config.js';
import type { IOHandler, JsonObject, ModelArtifacts } from './types.js';
import { checkWeightBytes, concatBuffers, decodeFloat32, decodeOptimizerState } from './weights.js';

type Artifacts = ReturnType<typeof artifactsSchema.parse>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON parts as plain data (no cycles, no `__proto__` keys, no absurd nesting), then the schema. */
function checkArtifacts(raw: ModelArtifacts, source: string): Artifacts {
  if (!isObject(raw))
    throw new Error(`${source}: expected model artifacts ({ modelTopology, weightSpecs, weightData })`);
  const copy: Record<string, unknown> = { ...raw };
  for (const key of ['modelTopology', 'trainingConfig', 'userDefinedMetadata'] as const) {
    const value = raw[key];
    if (value !== undefined && value !== null && !(value instanceof ArrayBuffer)) {
      copy[key] = toJsonData(value, `${source}: ${key}`);
    }
  }
  return parseWith(artifactsSchema, copy, source);
}

function buildModel(topology: JsonObject, source: string): Sequential {
  // Keras's full-model JSON wraps the architecture in model_config (TF.js unwraps it the same way).
  const inner = isObject(topology.model_config) ? topology.model_config : topology;
  const prefix = inner === topology ? ['modelTopology'] : ['modelTopology', 'model_config'];
  const wrapped = Array.isArray(inner.config) ? { ...inner, config: { layers: inner.config } } : inner;
  const parsed = parseWith(sequentialTopologySchema, wrapped, source, prefix);
  if (parsed.class_name !== 'Sequential') {
    throw new Error(
      `${source}: the model class is '${parsed.class_name}', but Axon loads Sequential models only (a stack of layers)`,
    );
  }
  const { layers: layerSpecs, name } = parsed.config;
  const layers: Layer[] = [];
  let inputShape: unknown;
  layerSpecs.forEach((spec, i) => {
    const layerName = typeof spec.config?.name === 'string' ? ` '${spec.config.name}'` : '';
    const where = `${source}: layer ${i} (${spec.class_name}${layerName})`;
    const config = pythonicToTs(spec.config ?? {}, where) as JsonObject;
    // A Keras InputLayer only declares the input shape; it becomes the next layer's batchInputShape.
    if (spec.class_name === 'InputLayer') {
      inputShape = config.batchInputShape ?? config.batchShape;
      return;
    }
    if (inputShape !== undefined && config.batchInputShape === undefined)
      config.batchInputShape = inputShape as JsonObject[string];
    inputShape = undefined;
    if (typeof config.dtype === 'string' && config.dtype !== 'float32') {
      throw new Error(`${where}: dtype '${config.dtype}' is not supported (Axon layers compute in float32)`);
    }
    try {
      layers.push(layerFromConfig({ className: spec.class_name, config }));
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message.replace(/^layerFromConfig: /, '')}`);
    }
  });
  try {
    return new Sequential({ name, layers });
  } catch (error) {
    throw new Error(`${source}: the layers do not form a model: ${(error as Error).message}`);
  }
}

function describeSpec(spec: { name?: string; shape: readonly number[] }): string {
  return `'${spec.name}' ${formatShape(spec.shape)}`;
}

function listSome(items: string[], max = 8): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')}, … (${items.length} in all)`;
}

function loadWeights(model: Sequential, artifacts: Artifacts, source: string): void {
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  // Topology only (TF.js allows it): the model keeps its freshly initialized weights.
  if (artifacts.weightSpecs == null && data == null) return;
  if (data == null)
    throw new Error(
      `${source}: the weights manifest lists ${specs.length} weights but there is no weight data`,
    );
  const buffer = concatBuffers(data);
  checkWeightBytes(specs, buffer.byteLength, source, `${source} (weight data)`);
  // TF.js stores optimizer state (with includeOptimizer) in the 'optimizer' group; Axon skips it.
  const own = specs.filter((s) => s.group !== 'optimizer');
  const seen = new Set<string>();
  for (const spec of own) {
    if (spec.quantization !== undefined && spec.quantization !== null) {
      throw new Error(`${source}: weight '${spec.name}' is quantized; Axon reads float32 weights only`);
    }
    if (seen.has(spec.name)) throw new Error(`${source}: the weights manifest lists '${spec.name}' twice`);
    seen.add(spec.name);
  }
  if (!model.built && own.length > 0) {
    throw new Error(
      `${source}: the first layer declares no batch_input_shape, so the model cannot be built to receive its ${own.length} weights`,
    );
  }
  const vars = model.built ? model.weights : [];
  const expected = new Map(vars.map((v) => [v.name ?? '', v]));
  const missing = vars.filter((v) => !seen.has(v.name ?? '')).map((v) => describeSpec(v));
  const unexpected = own.filter((s) => !expected.has(s.name)).map(describeSpec);
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${listSome(missing)}` : '',
      unexpected.length > 0 ? `not in the model ${listSome(unexpected)}` : '',
    ].filter((p) => p !== '');
    throw new Error(
      `${source}: the weights manifest (${own.length} weights) does not match the model the topology describes ` +
        `(${vars.length} weights: ${listSome(vars.map((v) => describeSpec(v)))}): ${parts.join('; ')}`,
    );
  }
  for (const spec of own) {
    const v = expected.get(spec.name);
    if (v !== undefined && !shapesEqual(v.shape, spec.shape)) {
      throw new Error(
        `${source}: weight '${spec.name}' has shape ${formatShape(spec.shape)} in the weights manifest but the model needs ${formatShape(v.shape)}`,
      );
    }
  }
  const values = decodeFloat32(specs, buffer, source, (s) => s.group !== 'optimizer');
  model.setWeights(vars.map((v) => new Tensor(values.get(v.name ?? '') as Float32Array, v.shape)));
}

/** The optimizer state saved with the weights (group 'optimizer'), into the freshly compiled optimizer. */
function restoreOptimizerState(model: Sequential, artifacts: Artifacts, source: string): void {
  const specs = artifacts.weightSpecs ?? [];
  if (!specs.some((s) => s.group === 'optimizer') || artifacts.weightData == null) return;
  const entries = decodeOptimizerState(specs, concatBuffers(artifacts.weightData), source);
  model.compiled?.optimizer.setState?.(model.trainableWeights, entries, `${source}: optimizer state`);
}

/**
 * The model the artifacts describe, with its weights, compiled state (from `trainingConfig`) and Axon
 * metadata (`userDefinedMetadata.axon` → `model.metadata`). `source` names the artifacts in errors.
 * @example const model = ax.io.modelFromArtifacts(artifacts);
 */
export function modelFromArtifacts(raw: ModelArtifacts, source = 'model artifacts'): Sequential {
  const artifacts = checkArtifacts(raw, source);
  // Layers draw initial weights that the saved ones replace: draw them from a throwaway stream so that
  // loading a model does not move the user's seeded one.
  const model = withRandom(new Random(0), () => {
    const built = buildModel(artifacts.modelTopology as JsonObject, source);
    loadWeights(built, artifacts, source);
    return built;
  });
  if (artifacts.trainingConfig != null) {
    const where = `${source}: trainingConfig`;
    const args = compileArgsOf(artifacts.trainingConfig, where);
    try {
      model.compile(args);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    restoreOptimizerState(model, artifacts, source);
  }
  const metadata = artifacts.userDefinedMetadata?.[METADATA_KEY];
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata))
      throw new Error(`${source}: userDefinedMetadata.${METADATA_KEY} must be an object`);
    model.metadata = metadata;
  }
  return model;
}

/**
 * Loads a model saved by Axon, TF.js (`model.save`) or converted from Keras, from a URL
 * ('file://dir/model.json' in Node) or an IOHandler (`ax.io.fromMemory(artifacts)`, `ax.io.memory()`).
 * @example
 * const model = await ax.loadModel('file://models/iris/model.json');
 * model.predict(ax.tensor([[5.1, 3.5, 1.4, 0.2]]));
 */
export async function loadModel(handlerOrUrl: string | IOHandler): Promise<Sequential> {
  const handler = typeof handlerOrUrl === 'string' ? getLoadHandler(handlerOrUrl) : handlerOrUrl;
  if (typeof handler !== 'object' || handler === null || typeof handler.load !== 'function') {
    throw new Error(
      "loadModel: expected a URL such as 'file://models/iris/model.json' or an IOHandler with a load method (e.g. ax.io.fromMemory(artifacts))",
    );
  }
  const artifacts = await handler.load();
  const source = handler.description ?? (typeof handlerOrUrl === 'string' ? handlerOrUrl : 'model artifacts');
  return modelFromArtifacts(artifacts, source);
}
