// Shared fixtures for the optimizer tests: a seeded sequence of weights and gradients, and a tolerance check.
import assert from 'node:assert/strict';
import * as ax from '../../src/index.js';

/** Two variables of different ranks, as a model's kernel and bias. */
export const SHAPES: readonly (readonly number[])[] = [[3, 4], [5]];

export interface Fixture {
  /** Initial weights per variable (flat). */
  init: number[][];
  /** grads[step][variable] (flat). */
  grads: number[][][];
}

/**
 * Weights uniform in [−1, 1) and `steps` gradient sets ~ N(0, s²) with a scale s that changes from step to
 * step (0.2 … 3), so that the adaptive optimizers' accumulators see varied magnitudes. With `zeros`, every
 * seventh element of every gradient is exactly 0 (the division-by-√(0 + ε) corner).
 */
export function fixture(seed: number, steps: number, zeros = true): Fixture {
  const rng = new ax.Random(seed);
  const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  const init = SHAPES.map((s) => Array.from({ length: size(s) }, () => 2 * rng.uniform() - 1));
  const grads: number[][][] = [];
  for (let t = 0; t < steps; t++) {
    const scale = 0.2 + 2.8 * rng.uniform();
    grads.push(
      SHAPES.map((s) =>
        Array.from({ length: size(s) }, (_, i) => (zeros && (i + t) % 7 === 0 ? 0 : scale * rng.normal())),
      ),
    );
  }
  return { init, grads };
}

/** Axon variables holding the fixture's initial weights. */
export function axonVariables(f: Fixture): ax.Variable[] {
  return SHAPES.map((s, k) => ax.variable(ax.tensor(f.init[k]!, [...s]), true, `w${k}`));
}

/** Axon gradient tensors for one step. */
export function axonGrads(f: Fixture, t: number): ax.Tensor[] {
  return SHAPES.map((s, k) => ax.tensor(f.grads[t]![k]!, [...s]));
}

/**
 * Largest elementwise relative error |a − e| / max(|e|, floor), with floor = 0.1 · max|e| over the tensor.
 * The floor keeps a weight that happens to pass near zero from turning float32 rounding of the O(‖w‖)
 * terms of its update (one ulp of those, not of the small result) into a large relative error.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'length');
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  const floor = Math.max(0.1 * scale, 1e-12);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor);
    if (!(e <= worst)) worst = e; // also propagates NaN
  }
  return worst;
}

/** Asserts agreement to `rtol` (relative, see `maxRelativeError`), with a message naming what is compared. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  what: string,
): void {
  const err = maxRelativeError(actual, expected);
  assert.ok(
    err <= rtol,
    `${what}: max relative error ${err.toExponential(2)} > ${rtol}\n  actual   ${Array.from(actual).slice(0, 6).join(', ')}\n  expected ${Array.from(expected).slice(0, 6).join(', ')}`,
  );
}
