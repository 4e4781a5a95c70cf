/**
 * The `file://` handler (Node only): `model.save('file://dir')` writes dir/model.json and dir/weights.bin;
 * `loadModel('file://dir/model.json')` reads them back.
 *
 * Saving never loses the previous good model, even when the process dies at any moment, and the names
 * stay fixed (TF.js's convention, which the CLI and users rely on). model.json records the byte length and
 * SHA-256 of its weights (`weightsManifest[0].axon`), so a loader can tell whether weights.bin is its own.
 * A save:
 * 1. removes temp files of earlier crashed saves and settles the folder to one matching pair;
 * 2. writes both files to temp files in the folder and flushes them;
 * 3. hard-links (or copies) the current weights.bin to weights.bin.prev;
 * 4. renames the new weights.bin, then the new model.json, over the old ones (each rename is atomic);
 * 5. removes weights.bin.prev.
 * Between the two renames the folder holds the old model.json with the new weights.bin; the loader sees
 * the checksum differ and takes weights.bin.prev, the old model's own weights (with one warning). At every
 * other moment model.json and weights.bin match. A save that fails with an error (not a crash) also puts
 * the old files back and removes its temp files.
 *
 * SHA-256 (node:crypto, native, faster than a hash in JS) rather than a 32-bit hash: a mix of two saves
 * must never pass for a pair, and the cost is one pass over the bytes, which load reads anyway.
 * The save sequence itself is in file-save.ts.
 */
import * as fs from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import {
  checksumOf,
  errorCode,
  MODEL_FILE,
  matches,
  PREVIOUS_WEIGHTS_FILE,
  type SaveHooks,
  saveFiles,
  sha256,
} from './file-save.js';
import { artifactsInfo, type IORouter } from './handlers.js';
import { parseJson } from './json.js';
import {
  artifactsFromModelJson,
  checkWeightFileSizes,
  type ModelJson,
  parseModelJson,
  toModelJson,
  WEIGHTS_FILE,
  weightPaths,
} from './model-json.js';
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';
import { type WeightsChecksum, weightsChecksumOf, withWeightsChecksum } from './weights.js';

export { MODEL_FILE, PREVIOUS_WEIGHTS_FILE } from './file-save.js';

/** Options of `fileSystem`. */
export interface FileHandlerOptions extends SaveHooks {
  /**
   * @internal Called before each step of a save ('write weights.bin', 'rename model.json', ...); a throw
   * makes that step fail, and the save puts the old files back. Tests use it to show that every failure
   * point leaves the old model intact.
   */
  beforeStep?: (step: string) => void;
  /**
   * @internal Called after each disk operation of a save (rollback and clean-up included); a throw acts as
   * if the process died right there: the save stops, with no rollback and no clean-up. Tests use it to
   * show that a crash at any point leaves a folder that loads as the old or the new model.
   */
  afterStep?: (step: string) => void;
  /**
   * Receives the warning of a load that found weights.bin not matching model.json (an interrupted save)
   * and took weights.bin.prev instead. Default: `console.warn`.
   */
  onWarning?: (message: string) => void;
}

/** The folder a save path names: 'dir' or 'dir/model.json' both mean 'dir'. */
function saveDir(path: string): string {
  const full = resolve(path);
  return basename(full) === MODEL_FILE ? dirname(full) : full;
}

/** The last save into each folder: saves of this process into one folder run one after the other. */
const folderQueue = new Map<string, Promise<unknown>>();

async function save(
  path: string,
  artifacts: ModelArtifacts,
  options: FileHandlerOptions,
): Promise<SaveResult> {
  const dir = saveDir(path);
  // Everything that can fail on the model's side (JSON, sizes) fails here, before the disk is touched.
  const { json, weights } = toModelJson(artifacts, WEIGHTS_FILE);
  const modelText = withWeightsChecksum(json, checksumOf(weights), `save: ${MODEL_FILE}`);
  const previous = folderQueue.get(dir) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => saveFiles(dir, weights, modelText, options));
  folderQueue.set(dir, run);
  try {
    await run;
  } finally {
    if (folderQueue.get(dir) === run) folderQueue.delete(dir);
  }
  return artifactsInfo(artifacts);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw new Error(`loadModel: no ${what} at '${path}'`);
    if (code === 'EISDIR') throw new Error(`loadModel: '${path}' is a folder, expected ${what}`);
    throw new Error(`loadModel: cannot read '${path}': ${(error as Error).message}`);
  }
}

/** The manifest path is checked as text; a symbolic link could still lead out of the folder. */
async function checkInside(file: string, realDir: string, jsonPath: string): Promise<void> {
  const real = await fs.realpath(file);
  if (!real.startsWith(realDir + sep)) {
    throw new Error(
      `${jsonPath}: weight file '${file}' leads (through a symbolic link) to '${real}', outside the model's folder`,
    );
  }
}

function missingFile(jsonPath: string, file: string): Error {
  return new Error(`${jsonPath} lists the weight file '${file}', which does not exist`);
}

