/**
 * The TensorFlow Playground's data sets, with the same geometry as playground.tensorflow.org
 * (classification: circle, xor, gauss, spiral; regression: plane, Gaussian bumps), drawn from Axon's
 * seeded generator. The Playground labels classes ±1; here the positive class is 1 and the other 0.
 */
import {
  classCount,
  PointBuilder,
  resolveOptions,
  type SyntheticDataset,
  type SyntheticOptions,
  uniform,
} from './synthetic-common.js';

/**
 * Two concentric classes: class 1 inside radius 2.5, class 0 in the ring 3.5–5. Noise moves the point
 * used to *label* each example by up to ±5·noise per axis (as in the Playground), so near the
 * boundary some labels flip while the points stay put.
 * @example
 * const { x, y } = ax.datasets.synthetic.circle({ n: 200, noise: 0.1, seed: 1 }); // x [200,2], y [200,1]
 */
export function circle(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('circle', options);
  const radius = 5;
  const points = new PointBuilder(n);
  for (let c = 1; c >= 0; c--) {
    // Class 1 is drawn in the inner disc, class 0 in the outer ring; the gap 2.5–3.5 is empty.
    const [rMin, rMax] = c === 1 ? [0, radius * 0.5] : [radius * 0.7, radius];
    const count = classCount(n, 2, 1 - c);
    for (let i = 0; i < count; i++) {
      const r = uniform(rng, rMin, rMax);
      const angle = uniform(rng, 0, 2 * Math.PI);
      const x1 = r * Math.sin(angle);
      const x2 = r * Math.cos(angle);
      const n1 = x1 + uniform(rng, -radius, radius) * noise;
      const n2 = x2 + uniform(rng, -radius, radius) * noise;
      points.push(x1, x2, Math.hypot(n1, n2) < radius * 0.5 ? 1 : 0);
    }
  }
  return points.finish('circle', 'binary', 2, rng, shuffle);
}

/**
 * The four quadrants: class 1 where x₁·x₂ ≥ 0 (first and third), class 0 elsewhere. Coordinates are
 * uniform in ±5, pushed 0.3 away from the axes; noise moves the labelling point by up to ±5·noise.
 * @example
 * const { x, y } = ax.datasets.synthetic.xor({ n: 400, seed: 2 });
 */
export function xor(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('xor', options);
  const padding = 0.3;
  const points = new PointBuilder(n);
  for (let i = 0; i < n; i++) {
    let x1 = uniform(rng, -5, 5);
    x1 += x1 > 0 ? padding : -padding;
    let x2 = uniform(rng, -5, 5);
    x2 += x2 > 0 ? padding : -padding;
    const n1 = x1 + uniform(rng, -5, 5) * noise;
    const n2 = x2 + uniform(rng, -5, 5) * noise;
    points.push(x1, x2, n1 * n2 >= 0 ? 1 : 0);
  }
  return points.finish('xor', 'binary', 2, rng, shuffle);
}

/**
 * Two Gaussian clouds: class 1 around (2, 2), class 0 around (−2, −2). Noise sets the variance of
 * each coordinate, linearly from 0.5 at noise 0 to 4 at noise 0.5 (the Playground's scale).
 * @example
 * const { x, y } = ax.datasets.synthetic.gauss({ n: 100, noise: 0.2, seed: 3 });
 */
export function gauss(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('gauss', options);
  const std = Math.sqrt(gaussVariance(noise));
  const points = new PointBuilder(n);
  const centers: [number, number, number][] = [
    [2, 2, 1],
    [-2, -2, 0],
  ];
  centers.forEach(([cx, cy, label], c) => {
    const count = classCount(n, 2, c);
    for (let i = 0; i < count; i++) points.push(cx + std * rng.normal(), cy + std * rng.normal(), label);
  });
  return points.finish('gauss', 'binary', 2, rng, shuffle);
}

