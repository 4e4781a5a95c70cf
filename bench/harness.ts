/**
 * Benchmark plumbing shared by the bench/ scripts: interleaved rounds, medians, a printed table and
 * peak RSS. Benchmarks run in one process so that every contender sees the same machine state, and in
 * interleaved rounds (contender A, B, C, then again) so that drifting clocks or noisy neighbours hit
 * every contender alike.
 */
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full garbage collection (the flag is set at run time: no `--expose-gc` needed on the command line). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * One thing to time: `run` does the work once (a promise is awaited inside the timing, as a user awaits
 * `fit`); `setup` (untimed) runs before each round's call.
 */
export interface Contender {
  name: string;
  run: () => void | Promise<void>;
  setup?: () => void | Promise<void>;
}

/** The median of the samples. */
export function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs `rounds` interleaved rounds; in each, every contender is set up and timed once. A warm-up
 * round (untimed) comes first so that JIT tiers and memory growth are out of the way. Every timed
 * block starts after a full garbage collection (untimed), so that no contender pays on its clock for
 * collecting another one's garbage.
 * Returns the median milliseconds per contender.
 */
export async function interleaved(
  contenders: readonly Contender[],
  rounds: number,
): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const c of contenders) {
      await c.setup?.();
      collectGarbage();
      const start = performance.now();
      await c.run();
      const ms = performance.now() - start;
      if (round >= 0) samples.get(c.name)?.push(ms);
    }
  }
  return new Map([...samples].map(([name, s]) => [name, median(s)]));
}

/** A plain-text table with right-aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Seeded uniform values in [-1, 1) (a small LCG: the data only has to be the same for everyone). */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The value after `--name` on the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/**
 * PASS or MISS for a measured ratio against its target: `atLeast` when bigger is better (a speed-up),
 * otherwise the ratio must not exceed the target (a time or a size).
 */
export function verdict(ratio: number, target: number, kind: 'atLeast' | 'atMost'): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const ok = kind === 'atLeast' ? ratio >= target : ratio <= target;
  return ok ? 'PASS' : 'MISS';
}

/**
 * The machine's load average (1 and 5 minutes) and core count: the bench shares 2 cores with whatever
 * else runs, so every table says how busy the machine was.
 */
export function loadReport(): string {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${availableParallelism()} cores`;
}

/** A number with a fixed count of significant digits, for samples/s and milliseconds in tables. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 10 ** digits) return Math.round(x).toString();
  return x.toPrecision(digits);
}

/**
 * How many units of work (steps, epochs, calls) fill about `targetMs`: runs `work(n)` once to warm up,
 * then times it with n growing ×4 until a run takes a quarter of the target, and scales from there.
 * Lets each contender be timed over a block long enough to measure, however fast or slow it is.
 */
export async function calibrate(
  work: (n: number) => void | Promise<void>,
  targetMs: number,
  min: number,
  max: number,
): Promise<number> {
  const time = async (n: number): Promise<number> => {
    const start = performance.now();
    await work(n);
    return performance.now() - start;
  };
  let n = min;
  await work(n);
  for (;;) {
    let ms = await time(n);
    if (ms >= targetMs / 4 || n >= max) {
      // Timed twice at the final size: the first run may still carry JIT compilation.
      ms = Math.min(ms, await time(n));
      return Math.max(min, Math.min(max, Math.round((n * targetMs) / ms)));
    }
    n = Math.min(max, n * 4);
  }
}
