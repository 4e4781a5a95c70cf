/**
 * Benchmark plumbing shared by the bench/ scripts: interleaved rounds, medians, a printed table and
 * peak RSS. Benchmarks run in one process so that every contender sees the same machine state, and in
 * interleaved rounds (contender A, B, C, then again) so that drifting clocks or noisy neighbours hit
 * every contender alike.
 */

/** One thing to time: `run` does the work once; `setup` (untimed) runs before each round's call. */
export interface Contender {
  name: string;
  run: () => void;
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
 * round (untimed) comes first so that JIT tiers and memory growth are out of the way.
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
      const start = performance.now();
      c.run();
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
