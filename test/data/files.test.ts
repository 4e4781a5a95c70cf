import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allInOrder } from '../../src/data/files.js';

const after = <T>(ms: number, f: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(f());
      } catch (error) {
        reject(error);
      }
    }, ms),
  );

describe('allInOrder', () => {
  it('resolves to the values in the order given, not the order of completion', async () => {
    const values = await allInOrder([after(20, () => 'a'), after(1, () => 'b'), after(10, () => 'c')]);
    assert.deepEqual(values, ['a', 'b', 'c']);
  });

  it('rethrows the failure of the earliest position even when a later one fails first', async () => {
    const promises = [
      after(1, () => 'fine'),
      after(30, () => {
        throw new Error('second part');
      }),
      after(1, () => {
        throw new Error('third part');
      }),
    ];
    await assert.rejects(allInOrder(promises), /second part/);
  });
});
