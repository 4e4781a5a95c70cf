import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

const S = ax.datasets.synthetic;
const flat = (t: ax.Tensor): number[] => Array.from(t.dataSync());
const rows = (d: ax.SyntheticDataset): { x1: number; x2: number; y: number }[] => {
  const x = flat(d.x);
  return flat(d.y).map((y, i) => ({ x1: x[2 * i], x2: x[2 * i + 1], y }));
};
const countOf = (ys: number[], v: number): number => ys.filter((y) => y === v).length;

const NAMES = [
  'circle',
  'xor',
  'gauss',
  'spiral',
  'moons',
  'blobs',
  'linear',
  'and-table',
  'or-table',
  'xor-table',
  'reg-plane',
  'reg-gauss',
];

describe('synthetic data: the registry', () => {
  it('lists every set once, with its task and a one-line description', () => {
    const list = ax.listSyntheticDatasets();
    assert.deepEqual(
      list.map((d) => d.name),
      NAMES,
    );
    for (const d of list) {
      assert.ok(d.description.length > 10 && !d.description.includes('\n'), d.name);
      assert.ok(['binary', 'multiclass', 'regression'].includes(d.task));
    }
    assert.deepEqual(S.list(), list);
  });

  it('loads each set by name with the documented shapes', () => {
    for (const { name, task } of ax.listSyntheticDatasets()) {
      const d = ax.loadSynthetic(name, { n: 30, noise: 0.1, seed: 3 });
      const n = name.endsWith('-table') ? 4 : 30;
      assert.equal(d.name, name);
      assert.equal(d.task, task);
      assert.deepEqual(d.x.shape, [n, 2], name);
      assert.deepEqual(d.y.shape, task === 'multiclass' ? [n] : [n, 1], name);
      assert.ok(flat(d.x).every(Number.isFinite) && flat(d.y).every(Number.isFinite), name);
      if (task === 'binary')
        assert.ok(
          flat(d.y).every((v) => v === 0 || v === 1),
          name,
        );
      assert.equal(d.numClasses, task === 'regression' ? null : task === 'binary' ? 2 : 3);
    }
  });

  it('names the unknown set and lists the known ones', () => {
    assert.throws(
      () => ax.loadSynthetic('spirals'),
      (e: Error) =>
        e.message.includes("unknown data set 'spirals'") && NAMES.every((n) => e.message.includes(n)),
    );
    assert.deepEqual(
      flat(ax.loadSynthetic(' Circle ', { n: 8, seed: 1 }).x),
      flat(S.circle({ n: 8, seed: 1 }).x),
    );
  });

  it('validates n, noise, seed and classes', () => {
    assert.throws(() => S.circle({ n: 0 }), /synthetic.circle: n must be a positive integer, got 0/);
    assert.throws(
      () => S.spiral({ noise: -0.1 }),
      /synthetic.spiral: noise must be a finite number ≥ 0.*got -0.1/,
    );
    assert.throws(() => S.gauss({ seed: Number.NaN }), /seed must be a finite number, got NaN/);
    assert.throws(() => S.blobs({ classes: 1 }), /classes must be an integer ≥ 2, got 1/);
    assert.throws(() => S.truthTable('nxor' as ax.Gate), /unknown gate 'nxor'; expected one of and, or, xor/);
  });
});

describe('synthetic data: determinism', () => {
  it('gives identical data for the same seed, different data for another', () => {
    for (const name of NAMES.filter((n) => !n.endsWith('-table'))) {
      const a = ax.loadSynthetic(name, { n: 50, noise: 0.2, seed: 42 });
      const b = ax.loadSynthetic(name, { n: 50, noise: 0.2, seed: 42 });
      const c = ax.loadSynthetic(name, { n: 50, noise: 0.2, seed: 43 });
      assert.deepEqual(flat(a.x), flat(b.x), name);
      assert.deepEqual(flat(a.y), flat(b.y), name);
      assert.notDeepEqual(flat(a.x), flat(c.x), name);
    }
  });

  it('draws from the global generator when no seed is given', () => {
    ax.setSeed(7);
    const a = S.moons({ n: 40, noise: 0.1 });
    const a2 = S.moons({ n: 40, noise: 0.1 });
    ax.setSeed(7);
    const b = S.moons({ n: 40, noise: 0.1 });
    assert.deepEqual(flat(a.x), flat(b.x));
    assert.notDeepEqual(flat(a.x), flat(a2.x), 'the stream moves on between draws');
  });
});

