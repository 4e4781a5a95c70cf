import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';
import { AXON_VERSION } from '../../src/io/save.js';

function tinyModel(): ax.Sequential {
  const model = ax.sequential({
    layers: [ax.layers.dense({ units: 3, inputShape: [2], activation: 'tanh' })],
  });
  model.build();
  return model;
}

describe('loading and the seeded stream', () => {
  it('loading a model does not move the global random stream', async () => {
    const sink = ax.io.memory();
    await tinyModel().save(sink);
    const artifacts = sink.artifacts!;

    ax.setSeed(5);
    const expected = ax.randomUniform([4]).dataSync();
    ax.setSeed(5);
    ax.io.modelFromArtifacts(artifacts);
    const afterLoad = ax.randomUniform([4]).dataSync();
    assert.deepEqual(afterLoad, expected);
  });

  it('withRandom restores the previous generator even when f throws', () => {
    ax.setSeed(3);
    const expected = ax.randomUniform([2]).dataSync();
    ax.setSeed(3);
    assert.throws(
      () =>
        ax.withRandom(new ax.Random(1), () => {
          ax.randomUniform([10]);
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.deepEqual(ax.randomUniform([2]).dataSync(), expected);
  });
});

describe('version', () => {
  it('the version written into model files is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(AXON_VERSION, pkg.version);
  });
});
