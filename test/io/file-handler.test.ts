/**
 * `file://` save and load (Node): the two files, atomic writes (a failure at any step of a save leaves
 * the previous model byte-identical and no stray files), and the file-level errors — malformed JSON with
 * its position, missing files, truncated or oversized weights.bin, weight paths escaping the folder.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ax from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'axon-io-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `m${dirs++}`);

function model(seed: number, units = 3): ax.Sequential {
  ax.setSeed(seed);
  return ax.sequential({
    layers: [
      ax.layers.dense({ name: 'd1', units, inputShape: [2], activation: 'tanh' }),
      ax.layers.dense({ name: 'd2', units: 2, activation: 'softmax' }),
    ],
  });
}

const x = ax.tensor([
  [0.5, -1],
  [2, 0.25],
]);

function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(join(dir, name));
  return out;
}

async function loadError(url: string): Promise<string> {
  try {
    await ax.loadModel(url);
  } catch (error) {
    const message = (error as Error).message;
    assert.ok(!message.includes('\n'), `one line: ${message}`);
    return message;
  }
  assert.fail('expected the load to fail');
}

describe('io file://: save and load', () => {
  it('creates the folder and writes exactly model.json and weights.bin', async () => {
    const dir = join(freshDir(), 'nested', 'deeper');
    const m = model(1);
    await m.save(`file://${dir}`);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
    assert.equal(readFileSync(join(dir, 'weights.bin')).length, 4 * m.countParams());
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.deepEqual(Object.keys(json).sort(), [
      'convertedBy',
      'format',
      'generatedBy',
      'modelTopology',
      'weightsManifest',
    ]);
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    assert.deepEqual(
      json.weightsManifest[0].weights.map((w: ax.WeightSpec) => w.name),
      ['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias'],
    );
  });

  it('loads from the model.json URL, the folder URL and a relative path', async () => {
    const dir = freshDir();
    const m = model(2);
    await m.save(`file://${dir}`);
    const expected = Array.from(m.predict(x).dataSync());
    for (const url of [
      `file://${dir}/model.json`,
      `file://${dir}`,
      `file://${relative(process.cwd(), dir)}/model.json`,
    ]) {
      const loaded = await ax.loadModel(url);
      assert.deepEqual(Array.from(loaded.predict(x).dataSync()), expected, url);
    }
  });

  it('overwrites a previous model with a new one', async () => {
    const dir = freshDir();
    await model(3).save(`file://${dir}`);
    const second = model(4, 5);
    await second.save(`file://${dir}`);
    const loaded = await ax.loadModel(`file://${dir}/model.json`);
    assert.deepEqual(Array.from(loaded.predict(x).dataSync()), Array.from(second.predict(x).dataSync()));
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
  });

  it('refuses to save into a path that is a file', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    await assert.rejects(model(1).save(`file://${file}`), /is a file; file:\/\/ saves into a folder/);
  });
});

describe('io file://: atomic save', () => {
  const steps = [
    'write weights.bin',
    'write model.json',
    'backup weights.bin',
    'backup model.json',
    'rename weights.bin',
    'rename model.json',
  ];

  it('leaves the previous model byte-identical when any step of a save fails', async () => {
    const dir = freshDir();
    const old = model(5);
    await old.save(`file://${dir}`);
    const before = files(dir);
    const expected = Array.from(old.predict(x).dataSync());
    const next = model(6, 4);
    for (const failing of steps) {
      const handler = ax.io.fileSystem(dir, {
        beforeStep: (step) => {
          if (step === failing) throw new Error(`injected failure at ${step}`);
        },
      });
      await assert.rejects(next.save(handler), new RegExp(`injected failure at ${failing}`));
      assert.deepEqual(files(dir), before, `after a failure at '${failing}'`);
      const loaded = await ax.loadModel(`file://${dir}`);
      assert.deepEqual(Array.from(loaded.predict(x).dataSync()), expected);
    }
  });

  it('leaves nothing behind when the first save into a folder fails', async () => {
    for (const failing of ['write model.json', 'rename model.json']) {
      const dir = freshDir();
      const handler = ax.io.fileSystem(dir, {
        beforeStep: (step) => {
          if (step === failing) throw new Error('injected');
        },
      });
      await assert.rejects(model(7).save(handler), /injected/);
      assert.deepEqual(readdirSync(dir), [], failing);
    }
  });

  it('fails before touching the disk when the metadata cannot be written', async () => {
    const dir = freshDir();
    await model(8).save(`file://${dir}`);
    const before = files(dir);
    const bad = model(9);
    bad.metadata = { scaler: { mean: [1n] } };
    await assert.rejects(
      bad.save(`file://${dir}`),
      /save: metadata\.scaler\.mean\[0\] is a bigint, which JSON cannot represent/,
    );
    assert.deepEqual(files(dir), before);
  });
});

describe('io file://: load errors name the file and what was expected', () => {
  async function saved(): Promise<string> {
    const dir = freshDir();
    await model(10).save(`file://${dir}`);
    return dir;
  }

  it('gives the line and column of malformed JSON', async () => {
    const dir = await saved();
    const path = join(dir, 'model.json');
    writeFileSync(path, '{\n  "modelTopology": {,\n}');
    const message = await loadError(`file://${path}`);
    assert.equal(
      message,
      `${path} is not valid JSON: expected a double-quoted property name, got ',' at line 2, column 21 (character 23)`,
    );
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 5));
    assert.match(await loadError(`file://${path}`), /is not valid JSON: .* at line 2, column 4/);
  });

  it('names a missing model file or weight file', async () => {
    const dir = await saved();
    assert.match(await loadError(`file://${dir}/nope.json`), /^loadModel: no model file at '.*nope\.json'$/);
    rmSync(join(dir, 'weights.bin'));
    assert.match(
      await loadError(`file://${dir}`),
      /lists the weight file '.*weights\.bin', which does not exist/,
    );
  });

  it('names a missing field of model.json', async () => {
    const dir = await saved();
    const path = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    delete json.weightsManifest;
    writeFileSync(path, JSON.stringify(json));
    assert.equal(
      await loadError(`file://${path}`),
      `${path}: 'weightsManifest' is missing (expected an array of { paths, weights } groups)`,
    );
  });

  it('reports truncated and oversized weights.bin with both byte counts', async () => {
    const dir = await saved();
    const bin = join(dir, 'weights.bin');
    const size = readFileSync(bin).length; // 4 · (2·3 + 3 + 3·2 + 2) = 68
    assert.equal(size, 68);
    truncateSync(bin, size - 6);
    assert.equal(
      await loadError(`file://${dir}`),
      `${bin}: expected 68 bytes for the 4 weights listed in ${join(dir, 'model.json')} but found 62 bytes (truncated)`,
    );
    truncateSync(bin, size);
    appendFileSync(bin, Buffer.alloc(4));
    assert.match(
      await loadError(`file://${dir}`),
      /expected 68 bytes .* but found 72 bytes \(larger than the manifest describes\)/,
    );
  });

  it('rejects weight paths that leave the model folder', async () => {
    const dir = await saved();
    const path = join(dir, 'model.json');
    writeFileSync(join(root, 'outside.bin'), Buffer.alloc(68));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const cases: [string, RegExp][] = [
      ['../outside.bin', /weight file path '\.\.\/outside\.bin' climbs out of the model's folder/],
      ['sub/../../outside.bin', /climbs out of the model's folder/],
      [join(root, 'outside.bin'), /is absolute/],
      ['file:///etc/passwd', /has a drive letter or URL scheme/],
      ['C:\\weights.bin', /has a drive letter or URL scheme/],
    ];
    for (const [p, message] of cases) {
      json.weightsManifest[0].paths = [p];
      writeFileSync(path, JSON.stringify(json));
      const error = await loadError(`file://${path}`);
      assert.match(error, message);
      assert.ok(error.startsWith(path), error);
    }
  });

  it('rejects a weight file that is a symbolic link leading out of the folder', async () => {
    const dir = await saved();
    const outside = join(root, 'outside-link-target.bin');
    writeFileSync(outside, readFileSync(join(dir, 'weights.bin')));
    rmSync(join(dir, 'weights.bin'));
    symlinkSync(outside, join(dir, 'weights.bin'));
    assert.match(
      await loadError(`file://${dir}`),
      /weights\.bin' leads \(through a symbolic link\) to '.*outside-link-target\.bin', outside the model's folder/,
    );
  });

  it('loads TF.js sharded weights (several files, ./ prefixes)', async () => {
    const dir = await saved();
    const path = join(dir, 'model.json');
    const bin = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'group1-shard1of2.bin'), bin.subarray(0, 40));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), bin.subarray(40));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.weightsManifest[0].paths = ['./group1-shard1of2.bin', 'group1-shard2of2.bin'];
    writeFileSync(path, JSON.stringify(json));
    const loaded = await ax.loadModel(`file://${path}`);
    assert.deepEqual(Array.from(loaded.predict(x).dataSync()), Array.from(model(10).predict(x).dataSync()));
  });
});
