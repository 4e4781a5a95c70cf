import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

/** Runs f, which must throw, and returns the error message. */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, 'throws an Error');
    return e.message;
  }
  assert.fail('expected an error');
}

/** Deliberately ill-typed input, as untyped JavaScript callers could pass it. */
const untyped = (v: unknown): ax.TensorInput => v as ax.TensorInput;

describe('tensor() input errors', () => {
  it('a ragged array names the element position and both shapes', () => {
    const msg = messageOf(() => ax.tensor([[1, 2], [3]]));
    assert.match(msg, /^tensor\(\): ragged nested array/);
    assert.match(msg, /the element at \[1\] has shape \[1\]/);
    assert.match(msg, /the element at \[0\] has shape \[2\]/);
  });

  it('a ragged array deep inside names the full path', () => {
    const msg = messageOf(() =>
      ax.tensor([
        [
          [1, 2],
          [3, 4],
        ],
        [[5, 6], [7]],
      ]),
    );
    assert.match(
      msg,
      /the element at \[1\]\[1\] has shape \[1\], but the element at \[1\]\[0\] has shape \[2\]/,
    );
  });

  it('a number where an array is expected is ragged too', () => {
    const msg = messageOf(() => ax.tensor(untyped([1, [2]])));
    assert.match(msg, /the element at \[1\] has shape \[1\], but the element at \[0\] has shape \[\]/);
  });

  it('non-numeric entries report their position and what they are', () => {
    const cases: [unknown, RegExp][] = [
      ['a', /the element at \[1\]\[0\] is a string \('a'\); expected a number/],
      [undefined, /the element at \[1\]\[0\] is undefined; expected a number/],
      [null, /the element at \[1\]\[0\] is null; expected a number/],
      [{ x: 1 }, /the element at \[1\]\[0\] is a value of type object; expected a number/],
    ];
    for (const [bad, expected] of cases) {
      assert.throws(
        () =>
          ax.tensor(
            untyped([
              [1, 2],
              [bad, 3],
            ]),
          ),
        expected,
      );
    }
    assert.throws(() => ax.tensor(untyped('abc')), /the element at the top level is a string/);
    // A long string is shortened in the message.
    const msg = messageOf(() => ax.tensor(untyped([['x'.repeat(100)]])));
    assert.ok(msg.length < 150, msg);
    assert.match(msg, /\[0\]\[0\] is a string \('x{20}…'\)/);
  });

  it('a shape that does not match the number of values', () => {
    assert.throws(
      () => ax.tensor([1, 2, 3], [2, 2]),
      /tensor\(\): shape \[2,2\] needs 4 values, but 3 were given/,
    );
    assert.throws(
      () => ax.tensor(Float32Array.of(1, 2, 3, 4, 5), [2, 3]),
      /shape \[2,3\] needs 6 values, but 5 were given/,
    );
  });

  it('invalid shapes name the dimension and its index', () => {
    assert.throws(() => ax.zeros([2, -1]), /fill\(\): shape \[2,-1\] has an invalid dimension -1 at index 1/);
    assert.throws(() => ax.tensor([1, 2], [1.5]), /invalid dimension 1\.5 at index 0/);
    assert.throws(
      () => ax.randomNormal([3, Number.NaN]),
      /randomNormal\(\): shape \[3,NaN\] has an invalid dimension/,
    );
  });

  it('scalar() needs a number', () => {
    assert.throws(
      () => ax.scalar(untyped('x') as number),
      /scalar\(\): expected a number, got a string \('x'\)/,
    );
  });

  it('an op given a bad nested array names the op and the argument', () => {
    const msg = messageOf(() => ax.add([[1, 2], [3]], 1));
    assert.match(msg, /^add: argument 'a' is not a tensor: tensor\(\): ragged nested array/);
    assert.throws(
      () => ax.matMul([[1]], untyped([[null]])),
      /matMul: argument 'b' is not a tensor: .*\[0\]\[0\] is null/,
    );
  });
});