describe('synthetic data: balance and order', () => {
  it('splits the binary sets evenly (odd n: one more of the first class)', () => {
    for (const name of ['circle', 'gauss', 'spiral', 'moons', 'linear']) {
      const ys = flat(ax.loadSynthetic(name, { n: 101, seed: 1 }).y);
      assert.equal(ys.length, 101);
      assert.ok(Math.abs(countOf(ys, 1) - countOf(ys, 0)) === 1, name);
    }
    const ys = flat(S.xor({ n: 2000, seed: 1 }).y);
    assert.ok(Math.abs(countOf(ys, 1) / 2000 - 0.5) < 0.05, 'xor: quadrants are equally likely');
  });

  it('gives every blob the same count', () => {
    const ys = flat(S.blobs({ n: 120, classes: 4, seed: 2 }).y);
    assert.deepEqual(
      [0, 1, 2, 3].map((c) => countOf(ys, c)),
      [30, 30, 30, 30],
    );
  });

  it('shuffles by default and keeps generation order with shuffle: false', () => {
    const ordered = flat(S.gauss({ n: 10, seed: 1, shuffle: false }).y);
    assert.deepEqual(ordered, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    assert.notDeepEqual(flat(S.gauss({ n: 10, seed: 1 }).y), ordered);
  });
});

describe('synthetic data: geometry at noise 0', () => {
  it('circle: class 1 inside radius 2.5, class 0 in the ring 3.5–5', () => {
    const r = rows(S.circle({ n: 400, seed: 5 }));
    const radius = (p: { x1: number; x2: number }): number => Math.hypot(p.x1, p.x2);
    const inner = r.filter((p) => p.y === 1).map(radius);
    const outer = r.filter((p) => p.y === 0).map(radius);
    assert.ok(Math.max(...inner) < 2.5);
    assert.ok(Math.min(...outer) >= 3.5 - 1e-5 && Math.max(...outer) <= 5 + 1e-5);
  });

  it('circle: noise flips labels near the boundary but never moves points', () => {
    const r = rows(S.circle({ n: 400, noise: 0.5, seed: 5 }));
    const flipped = r.filter((p) => (Math.hypot(p.x1, p.x2) < 2.5 ? 1 : 0) !== p.y).length;
    assert.ok(flipped > 20, `${flipped} labels flipped`);
    assert.ok(r.every((p) => Math.hypot(p.x1, p.x2) <= 5 + 1e-5));
  });

  it('xor: class 1 exactly where x₁·x₂ ≥ 0, coordinates at least 0.3 from the axes', () => {
    for (const p of rows(S.xor({ n: 300, seed: 6 }))) {
      assert.equal(p.y, p.x1 * p.x2 >= 0 ? 1 : 0);
      assert.ok(Math.abs(p.x1) >= 0.3 - 1e-6 && Math.abs(p.x2) >= 0.3 - 1e-6);
    }
  });

  it('gauss: centres (2,2) and (−2,−2); variance 0.5 at noise 0 and 4 at noise 0.5', () => {
    for (const [noise, variance] of [
      [0, 0.5],
      [0.5, 4],
    ]) {
      const r = rows(S.gauss({ n: 4000, noise, seed: 7 }));
      for (const [label, c] of [
        [1, 2],
        [0, -2],
      ]) {
        const xs = r.filter((p) => p.y === label).map((p) => p.x1);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
        assert.ok(Math.abs(mean - c) < 0.15, `mean ${mean}`);
        assert.ok(Math.abs(v / variance - 1) < 0.1, `variance ${v}, expected ${variance}`);
      }
    }
  });

  it('spiral: each point lies on its arm, (r sin t, r cos t) with t = 3.5π·r/5 (+π for class 0)', () => {
    const r = rows(S.spiral({ n: 200, seed: 8 }));
    for (const p of r) {
      const radius = Math.hypot(p.x1, p.x2);
      const t = (3.5 * Math.PI * radius) / 5 + (p.y === 1 ? 0 : Math.PI);
      assert.ok(Math.abs(p.x1 - radius * Math.sin(t)) < 1e-4 && Math.abs(p.x2 - radius * Math.cos(t)) < 1e-4);
      assert.ok(radius < 5);
    }
    // The two arms are each other's point reflection: class 0 = −(class 1) point for point.
    const arm1 = r.filter((p) => p.y === 1);
    for (const q of r.filter((p) => p.y === 0)) {
      assert.ok(arm1.some((p) => Math.abs(p.x1 + q.x1) < 1e-5 && Math.abs(p.x2 + q.x2) < 1e-5));
    }
  });

  it('moons: every point on its arc of radius 2.5', () => {
    for (const p of rows(S.moons({ n: 200, seed: 9 }))) {
      const [cx, cy] = p.y === 0 ? [-1.25, -0.625] : [1.25, 0.625];
      assert.ok(Math.abs(Math.hypot(p.x1 - cx, p.x2 - cy) - 2.5) < 1e-5);
      // Class 0 is the upper half of its circle, class 1 the lower half of its own.
      assert.ok(p.y === 0 ? p.x2 >= cy - 1e-5 : p.x2 <= cy + 1e-5);
    }
  });

  it('blobs: class means on the circle of radius 3.5 at angles 2πc/k', () => {
    const r = rows(S.blobs({ n: 3000, classes: 3, seed: 10 }));
    for (let c = 0; c < 3; c++) {
      const pts = r.filter((p) => p.y === c);
      const mx = pts.reduce((a, p) => a + p.x1, 0) / pts.length;
      const my = pts.reduce((a, p) => a + p.x2, 0) / pts.length;
      const angle = (2 * Math.PI * c) / 3;
      assert.ok(Math.hypot(mx - 3.5 * Math.cos(angle), my - 3.5 * Math.sin(angle)) < 0.1, `class ${c}`);
    }
  });

  it('linear: separable with a margin, so a perceptron converges on it', () => {
    for (const seed of [1, 2, 3]) {
      const { x, y } = S.linear({ n: 300, seed });
      const p = new ax.Perceptron({ inputDim: 2, maxEpochs: 1000 });
      const res = p.fit(x, y);
      assert.equal(res.converged, true, `seed ${seed}: errors ${res.errors.slice(-5)}`);
      assert.deepEqual(flat(p.predict(x)), flat(y));
    }
    const noisy = S.linear({ n: 300, noise: 0.5, seed: 1 });
    assert.equal(new ax.Perceptron({ inputDim: 2 }).fit(noisy.x, noisy.y).converged, false);
  });

  it('reg-plane: target (x₁ + x₂)/10, x in ±6', () => {
    for (const p of rows(S.regPlane({ n: 200, seed: 11 }))) {
      assert.ok(Math.abs(p.y - (p.x1 + p.x2) / 10) < 1e-6);
      assert.ok(Math.abs(p.x1) <= 6 && Math.abs(p.x2) <= 6);
    }
  });

  it('reg-gauss: ±(1 − d/2) within distance 2 of a bump, 0 elsewhere', () => {
    const bumps = [
      [-4, 2.5, 1],
      [0, 2.5, -1],
      [4, 2.5, 1],
      [-4, -2.5, -1],
      [0, -2.5, 1],
      [4, -2.5, -1],
    ];
    const r = rows(S.regGauss({ n: 500, seed: 12 }));
    let inside = 0;
    for (const p of r) {
      const near = bumps.find(([cx, cy]) => Math.hypot(p.x1 - cx, p.x2 - cy) < 2);
      const expected = near ? near[2] * (1 - Math.hypot(p.x1 - near[0], p.x2 - near[1]) / 2) : 0;
      if (near) inside++;
      assert.ok(Math.abs(p.y - expected) < 1e-6, `(${p.x1}, ${p.x2}): ${p.y} vs ${expected}`);
    }
    assert.ok(inside > 50);
  });
});

describe('synthetic data: truth tables', () => {
  it('gives AND, OR, XOR in row order (0,0), (0,1), (1,0), (1,1), 0/1 or bipolar', () => {
    const expected = {
      and: [0, 0, 0, 1],
      or: [0, 1, 1, 1],
      xor: [0, 1, 1, 0],
      nand: [1, 1, 1, 0],
      nor: [1, 0, 0, 0],
    };
    for (const [gate, ys] of Object.entries(expected) as [ax.Gate, number[]][]) {
      const t = S.truthTable(gate);
      assert.deepEqual(t.x.arraySync(), [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]);
      assert.deepEqual(flat(t.y), ys);
      const b = S.truthTable(gate, { bipolar: true });
      assert.deepEqual(flat(b.x), [-1, -1, -1, 1, 1, -1, 1, 1]);
      assert.deepEqual(
        flat(b.y),
        ys.map((v) => (v ? 1 : -1)),
      );
    }
    assert.deepEqual(flat(ax.loadSynthetic('or-table', { bipolar: true }).y), [-1, 1, 1, 1]);
    assert.deepEqual(flat(ax.loadSynthetic('xor-table').y), [0, 1, 1, 0]);
  });
});
