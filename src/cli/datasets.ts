/** `axon datasets`: the built-in sets `--data builtin:NAME` accepts, and whether the real ones are on disk. */
import { resolve } from 'node:path';
import { dataRoot, listBuiltins } from './builtins.js';
import { type CliIO, pathKind } from './io.js';

/** Options of `axon datasets`, parsed. */
export interface DatasetsOptions {
  dataDir?: string;
  json: boolean;
}

/**
 * Runs `axon datasets`; resolves to the exit code.
 * @example await datasets(io, { json: false });
 */
export async function datasets(io: CliIO, o: DatasetsOptions): Promise<number> {
  const root = dataRoot(io, o.dataDir);
  const entries = await Promise.all(
    listBuiltins().map(async (b) => ({
      ...b,
      ...(b.folder ? { available: (await pathKind(resolve(root.dir, b.folder))) === 'dir' } : {}),
    })),
  );
  if (o.json) {
    io.stdout(`${JSON.stringify({ dataDir: root.dir, datasets: entries })}\n`);
    return 0;
  }
  const width = Math.max(...entries.map((e) => e.name.length));
  const taskWidth = Math.max(...entries.map((e) => e.task.length));
  const lines = ['Synthetic (seeded; --samples, --noise, --seed; 2 features):'];
  for (const e of entries.filter((x) => x.kind === 'synthetic')) {
    lines.push(`  builtin:${e.name.padEnd(width)}  ${e.task.padEnd(taskWidth)}  ${e.description}`);
  }
  lines.push('', `Real (read from ${root.dir}; change with --data-dir or AXON_DATA_DIR):`);
  for (const e of entries.filter((x) => x.kind === 'real')) {
    const mark = e.available ? '' : '  [not found]';
    lines.push(`  builtin:${e.name.padEnd(width)}  ${e.task.padEnd(taskWidth)}  ${e.description}${mark}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
