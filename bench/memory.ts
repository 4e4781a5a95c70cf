/**
 * Peak memory of training on all of MNIST held in memory: a child process (bench/memory-child.ts) reads
 * the 60000 training images as one float32 tensor (60000×784×4 B ≈ 180 MiB, 188 MB) and trains
 * 784-256-128-10 with Adam, batch 128, for one epoch; this prints its resident-set figures. Target: peak
 * RSS ≤ the data's float32 size + 150 MB. Measured in a fresh process so that nothing else this
 * benchmark run allocated counts. Skipped, with the reason, when the MNIST folder is absent.
 *
 * The child is bundled with esbuild into a temporary .mjs and run by plain node, as a user runs
 * compiled code: under tsx the loader alone would add ~35 MB to the baseline.
 *
 * Figures are in MiB (what the OS reports); the target's "150 MB" is read as 150 MiB as well.
 *
 * Run: npm run bench -- memory
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { fmt, loadReport, table, verdict } from './harness.js';
import { mnistDir } from './mlp.js';

const HEADROOM_MB = 150;

/** What the child prints. */
interface ChildReport {
  backend: string;
  rows: number;
  dataMb: number;
  baselineMb: number;
  afterLoadMb: number;
  trainPeakMb: number;
  maxRssMb: number;
  seconds: number;
  loss: number;
}

/** Runs the benchmark and prints its table. */
export async function benchMemory(): Promise<void> {
  const dir = mnistDir();
  console.log(
    'memory: peak RSS training 784-256-128-10 (Adam, batch 128) for one epoch on all of MNIST in memory',
  );
  if (dir === null) {
    console.log('skipped: no MNIST training files in ../shared/data/mnist (or $AXON_BENCH_MNIST)');
    return;
  }
  console.log(loadReport());
  const source = join(dirname(fileURLToPath(import.meta.url)), 'memory-child.ts');
  const scratch = mkdtempSync(join(tmpdir(), 'axon-bench-memory-'));
  const bundle = join(scratch, 'memory-child.mjs');
  let run: SpawnSyncReturns<string>;
  try {
    await build({
      entryPoints: [source],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      // Bundled CommonJS dependencies call require(), which an ES module lacks.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    run = spawnSync(process.execPath, [bundle, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) {
    throw new Error(`memory: the child process failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  }
  const r = JSON.parse(line) as ChildReport;
  const limit = r.dataMb + HEADROOM_MB;
  console.log(
    table(
      ['figure', 'MiB'],
      [
        ['float32 data (x and labels)', fmt(r.dataMb, 4)],
        ['RSS before loading (node and the bundled modules)', fmt(r.baselineMb, 4)],
        ['RSS after loading', fmt(r.afterLoadMb, 4)],
        ['peak RSS during the epoch (sampled per batch)', fmt(r.trainPeakMb, 4)],
        ['  of which added by training (peak − after loading)', fmt(r.trainPeakMb - r.afterLoadMb, 4)],
        ['peak RSS of the process (maxRSS)', fmt(r.maxRssMb, 4)],
        [`limit: data + ${HEADROOM_MB}`, fmt(limit, 4)],
      ],
    ),
  );
  console.log(
    `epoch of ${r.rows} rows on '${r.backend}' in ${r.seconds.toFixed(1)} s (loss ${r.loss.toFixed(4)}); ` +
      `peak − data = ${fmt(r.maxRssMb - r.dataMb)} MiB`,
  );
  console.log(
    `target: peak RSS ≤ data + ${HEADROOM_MB} MiB → ${fmt(r.maxRssMb, 4)} of ${fmt(limit, 4)} MiB ` +
      `${verdict(r.maxRssMb / limit, 1, 'atMost')}`,
  );
}
