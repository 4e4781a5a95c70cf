/**
 * MNIST with the command line: `axon train` on the IDX folder (784-256-128-10, ReLU, Adam), then
 * `axon evaluate` on its t10k files. Prints the test accuracy, the epochs and the wall time. Not run
 * in CI (a full run takes minutes); the equivalent shell commands are printed first.
 *
 *   npx tsx examples/mnist.ts                      # 20 epochs, ../shared/data/mnist
 *   npx tsx examples/mnist.ts --epochs 5 --data-dir /path/to/data --out models/mnist
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliIO, formatWallTime, processIO } from '../src/cli/io.js';
import { runCli } from '../src/cli/program.js';
import * as ax from '../src/node.js';

/** Options of `runMnistExample`. */
export interface MnistExampleOptions {
  /** Folder holding the four MNIST IDX files. */
  dir: string;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Where the model is saved. */
  out: string;
  /** Where the CLI's progress and tables go. */
  io: CliIO;
}

/** The figures the example prints. */
export interface MnistExampleResult {
  testAccuracy: number;
  testLoss: number;
  epochs: number;
  trainWallTimeMs: number;
  totalWallTimeMs: number;
  backend: string;
}

/**
 * The two commands, as a user would type them after `npx axon`.
 * @example commands(options)[0] // ['train', '--data', ...]
 */
export function commands(o: Omit<MnistExampleOptions, 'io'>): string[][] {
  return [
    [
      'train',
      '--data',
      o.dir,
      '--layers',
      '256,128',
      '--activation',
      'relu',
      '--optimizer',
      'adam',
      '--epochs',
      String(o.epochs),
      '--batch-size',
      String(o.batchSize),
      '--seed',
      String(o.seed),
      '--out',
      o.out,
    ],
    ['evaluate', '--model', o.out, '--data', o.dir, '--json'],
  ];
}

/**
 * Trains and evaluates through `runCli`, exactly as `npx axon train …` and `npx axon evaluate …` do.
 * @example const r = await runMnistExample({ dir: '../shared/data/mnist', epochs: 20, ... });
 */
export async function runMnistExample(o: MnistExampleOptions): Promise<MnistExampleResult> {
  const [trainArgs, evaluateArgs] = commands(o);
  const started = Date.now();
  const trainCode = await runCli(trainArgs, o.io);
  if (trainCode !== 0) throw new Error(`axon train exited with code ${trainCode}`);
  let json = '';
  const evalCode = await runCli(evaluateArgs, { ...o.io, stdout: (text) => (json += text) });
  if (evalCode !== 0) throw new Error(`axon evaluate exited with code ${evalCode}`);
  const totalWallTimeMs = Date.now() - started;
  const metrics = JSON.parse(json) as { loss: number; accuracy: number };
  const model = await ax.loadModel(ax.io.fileSystem(o.out));
  const training = (model.metadata.training ?? {}) as { epochs?: number; wallTimeMs?: number };
  return {
    testAccuracy: metrics.accuracy,
    testLoss: metrics.loss,
    epochs: training.epochs ?? o.epochs,
    trainWallTimeMs: training.wallTimeMs ?? Number.NaN,
    totalWallTimeMs,
    backend: ax.getBackend(),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '20' },
      'batch-size': { type: 'string', default: '128' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: '../shared/data' },
      out: { type: 'string' },
    },
  });
  const dir = resolve(values['data-dir'], 'mnist');
  const out = values.out ?? join(mkdtempSync(join(tmpdir(), 'axon-mnist-')), 'model');
  const options = {
    dir,
    epochs: Number(values.epochs),
    batchSize: Number(values['batch-size']),
    seed: Number(values.seed),
    out,
  };
  for (const args of commands(options)) console.log(`$ npx axon ${args.join(' ')}`);
  console.log(`(backend: ${ax.getBackend()})\n`);
  const r = await runMnistExample({ ...options, io: processIO() });
  console.log(
    `\nMNIST 784-256-128-10 (ReLU, Adam, batch ${options.batchSize}, seed ${options.seed}): ` +
      `test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (loss ${r.testLoss.toFixed(4)}) after ${r.epochs} epochs; ` +
      `training ${formatWallTime(r.trainWallTimeMs)}, whole run ${formatWallTime(r.totalWallTimeMs)} on the ${r.backend} backend`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
