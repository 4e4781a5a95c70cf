/**
 * IDX files (LeCun's format of MNIST and Fashion-MNIST), gzipped or plain, from bytes: browser-safe.
 * Layout: a big-endian u32 magic number `0x0000TTDD` (TT = value type, 0x08 for unsigned bytes;
 * DD = number of dimensions), then DD big-endian u32 sizes, then the values row-major. Labels are
 * `0x00000801` [count], images `0x00000803` [count, rows, cols].
 */
import { gunzip, isGzip } from './gzip.js';

/** What an IDX file of unsigned bytes holds: `labels` (1 dimension) or `images` (3). */
export type IdxKind = 'labels' | 'images';

/** A parsed IDX file. `data` is a view of the (decompressed) bytes, not a copy. */
export interface IdxArray {
  kind: IdxKind;
  /** The magic number, 0x801 or 0x803. */
  magic: number;
  /** Sizes: [count] for labels, [count, rows, cols] for images. */
  dims: number[];
  /** The values, row-major, `dims` multiplied together long. */
  data: Uint8Array;
}

/** Options of `parseIdx`. */
export interface ParseIdxOptions {
  /** Names the source (a file name) in errors. Default 'IDX data'. */
  name?: string;
  /** The kind the caller needs; a file of the other kind is an error. */
  expect?: IdxKind;
}

const MAGIC: Record<IdxKind, number> = { labels: 0x801, images: 0x803 };

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * Parses IDX bytes (gunzipping them first when they start with the gzip magic), checking the magic
 * number, the dimensions and that the byte length is exactly header + values.
 * @example
 * const images = ax.parseIdx(bytes, { name: 'train-images-idx3-ubyte.gz', expect: 'images' });
 * images.dims; // [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX data';
  if (!(bytes instanceof Uint8Array)) {
    throw new Error(`parseIdx: ${name}: expected the file contents as a Uint8Array, got ${typeof bytes}`);
  }
  const raw = isGzip(bytes) ? gunzip(bytes, name) : bytes;
  if (raw.length < 4) {
    throw new Error(
      `parseIdx: ${name} is truncated: expected at least 4 bytes (the magic number), got ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  const kind: IdxKind | null = magic === MAGIC.labels ? 'labels' : magic === MAGIC.images ? 'images' : null;
  if (kind === null) {
    throw new Error(
      `parseIdx: ${name} has magic number ${hex(magic)}; expected ${hex(MAGIC.labels)} (labels) or ` +
        `${hex(MAGIC.images)} (images) — is it an IDX file of unsigned bytes (MNIST format)?`,
    );
  }
  if (options.expect !== undefined && options.expect !== kind) {
    throw new Error(
      `parseIdx: ${name} holds ${kind} (magic ${hex(magic)}) but ${options.expect} were expected ` +
        `(magic ${hex(MAGIC[options.expect])}); are the file names swapped?`,
    );
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    throw new Error(
      `parseIdx: ${name} is truncated: expected a ${headerBytes}-byte header for ${rank} dimension(s), got ${raw.length} bytes`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (kind === 'images' && (dims[1] === 0 || dims[2] === 0)) {
    throw new Error(
      `parseIdx: ${name} declares images of ${dims[1]}×${dims[2]} pixels; both sizes must be positive`,
    );
  }
  let count = 1;
  for (const d of dims) count *= d;
  const expected = headerBytes + count;
  if (raw.length !== expected) {
    const what = `${headerBytes}-byte header + ${dims.join('×')} values`;
    const problem = raw.length < expected ? 'is truncated' : `has ${raw.length - expected} extra bytes`;
    throw new Error(`parseIdx: ${name} ${problem}: expected ${expected} bytes (${what}), got ${raw.length}`);
  }
  return { kind, magic, dims, data: raw.subarray(headerBytes) };
}

/**
 * Encodes unsigned bytes as an IDX file (plain; gzip it yourself if wanted): `dims` of length 1 makes
 * a labels file, of length 3 an images file.
 * @example
 * const bytes = ax.encodeIdx([2], Uint8Array.of(7, 3)); // a labels file with 7 and 3
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  if (dims.length !== 1 && dims.length !== 3) {
    throw new Error(
      `encodeIdx: dims must be [count] (labels) or [count, rows, cols] (images), got [${dims.join(',')}]`,
    );
  }
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new Error(`encodeIdx: every size must be an integer in [0, 2^32), got [${dims.join(',')}]`);
    }
    count *= d;
  }
  if (data.length !== count) {
    throw new Error(`encodeIdx: dims [${dims.join(',')}] need ${count} values, got ${data.length}`);
  }
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 | dims.length, false);
  for (let i = 0; i < dims.length; i++) view.setUint32(4 + 4 * i, dims[i], false);
  out.set(data, headerBytes);
  return out;
}
