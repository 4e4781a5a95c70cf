// The real `axon` executable (src/cli/main.ts through tsx) in a child process: exit codes and streams.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
// tsx resolved from this repository, so the child can run from any working folder.
const TSX = import.meta.resolve('tsx');

function axon(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the axon executable', () => {
  it('--help exits 0 and prints the commands on stdout', () => {
    const r = axon(tempDir(), ['--help']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Usage: axon \[options\] \[command\]/);
    assert.match(r.out, /train \[options\]/);
  });

  it('a user error exits 1 with one line on stderr and nothing on stdout', () => {
    const r = axon(tempDir(), ['train', '--data', 'missing.csv', '--out', 'm']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, 'error: file not found: missing.csv\n');
  });

  it('train then evaluate --json: exit 0, files written, one JSON object', () => {
    const dir = tempDir();
    const t = axon(dir, ['train', '--data', 'builtin:gauss', '--epochs', '3', '--seed', '1', '--out', 'g']);
    assert.equal(t.code, 0, t.err);
    assert.ok(existsSync(join(dir, 'g', 'model.json')) && existsSync(join(dir, 'g', 'training.svg')));
    const e = axon(dir, ['evaluate', '--model', 'g', '--data', 'builtin:gauss', '--seed', '2', '--json']);
    assert.equal(e.code, 0, e.err);
    const metrics = JSON.parse(e.out) as Record<string, number>;
    assert.deepEqual(Object.keys(metrics), ['loss', 'accuracy']);
    assert.ok(metrics.accuracy > 0.9, `accuracy ${metrics.accuracy}`);
  });
});
