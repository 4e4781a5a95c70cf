// Property-based gradient check of every differentiable op: random small shapes (rank 0–3, dims 1–4),
// random values inside each op's smooth domain, analytic gradients against central differences in
// float64 (ax.checkGradients). A fixed fast-check seed keeps CI deterministic.
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as ax from '../../src/index.js';

const SEED = 424242;
const RUNS = 40;
const TOLERANCE = 1e-3;

type T = ax.Tensor;
type Values = (n: number) => fc.Arbitrary<number[]>;

/** Asserts that f's gradients with respect to every input match finite differences. */
function expectGradients(f: (...xs: T[]) => T, inputs: T[]): void {
  const r = ax.checkGradients(f, inputs);
  if (!(r.maxRelativeError < TOLERANCE)) {
    const w = r.inputs[r.worstInput];
    throw new Error(
      `relative error ${r.maxRelativeError} at inputs[${r.worstInput}] ${JSON.stringify(r.worstMultiIndex)} ` +
        `(shapes ${JSON.stringify(inputs.map((x) => x.shape))}): analytic ${w?.worstAnalytic}, numeric ${w?.worstNumeric}`,
    );
  }
}

function check<A>(arb: fc.Arbitrary<A>, body: (a: A) => void, numRuns = RUNS): void {
  fc.assert(
    fc.property(arb, (a) => {
      body(a);
    }),
    { numRuns, seed: SEED },
  );
}

const size = (shape: readonly number[]) => shape.reduce((s, d) => s * d, 1);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// --- value domains --------------------------------------------------------------------------
const uniform =
  (lo: number, hi: number): Values =>
  (n) =>
    fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n, maxLength: n });
const anyValue = uniform(-2, 2);
const positive = uniform(0.2, 3);
/** |x| in [lo, hi] with either sign: away from the kink or pole at 0. */
const awayFromZero =
  (lo = 0.1, hi = 2): Values =>
  (n) =>
    fc.array(
      fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.boolean()).map(([m, s]) => (s ? m : -m)),
      { minLength: n, maxLength: n },
    );
/** Distinct values on a grid of step 1/8 (no ties for max/min), shifted by `offset` steps. */
const distinctGrid =
  (offset = 0): Values =>
  (n) =>
    fc
      .uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: n, maxLength: n })
      .map((ks) => ks.map((k) => (k + offset) / 8));

// --- shapes ---------------------------------------------------------------------------------
const shapeArb = (minRank = 0, maxRank = 3) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: minRank, maxLength: maxRank });

/** An operand shape that broadcasts to `out`: some leading axes dropped, some dimensions set to 1. */
const operandShape = (out: readonly number[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

const tensorOf = (shape: readonly number[], values: Values) =>
  values(size(shape)).map((v) => ax.tensor(v, shape));

const tensorArb = (values: Values, minRank = 0, maxRank = 3) =>
  shapeArb(minRank, maxRank).chain((s) => tensorOf(s, values));

const FIXED_PAIRS: [number[], number[]][] = [
  [[2, 3], [3]],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [[], [2, 3]],
  [[2, 3], []],
];
const randomPair = shapeArb().chain((out) => fc.tuple(operandShape(out), operandShape(out)));
const pairOf = (shapes: fc.Arbitrary<[number[], number[]]>, va: Values, vb: Values) =>
  shapes.chain(([sa, sb]) => fc.tuple(tensorOf(sa, va), tensorOf(sb, vb)));

/** An axis argument for reductions: all axes, one (maybe negative) axis, or a subset. */
const axisArb = (rank: number): fc.Arbitrary<number | number[] | undefined> =>
  rank === 0
    ? fc.constant(undefined)
    : fc.oneof(
        fc.constant(undefined),
        fc.integer({ min: -rank, max: rank - 1 }),
        fc.subarray(range(rank), { minLength: 0 }),
      );
const permutation = (n: number) => fc.shuffledSubarray(range(n), { minLength: n, maxLength: n });

describe('gradient check: binary ops, both operands, with broadcasting', () => {
  const cases: [string, (a: T, b: T) => T, Values, Values][] = [
    ['add', ax.add, anyValue, anyValue],
    ['sub', ax.sub, anyValue, anyValue],
    ['mul', ax.mul, anyValue, anyValue],
    ['div', ax.div, anyValue, awayFromZero(0.3, 2)],
    ['pow', ax.pow, uniform(0.3, 2), anyValue],
    // a on the grid k/8, b on (k + ½)/8: never equal, so no element sits on the kink.
    ['maximum', ax.maximum, distinctGrid(), distinctGrid(0.5)],
    ['minimum', ax.minimum, distinctGrid(), distinctGrid(0.5)],
  ];
  for (const [name, op, va, vb] of cases) {
    it(`${name}: random broadcast-compatible shapes`, () => {
      check(pairOf(randomPair, va, vb), ([a, b]) => expectGradients(op, [a, b]));
    });
    it(`${name}: [2,3]·[3], [2,1,3]·[4,1], scalar·tensor, tensor·scalar`, () => {
      check(pairOf(fc.constantFrom(...FIXED_PAIRS), va, vb), ([a, b]) => expectGradients(op, [a, b]), 12);
    });
  }

  it('where: condition, a and b all broadcast', () => {
    const arb = shapeArb().chain((out) =>
      fc.tuple(operandShape(out), operandShape(out), operandShape(out)).chain(([sc, sa, sb]) =>
        fc.tuple(
          tensorOf(sc, (n) => fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n })),
          tensorOf(sa, anyValue),
          tensorOf(sb, anyValue),
        ),
      ),
    );
    check(arb, ([c, a, b]) => expectGradients((x, y) => ax.where(c, x, y), [a, b]));
  });
});

