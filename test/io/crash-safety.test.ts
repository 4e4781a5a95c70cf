/**
 * file:// saves survive a crash at any point: the process "dies" right after each disk operation of a
 * save (the `afterStep` hook throws: no rollback, no clean-up), and the folder must then load as the
 * complete old model or the complete new one — bit-identical predictions, never a mix, never an error
 * while a good pair exists. Also: two crashes in a row, crashes during a rollback, saves over TF.js
 * folders (no checksum), the checksum error, stale temp files, and TF.js loading Axon's model.json.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ax from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'axon-io-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});
let dirs = 0;
const freshDir = (): string => join(root, `m${dirs++}`);

/** The error the hooks throw to stand for the process dying. */
class Crash extends Error {}

function model(seed: number, units = 3, activation: 'tanh' | 'relu' = 'tanh'): ax.Sequential {
  ax.setSeed(seed);
  return ax.sequential({
    layers: [
      ax.layers.dense({ name: 'd1', units, inputShape: [2], activation }),
      ax.layers.dense({ name: 'd2', units: 2, activation: 'softmax' }),
    ],
  });
}

const x = ax.tensor([
  [0.5, -1],
  [2, 0.25],
  [-1.5, 3],
]);
const predict = (m: ax.Sequential): number[] => Array.from(m.predict(x).dataSync());

/** Handler options that make the save die right after its k-th disk operation (0-based). */
function crashAfter(k: number, log: string[] = []): ax.FileHandlerOptions {
  return {
    afterStep: (step) => {
      log.push(step);
      if (log.length - 1 === k) throw new Crash(`died after '${step}'`);
    },
  };
}

/** Saves with a crash after operation k; false when the save finished before reaching it. */
async function saveCrashing(m: ax.Sequential, dir: string, k: number, log: string[] = []): Promise<boolean> {
  try {
    await m.save(ax.io.fileSystem(dir, crashAfter(k, log)));
    return false;
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
    return true;
  }
}

/** Which of the candidate models the folder loads as (exactly one must match), and the warnings. */
async function loadsAs(
  dir: string,
  candidates: Record<string, number[]>,
): Promise<{ which: string; warnings: string[] }> {
  const warnings: string[] = [];
  const loaded = await ax.loadModel(ax.io.fileSystem(dir, { onWarning: (w) => warnings.push(w) }));
  const p = predict(loaded);
  const names = Object.keys(candidates).filter((name) => {
    const q = candidates[name];
    return q.length === p.length && q.every((v, i) => Object.is(v, p[i]));
  });
  assert.equal(names.length, 1, `${dir} loads as none of ${Object.keys(candidates).join(', ')}: a mix`);
  return { which: names[0], warnings };
}

