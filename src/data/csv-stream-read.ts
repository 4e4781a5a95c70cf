/**
 * Reading a CSV file as a stream for `csvDataset` (Node only): bytes in 64 KiB chunks (gunzipped when the
 * file is gzipped), records from csv-parse's streaming parser, trimmed as `readTable` trims them, in
 * chunks of rows; an optional shuffle buffer. Line numbers are found only when an error needs one (a
 * second, short read), because csv-parse's per-record `info` costs about 40% of the parse.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type Options, parse } from 'csv-parse';
import { getRandom } from '../tensor/random.js';
import { decodeText } from './gzip.js';

/** Where the columns are in the file, fixed before the first batch. */
export interface Layout {
  delimiter: string;
  comment?: string;
  header: boolean;
  names: string[];
  featureCols: number[];
  targetCol: number;
  missingTokens: Set<string>;
}

/** The file and how its columns are read. */
export interface Source {
  path: string;
  gz: boolean;
  layout: Layout;
}

/** Data rows and, for each, the index of its record in csv-parse's output (to find its line on an error). */
export interface Chunk {
  rows: string[][];
  records: number[];
}

const CHUNK_BYTES = 64 * 1024;

/** The error of a stream (a missing file, a csv-parse error) with the path; Axon's own errors pass as they are. */
export function describeStreamError(path: string, error: unknown): Error {
  const code = (error as { code?: string } | null)?.code;
  if (code === undefined) return error as Error;
  if (code === 'ENOENT') return new Error(`file not found: ${path}`);
  if (code === 'EISDIR') return new Error(`${path} is a directory, not a file`);
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    `${path}: ${code.startsWith('CSV_') ? 'the CSV text could not be parsed: ' : ''}${message}`,
  );
}

/** Whether the file starts with the gzip magic bytes; errors name the path (file not found, ...). */
export async function isGzipFile(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (error) {
    throw describeStreamError(path, error);
  } finally {
    await handle?.close();
  }
}

/**
 * The file's bytes (decompressed when gzipped), piped through `tail`, and a promise of the file's
 * descriptor being closed: readers destroy the stream and await it, so that a stopped read has let go
 * of the file when it returns (destroy alone closes it a few ticks later).
 */
function byteStream(
  path: string,
  gz: boolean,
  tail: Readable[] = [],
): { stream: Readable; closed: Promise<void> } {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  // fs streams always emit 'close' after destroy (emitClose), also when the file could not be opened.
  const closed = new Promise<void>((resolve) => file.once('close', () => resolve()));
  const streams: Readable[] = gz ? [file, createGunzip(), ...tail] : [file, ...tail];
  // pipeline destroys every stage on an error or an early stop; the error reaches the reader of the last.
  const stream = streams.length === 1 ? file : (pipeline(streams, () => {}) as unknown as Readable);
  return { stream, closed };
}

/** The first `maxLines` lines and one more (a header) as text: the sample the layout is inferred from. */
export async function readHead(path: string, gz: boolean, maxLines: number): Promise<string> {
  const chunks: Buffer[] = [];
  let newlines = 0;
  const { stream, closed } = byteStream(path, gz);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      for (let i = chunk.indexOf(10); i >= 0 && newlines <= maxLines; i = chunk.indexOf(10, i + 1))
        newlines++;
      if (newlines > maxLines) break;
    }
  } catch (error) {
    throw describeStreamError(path, error);
  } finally {
    stream.destroy();
    await closed;
  }
  let bytes = Buffer.concat(chunks);
  // Cut after line maxLines + 1; a shorter file is read whole.
  let cut = -1;
  let found = 0;
  while (found <= maxLines) {
    const next = bytes.indexOf(10, cut + 1);
    if (next < 0) break;
    cut = next;
    found++;
  }
  if (found > maxLines) bytes = bytes.subarray(0, cut + 1);
  return decodeText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

function parserOptions(layout: Layout): Options {
  return {
    delimiter: layout.delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    ...(layout.comment ? { comment: layout.comment } : {}),
  };
}

/** The 1-based line where csv-parse's record `index` starts: a second read, for an error message only. */
export async function lineOfRecord(source: Source, index: number): Promise<number> {
  const parser = parse({ ...parserOptions(source.layout), info: true, to: index + 1 });
  const { stream, closed } = byteStream(source.path, source.gz, [parser]);
  let k = 0;
  try {
    for await (const item of stream as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (k++ < index) continue;
      // csv-parse reports the line where the record ends; a quoted cell may span lines.
      let line = item.info.lines;
      for (const cell of item.record)
        for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) line--;
      return line;
    }
  } catch {
    // The message being built matters more than the exact line.
  } finally {
    stream.destroy();
    await closed;
  }
  return index + 1;
}

/** Data records in chunks of `size` rows, trimmed; blank records and the header are skipped. */
export async function* recordChunks(source: Source, size: number): AsyncGenerator<Chunk> {
  const { path, layout } = source;
  const { stream, closed } = byteStream(path, source.gz, [parse(parserOptions(layout))]);
  const spaces = layout.delimiter === ' ';
  const width = layout.names.length;
  let chunk: Chunk = { rows: [], records: [] };
  let skipHeader = layout.header;
  let index = -1;
  try {
    for await (const raw of stream as AsyncIterable<string[]>) {
      index++;
      let record = raw;
      for (let j = 0; j < record.length; j++) record[j] = record[j].trim();
      if (spaces) record = record.filter((cell) => cell !== '');
      if (record.length === 0 || (record.length === 1 && record[0] === '')) continue;
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      if (record.length !== width) {
        const line = await lineOfRecord(source, index);
        throw new Error(
          `${path}: line ${line} has ${record.length} fields but ${width} were expected (${layout.header ? 'the header, line 1' : 'the first line'})`,
        );
      }
      chunk.rows.push(record);
      chunk.records.push(index);
      if (chunk.rows.length === size) {
        yield chunk;
        chunk = { rows: [], records: [] };
      }
    }
  } catch (error) {
    throw describeStreamError(path, error);
  } finally {
    stream.destroy();
    await closed;
  }
  if (chunk.rows.length > 0) yield chunk;
}

/**
 * Rows drawn at random (global seeded generator) from a buffer of `size` rows refilled from the stream, in
 * chunks of `batch`, so a file sorted by class still gives mixed batches; the order changes each pass.
 */
export async function* shuffled(
  chunks: AsyncIterable<Chunk>,
  size: number,
  batch: number,
): AsyncGenerator<Chunk> {
  const rows: string[][] = [];
  const records: number[] = [];
  let out: Chunk = { rows: [], records: [] };
  const rng = getRandom();
  const take = (i: number) => {
    out.rows.push(rows[i]);
    out.records.push(records[i]);
    rows[i] = rows[rows.length - 1];
    records[i] = records[records.length - 1];
    rows.pop();
    records.pop();
  };
  for await (const chunk of chunks) {
    for (let r = 0; r < chunk.rows.length; r++) {
      rows.push(chunk.rows[r]);
      records.push(chunk.records[r]);
      if (rows.length > size) take(rng.int(rows.length));
      if (out.rows.length === batch) {
        yield out;
        out = { rows: [], records: [] };
      }
    }
  }
  while (rows.length > 0) {
    take(rng.int(rows.length));
    if (out.rows.length === batch) {
      yield out;
      out = { rows: [], records: [] };
    }
  }
  if (out.rows.length > 0) yield out;
}
