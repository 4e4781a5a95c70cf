/**
 * The Node-only side of the data loaders: files on disk. Importing this module registers the Node file
 * system (for `mnist.load({ dir })`, the download cache and the real-data loaders), Node's native zlib
 * (several times faster than the pure-JS gunzip on MNIST) and Node's build of csv-parse (faster than
 * the browser build). It is exported from the Node entry (src/node.ts), never from the core.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gunzip as zlibGunzip } from 'node:zlib';
import { parse as parseNode } from 'csv-parse/sync';
import { type CsvDataset, type CsvFeatures, type CsvOptions, parseCsv, parseCsvFeatures } from './csv.js';
import { type CsvEngine, setCsvEngine } from './csv-layout.js';
import { type DataFileSystem, setDataFileSystem } from './files.js';
import { setNativeGunzip } from './gzip.js';
import { type IdxArray, type ParseIdxOptions, parseIdx } from './idx.js';

const gunzipAsync = promisify(zlibGunzip);

function describeError(path: string, error: unknown): Error {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return new Error(`file not found: ${path}`);
  if (code === 'EISDIR') return new Error(`${path} is a directory, not a file`);
  if (code === 'EACCES' || code === 'EPERM') return new Error(`permission denied: ${path}`);
  return new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

let tempCounter = 0;

/** The Node implementation of the loaders' file system. */
export const nodeFileSystem: DataFileSystem = {
  async readFile(path: string): Promise<Uint8Array> {
    try {
      const buffer = await readFile(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw describeError(path, error);
    }
  },
  async writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    // Same folder, so the rename is atomic; a crash leaves a stray temp file, never a torn target.
    const temp = `${path}.${process.pid}.${tempCounter++}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
  async isFile(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isFile();
    } catch {
      return false;
    }
  },
  join(...parts: string[]): string {
    return join(...parts);
  },
  cacheDir(): string {
    const fromEnv = process.env.AXON_CACHE_DIR;
    if (fromEnv) return fromEnv;
    const xdg = process.env.XDG_CACHE_HOME;
    return join(xdg && xdg !== '' ? xdg : join(homedir(), '.cache'), 'axon');
  },
  async gunzip(bytes: Uint8Array): Promise<Uint8Array> {
    const out = await gunzipAsync(bytes, { chunkSize: outputChunkSize(bytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
};

/**
 * zlib collects its output in chunks and joins them at the end, briefly holding the data twice (about 90 MB
 * extra for MNIST's training images). A gzip member's last four bytes give its uncompressed size, so one chunk
 * of that size avoids the join. A wrong or truncated trailer only costs the usual extra chunks.
 */
function outputChunkSize(bytes: Uint8Array): number {
  if (bytes.length < 18) return 64 * 1024;
  const n = bytes.length;
  const size = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  return Math.min(Math.max(size + 1, 64 * 1024), 1 << 30);
}

/**
 * Registers the Node file system, native gunzip and Node's csv-parse with the core loaders. Runs
 * when this module is imported; calling it again is harmless.
 * @example
 * installNodeFiles();
 */
export function installNodeFiles(): void {
  setDataFileSystem(nodeFileSystem);
  setNativeGunzip((bytes) => {
    const out = gunzipSync(bytes, { chunkSize: outputChunkSize(bytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  });
  setCsvEngine(parseNode as unknown as CsvEngine);
}

installNodeFiles();

/**
 * Reads and parses a CSV file (plain or .gz); errors start with the path.
 * @example
 * const { x, y, classNames } = await ax.readCsvFile('iris.csv', { target: -1 });
 */
export async function readCsvFile(path: string, options: CsvOptions = {}): Promise<CsvDataset> {
  const bytes = await nodeFileSystem.readFile(path);
  return parseCsv(bytes, { source: path, ...options });
}

/**
 * Reads a CSV file of inputs to predict on, encoded with a training `schema` when given.
 * @example
 * const { x } = await ax.readCsvFeaturesFile('new.csv', { schema });
 */
export async function readCsvFeaturesFile(path: string, options: CsvOptions = {}): Promise<CsvFeatures> {
  const bytes = await nodeFileSystem.readFile(path);
  return parseCsvFeatures(bytes, { source: path, ...options });
}

/**
 * Reads and parses an IDX file (plain or .gz).
 * @example
 * const labels = await ax.readIdxFile('t10k-labels-idx1-ubyte.gz', { expect: 'labels' });
 */
export async function readIdxFile(path: string, options: ParseIdxOptions = {}): Promise<IdxArray> {
  const bytes = await nodeFileSystem.readFile(path);
  return parseIdx(bytes, { name: path, ...options });
}
