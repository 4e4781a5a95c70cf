// Shared helpers of the CLI tests: an in-process run with captured output, temp folders, file snapshots.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { encodeIdx } from '../../src/node.js';

/** ../shared/data, where the real data sets live. */
export const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));

/** What one CLI run produced. */
export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** A fresh temp folder, removed when the test file ends. */
export function tempDir(prefix = 'axon-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `axon <argv>` in-process with `cwd` as the working folder; captures stdout and stderr. */
export async function run(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<RunResult> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    tty: null,
    cwd,
    env: { AXON_DATA_DIR: DATA, ...env },
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** Writes a file under dir and returns its path. */
export function write(dir: string, name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Every file of a folder with its bytes, to show a failed command changed nothing. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) files.set(name, readFileSync(join(dir, name)));
  return files;
}

/** A small CSV of two numeric features and a text class, separable by x1 + x2 > 0. */
export function separableCsv(n = 120, seed = 1): string {
  let s = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: deterministic and independent of the library's generator.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
  const lines = ['x1,x2,label'];
  for (let i = 0; i < n; i++) {
    const a = rand() * 4 - 2;
    const b = rand() * 4 - 2;
    if (Math.abs(a + b) < 0.2) {
      i--;
      continue;
    }
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${a + b > 0 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes <prefix>-images-idx3-ubyte (n images of 4×4) and its labels 0…k−1 (class c: bright pixel c). */
export function writeIdxSet(dir: string, prefix: string, n: number, k: number, labelOverride?: number): void {
  const pixels = new Uint8Array(n * 16);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    labels[i] = labelOverride ?? c;
    for (let j = 0; j < 16; j++) pixels[i * 16 + j] = j === c ? 250 : (i * 7 + j * 13) % 40;
  }
  write(dir, `${prefix}-images-idx3-ubyte`, encodeIdx([n, 4, 4], pixels));
  write(dir, `${prefix}-labels-idx1-ubyte`, encodeIdx([n], labels));
}
