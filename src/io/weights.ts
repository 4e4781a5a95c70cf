/**
 * Weight bytes: float32 little-endian values, tensor after tensor in manifest order (the TF.js layout),
 * and the checks that a manifest and its bytes agree before anything is decoded.
 */

import type { OptimizerStateEntry } from '../optim/optimizer.js';
import { formatShape } from '../tensor/shape.js';
import type { Variable } from '../tensor/tensor.js';
import { parseJson } from './json.js';
import type { WeightDType, WeightSpec } from './types.js';

const BYTES: Readonly<Record<WeightDType, number | null>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  string: null,
};

/**
 * Number of values of a shape ([] is a scalar: 1).
 * @example sizeOfShape([2, 3]) // 6
 */
export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Bytes one spec occupies in the weight data; throws for dtypes without a fixed size.
 * @example specBytes({ name: 'd/kernel', shape: [2, 3], dtype: 'float32' }, 'model.json') // 24
 */
export function specBytes(spec: WeightSpec, source: string): number {
  const bytes = BYTES[spec.dtype];
  if (bytes === null) {
    throw new Error(`${source}: weight '${spec.name}' has dtype '${spec.dtype}', which Axon cannot read`);
  }
  return sizeOfShape(spec.shape) * bytes;
}

/**
 * Total bytes the specs describe.
 * @example expectedBytes(artifacts.weightSpecs, 'model.json') // 68
 */
export function expectedBytes(specs: readonly WeightSpec[], source: string): number {
  let total = 0;
  for (const spec of specs) total += specBytes(spec, source);
  return total;
}

/**
 * Specs and float32 little-endian bytes of `weights`, in order, named by the variables' names.
 * @example const { specs, data } = encodeWeights(model.weights);
 */
export function encodeWeights(weights: readonly Variable[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  let total = 0;
  for (const w of weights) total += w.size;
  const data = new ArrayBuffer(total * 4);
  const view = new DataView(data);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const w of weights) {
    if (w.name === undefined || w.name === '') throw new Error('save: every weight needs a name to be saved');
    specs.push({ name: w.name, shape: [...w.shape], dtype: 'float32' });
    const values = w.values;
    // DataView with littleEndian = true: the file layout does not depend on the machine's byte order.
    for (let i = 0; i < values.length; i++) view.setFloat32(offset + 4 * i, values[i], true);
    offset += 4 * values.length;
  }
  return { specs, data };
}

/**
 * Specs (group 'optimizer', as TF.js's `includeOptimizer` writes them) and little-endian bytes of an
 * optimizer's state, in order.
 * @example const { specs, data } = encodeOptimizerState(optimizer.getState(model.trainableWeights));
 */
export function encodeOptimizerState(entries: readonly OptimizerStateEntry[]): {
  specs: WeightSpec[];
  data: ArrayBuffer;
} {
  let total = 0;
  for (const e of entries) total += e.values.length;
  const data = new ArrayBuffer(total * 4);
  const view = new DataView(data);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const e of entries) {
    specs.push({ name: e.name, shape: [...e.shape], dtype: e.dtype, group: 'optimizer' });
    for (let i = 0; i < e.values.length; i++) {
      if (e.dtype === 'int32') view.setInt32(offset + 4 * i, e.values[i], true);
      else view.setFloat32(offset + 4 * i, e.values[i], true);
    }
    offset += 4 * e.values.length;
  }
  return { specs, data };
}

/**
 * The optimizer state in the weight data (specs of group 'optimizer', float32 or int32), in order.
 * @example const entries = decodeOptimizerState(specs, buffer, 'model.json');
 */
export function decodeOptimizerState(
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  source: string,
): OptimizerStateEntry[] {
  const view = new DataView(data);
  const out: OptimizerStateEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const bytes = specBytes(spec, source);
    if (spec.group === 'optimizer') {
      if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
        throw new Error(
          `${source}: optimizer state '${spec.name}' has dtype '${spec.dtype}'; expected float32 or int32`,
        );
      }
      const n = bytes / 4;
      const values = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) {
        values[i] =
          spec.dtype === 'int32'
            ? view.getInt32(offset + 4 * i, true)
            : view.getFloat32(offset + 4 * i, true);
      }
      out.push({ name: spec.name, shape: [...spec.shape], dtype: spec.dtype, values });
    }
    offset += bytes;
  }
  return out;
}

