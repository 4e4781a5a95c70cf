// No test here touches the network: downloads go through a local fake fetch.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { type FetchLike, fetchVerified, sha256Hex } from '../../src/data/download.js';
import { setDataFileSystem } from '../../src/data/files.js';
import { fashionMnist, type MnistBytes, mnist } from '../../src/data/mnist.js';
import { nodeFileSystem } from '../../src/data/node-files.js';
import { encodeIdx } from '../../src/index.js';

const MNIST_DIR = fileURLToPath(new URL('../../../shared/data/mnist', import.meta.url));

/** A tiny MNIST-shaped set: 6 train and 4 test images of 3×2 pixels. */
function tinySet(): { bytes: MnistBytes; trainPixels: Uint8Array; trainLabels: number[] } {
  const trainPixels = Uint8Array.from({ length: 6 * 6 }, (_, i) => (i * 7) % 256);
  const testPixels = Uint8Array.from({ length: 4 * 6 }, (_, i) => 255 - i);
  const trainLabels = [5, 0, 4, 1, 9, 2];
  return {
    trainPixels,
    trainLabels,
    bytes: {
      trainImages: gzipSync(encodeIdx([6, 3, 2], trainPixels)),
      trainLabels: encodeIdx([6], Uint8Array.from(trainLabels)),
      testImages: encodeIdx([4, 3, 2], testPixels),
      testLabels: gzipSync(encodeIdx([4], Uint8Array.of(7, 2, 1, 0))),
    },
  };
}

/** A fetch that serves files from a map and records every URL asked for. */
function fakeFetch(files: Map<string, Uint8Array | number>, calls: string[]): FetchLike {
  return async (url: string) => {
    calls.push(url);
    const body = files.get(url);
    if (body === undefined || typeof body === 'number') {
      return {
        ok: false,
        status: typeof body === 'number' ? body : 404,
        statusText: 'Not Found',
        arrayBuffer: async () => new ArrayBuffer(0),
      };
    }
    return { ok: true, status: 200, arrayBuffer: async () => body.slice().buffer };
  };
}

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'axon-mnist-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('mnist.fromBytes', () => {
  it('builds [n, rows·cols] images in [0, 1] and [n] labels from gzipped or plain files', () => {
    const { bytes, trainPixels, trainLabels } = tinySet();
    const d = mnist.fromBytes(bytes);
    assert.deepEqual(d.xTrain.shape, [6, 6]);
    assert.deepEqual(d.yTrain.shape, [6]);
    assert.deepEqual(d.xTest.shape, [4, 6]);
    assert.deepEqual(d.yTest.shape, [4]);
    assert.deepEqual(
      Array.from(d.xTrain.dataSync()),
      Array.from(Float32Array.from(trainPixels, (p) => p / 255)),
    );
    assert.deepEqual(Array.from(d.yTrain.dataSync()), trainLabels);
    assert.deepEqual(Array.from(d.yTest.dataSync()), [7, 2, 1, 0]);
    assert.equal(d.classNames.length, 10);
    assert.equal(fashionMnist.fromBytes(bytes).classNames[9], 'Ankle boot');
  });

  it('rejects swapped files, mismatched counts, mismatched sizes and labels out of range', () => {
    const { bytes } = tinySet();
    assert.throws(
      () => mnist.fromBytes({ ...bytes, trainImages: bytes.trainLabels }),
      /train-images-idx3-ubyte holds labels \(magic 0x00000801\) but images were expected/,
    );
    assert.throws(
      () => mnist.fromBytes({ ...bytes, testLabels: encodeIdx([3], Uint8Array.of(1, 2, 3)) }),
      /the test images file holds 4 images but the labels file 3 labels/,
    );
    assert.throws(
      () => mnist.fromBytes({ ...bytes, testImages: encodeIdx([4, 2, 3], new Uint8Array(24)) }),
      /train images are 3×2 but test images 2×3/,
    );
    assert.throws(
      () => mnist.fromBytes({ ...bytes, trainLabels: encodeIdx([6], Uint8Array.of(1, 2, 10, 3, 4, 5)) }),
      /mnist\.fromBytes: train labels: label 10 at index 2 is out of range; expected 0…9/,
    );
  });
});