/** The Playground's variance for a noise level: 0.5 at 0, 4 at 0.5, linear (and beyond, extrapolated). */
export function gaussVariance(noise: number): number {
  return 0.5 + 7 * noise;
}

/**
 * Two interleaved spiral arms, each turning 1.75 times while its radius grows from 0 to 5; arm 0 is
 * arm 1 rotated by π. Point i of m in an arm sits at r = 5i/m, t = 3.5π·i/m (+π for class 0),
 * (r·sin t, r·cos t). Noise jitters each coordinate by up to ±noise.
 * @example
 * const { x, y } = ax.datasets.synthetic.spiral({ n: 300, noise: 0.1, seed: 4 });
 */
export function spiral(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('spiral', options);
  const points = new PointBuilder(n);
  for (let c = 0; c < 2; c++) {
    const label = c === 0 ? 1 : 0;
    const deltaT = c === 0 ? 0 : Math.PI;
    const m = classCount(n, 2, c);
    for (let i = 0; i < m; i++) {
      const r = (i / m) * 5;
      const t = 1.75 * (i / m) * 2 * Math.PI + deltaT;
      const x1 = r * Math.sin(t) + uniform(rng, -1, 1) * noise;
      const x2 = r * Math.cos(t) + uniform(rng, -1, 1) * noise;
      points.push(x1, x2, label);
    }
  }
  return points.finish('spiral', 'binary', 2, rng, shuffle);
}

/**
 * Regression on a plane: target (x₁ + x₂)/10 for x uniform in ±6, so targets span about ±1.2.
 * Noise moves the point where the target is read by up to ±6·noise per axis.
 * @example
 * const { x, y } = ax.datasets.synthetic.regPlane({ n: 200, seed: 5 }); // y [200,1]
 */
export function regPlane(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('reg-plane', options);
  const radius = 6;
  const points = new PointBuilder(n);
  for (let i = 0; i < n; i++) {
    const x1 = uniform(rng, -radius, radius);
    const x2 = uniform(rng, -radius, radius);
    const n1 = x1 + uniform(rng, -radius, radius) * noise;
    const n2 = x2 + uniform(rng, -radius, radius) * noise;
    points.push(x1, x2, (n1 + n2) / 10);
  }
  return points.finish('reg-plane', 'regression', null, rng, shuffle);
}

/** Centres and signs of the six bumps of `regGauss`. */
const BUMPS: readonly (readonly [number, number, number])[] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** The `regGauss` target at a point: the strongest bump, each falling linearly to 0 at distance 2. */
export function bumpsTarget(x1: number, x2: number): number {
  let target = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const height = sign * Math.min(1, Math.max(0, 1 - Math.hypot(x1 - cx, x2 - cy) / 2));
    if (Math.abs(height) > Math.abs(target)) target = height;
  }
  return target;
}

/**
 * Regression on six bumps of height ±1 (a 3 × 2 checkerboard of signs centred at x₁ ∈ {−4, 0, 4},
 * x₂ = ±2.5), each a cone of radius 2; x is uniform in ±6. Noise moves the point where the target is
 * read by up to ±6·noise per axis.
 * @example
 * const { x, y } = ax.datasets.synthetic.regGauss({ n: 300, seed: 6 });
 */
export function regGauss(options?: SyntheticOptions): SyntheticDataset {
  const { n, noise, rng, shuffle } = resolveOptions('reg-gauss', options);
  const radius = 6;
  const points = new PointBuilder(n);
  for (let i = 0; i < n; i++) {
    const x1 = uniform(rng, -radius, radius);
    const x2 = uniform(rng, -radius, radius);
    const n1 = x1 + uniform(rng, -radius, radius) * noise;
    const n2 = x2 + uniform(rng, -radius, radius) * noise;
    points.push(x1, x2, bumpsTarget(n1, n2));
  }
  return points.finish('reg-gauss', 'regression', null, rng, shuffle);
}