/**
 * One contiguous buffer from TF.js `WeightData` (a buffer or a list of buffers).
 * @example concatBuffers([new ArrayBuffer(4), new ArrayBuffer(8)]).byteLength // 12
 */
export function concatBuffers(data: ArrayBuffer | readonly ArrayBuffer[]): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  if (data.length === 1) return data[0];
  let total = 0;
  for (const b of data) total += b.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/**
 * Throws unless `actual` bytes are what the specs need, naming `dataLabel` (e.g. the weights file), the
 * expected and actual sizes, and whether the data is truncated or has extra bytes.
 * @example checkWeightBytes(specs, data.byteLength, 'model.json', 'weights.bin');
 */
export function checkWeightBytes(
  specs: readonly WeightSpec[],
  actual: number,
  source: string,
  dataLabel: string,
): void {
  const expected = expectedBytes(specs, source);
  if (actual === expected) return;
  const what = actual < expected ? 'truncated' : 'larger than the manifest describes';
  throw new Error(
    `${dataLabel}: expected ${expected} bytes for the ${specs.length} weights listed in ${source} but found ${actual} bytes (${what})`,
  );
}

/**
 * The float32 values of each spec, by name, read from `data` at the spec's offset (specs in data order).
 * Specs `take` rejects (TF.js's 'optimizer' group) are stepped over. Assumes `checkWeightBytes` passed.
 * @example decodeFloat32(specs, data, 'model.json', (s) => s.group !== 'optimizer').get('dense/bias')
 */
export function decodeFloat32(
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  source: string,
  take: (spec: WeightSpec) => boolean,
): Map<string, Float32Array> {
  const view = new DataView(data);
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    const bytes = specBytes(spec, source);
    if (take(spec)) {
      if (spec.dtype !== 'float32') {
        throw new Error(
          `${source}: weight '${spec.name}' ${formatShape(spec.shape)} has dtype '${spec.dtype}'; model weights must be float32`,
        );
      }
      const n = bytes / 4;
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(offset + 4 * i, true);
      out.set(spec.name, values);
    }
    offset += bytes;
  }
  return out;
}

/**
 * What a file:// save records in model.json about its one weight file, so that a loader can tell whether
 * the weights.bin beside it belongs to it (see io/file-handler.ts): the byte length and the SHA-256 (hex).
 */
export interface WeightsChecksum {
  bytes: number;
  sha256: string;
}

/**
 * The key of the checksum in model.json's (single) `weightsManifest` group: `{ paths, weights, axon:
 * { bytes, sha256 } }`. The manifest group rather than `userDefinedMetadata.axon`, which holds the user's
 * metadata verbatim (`model.metadata`); TF.js and the Python converter read only `paths` and `weights`.
 */
export const CHECKSUM_KEY = 'axon';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The checksum recorded in parsed model.json, or null when there is none (TF.js, Keras, older Axon), the
 * manifest has several groups, or the record is malformed (then the file loads as a TF.js one would).
 * @example weightsChecksumOf(JSON.parse(text)) // { bytes: 68, sha256: '3f1c…' }
 */
export function weightsChecksumOf(modelJson: unknown): WeightsChecksum | null {
  if (!isRecord(modelJson)) return null;
  const groups = modelJson.weightsManifest;
  if (!Array.isArray(groups) || groups.length !== 1 || !isRecord(groups[0])) return null;
  const record = groups[0][CHECKSUM_KEY];
  if (!isRecord(record)) return null;
  const { bytes, sha256 } = record;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { bytes, sha256 };
}

/**
 * model.json text with `checksum` recorded in its single manifest group (re-serialized as
 * `toModelJson` writes it, one-space indent). `source` names the text in a JSON syntax error.
 * @example withWeightsChecksum(json, { bytes: 68, sha256: '3f1c…' }, 'model.json')
 */
export function withWeightsChecksum(json: string, checksum: WeightsChecksum, source: string): string {
  const modelJson = parseJson(json, source);
  const groups = isRecord(modelJson) ? modelJson.weightsManifest : undefined;
  if (!Array.isArray(groups) || groups.length !== 1 || !isRecord(groups[0])) {
    throw new Error(`${source}: a weights checksum needs a weightsManifest with exactly one group`);
  }
  groups[0][CHECKSUM_KEY] = { bytes: checksum.bytes, sha256: checksum.sha256 };
  return JSON.stringify(modelJson, null, 1);
}