describe('gradient check: unary ops and activations', () => {
  const hardSigmoidDomain: Values = (n) =>
    fc.array(
      fc
        .tuple(
          fc.oneof(
            fc.double({ min: 0, max: 2.3, noNaN: true }),
            fc.double({ min: 2.7, max: 4, noNaN: true }),
          ),
          fc.boolean(),
        )
        .map(([m, s]) => (s ? m : -m)),
      { minLength: n, maxLength: n },
    );
  const cases: [string, (x: T) => T, Values][] = [
    ['neg', ax.neg, anyValue],
    ['abs', ax.abs, awayFromZero()],
    ['sqrt', ax.sqrt, positive],
    ['square', ax.square, anyValue],
    ['exp', ax.exp, anyValue],
    ['log', ax.log, positive],
    ['log1p', ax.log1p, uniform(-0.5, 3)],
    ['reciprocal', ax.reciprocal, awayFromZero(0.3, 2)],
    ['sigmoid', ax.sigmoid, uniform(-4, 4)],
    ['tanh', ax.tanh, uniform(-3, 3)],
    ['relu', ax.relu, awayFromZero()],
    ['selu', ax.selu, awayFromZero()],
    ['softplus', ax.softplus, uniform(-4, 4)],
    ['softsign', ax.softsign, awayFromZero(0.05, 3)],
    ['gelu', ax.gelu, uniform(-3, 3)],
    ['swish', ax.swish, uniform(-4, 4)],
    ['hardSigmoid', ax.hardSigmoid, hardSigmoidDomain],
  ];
  for (const [name, op, values] of cases) {
    it(name, () => check(tensorArb(values), (x) => expectGradients(op, [x])));
  }

  it('leakyRelu and elu with random alpha', () => {
    const arb = fc.tuple(tensorArb(awayFromZero()), fc.double({ min: 0.01, max: 2, noNaN: true }));
    check(arb, ([x, alpha]) => {
      expectGradients((t) => ax.leakyRelu(t, alpha), [x]);
      expectGradients((t) => ax.elu(t, alpha), [x]);
    });
  });

  it('clipByValue (values a half grid step away from lo and hi)', () => {
    const arb = fc.tuple(
      tensorArb(distinctGrid(0.5)),
      fc.integer({ min: -8, max: 0 }),
      fc.integer({ min: 0, max: 8 }),
    );
    check(arb, ([x, lo, hi]) => expectGradients((t) => ax.clipByValue(t, lo / 8, hi / 8), [x]));
  });

  it('broadcastTo', () => {
    const arb = shapeArb().chain((out) =>
      operandShape(out).chain((s) => fc.tuple(tensorOf(s, anyValue), fc.constant(out))),
    );
    check(arb, ([x, out]) => expectGradients((t) => ax.broadcastTo(t, out), [x]));
  });
});

