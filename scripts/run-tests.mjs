// Runs every test/**/*.test.ts file with Node's built-in test runner (through tsx).
// Node 20's --test does not expand globs, so the file list is gathered here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = collect('test')
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}
// AXON_BACKEND=js|wasm runs every test file on that backend (the setup module sets it per process).
const backend = process.env.AXON_BACKEND ? ['--import', './test/backend/select-backend.ts'] : [];
const result = spawnSync(process.execPath, ['--import', 'tsx', ...backend, '--test', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