/** Writes a TF.js model as tfjs-node's file handler does (model.json + weights.bin, no checksum). */
async function writeTfjsFolder(dir: string, seed: number): Promise<tf.Sequential> {
  const tfModel = tf.sequential({
    layers: [
      tf.layers.dense({
        name: 'd1',
        units: 3,
        inputShape: [2],
        activation: 'tanh',
        kernelInitializer: tf.initializers.randomNormal({ seed }),
        biasInitializer: tf.initializers.randomNormal({ seed: seed + 1 }),
      }),
      tf.layers.dense({ name: 'd2', units: 2, activation: 'softmax' }),
    ],
  });
  await tfModel.save(
    tf.io.withSaveHandler(async (a) => {
      mkdirSync(dir, { recursive: true });
      const { weightData, weightSpecs, ...rest } = a;
      const json = { ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfModel;
}

const listing = (dir: string): string[] => readdirSync(dir).sort();

/**
 * Crashes a save of `next` after each of its operations in turn, each time over a fresh folder made by
 * `prepare`, and checks that the folder loads as 'old' or 'new', switching once from old to new for good;
 * a later save tidies the folder. Returns the crash points' outcomes and the operations of a full save.
 */
async function crashEverywhere(
  prepare: (dir: string) => Promise<number[]>,
  next: ax.Sequential,
): Promise<{ outcomes: string[]; warned: string[]; steps: string[] }> {
  const outcomes: string[] = [];
  const warned: string[] = [];
  const newer = predict(next);
  for (let k = 0; ; k++) {
    const dir = freshDir();
    const old = await prepare(dir);
    assert.notDeepEqual(old, newer);
    const log: string[] = [];
    if (!(await saveCrashing(next, dir, k, log))) {
      assert.equal((await loadsAs(dir, { new: newer })).which, 'new');
      assert.deepEqual(listing(dir), ['model.json', 'weights.bin']);
      return { outcomes, warned, steps: log };
    }
    const { which, warnings } = await loadsAs(dir, { old, new: newer });
    outcomes.push(which);
    if (warnings.length > 0) warned.push(log[k]);
    assert.ok(warnings.length <= 1);
    // The next save (of a third model) starts from whatever the crash left and leaves a tidy folder.
    const third = model(99);
    await third.save(`file://${dir}`);
    assert.deepEqual(listing(dir), ['model.json', 'weights.bin'], `after a crash after '${log[k]}'`);
    assert.deepEqual(predict(await ax.loadModel(`file://${dir}`)), predict(third));
  }
}

/** 'old' for the first crash points, 'new' from model.json's rename on. */
function assertSwitchesOnce(outcomes: string[], steps: string[]): void {
  const switchAt = steps.indexOf('rename model.json');
  assert.ok(switchAt > 0);
  assert.deepEqual(
    outcomes,
    steps.map((_, i) => (i < switchAt ? 'old' : 'new')),
  );
}

describe('io file://: a crash at any point of a save loses nothing', () => {
  it('over an Axon model with the same shapes (where a mix would load silently)', async () => {
    const { outcomes, warned, steps } = await crashEverywhere(async (dir) => {
      const old = model(1);
      await old.save(`file://${dir}`);
      return predict(old);
    }, model(2));
    assert.deepEqual(steps, [
      'write weights.bin',
      'write model.json',
      'backup weights.bin',
      'backup model.json',
      'rename weights.bin',
      'rename model.json',
      'remove weights.bin.prev',
      'remove model.json backup',
    ]);
    assertSwitchesOnce(outcomes, steps);
    // Only the moment between the two renames needs weights.bin.prev, and says so once.
    assert.deepEqual(warned, ['rename weights.bin']);
  });

  it('over an Axon model with other shapes', async () => {
    const { outcomes, steps } = await crashEverywhere(
      async (dir) => {
        const old = model(3, 3);
        await old.save(`file://${dir}`);
        return predict(old);
      },
      model(4, 5),
    );
    assertSwitchesOnce(outcomes, steps);
  });

  it('over a TF.js-saved folder (no checksum): the checksum is recorded first', async () => {
    const { outcomes, warned, steps } = await crashEverywhere(async (dir) => {
      await writeTfjsFolder(dir, 7);
      return predict(await ax.loadModel(`file://${dir}`));
    }, model(5));
    assert.deepEqual(steps.slice(0, 3), [
      'write model.json with the checksum of weights.bin',
      'rename model.json with the checksum of weights.bin',
      'write weights.bin',
    ]);
    assertSwitchesOnce(outcomes, steps);
    assert.deepEqual(warned, ['rename weights.bin']);
  });

  it('into an empty folder: no model or the new one, never an error other than the missing model.json', async () => {
    const newer = model(6);
    for (let k = 0; ; k++) {
      const dir = freshDir();
      if (!(await saveCrashing(newer, dir, k))) break;
      const loaded = await ax.loadModel(`file://${dir}`).catch((error: Error) => error);
      if (loaded instanceof Error) assert.match(loaded.message, /^loadModel: no model file at /);
      else assert.deepEqual(predict(loaded), predict(newer));
    }
  });

  it('without the checksum, the state between the renames would load a mix', async () => {
    // The hazard the checksum exists for: old model.json + new weights.bin, same shapes (the activation
    // differs, so the mix is neither model).
    const dir = freshDir();
    const old = model(1);
    const newer = model(2, 3, 'relu');
    await old.save(`file://${dir}`);
    const log: string[] = [];
    for (let k = 0; log.at(-1) !== 'rename weights.bin'; k++) {
      rmSync(dir, { recursive: true });
      await old.save(`file://${dir}`);
      log.length = 0;
      await saveCrashing(newer, dir, k, log);
    }
    assert.deepEqual(
      listing(dir).filter((f) => !f.startsWith('.')),
      ['model.json', 'weights.bin', 'weights.bin.prev'],
    );
    const quiet = ax.io.fileSystem(dir, { onWarning: () => undefined });
    assert.deepEqual(predict(await ax.loadModel(quiet)), predict(old));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete json.weightsManifest[0].axon;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const mix = predict(await ax.loadModel(`file://${dir}`));
    assert.notDeepEqual(mix, predict(old));
    assert.notDeepEqual(mix, predict(newer));
  });
});

describe('io file://: crashes in a row and during a rollback', () => {
  const prepare = {
    Axon: async (dir: string): Promise<number[]> => {
      const old = model(10);
      await old.save(`file://${dir}`);
      return predict(old);
    },
    'TF.js': async (dir: string): Promise<number[]> => {
      await writeTfjsFolder(dir, 13);
      return predict(await ax.loadModel(`file://${dir}`));
    },
  };
  for (const start of ['Axon', 'TF.js'] as const) {
    it(`a crashed save, then a save crashed at any point, over a ${start} folder`, async () => {
      const a = model(11);
      const b = model(12);
      let pairs = 0;
      let firstFinished = false;
      for (let k1 = 0; !firstFinished; k1++) {
        for (let k2 = 0; ; k2++) {
          const dir = freshDir();
          const candidates = { old: await prepare[start](dir), a: predict(a), b: predict(b) };
          if (!(await saveCrashing(a, dir, k1))) {
            firstFinished = true; // every crash point of the first save is covered
            break;
          }
          // The model the folder holds before the second save must survive it (or become b).
          const before = (await loadsAs(dir, candidates)).which;
          if (!(await saveCrashing(b, dir, k2))) {
            assert.equal((await loadsAs(dir, candidates)).which, 'b');
            assert.deepEqual(listing(dir), ['model.json', 'weights.bin']);
            break;
          }
          pairs++;
          const now = (await loadsAs(dir, candidates)).which;
          assert.ok(now === before || now === 'b', `crash ${k1} then ${k2}: ${before} became ${now}`);
        }
      }
      assert.ok(pairs > 60, `${pairs} pairs of crash points`);
    });
  }

  it('a save failing at any step, then dying during its rollback, leaves the old model', async () => {
    const old = model(20);
    const newer = model(21);
    const failing = [
      'write weights.bin',
      'write model.json',
      'backup weights.bin',
      'backup model.json',
      'rename weights.bin',
      'rename model.json',
    ];
    let crashes = 0;
    for (const step of failing) {
      for (let k = 0; ; k++) {
        const dir = freshDir();
        await old.save(`file://${dir}`);
        const options = crashAfter(k);
        options.beforeStep = (s) => {
          if (s === step) throw new Error(`failed at ${s}`);
        };
        const error = await newer.save(ax.io.fileSystem(dir, options)).then(
          () => assert.fail('the save should fail'),
          (e: Error) => e,
        );
        assert.equal((await loadsAs(dir, { old: predict(old), new: predict(newer) })).which, 'old');
        if (!(error instanceof Crash)) {
          assert.match(error.message, new RegExp(`failed at ${step}`));
          assert.deepEqual(listing(dir), ['model.json', 'weights.bin']);
          break;
        }
        crashes++;
      }
    }
    assert.ok(crashes > 20, `${crashes} crash points`);
  });
});

describe('io file://: the checksum', () => {
  it('records the byte length and SHA-256 of weights.bin in the manifest group', async () => {
    const dir = freshDir();
    await model(30).save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, 'weights.bin'));
    assert.equal(bin.length, 4 * (2 * 3 + 3 + 3 * 2 + 2));
    assert.deepEqual(json.weightsManifest[0].axon, {
      bytes: 68,
      sha256: createHash('sha256').update(bin).digest('hex'),
    });
    assert.equal(json.userDefinedMetadata, undefined);
  });

  it('a weights.bin that does not match, with no good weights.bin.prev, is one clear error', async () => {
    const dir = freshDir();
    await model(31).save(`file://${dir}`);
    const other = freshDir();
    await model(32).save(`file://${other}`);
    const bin = join(dir, 'weights.bin');
    const json = join(dir, 'model.json');
    const expected = new RegExp(
      `^${bin.replace(/[.\\]/g, '\\$&')} does not match ${json.replace(/[.\\]/g, '\\$&')} \\(checksum sha256 [0-9a-f]{12}… recorded, [0-9a-f]{12}… found\\); the save was interrupted\\? \\(no weights\\.bin\\.prev holds the recorded weights either\\)$`,
    );
    const flipped = readFileSync(bin);
    flipped[5] ^= 0x40;
    const cases: [string, Buffer][] = [
      ['one flipped bit', flipped],
      ['another model of the same shapes', readFileSync(join(other, 'weights.bin'))],
    ];
    for (const [what, bytes] of cases) {
      writeFileSync(bin, bytes);
      await assert.rejects(ax.loadModel(`file://${dir}`), { message: expected }, what);
      // A weights.bin.prev that does not match either changes nothing.
      writeFileSync(join(dir, 'weights.bin.prev'), bytes);
      await assert.rejects(ax.loadModel(`file://${dir}`), { message: expected }, `${what}, with a bad .prev`);
      rmSync(join(dir, 'weights.bin.prev'));
    }
  });

  it('warns through console.warn by default, once per load', async () => {
    const dir = freshDir();
    const old = model(33);
    await old.save(`file://${dir}`);
    // Put the folder in the state between the renames by hand: old model.json, other weights, .prev.
    writeFileSync(join(dir, 'weights.bin.prev'), readFileSync(join(dir, 'weights.bin')));
    const other = freshDir();
    await model(34).save(`file://${other}`);
    writeFileSync(join(dir, 'weights.bin'), readFileSync(join(other, 'weights.bin')));
    const warn = mock.method(console, 'warn', () => undefined);
    try {
      const loaded = await ax.loadModel(`file://${dir}/model.json`);
      assert.deepEqual(predict(loaded), predict(old));
      assert.equal(warn.mock.callCount(), 1);
      assert.match(
        String(warn.mock.calls[0].arguments[0]),
        /^loadModel: .*weights\.bin does not match .*model\.json \(a save was interrupted\); loaded the model's own weights from .*weights\.bin\.prev instead/,
      );
    } finally {
      warn.mock.restore();
    }
  });
});

describe('io file://: TF.js folders and tidiness', () => {
  it('TF.js-saved folders load as before, a stray weights.bin.prev ignored', async () => {
    const dir = freshDir();
    const tfModel = await writeTfjsFolder(dir, 40);
    writeFileSync(join(dir, 'weights.bin.prev'), Buffer.alloc(68, 7));
    const warnings: string[] = [];
    const loaded = await ax.loadModel(ax.io.fileSystem(dir, { onWarning: (w) => warnings.push(w) }));
    const expected = (tfModel.predict(tf.tensor(x.arraySync() as number[][])) as tf.Tensor).dataSync();
    const actual = predict(loaded);
    for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6);
    assert.deepEqual(warnings, []);
  });

  it('TF.js loads a folder Axon saved (model.json through its own http loader)', async () => {
    const dir = freshDir();
    const m = model(41);
    await m.save(`file://${dir}`);
    const fetchFunc = async (input: RequestInfo | URL): Promise<Response> =>
      new Response(readFileSync(join(dir, basename(input instanceof Request ? input.url : String(input)))));
    const tfModel = await tf.loadLayersModel(tf.io.http('http://axon.test/m/model.json', { fetchFunc }));
    const actual = (tfModel.predict(tf.tensor(x.arraySync() as number[][])) as tf.Tensor).dataSync();
    const expected = predict(m);
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6);
  });

  it('a save removes temp files of dead saves, not those of running ones or foreign files', async () => {
    const dir = freshDir();
    await model(50).save(`file://${dir}`);
    await saveCrashing(model(51), dir, 1); // dies after writing both temp files
    assert.equal(listing(dir).filter((f) => f.endsWith('.tmp')).length, 2);
    const dead = '.weights.bin.999999999-deadbeef.tmp';
    const running = `.model.json.${process.ppid}-abcd.tmp`;
    for (const name of [dead, running, '.notes.tmp']) writeFileSync(join(dir, name), 'x');
    const last = model(52);
    await last.save(`file://${dir}`);
    assert.deepEqual(listing(dir), [running, '.notes.tmp', 'model.json', 'weights.bin'].sort());
    assert.deepEqual(predict(await ax.loadModel(`file://${dir}`)), predict(last));
  });

  it('saves of one process into one folder run one after the other', async () => {
    const dir = freshDir();
    const models = [model(60), model(61, 4), model(62)];
    await Promise.all(models.map((m) => m.save(`file://${dir}`)));
    assert.deepEqual(listing(dir), ['model.json', 'weights.bin']);
    assert.deepEqual(predict(await ax.loadModel(`file://${dir}`)), predict(models[2]));
  });
});
