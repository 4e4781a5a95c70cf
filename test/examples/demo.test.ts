import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDemo } from '../../examples/demo.js';

describe('the README demo (npm run demo)', () => {
  it('learns the spiral: ≥ 95% held-out accuracy, with a drawn decision boundary', async () => {
    const result = await runDemo({
      data: 'spiral',
      layers: [16, 16],
      epochs: 150,
      learningRate: 0.01,
      seed: 1,
      verbose: 0,
    });
    assert.ok(result.testAccuracy >= 0.95, `held-out accuracy ${result.testAccuracy}`);
    assert.ok(result.trainAccuracy >= 0.95, `train accuracy ${result.trainAccuracy}`);
    const lines = result.picture.split('\n');
    assert.equal(lines.length, 24 + 2);
    // Both predicted regions and both classes' points appear in the picture.
    assert.match(result.picture, /·/);
    assert.match(result.picture, / /);
    assert.match(result.picture, /o/);
    assert.match(result.picture, /x/);
    assert.match(result.summary, /Total params: 337/);
  });

  it('is deterministic for a seed', async () => {
    const options = { data: 'circle', layers: [4], epochs: 5, learningRate: 0.03, seed: 9, verbose: 0 };
    const a = await runDemo(options);
    const b = await runDemo(options);
    assert.equal(a.testLoss, b.testLoss);
    assert.equal(a.picture, b.picture);
  });

  it('refuses a dataset that is not binary, naming it', async () => {
    await assert.rejects(
      runDemo({ data: 'blobs', layers: [4], epochs: 1, learningRate: 0.01, seed: 1, verbose: 0 }),
      /'blobs' is not a binary dataset/,
    );
  });
});
