/**
 * The crash-safe save sequence of the `file://` handler (Node only; see file-handler.ts for the design):
 * settle the folder, write temp files, keep weights.bin.prev, rename weights.bin then model.json, tidy up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { parseJson } from './json.js';
import { parseModelJson, WEIGHTS_FILE, weightPaths } from './model-json.js';
import { type WeightsChecksum, weightsChecksumOf, withWeightsChecksum } from './weights.js';

/** The model file name inside a saved model's folder. */
export const MODEL_FILE = 'model.json';

/** The previous weights, kept while a save replaces weights.bin (only an interrupted save leaves it). */
export const PREVIOUS_WEIGHTS_FILE = `${WEIGHTS_FILE}.prev`;

/** Test hooks of a save (see `FileHandlerOptions`). */
export interface SaveHooks {
  /** @internal A throw makes the named step fail; the save puts the old files back. */
  beforeStep?: (step: string) => void;
  /** @internal A throw acts as if the process died right after the named operation. */
  afterStep?: (step: string) => void;
}

/** The `code` of a Node.js system error ('ENOENT', ...). @example errorCode(error) === 'ENOENT' */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** SHA-256 of `bytes`, in hex. @example sha256(new Uint8Array(0)) // 'e3b0c442…' */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The checksum model.json records for `bytes`. @example checksumOf(weights) // { bytes: 68, sha256: '…' } */
export function checksumOf(bytes: Uint8Array): WeightsChecksum {
  return { bytes: bytes.length, sha256: sha256(bytes) };
}

/** Whether `bytes` are the weights `checksum` describes. @example matches(bytes, checksum) */
export function matches(bytes: Uint8Array, checksum: WeightsChecksum): boolean {
  return bytes.length === checksum.bytes && sha256(bytes) === checksum.sha256;
}

/** The save's disk operations, between the test hooks. */
class Steps {
  /** Set once `afterStep` threw: the process counts as dead, so nothing more may touch the disk. */
  crashed = false;
  constructor(private readonly options: SaveHooks) {}

  /** Runs one forward operation: it may fail (`beforeStep`) or crash right after (`afterStep`). */
  async run<T>(what: string, op: () => Promise<T>): Promise<T> {
    this.options.beforeStep?.(what);
    const out = await op();
    this.done(what);
    return out;
  }

  /** Reports an operation that has happened (rollback, clean-up): only a crash can follow it. */
  done(what: string): void {
    try {
      this.options.afterStep?.(what);
    } catch (error) {
      this.crashed = true;
      throw error;
    }
  }
}

/** Writes `data` to a new file `path` and flushes it to the disk before closing. */
async function writeDurable(path: string, data: Uint8Array): Promise<void> {
  const file = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** fsync of the folder, so renames reach the disk in order (not possible everywhere: best effort). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems cannot fsync a directory; the renames are still atomic.
  }
}

/** Whether `path` exists (a dangling link counts). @example await exists('/models/iris/model.json') */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** A second name for `from`: a hard link costs no copy; file systems without links get a flushed copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.link(from, to);
  } catch {
    await fs.copyFile(from, to, constants.COPYFILE_EXCL);
    const copy = await fs.open(to, 'r+');
    await copy.sync().finally(() => copy.close());
  }
}

/** Temp files are `.<name>.<pid>-<random>[.old].tmp`: the pid tells whether their save may still run. */
const TEMP_FILE = /^\.(?:model\.json|weights\.bin)\.(\d+)-([0-9a-f]+)(?:\.old)?\.tmp$/;

function tempPath(dir: string, name: string, tag: string, old = false): string {
  return join(dir, `.${name}.${tag}${old ? '.old' : ''}.tmp`);
}

/** Tags of this process's saves in progress, whose temp files are not stale. */
const inFlight = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Removes temp files left by saves that died; those of a save still running (here or elsewhere) stay. */
async function removeStaleTemps(dir: string, steps: Steps): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const match = TEMP_FILE.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    const running = pid === process.pid ? inFlight.has(`${pid}-${match[2]}`) : processAlive(pid);
    if (running) continue;
    await steps.run('remove a stale temp file', () =>
      fs.unlink(join(dir, name)).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error;
      }),
    );
  }
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** The folder's model.json when it names weights.bin as its only weight file; null otherwise. */
async function currentModelJson(
  path: string,
): Promise<{ text: string; checksum: WeightsChecksum | null } | null> {
  try {
    const text = await fs.readFile(path, 'utf8');
    const paths = weightPaths(parseModelJson(text, path), path);
    if (paths.length !== 1 || paths[0] !== WEIGHTS_FILE) return null;
    return { text, checksum: weightsChecksumOf(parseJson(text, path)) };
  } catch {
    // Missing or unreadable: no model to keep, so nothing to settle; the save replaces it.
    return null;
  }
}

/**
 * Before a save: an earlier interrupted save may have left the old model.json with the new weights.bin
 * (weights.bin.prev is put back), or a weights.bin.prev no longer needed (removed). model.json without a
 * checksum (TF.js, older Axon) first gets the checksum of its weights.bin, so that an interrupted save over
 * it can be detected. Each change is one atomic rename, so a crash here also leaves a matching pair.
 */