describe('gradient check: reductions with random axes and keepDims', () => {
  const cases: [string, (x: T, axis?: number | number[], keepDims?: boolean) => T, Values][] = [
    ['sum', ax.sum, anyValue],
    ['mean', ax.mean, anyValue],
    ['max', ax.max, distinctGrid()],
    ['min', ax.min, distinctGrid()],
    ['logSumExp', ax.logSumExp, uniform(-3, 3)],
  ];
  for (const [name, op, values] of cases) {
    it(name, () => {
      const arb = shapeArb().chain((s) => fc.tuple(tensorOf(s, values), axisArb(s.length), fc.boolean()));
      check(arb, ([x, axis, keepDims]) => expectGradients((t) => op(t, axis, keepDims), [x]));
    });
  }
});

describe('gradient check: matMul', () => {
  const dim = fc.integer({ min: 1, max: 4 });
  const batchMode = fc.constantFrom('none', 'both', 'aOnly', 'bOnly');
  const batchShape = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 });
  for (const [transposeA, transposeB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ]) {
    it(`transposeA=${transposeA}, transposeB=${transposeB}: single, batched and batch-broadcast`, () => {
      const arb = fc.tuple(dim, dim, dim, batchMode, batchShape).chain(([m, k, n, mode, batch]) => {
        const a = transposeA ? [k, m] : [m, k];
        const b = transposeB ? [n, k] : [k, n];
        const ba = mode === 'both' || mode === 'aOnly' ? batch : [];
        const bb = mode === 'both' || mode === 'bOnly' ? batch : [];
        return fc.tuple(tensorOf([...ba, ...a], anyValue), tensorOf([...bb, ...b], anyValue));
      });
      check(arb, ([a, b]) => expectGradients((x, y) => ax.matMul(x, y, transposeA, transposeB), [a, b]));
    });
  }
});