function artifactsOf(modelJson: ModelJson, jsonPath: string, file: string, bytes: Buffer): ModelArtifacts {
  checkWeightFileSizes(modelJson, [{ label: file, bytes: bytes.length }], jsonPath);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return artifactsFromModelJson(modelJson, data);
}

/** Loads weights.bin if it matches the recorded checksum, else weights.bin.prev if that does (warning). */
async function loadChecked(
  modelJson: ModelJson,
  jsonPath: string,
  checksum: WeightsChecksum,
  warn: (message: string) => void,
): Promise<ModelArtifacts> {
  const dir = dirname(jsonPath);
  const realDir = await fs.realpath(dir);
  const read = async (file: string): Promise<Buffer | null> => {
    const there = await fs.stat(file).then(
      () => true,
      (error: unknown) => {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      },
    );
    if (!there) return null;
    await checkInside(file, realDir, jsonPath);
    return fs.readFile(file);
  };
  const bin = join(dir, WEIGHTS_FILE);
  const bytes = await read(bin);
  if (bytes !== null && matches(bytes, checksum)) return artifactsOf(modelJson, jsonPath, bin, bytes);
  const prev = join(dir, PREVIOUS_WEIGHTS_FILE);
  const previous = await read(prev);
  if (previous !== null && matches(previous, checksum)) {
    warn(
      `loadModel: ${bin} does not match ${jsonPath} (a save was interrupted); loaded the model's own weights from ${prev} instead (saving into the folder again tidies it)`,
    );
    return artifactsOf(modelJson, jsonPath, prev, previous);
  }
  // No matching pair: the usual messages (missing file, wrong size) where they apply, else the checksum.
  if (bytes === null) throw missingFile(jsonPath, bin);
  checkWeightFileSizes(modelJson, [{ label: bin, bytes: bytes.length }], jsonPath);
  throw new Error(
    `${bin} does not match ${jsonPath} (checksum sha256 ${checksum.sha256.slice(0, 12)}… recorded, ${sha256(bytes).slice(0, 12)}… found); the save was interrupted? (no ${PREVIOUS_WEIGHTS_FILE} holds the recorded weights either)`,
  );
}

async function load(path: string, options: FileHandlerOptions): Promise<ModelArtifacts> {
  let jsonPath = resolve(path);
  const stat = await fs.stat(jsonPath).catch(() => null);
  if (stat?.isDirectory()) jsonPath = join(jsonPath, MODEL_FILE);
  const text = await readText(jsonPath, 'model file');
  const modelJson = parseModelJson(text, jsonPath);
  const dir = dirname(jsonPath);
  const names = weightPaths(modelJson, jsonPath);
  // The checksum (Axon's saves) covers the one weights.bin; TF.js files have none and load as in TF.js.
  if (names.length === 1 && names[0] === WEIGHTS_FILE) {
    const checksum = weightsChecksumOf(parseJson(text, jsonPath));
    const warn = options.onWarning ?? ((message: string) => console.warn(message));
    if (checksum !== null) return loadChecked(modelJson, jsonPath, checksum, warn);
  }
  const files = names.map((p) => join(dir, p));
  const realDir = await fs.realpath(dir);
  const sizes: { label: string; bytes: number }[] = [];
  for (const file of files) {
    const s = await fs.stat(file).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') throw missingFile(jsonPath, file);
      throw error;
    });
    await checkInside(file, realDir, jsonPath);
    sizes.push({ label: file, bytes: s.size });
  }
  // Sizes before contents: a wrong file is reported without reading it.
  checkWeightFileSizes(modelJson, sizes, jsonPath);
  const data = new Uint8Array(sizes.reduce((n, s) => n + s.bytes, 0));
  let offset = 0;
  for (const file of files) {
    const bytes = await fs.readFile(file);
    data.set(bytes, offset);
    offset += bytes.length;
  }
  return artifactsFromModelJson(modelJson, data.buffer);
}

/**
 * A handler for a folder on disk (TF.js's tfjs-node `tf.io.fileSystem`): saving writes `<path>/model.json`
 * and `<path>/weights.bin` (creating the folder) so that no failure or crash loses the previous model;
 * loading reads `<path>` as model.json or as the folder holding it.
 * @example
 * await model.save(ax.io.fileSystem('models/iris'));           // same as model.save('file://models/iris')
 * const m = await ax.loadModel(ax.io.fileSystem('models/iris/model.json'));
 */
export function fileSystem(path: string, options: FileHandlerOptions = {}): IOHandler {
  if (typeof path !== 'string' || path.length === 0) {
    throw new Error("io.fileSystem: expected a folder path, e.g. 'models/iris'");
  }
  const resolved = resolve(path);
  return {
    description: resolved.endsWith('.json') ? resolved : join(resolved, MODEL_FILE),
    save: (artifacts) => save(path, artifacts, options),
    load: () => load(path, options),
  };
}

/**
 * 'file://models/iris' → fileSystem('models/iris') (relative to the working directory, as in TF.js).
 * @example ax.io.registerSaveRouter(fileRouter); // done by the Node entry
 */
export const fileRouter: IORouter = {
  scheme: 'file://',
  create: (url) => fileSystem(url.slice('file://'.length)),
};
