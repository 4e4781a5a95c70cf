/**
 * The two files of the TF.js Layers format — model.json (topology, weights manifest, training config,
 * metadata) and the weight file(s) — to and from artifacts. Browser-safe: the Node file handler and
 * `io.fromModelJson` (files picked in a browser) share it.
 */
import { parseJson, toJsonData } from './json.js';
import { modelJsonSchema, parseWith } from './schema.js';
import type { IOHandler, ModelArtifacts, WeightSpec } from './types.js';
import { concatBuffers, expectedBytes } from './weights.js';

/** model.json, parsed and checked. */
export type ModelJson = ReturnType<typeof modelJsonSchema.parse>;

/** The weight file Axon writes next to model.json. */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * model.json text and the weight bytes for `artifacts`, the weights in one file named `weightsPath`.
 * Throws before producing anything when a part cannot be written as JSON.
 * @example const { json, weights } = ax.io.toModelJson(ax.io.modelToArtifacts(model));
 */
export function toModelJson(
  artifacts: ModelArtifacts,
  weightsPath: string = WEIGHTS_FILE,
): { json: string; weights: Uint8Array } {
  const body: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig !== undefined) body.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) body.userDefinedMetadata = artifacts.userDefinedMetadata;
  // toJsonData first: JSON.stringify would silently turn NaN into null or drop functions.
  const json = JSON.stringify(toJsonData(body, 'save: model.json'), null, 1);
  const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : concatBuffers(artifacts.weightData);
  return { json, weights: new Uint8Array(data) };
}

/**
 * model.json text, parsed (with the line and column of a syntax error) and checked against the schema.
 * @example const modelJson = parseModelJson(text, '/models/iris/model.json');
 */
export function parseModelJson(text: string, source: string): ModelJson {
  const value = parseJson(text, source);
  return parseWith(modelJsonSchema, toJsonData(value, source), source);
}

/**
 * A weight-file path from the manifest, checked to stay inside the model's folder: relative, no '..',
 * no drive or URL scheme. Returns it with '.' segments removed ('./weights.bin' → 'weights.bin').
 * @example checkWeightPath('../secret.bin', 'model.json') // throws
 */
export function checkWeightPath(path: string, source: string): string {
  const bad = (why: string): never => {
    throw new Error(
      `${source}: weight file path '${path}' ${why}; weight files must be relative paths inside the model's folder (e.g. 'weights.bin')`,
    );
  };
  if (path.includes('\0')) bad('contains a NUL character');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) bad('has a drive letter or URL scheme');
  if (path.startsWith('/') || path.startsWith('\\')) bad('is absolute');
  const segments = path.split(/[/\\]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) bad("climbs out of the model's folder with '..'");
  if (segments.length === 0) bad('names no file');
  return segments.join('/');
}

/**
 * Every weight file of the manifest, in data order, each checked by `checkWeightPath`.
 * @example weightPaths(modelJson, 'model.json') // ['weights.bin']
 */
export function weightPaths(modelJson: ModelJson, source: string): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => checkWeightPath(p, source)));
}

/**
 * The manifest's weight specs, in data order.
 * @example weightSpecsOf(modelJson).map((s) => s.name) // ['dense/kernel', 'dense/bias']
 */
export function weightSpecsOf(modelJson: ModelJson): WeightSpec[] {
  return modelJson.weightsManifest.flatMap((group) => group.weights);
}

/**
 * Throws unless the weight files together hold exactly the bytes the manifest describes, naming the
 * files, the expected and the actual byte counts.
 * @example checkWeightFileSizes(modelJson, [{ label: 'dir/weights.bin', bytes: 68 }], 'dir/model.json');
 */
export function checkWeightFileSizes(
  modelJson: ModelJson,
  files: readonly { label: string; bytes: number }[],
  source: string,
): void {
  const expected = expectedBytes(weightSpecsOf(modelJson), source);
  const actual = files.reduce((n, f) => n + f.bytes, 0);
  if (actual === expected) return;
  const label =
    files.length === 1 ? files[0].label : files.map((f) => `${f.label} (${f.bytes} bytes)`).join(' + ');
  const what = actual < expected ? 'truncated' : 'larger than the manifest describes';
  throw new Error(
    `${label}: expected ${expected} bytes for the ${weightSpecsOf(modelJson).length} weights listed in ${source} but found ${actual} bytes (${what})`,
  );
}

/**
 * Artifacts from a checked model.json and the concatenated bytes of its weight files.
 * @example const artifacts = artifactsFromModelJson(modelJson, bytes.buffer);
 */
export function artifactsFromModelJson(modelJson: ModelJson, weightData: ArrayBuffer): ModelArtifacts {
  const artifacts: ModelArtifacts = {
    modelTopology: modelJson.modelTopology as ModelArtifacts['modelTopology'],
    format: modelJson.format,
    generatedBy: modelJson.generatedBy ?? undefined,
    convertedBy: modelJson.convertedBy ?? null,
    weightSpecs: weightSpecsOf(modelJson),
    weightData,
  };
  if (modelJson.trainingConfig != null)
    artifacts.trainingConfig = modelJson.trainingConfig as ModelArtifacts['trainingConfig'];
  if (modelJson.userDefinedMetadata != null) artifacts.userDefinedMetadata = modelJson.userDefinedMetadata;
  return artifacts;
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.slice().buffer as ArrayBuffer;
}

/**
 * A handler that loads model.json text and its weight files given by path (e.g. files a user picked in
 * the browser): `{ 'weights.bin': buffer }`.
 * @example const model = await ax.loadModel(ax.io.fromModelJson(jsonText, { 'weights.bin': bytes }));
 */
export function fromModelJson(
  json: string,
  weightFiles: Readonly<Record<string, ArrayBuffer | Uint8Array>>,
  source = 'model.json',
): IOHandler {
  return {
    description: source,
    load: async () => {
      const modelJson = parseModelJson(json, source);
      const paths = weightPaths(modelJson, source);
      const given = new Map(
        Object.entries(weightFiles).map(([k, v]) => [checkWeightPath(k, 'io.fromModelJson'), v]),
      );
      const buffers = paths.map((p) => {
        const bytes = given.get(p);
        if (bytes === undefined) {
          throw new Error(
            `${source} lists the weight file '${p}', which was not given (given: ${[...given.keys()].join(', ') || 'none'})`,
          );
        }
        return toArrayBuffer(bytes);
      });
      checkWeightFileSizes(
        modelJson,
        paths.map((p, i) => ({ label: p, bytes: buffers[i].byteLength })),
        source,
      );
      return artifactsFromModelJson(modelJson, concatBuffers(buffers));
    },
  };
}
