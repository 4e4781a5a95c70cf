/**
 * Seeded randomness. Axon's generator is xoshiro128** (Blackman & Vigna, 2018): 128 bits of state,
 * 32-bit outputs, period 2^128 − 1. The state is filled from the seed with splitmix32, so every seed,
 * 0 included, gives a good state. `Math.random` is never used: with `setSeed(n)` every draw repeats.
 */

/**
 * A deterministic stream of random numbers, independent of the global one.
 * @example
 * const rng = new ax.Random(7);
 * rng.uniform(); // the same number for seed 7, every run
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the stream from `seed` (any finite number; it is folded to 32 bits). */
  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`setSeed: the seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = null;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal by the Box–Muller transform (two uniforms give two normals). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function entropySeed(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0]!;
}

let globalRandom = new Random(entropySeed());

/**
 * Sets the global seed: initializers, shuffling, dropout and synthetic data then repeat exactly.
 * @example
 * ax.setSeed(42);
 * const a = ax.randomNormal([2, 2]);
 * ax.setSeed(42);
 * const b = ax.randomNormal([2, 2]); // identical to a, bit for bit
 */
export function setSeed(seed: number): void {
  globalRandom = new Random(seed);
}

/**
 * The global generator that `setSeed` restarts.
 * @example ax.getRandom().normal()
 */
export function getRandom(): Random {
  return globalRandom;
}

/**
 * Runs `f` with `rng` as the global generator, then puts the previous one back. For draws whose values are
 * thrown away (the initial weights a model load overwrites), so they do not move the user's seeded stream.
 * @example
 * const model = ax.withRandom(new ax.Random(0), () => buildLayers());
 */
export function withRandom<T>(rng: Random, f: () => T): T {
  const previous = globalRandom;
  globalRandom = rng;
  try {
    return f();
  } finally {
    globalRandom = previous;
  }
}