describe('mnist.load({ dir })', () => {
  it('reads the four files, gzipped or plain, official or dotted names', async () => {
    const { bytes } = tinySet();
    const dir = join(scratch, 'local');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), bytes.trainImages);
    await writeFile(join(dir, 'train-labels.idx1-ubyte'), bytes.trainLabels);
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), bytes.testImages);
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), bytes.testLabels);
    const d = await mnist.load({ dir });
    assert.deepEqual(d.xTrain.shape, [6, 6]);
    assert.deepEqual(Array.from(d.yTest.dataSync()), [7, 2, 1, 0]);
  });

  it('names the file that is truncated, in the gzip stream or in the IDX data', async () => {
    const { bytes } = tinySet();
    const dir = join(scratch, 'truncated');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), bytes.trainImages.subarray(0, 20));
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), bytes.trainLabels);
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), bytes.testImages.subarray(0, 30));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), bytes.testLabels);
    await assert.rejects(
      mnist.load({ dir }),
      /train-images-idx3-ubyte: the gzip data is truncated or corrupt/,
    );
    await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), bytes.trainImages);
    await assert.rejects(
      mnist.load({ dir }),
      /t10k-images-idx3-ubyte is truncated: expected 40 bytes \(16-byte header \+ 4×3×2 values\), got 30/,
    );
  });

  it('names the missing file and the names it looked for', async () => {
    const dir = join(scratch, 'empty');
    await mkdir(dir, { recursive: true });
    await assert.rejects(
      mnist.load({ dir }),
      /no train-images-idx3-ubyte file in .*empty \(looked for train-images-idx3-ubyte\.gz, train-images-idx3-ubyte, train-images\.idx3-ubyte\.gz, train-images\.idx3-ubyte\)/,
    );
  });

  it('says that reading a folder needs Node when no file system is registered (a browser)', async () => {
    setDataFileSystem(null);
    try {
      await assert.rejects(
        mnist.load({ dir: scratch }),
        /mnist\.load\(\{ dir \}\) reads local files, which needs Node\.js/,
      );
    } finally {
      setDataFileSystem(nodeFileSystem);
    }
  });
});

