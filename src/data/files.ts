/**
 * The file system seen by the data loaders, as an interface: the core never imports `node:fs`. The
 * Node entry registers its adapter (`node-files.ts`); in a browser none is registered, so loaders that
 * need a directory say so, while downloads still work (in memory, without a cache).
 */

/** The few file operations the loaders need. */
export interface DataFileSystem {
  /** The whole file; rejects with an error naming the path when it is missing or unreadable. */
  readFile(path: string): Promise<Uint8Array>;
  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  writeFileAtomic(path: string, bytes: Uint8Array): Promise<void>;
  /** Whether a regular file exists at `path`. */
  isFile(path: string): Promise<boolean>;
  /** Joins path segments with the platform's separator. */
  join(...parts: string[]): string;
  /** The default cache root for downloads (`~/.cache/axon`, or `$AXON_CACHE_DIR`). */
  cacheDir(): string;
  /** Optional faster asynchronous gunzip (Node's zlib runs it off the main thread). */
  gunzip?(bytes: Uint8Array): Promise<Uint8Array>;
}

let fileSystem: DataFileSystem | null = null;

/**
 * Registers the file system the loaders use (the Node entry does this on import).
 * @example
 * setDataFileSystem(nodeFileSystem);
 */
export function setDataFileSystem(fs: DataFileSystem | null): void {
  fileSystem = fs;
}

/** The registered file system, or null in a browser. */
export function peekDataFileSystem(): DataFileSystem | null {
  return fileSystem;
}

/**
 * The registered file system; throws a clear error naming `what` when there is none.
 * @example
 * const fs = requireDataFileSystem('mnist.load({ dir })');
 */
export function requireDataFileSystem(what: string): DataFileSystem {
  if (fileSystem) return fileSystem;
  throw new Error(
    `${what} reads local files, which needs Node.js: import 'axon-nn' in Node (its Node entry registers the ` +
      'file reader). In a browser, fetch the bytes yourself and use the parse/fromBytes functions instead',
  );
}

/**
 * Like `Promise.all`, but waits for every promise and rethrows the first failure *by position*, so
 * an error message does not depend on which read happened to finish first.
 * @example
 * const [images, labels] = await allInOrder([readImages(), readLabels()]);
 */
export async function allInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
