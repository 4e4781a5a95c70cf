/**
 * Bytes to text and gzip, browser-safe. Decompression uses fflate (pure JS); the Node adapter
 * (`node-files.ts`) may register the native zlib through `setNativeGunzip`, which is several times
 * faster on the 47 MB of MNIST, without the core importing any Node module.
 */
import { gunzipSync } from 'fflate';

let nativeGunzip: ((bytes: Uint8Array) => Uint8Array) | null = null;

/** @internal Registers a faster synchronous gunzip (the Node adapter passes zlib's). */
export function setNativeGunzip(gunzip: ((bytes: Uint8Array) => Uint8Array) | null): void {
  nativeGunzip = gunzip;
}

/**
 * Whether the bytes start with the gzip magic number 1f 8b.
 * @example
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes; `what` names the source in errors (a file name or a description).
 * @example
 * const plain = gunzip(bytes, 'train-images-idx3-ubyte.gz');
 */
export function gunzip(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return nativeGunzip ? nativeGunzip(bytes) : gunzipSync(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${what}: the gzip data is truncated or corrupt (${reason}); ${bytes.length} compressed bytes were read`,
    );
  }
}

/**
 * Bytes (plain or gzipped UTF-8) or a string, as text. A UTF-8 byte-order mark is dropped.
 * @example
 * decodeText(new TextEncoder().encode('a,b\n1,2'), 'data.csv'); // 'a,b\n1,2'
 */
export function decodeText(input: string | Uint8Array, what: string): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (!(input instanceof Uint8Array)) {
    throw new Error(`${what}: expected the file contents as a string or a Uint8Array, got ${typeof input}`);
  }
  const bytes = isGzip(input) ? gunzip(input, what) : input;
  // TextDecoder strips the BOM by default.
  return new TextDecoder('utf-8').decode(bytes);
}