describe('downloads: checksum and cache', () => {
  const content = new TextEncoder().encode('pretend this is an IDX file');
  let file = { name: 'data.gz', sha256: '' };
  before(async () => {
    file = { name: 'data.gz', sha256: await sha256Hex(content) };
  });

  it('computes SHA-256 (FIPS 180-2 test vector "abc")', async () => {
    assert.equal(
      await sha256Hex(new TextEncoder().encode('abc')),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('tries the mirrors in order, verifies, caches, then serves from the cache without fetching', async () => {
    const cacheDir = join(scratch, 'cache1');
    const calls: string[] = [];
    const files = new Map<string, Uint8Array | number>([
      ['https://a.example/data.gz', 500],
      ['https://b.example/sub/data.gz', content],
    ]);
    const options = {
      what: 'test',
      folder: 'set',
      mirrors: ['https://a.example/', 'https://b.example/sub'],
      cacheDir,
      fs: nodeFileSystem,
      fetch: fakeFetch(files, calls),
    };
    const first = await fetchVerified(file, options);
    assert.deepEqual(Array.from(first), Array.from(content));
    assert.deepEqual(calls, ['https://a.example/data.gz', 'https://b.example/sub/data.gz']);
    assert.deepEqual(await readFile(join(cacheDir, 'set', 'data.gz')), Buffer.from(content));
    const second = await fetchVerified(file, options);
    assert.deepEqual(Array.from(second), Array.from(content));
    assert.equal(calls.length, 2, 'the cached copy is used');
  });

  it('downloads again when the cached copy has a wrong checksum', async () => {
    const cacheDir = join(scratch, 'cache2');
    await mkdir(join(cacheDir, 'set'), { recursive: true });
    await writeFile(join(cacheDir, 'set', 'data.gz'), 'torn download');
    const calls: string[] = [];
    const logs: string[] = [];
    const files = new Map<string, Uint8Array | number>([['https://a.example/data.gz', content]]);
    const got = await fetchVerified(file, {
      what: 'test',
      folder: 'set',
      mirrors: ['https://a.example/'],
      cacheDir,
      fs: nodeFileSystem,
      fetch: fakeFetch(files, calls),
      log: (m) => logs.push(m),
    });
    assert.deepEqual(Array.from(got), Array.from(content));
    assert.equal(calls.length, 1);
    assert.match(logs[0], /has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}; downloading it again/);
    assert.deepEqual(await readFile(join(cacheDir, 'set', 'data.gz')), Buffer.from(content));
  });

  it('fails with every mirror’s reason when none serves the right bytes, and caches nothing', async () => {
    const cacheDir = join(scratch, 'cache3');
    const files = new Map<string, Uint8Array | number>([
      ['https://a.example/data.gz', new TextEncoder().encode('tampered')],
    ]);
    const failing: FetchLike = async (url) => {
      if (url.startsWith('https://c.example')) throw new Error('getaddrinfo ENOTFOUND c.example');
      return fakeFetch(files, [])(url);
    };
    await assert.rejects(
      fetchVerified(file, {
        what: 'mnist.load',
        folder: 'set',
        mirrors: ['https://a.example/', 'https://b.example/', 'https://c.example/'],
        cacheDir,
        fs: nodeFileSystem,
        fetch: failing,
      }),
      (error: Error) => {
        assert.match(error.message, /^mnist\.load: could not download data\.gz \(tried /);
        assert.match(
          error.message,
          new RegExp(
            `https://a\\.example/data\\.gz: SHA-256 mismatch \\(expected ${file.sha256}, got [0-9a-f]{64}, 8 bytes\\)`,
          ),
        );
        assert.match(error.message, /https:\/\/b\.example\/data\.gz: HTTP 404 Not Found/);
        assert.match(error.message, /https:\/\/c\.example\/data\.gz: getaddrinfo ENOTFOUND c\.example/);
        assert.match(error.message, /pass \{ dir \} with local files$/);
        return true;
      },
    );
    assert.equal(existsSync(join(cacheDir, 'set', 'data.gz')), false);
  });

  it('keeps files in memory only when there is no file system (a browser)', async () => {
    const calls: string[] = [];
    const files = new Map<string, Uint8Array | number>([['https://a.example/data.gz', content]]);
    const options = {
      what: 'test',
      folder: 'set',
      mirrors: ['https://a.example/'],
      fs: null,
      fetch: fakeFetch(files, calls),
    };
    await fetchVerified(file, options);
    await fetchVerified(file, options);
    assert.equal(calls.length, 2);
  });
});

const haveMnist = existsSync(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const skipMnist = haveMnist ? false : `the MNIST files are not in ${MNIST_DIR}`;
if (skipMnist) console.log(`skipping the MNIST download test: ${skipMnist}`);

describe('mnist.load() without dir', () => {
  it('downloads (from a fake mirror), checks the published SHA-256 values, caches, and reuses the cache', {
    skip: skipMnist,
  }, async () => {
    const cacheDir = join(scratch, 'download');
    const served = new Map<string, Uint8Array | number>();
    for (const f of mnist.files)
      served.set(`https://mirror.example/mnist/${f.name}`, await readFile(join(MNIST_DIR, f.name)));
    const calls: string[] = [];
    const options = { cacheDir, mirrors: ['https://mirror.example/mnist/'], fetch: fakeFetch(served, calls) };
    const d = await mnist.load(options);
    assert.deepEqual(d.xTrain.shape, [60000, 784]);
    assert.deepEqual(Array.from(d.yTest.values.subarray(0, 5)), [7, 2, 1, 0, 4]);
    assert.equal(calls.length, 4);
    for (const f of mnist.files) assert.ok(existsSync(join(cacheDir, 'mnist', f.name)), `${f.name} cached`);
    const again = await mnist.load(options);
    assert.equal(calls.length, 4, 'the second load reads the cache');
    assert.deepEqual(again.yTrain.shape, [60000]);
  });
});
