/**
 * Breast cancer (Wisconsin diagnostic, 569 tumours, 30 features) with the command line, in-process:
 * `axon train` holds out a seeded, stratified 20% test split and standardizes the features, then
 * `axon evaluate` finds the same held-out rows (from the split recorded in the model) and prints the
 * confusion matrix. The equivalent shell commands are printed first. Needs ../shared/data.
 *
 *   npx tsx examples/breast-cancer.ts
 *   npx tsx examples/breast-cancer.ts --epochs 100 --seed 2
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processIO } from '../src/cli/io.js';
import { runCli } from '../src/cli/program.js';

/** Options of `runBreastCancer`. */
export interface BreastCancerOptions {
  dataDir: string;
  epochs: number;
  seed: number;
  out: string;
}

/**
 * The two commands, as a user would type them after `npx axon`.
 * @example commands(options)[0] // ['train', '--data', ...]
 */
export function commands(o: BreastCancerOptions): string[][] {
  return [
    [
      'train',
      '--data',
      'builtin:breast-cancer',
      '--data-dir',
      o.dataDir,
      '--layers',
      '16,8',
      '--epochs',
      String(o.epochs),
      '--lr',
      '0.003',
      '--test-split',
      '0.2',
      '--validation-split',
      '0.1',
      '--seed',
      String(o.seed),
      '--out',
      o.out,
    ],
    ['evaluate', '--model', o.out, '--data', 'builtin:breast-cancer', '--data-dir', o.dataDir],
  ];
}

/**
 * Runs both commands; resolves to the test metrics of `evaluate --json`.
 * @example const { accuracy } = await runBreastCancer({ dataDir: '../shared/data', epochs: 50, seed: 1, out: 'models/bc' });
 */
export async function runBreastCancer(o: BreastCancerOptions): Promise<{ loss: number; accuracy: number }> {
  const io = processIO();
  for (const args of commands(o)) {
    console.log(`\n$ npx axon ${args.join(' ')}`);
    const code = await runCli(args, io);
    if (code !== 0) throw new Error(`axon ${args[0]} exited with code ${code}`);
  }
  let json = '';
  const code = await runCli([...commands(o)[1], '--json'], { ...io, stdout: (text) => (json += text) });
  if (code !== 0) throw new Error(`axon evaluate --json exited with code ${code}`);
  return JSON.parse(json) as { loss: number; accuracy: number };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '50' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '../shared/data' },
      out: { type: 'string' },
    },
  });
  const out = values.out ?? join(mkdtempSync(join(tmpdir(), 'axon-breast-cancer-')), 'model');
  const started = Date.now();
  const r = await runBreastCancer({
    dataDir: values['data-dir'],
    epochs: Number(values.epochs),
    seed: Number(values.seed),
    out,
  });
  console.log(
    `\nBreast cancer 30-16-8-1: test accuracy ${(100 * r.accuracy).toFixed(1)}% (loss ${r.loss.toFixed(4)}) after ${values.epochs} epochs; whole run ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
