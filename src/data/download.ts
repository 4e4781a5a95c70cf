/**
 * Downloads with checksums and a cache, browser-safe: `fetch` and `crypto.subtle` are web APIs (Node 20
 * has both). The cache lives on the registered file system; without one (a browser) files are only
 * kept in memory. Every byte that is returned has the expected SHA-256, from the cache or a mirror.
 */
import type { DataFileSystem } from './files.js';

/** The part of a `fetch` Response the downloader reads. */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  statusText?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** `fetch` or a stand-in with the same shape (tests pass a local fake). */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<FetchResponseLike>;

/** How long one mirror may take to deliver a file before the next is tried. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;

/** A file to download: its name on the mirrors and in the cache, and its SHA-256 in hex. */
export interface RemoteFile {
  name: string;
  sha256: string;
}

/** Where and how to download. */
export interface DownloadOptions {
  /** Prefix of error messages, e.g. 'mnist.load'. */
  what: string;
  /** Sub-folder of the cache root, e.g. 'mnist'. */
  folder: string;
  /** Base URLs tried in order; the file name is appended (a '/' is added when missing). */
  mirrors: readonly string[];
  /** Cache root; default `fs.cacheDir()` (~/.cache/axon). */
  cacheDir?: string;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Per-mirror time limit in milliseconds (default DOWNLOAD_TIMEOUT_MS): a stalled mirror is abandoned. */
  timeoutMs?: number;
  /** Where the cache lives; null keeps the files in memory only. */
  fs: DataFileSystem | null;
  /** Reports progress lines such as 'downloading …' (default: silent). */
  log?: (message: string) => void;
}

/**
 * SHA-256 of the bytes, as 64 lowercase hex digits.
 * @example
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf…'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('sha256Hex: crypto.subtle is not available in this environment');
  // Copy into a plain ArrayBuffer: digest() rejects views of SharedArrayBuffers.
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes.slice()));
  let out = '';
  for (let i = 0; i < digest.length; i++) out += digest[i].toString(16).padStart(2, '0');
  return out;
}

function joinUrl(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The bytes of `file`: from the cache when present with the right checksum, otherwise downloaded
 * from the first mirror that serves them with the right checksum, then written to the cache
 * atomically. A cached file with a wrong checksum (a torn or tampered download) is fetched again.
 * @example
 * const bytes = await fetchVerified({ name: 't10k-labels-idx1-ubyte.gz', sha256: 'f7ae…' },
 *   { what: 'mnist.load', folder: 'mnist', mirrors: ['https://…/mnist/'], fs: null });
 */
export async function fetchVerified(file: RemoteFile, options: DownloadOptions): Promise<Uint8Array> {
  const { what, fs, log } = options;
  const expected = file.sha256.toLowerCase();
  const cachePath = fs ? fs.join(options.cacheDir ?? fs.cacheDir(), options.folder, file.name) : null;
  if (fs && cachePath && (await fs.isFile(cachePath))) {
    const cached = await fs.readFile(cachePath);
    const actual = await sha256Hex(cached);
    if (actual === expected) return cached;
    log?.(`${what}: cached ${cachePath} has SHA-256 ${actual}, expected ${expected}; downloading it again`);
  }
  const fetchFn = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (!fetchFn) {
    throw new Error(
      `${what}: no fetch() in this environment to download ${file.name}; pass { dir } with local files`,
    );
  }
  if (options.mirrors.length === 0) {
    throw new Error(`${what}: no mirrors to download ${file.name} from; pass { dir } with local files`);
  }
  const failures: string[] = [];
  for (const mirror of options.mirrors) {
    const url = joinUrl(mirror, file.name);
    let bytes: Uint8Array;
    try {
      log?.(`${what}: downloading ${url}`);
      // The signal covers the body too: a server that trickles bytes is as stuck as one that never answers.
      const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await withDeadline(fetchFn(url, { signal }), signal, timeoutMs);
      if (!response.ok) {
        failures.push(
          `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
        );
        continue;
      }
      bytes = new Uint8Array(await withDeadline(response.arrayBuffer(), signal, timeoutMs));
    } catch (error) {
      failures.push(`${url}: ${reasonOf(error)}`);
      continue;
    }
    const actual = await sha256Hex(bytes);
    if (actual !== expected) {
      failures.push(`${url}: SHA-256 mismatch (expected ${expected}, got ${actual}, ${bytes.length} bytes)`);
      continue;
    }
    if (fs && cachePath) {
      try {
        await fs.writeFileAtomic(cachePath, bytes);
      } catch (error) {
        // A read-only cache must not stop the load: the verified bytes are in hand.
        log?.(`${what}: could not cache ${cachePath}: ${reasonOf(error)}`);
      }
    }
    return bytes;
  }
  throw new Error(
    `${what}: could not download ${file.name} (tried ${failures.join('; ')}); pass { dir } with local files`,
  );
}

/** Rejects when `signal` fires, even if `work` (e.g. a fetch stand-in) ignores the signal. */
function withDeadline<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(`no complete answer within ${timeoutMs / 1000} s`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