describe('gradient check: shape ops', () => {
  it('reshape (shuffled dimensions, extra 1s, maybe a -1)', () => {
    const arb = shapeArb().chain((s) =>
      fc
        .integer({ min: 0, max: 2 })
        .chain((extra) => {
          const dims = [...s, ...Array<number>(extra).fill(1)];
          return fc.shuffledSubarray(dims, { minLength: dims.length, maxLength: dims.length });
        })
        .chain((target) =>
          fc.tuple(
            tensorOf(s, anyValue),
            fc
              .integer({ min: -1, max: target.length - 1 })
              .map((u) => target.map((d, i) => (i === u ? -1 : d))),
          ),
        ),
    );
    check(arb, ([x, target]) => expectGradients((t) => ax.reshape(t, target), [x]));
  });

  it('transpose (random permutations, and the default reversal)', () => {
    const arb = shapeArb().chain((s) =>
      fc.tuple(tensorOf(s, anyValue), fc.option(permutation(s.length), { nil: undefined })),
    );
    check(arb, ([x, perm]) => expectGradients((t) => ax.transpose(t, perm), [x]));
  });

  it('slice (random begin, size or -1)', () => {
    const arb = shapeArb(1).chain((s) =>
      fc.tuple(
        tensorOf(s, anyValue),
        fc.tuple(
          ...s.map((d) =>
            fc
              .integer({ min: 0, max: d - 1 })
              .chain((b) =>
                fc.tuple(fc.constant(b), fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: d - b }))),
              ),
          ),
        ),
      ),
    );
    check(arb, ([x, box]) =>
      expectGradients(
        (t) =>
          ax.slice(
            t,
            box.map(([b]) => b),
            box.map(([, n]) => n),
          ),
        [x],
      ),
    );
  });

  it('gather (repeated indices accumulate; 1-D and 2-D index tensors)', () => {
    const arb = shapeArb(1).chain((s) =>
      fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
        const d = s[axis < 0 ? axis + s.length : axis];
        const index = fc.integer({ min: 0, max: d - 1 });
        const indices = fc.oneof(
          fc.array(index, { minLength: 1, maxLength: 5 }).map((v) => ax.tensor(v)),
          fc.array(index, { minLength: 4, maxLength: 4 }).map((v) => ax.tensor(v, [2, 2])),
        );
        return fc.tuple(tensorOf(s, anyValue), indices, fc.constant(axis));
      }),
    );
    check(arb, ([x, indices, axis]) => expectGradients((t) => ax.gather(t, indices, axis), [x]));
  });

  it('concat (2–3 tensors of different lengths along a random axis)', () => {
    const arb = shapeArb(1).chain((s) =>
      fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
        const a = axis < 0 ? axis + s.length : axis;
        const part = fc.integer({ min: 1, max: 3 }).chain((len) =>
          tensorOf(
            s.map((d, i) => (i === a ? len : d)),
            anyValue,
          ),
        );
        return fc.tuple(fc.array(part, { minLength: 2, maxLength: 3 }), fc.constant(axis));
      }),
    );
    check(arb, ([xs, axis]) => expectGradients((...ts) => ax.concat(ts, axis), xs));
  });

  it('stack (1–3 tensors along a random new axis)', () => {
    const arb = shapeArb(0, 2).chain((s) =>
      fc.tuple(
        fc.array(tensorOf(s, anyValue), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -(s.length + 1), max: s.length }),
      ),
    );
    check(arb, ([xs, axis]) => expectGradients((...ts) => ax.stack(ts, axis), xs));
  });

  it('unstack (every part used with its own factor)', () => {
    const arb = shapeArb(1).chain((s) =>
      fc.tuple(tensorOf(s, anyValue), fc.integer({ min: -s.length, max: s.length - 1 })),
    );
    const f = (axis: number) => (t: T) =>
      ax.concat(
        ax.unstack(t, axis).map((p, i) => ax.reshape(ax.mul(p, i + 1), [-1])),
        0,
      );
    check(arb, ([x, axis]) => expectGradients(f(axis), [x]));
  });

  it('expandDims (any axis of the result)', () => {
    const arb = shapeArb().chain((s) =>
      fc.tuple(tensorOf(s, anyValue), fc.integer({ min: -(s.length + 1), max: s.length })),
    );
    check(arb, ([x, axis]) => expectGradients((t) => ax.expandDims(t, axis), [x]));
  });

  it('squeeze (all unit axes, or a subset of them)', () => {
    const unitDims = fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })), { maxLength: 3 });
    const arb = unitDims.chain((s) =>
      fc.tuple(
        tensorOf(s, anyValue),
        fc.option(fc.subarray(range(s.length).filter((i) => s[i] === 1)), { nil: undefined }),
      ),
    );
    check(arb, ([x, axes]) => expectGradients((t) => ax.squeeze(t, axes), [x]));
  });
});

describe('gradient check: softmax family and cross-entropies', () => {
  const withAxis = (values: Values) =>
    shapeArb(1).chain((s) =>
      fc.tuple(tensorOf(s, values), fc.integer({ min: -s.length, max: s.length - 1 })),
    );
  it('softmax (random axis)', () => {
    check(withAxis(uniform(-3, 3)), ([x, axis]) => expectGradients((t) => ax.softmax(t, axis), [x]));
  });
  it('logSoftmax (random axis)', () => {
    check(withAxis(uniform(-3, 3)), ([x, axis]) => expectGradients((t) => ax.logSoftmax(t, axis), [x]));
  });

  const labelsAndLogits = (minRank: number) =>
    shapeArb(minRank).chain((s) => fc.tuple(tensorOf(s, uniform(0, 1)), tensorOf(s, uniform(-3, 3))));
  it('sigmoidCrossEntropyWithLogits (labels and logits)', () => {
    check(labelsAndLogits(0), ([z, x]) => expectGradients(ax.sigmoidCrossEntropyWithLogits, [z, x]));
  });
  it('softmaxCrossEntropyWithLogits (soft labels and logits)', () => {
    check(labelsAndLogits(1), ([z, x]) => expectGradients(ax.softmaxCrossEntropyWithLogits, [z, x]));
  });
});