async function settle(dir: string, steps: Steps, tag: string): Promise<void> {
  const jsonPath = join(dir, MODEL_FILE);
  const binPath = join(dir, WEIGHTS_FILE);
  const prevPath = join(dir, PREVIOUS_WEIGHTS_FILE);
  const current = await currentModelJson(jsonPath);
  if (current !== null && current.checksum === null) {
    const bytes = await readIfExists(binPath);
    if (bytes !== null) {
      const text = withWeightsChecksum(current.text, checksumOf(bytes), jsonPath);
      const temp = tempPath(dir, MODEL_FILE, tag);
      try {
        await steps.run('write model.json with the checksum of weights.bin', () =>
          writeDurable(temp, new TextEncoder().encode(text)),
        );
        await steps.run('rename model.json with the checksum of weights.bin', () =>
          fs.rename(temp, jsonPath),
        );
      } catch (error) {
        if (!steps.crashed) await fs.unlink(temp).catch(() => undefined);
        throw error;
      }
      await syncDir(dir);
    }
  } else if (current?.checksum && (await exists(prevPath))) {
    const checksum = current.checksum;
    const own = await readIfExists(binPath);
    const prev = await readIfExists(prevPath);
    if (!(own !== null && matches(own, checksum)) && prev !== null && matches(prev, checksum)) {
      await steps.run('restore weights.bin from weights.bin.prev', () => fs.rename(prevPath, binPath));
      await syncDir(dir);
    }
  }
  if (await exists(prevPath)) await steps.run('remove weights.bin.prev', () => fs.unlink(prevPath));
}

interface Commit {
  name: string;
  data: Uint8Array;
  target: string;
  temp: string;
  /** Where the previous file is kept: weights.bin.prev for the weights (the loader looks there). */
  backupPath: string;
  /** The backup made, until it is consumed or removed; null when there was no previous file. */
  backup: string | null;
  done: boolean;
}

/** Removes `path` if it is there (clean-up, which must not hide the save's own error). */
async function removeQuietly(path: string, steps: Steps, what: string): Promise<void> {
  await fs.unlink(path).catch(() => undefined);
  steps.done(`remove ${what}`);
}

/** How the steps name a backup ('weights.bin.prev', 'model.json backup'). */
function backupName(c: Commit): string {
  return c.name === WEIGHTS_FILE ? PREVIOUS_WEIGHTS_FILE : `${c.name} backup`;
}

/** Steps 2–5 of file-handler.ts's comment, with rollback when a step fails with an error. */
async function commit(
  dir: string,
  files: readonly { name: string; data: Uint8Array }[],
  steps: Steps,
  tag: string,
): Promise<void> {
  const commits: Commit[] = files.map(({ name, data }) => ({
    name,
    data,
    target: join(dir, name),
    temp: tempPath(dir, name, tag),
    backupPath: name === WEIGHTS_FILE ? join(dir, PREVIOUS_WEIGHTS_FILE) : tempPath(dir, name, tag, true),
    backup: null,
    done: false,
  }));
  try {
    for (const c of commits) await steps.run(`write ${c.name}`, () => writeDurable(c.temp, c.data));
    for (const c of commits) {
      if (!(await exists(c.target))) continue;
      c.backup = c.backupPath;
      await steps.run(`backup ${c.name}`, () => linkOrCopy(c.target, c.backupPath));
    }
    // The backups are on disk before anything is replaced, and the weights' rename before model.json's.
    await syncDir(dir);
    for (const c of commits) {
      await steps.run(`rename ${c.name}`, () => fs.rename(c.temp, c.target));
      c.done = true;
      await syncDir(dir);
    }
  } catch (error) {
    if (steps.crashed) throw error;
    // Undo in reverse order (model.json first: the old model.json with the new weights still loads, from
    // weights.bin.prev), then remove what is left.
    for (const c of [...commits].reverse()) {
      if (!c.done) continue;
      if (c.backup !== null) await fs.rename(c.backup, c.target).catch(() => undefined);
      else await fs.unlink(c.target).catch(() => undefined);
      c.backup = null;
      steps.done(`restore ${c.name}`);
    }
    for (const c of commits) {
      if (!c.done) await removeQuietly(c.temp, steps, `temp ${c.name}`);
      if (c.backup !== null) await removeQuietly(c.backup, steps, backupName(c));
    }
    throw error;
  }
  // Committed: the backups are not needed any more.
  for (const c of commits) if (c.backup !== null) await removeQuietly(c.backup, steps, backupName(c));
}

/**
 * Saves model.json text and its weights into the folder `dir` (created if missing) so that neither an
 * error nor a crash at any point loses the model the folder held.
 * @example await saveFiles('/models/iris', weights, modelText, {});
 */
export async function saveFiles(
  dir: string,
  weights: Uint8Array,
  modelText: string,
  options: SaveHooks,
): Promise<void> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) {
      throw new Error(
        `save: '${dir}' is a file; file:// saves into a folder (it writes model.json and weights.bin there)`,
      );
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    await fs.mkdir(dir, { recursive: true });
  }
  const steps = new Steps(options);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  inFlight.add(tag);
  try {
    await removeStaleTemps(dir, steps);
    await settle(dir, steps, tag);
    const files = [
      { name: WEIGHTS_FILE, data: weights },
      { name: MODEL_FILE, data: new TextEncoder().encode(modelText) },
    ];
    await commit(dir, files, steps, tag);
  } finally {
    inFlight.delete(tag);
  }
}
