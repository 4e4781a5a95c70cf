/**
 * What every command shares: where output goes (so the CLI runs in-process in tests), the two kinds of
 * failure (a user error → exit 1 with one line; anything else → exit 2, "please report"), and small
 * file helpers.
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Where a command reads its context and writes its output. */
export interface CliIO {
  /** Writes text to standard output as given (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error as given. */
  stderr(text: string): void;
  /** A terminal to draw the training progress bar on; null prints one line per epoch instead. */
  tty: NodeJS.WritableStream | null;
  /** The folder relative paths are resolved from. */
  cwd: string;
  /** Environment variables (AXON_DATA_DIR, AXON_DEBUG). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The process's own streams, folder and environment.
 * @example
 * const code = await runCli(process.argv.slice(2), processIO());
 */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    tty: process.stdout.isTTY === true ? process.stdout : null,
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * A mistake of the user (a bad option, a missing or malformed file, data that does not fit the model):
 * reported as one line on stderr with exit code 1, never with a stack.
 * @example throw new UserError('file not found: data.csv');
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * A message on one line: newlines (zod's and csv-parse's multi-line reports) become '; ', runs of
 * spaces one space.
 * @example oneLine('bad\n  value') // 'bad; value'
 */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('; ')
    .replace(/\s+/g, ' ');
}

/**
 * Runs a step whose failures are the user's (reading their files, loading their model): any Error it
 * throws becomes a UserError with the same message, optionally prefixed.
 * @example const data = await userStep(() => readCsvFile(path));
 */
export async function userStep<T>(step: () => T | Promise<T>, prefix = ''): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (error instanceof Error) throw new UserError(`${prefix}${error.message}`);
    throw error;
  }
}

/** The absolute path of a user's path argument. @example absolute(io, 'data.csv') */
export function absolute(io: CliIO, path: string): string {
  return resolve(io.cwd, path);
}

/** 'file' | 'dir' | null (absent). @example await pathKind('/tmp') // 'dir' */
export async function pathKind(path: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

let tempCounter = 0;

/**
 * Writes a file through a temporary file in the same folder and a rename, so readers never see half a
 * file and a failed write leaves the previous version in place.
 * @example await writeFileAtomic('out/training.svg', svg);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${tempCounter++}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Milliseconds as '850 ms', '12.3 s' or '4 min 05 s'. @example formatWallTime(65000) // '1 min 05 s' */
export function formatWallTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}
