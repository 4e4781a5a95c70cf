import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as ax from '../../src/node.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'axon-csv-stream-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * 120 rows: two numeric features, a categorical one whose category 'z' first appears on row 90, and a
 * species target whose class 'virginica' first appears on row 100 — both beyond `inferRows: 20`.
 */
function irisLike(): string {
  const lines = ['width,"colour",length,species'];
  for (let i = 0; i < 120; i++) {
    const colour = i >= 90 && i % 3 === 0 ? 'z' : i % 2 ? 'red' : 'blue';
    const species = i >= 100 && i % 2 === 0 ? 'virginica' : i % 3 ? 'setosa' : 'versicolor';
    lines.push(`${(i * 0.37) % 5},${colour},${i % 7}.25,${species}`);
    if (i === 40) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Every batch of one pass, concatenated: [x rows, y values, batch sizes]. */
async function collect(
  ds: AsyncIterable<ax.CsvBatch>,
): Promise<{ x: number[][]; y: number[]; sizes: number[] }> {
  const x: number[][] = [];
  const y: number[] = [];
  const sizes: number[] = [];
  for await (const { xs, ys } of ds) {
    x.push(...(xs.arraySync() as number[][]));
    y.push(...Array.from(ys.dataSync()));
    sizes.push(xs.shape[0]);
  }
  return { x, y, sizes };
}

describe('csvDataset encodes as parseCsv does', () => {
  it('inferring from 20 lines, then a first pass for late categories and classes: same x, y and schema', async () => {
    const text = irisLike();
    const path = file('iris-like.csv', text);
    const full = ax.parseCsv(text, { target: 'species' });
    const ds = await ax.csvDataset(path, { target: 'species', batchSize: 7, inferRows: 20 });
    assert.deepEqual(ds.schema, full.schema);
    assert.deepEqual(ds.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(ds.featureNames, full.featureNames);
    assert.deepEqual(ds.featureNames, ['width', 'colour=blue', 'colour=red', 'colour=z', 'length']);
    const got = await collect(ds);
    assert.deepEqual(got.x, full.x.arraySync());
    assert.deepEqual(got.y, Array.from(full.y.dataSync()));
    assert.deepEqual(got.sizes, [...Array(17).fill(7), 1]);
    assert.equal(ds.rows, 120);
    assert.equal(ds.size, 18);
    // A second pass reads the file again and gives the same batches.
    assert.deepEqual(await collect(ds), got);
  });

  it('with a given schema (e.g. a model’s) a test file is encoded like parseCsv with that schema', async () => {
    const train = ax.parseCsv(irisLike(), { target: 'species' });
    const testText = 'species,length,colour,width\nvirginica,3.5,z,1\nsetosa,0,red,2\nsetosa,1,blue,3\n';
    const ds = await ax.csvDataset(file('test.csv', testText), { schema: train.schema, batchSize: 2 });
    const expected = ax.parseCsv(testText, { schema: train.schema });
    const got = await collect(ds);
    assert.deepEqual(got.x, expected.x.arraySync());
    assert.deepEqual(got.y, [2, 0, 0]);
    assert.equal(ds.rows, null, 'no first pass with a schema');
  });

  it('a regression target, no header, ; delimiter, a gzipped file: [n, 1] targets, no first pass', async () => {
    const text = '1;2;0.5\n3;4;1.5\n5;6;2.5\n';
    for (const path of [file('reg.csv', text), file('reg.csv.gz', gzipSync(text))]) {
      const ds = await ax.csvDataset(path, { batchSize: 2 });
      assert.equal(ds.task, 'regression');
      const batches = [];
      for await (const b of ds) batches.push([b.xs.arraySync(), b.ys.arraySync()]);
      assert.deepEqual(batches, [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [[0.5], [1.5]],
        ],
        [[[5, 6]], [[2.5]]],
      ]);
      assert.equal(ds.size, null);
    }
    // Fitting a scaler reads the file once, which counts the rows.
    const scaled = await ax.csvDataset(file('reg2.csv', text), { batchSize: 2, scaler: 'minMax' });
    assert.deepEqual([scaled.rows, scaled.size], [3, 2]);
    assert.deepEqual((await collect(scaled)).x, [
      [0, 0],
      [0.5, 0.5],
      [1, 1],
    ]);
  });

  it("missing: 'drop' drops rows as parseCsv does", async () => {
    const text = 'a,b,y\n1,2,0\nNA,3,1\n4,5,1\n6,,0\n7,8,1\n';
    const ds = await ax.csvDataset(file('drop.csv', text), {
      missing: 'drop',
      batchSize: 2,
      task: 'classification',
    });
    const full = ax.parseCsv(text, { missing: 'drop', task: 'classification' });
    const got = await collect(ds);
    assert.deepEqual(got.x, full.x.arraySync());
    assert.deepEqual(got.sizes, [1, 1, 1]);
    assert.equal(ds.size, null, 'batches per pass are unknown when rows are dropped');
  });
});

describe('csvDataset scaling and shuffling', () => {
  const text = irisLike();

  it("scaler: 'standard' and 'minMax' fit on the stream equal the scalers fitted on parseCsv's x", async () => {
    const full = ax.parseCsv(text, { target: 'species' });
    for (const [name, reference] of [
      ['standard', ax.standardScaler().fit(full.x)],
      ['minMax', ax.minMaxScaler().fit(full.x)],
    ] as const) {
      const ds = await ax.csvDataset(file('s.csv', text), { target: 'species', batchSize: 16, scaler: name });
      const got = ds.scaler?.toJSON() as unknown as Record<string, number[]>;
      const want = reference.toJSON() as unknown as Record<string, number[]>;
      for (const key of Object.keys(want)) {
        if (!Array.isArray(want[key])) continue;
        for (let j = 0; j < want[key].length; j++) {
          const w = want[key][j];
          assert.ok(Math.abs(got[key][j] - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${name} ${key}[${j}]`);
        }
      }
      const scaled = await collect(ds);
      const expected = reference.transform(full.x).arraySync() as number[][];
      for (let i = 0; i < expected.length; i++) {
        for (let j = 0; j < expected[i].length; j++)
          assert.ok(Math.abs(scaled.x[i][j] - expected[i][j]) < 1e-5);
      }
    }
  });

  it('a fitted scaler is applied as given; one of the wrong width is an error', async () => {
    const scaler = ax.StandardScaler.fromJSON({
      className: 'StandardScaler',
      mean: [1, 0, 0, 0, 2],
      scale: [2, 1, 1, 1, 4],
    });
    const ds = await ax.csvDataset(file('g.csv', text), { target: 'species', scaler });
    const first = (await collect(ds)).x[0];
    const raw = ax.parseCsv(text, { target: 'species' }).x.arraySync() as number[][];
    assert.deepEqual(first, [(raw[0][0] - 1) / 2, raw[0][1], raw[0][2], raw[0][3], (raw[0][4] - 2) / 4]);
    const wrong = ax.StandardScaler.fromJSON({ className: 'StandardScaler', mean: [0], scale: [1] });
    await assert.rejects(
      ax.csvDataset(file('g.csv', text), { target: 'species', scaler: wrong }),
      /the given scaler does not fit the 5 features/,
    );
  });

  it('shuffleBuffer: each pass is a seeded permutation of the rows, different from the file order and the last pass', async () => {
    const path = file('sh.csv', text);
    const plain = await collect(await ax.csvDataset(path, { target: 'species', batchSize: 8 }));
    ax.setSeed(5);
    const ds = await ax.csvDataset(path, { target: 'species', batchSize: 8, shuffleBuffer: 32 });
    const a = await collect(ds);
    const b = await collect(ds);
    const key = (r: { x: number[][]; y: number[] }) => r.x.map((row, i) => JSON.stringify([row, r.y[i]]));
    assert.deepEqual([...key(a)].sort(), [...key(plain)].sort());
    assert.notDeepEqual(key(a), key(plain));
    assert.notDeepEqual(key(a), key(b));
    assert.deepEqual(a.sizes, [...Array(15).fill(8)]);
    ax.setSeed(5);
    const again = await ax.csvDataset(path, { target: 'species', batchSize: 8, shuffleBuffer: 32 });
    assert.deepEqual(key(await collect(again)), key(a));
  });
});

describe('csvDataset with fitDataset', () => {
  it('trains to the same weights as fit on parseCsv data with the same batches (bit-identical)', async () => {
    const text = irisLike();
    const full = ax.parseCsv(text, { target: 'species' });
    const make = () => {
      ax.setSeed(2);
      const model = ax.sequential({
        layers: [
          ax.layers.dense({ units: 6, inputShape: [5], activation: 'relu' }),
          ax.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return model;
    };
    const a = make();
    const ha = await a.fit(full.x, full.y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const b = make();
    const ds = await ax.csvDataset(file('fit.csv', text), { target: 'species', batchSize: 16 });
    const seen: { steps?: number | null } = {};
    const hb = await b.fitDataset(ds, {
      epochs: 3,
      verbose: 0,
      callbacks: {
        setParams: (p) => {
          seen.steps = p.steps;
        },
      },
    });
    assert.deepEqual(
      b.getWeights().map((w) => Array.from(w.dataSync())),
      a.getWeights().map((w) => Array.from(w.dataSync())),
    );
    assert.deepEqual(hb.history, ha.history);
    assert.equal(seen.steps, 8, 'the counted batches per pass reach the progress');
    assert.deepEqual(await b.evaluateDataset(ds), b.evaluate(full.x, full.y, { batchSize: 16 }));
  });
});

describe('csvDataset errors', () => {
  it('a bad cell far beyond the inferred sample names its line and column', async () => {
    const lines = ['a,b,y'];
    for (let i = 0; i < 3000; i++) lines.push(i === 2345 ? '1,oops,0.5' : `${i},${i + 1},0.5`);
    const path = file('bad.csv', `${lines.join('\n')}\n`);
    const ds = await ax.csvDataset(path, { batchSize: 64 });
    await assert.rejects(
      collect(ds),
      new RegExp(`${path}: line 2347, column 'b' \\(index 1\\): 'oops' is not a number`),
    );
  });

  it('a short row names its line (a quoted cell spanning lines counted)', async () => {
    const path = file('short.csv', 'a,b,y\n1,2,3\n"x\ny",2,3\n4,5\n');
    await assert.rejects(
      ax.csvDataset(path, { inferRows: 1, task: 'regression', categorical: ['a'] }).then(collect),
      /short\.csv: line 5 has 2 fields but 3 were expected/,
    );
  });

  it('a class outside the given classNames names its line', async () => {
    const path = file('cls.csv', 'a,y\n1,cat\n2,dog\n3,cow\n');
    const ds = await ax.csvDataset(path, { classNames: ['cat', 'dog'], inferRows: 1 });
    await assert.rejects(
      collect(ds),
      /cls\.csv: line 4, column 'y' \(index 1\): class 'cow' is not one of the known classes/,
    );
  });

  it('missing and empty files, unknown columns and bad options', async () => {
    const missing = join(dir, 'nope.csv');
    await assert.rejects(ax.csvDataset(missing), new RegExp(`file not found: ${missing}`));
    await assert.rejects(ax.csvDataset(file('empty.csv', '')), /empty\.csv: the file is empty/);
    await assert.rejects(
      ax.csvDataset(file('cols.csv', 'a,b\n1,2\n'), { target: 'c' }),
      /unknown target column 'c'/,
    );
    await assert.rejects(
      ax.csvDataset(file('bs.csv', 'a,b\n1,2\n'), { batchSize: 0 }),
      /batchSize must be an integer ≥ 1/,
    );
    await assert.rejects(
      ax.csvDataset(file('sc.csv', 'a,b\n1,2\n'), { scaler: 'zscore' as 'standard' }),
      /scaler must be 'standard', 'minMax' or a fitted scaler/,
    );
  });

  const noFdList = statSync('/proc/self/fd', { throwIfNoEntry: false })
    ? false
    : 'no /proc/self/fd on this system to count open files';
  it('stopping after one batch closes the file', { skip: noFdList }, async () => {
    const lines = ['a,y'];
    for (let i = 0; i < 50000; i++) lines.push(`${i},${i % 2}`);
    const path = file('long.csv', `${lines.join('\n')}\n`);
    const real = realpathSync(path);
    const ds = await ax.csvDataset(path, { batchSize: 4 });
    // Descriptors open on this very file (counting all of them races with other threads' files).
    const open = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === real;
        } catch {
          return false; // closed between the listing and the look
        }
      }).length;
    const closedSoon = async (what: string) => {
      for (let i = 0; i < 50 && open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(open(), 0, what);
    };
    await closedSoon('the header sample was read and the file closed');
    for await (const _ of ds) {
      assert.equal(open(), 1, 'the file is open while reading');
      break;
    }
    await closedSoon('the file is closed after the loop stopped');
  });
});

describe('csvDataset memory', () => {
  it('trains on a 600k-row CSV while resident memory grows by far less than its float32 size (child process)', () => {
    const rows = 600_000;
    const features = 24;
    const path = join(dir, 'big.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, `y,${Array.from({ length: features }, (_, j) => `f${j}`).join(',')}\n`);
    let state = 1;
    for (let start = 0; start < rows; start += 10_000) {
      const block: string[] = [];
      for (let i = start; i < start + 10_000; i++) {
        let t = 0;
        let line = '';
        for (let j = 0; j < features; j++) {
          state = (state * 1664525 + 1013904223) >>> 0;
          const v = ((state % 2000) - 1000) / 1000;
          if (j < 3) t += v;
          line += `,${v}`;
        }
        block.push(`${t > 0 ? 1 : 0}${line}`);
      }
      writeSync(fd, `${block.join('\n')}\n`);
    }
    closeSync(fd);
    const entry = fileURLToPath(new URL('../../src/node.ts', import.meta.url));
    const script = `
      const ax = await import(${JSON.stringify(entry)});
      ax.setSeed(1);
      const ds = await ax.csvDataset(${JSON.stringify(path)}, { target: 'y', batchSize: 512, classNames: ['0', '1'] });
      const model = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [${features}], activation: 'sigmoid' })] });
      model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      // Peak RSS sampled at every batch; every 100 batches a full GC shows what is
      // retained: the JS heap, and ArrayBuffers (whose memory V8 frees lazily, so they only stay bounded).
      let baseline = 0, peak = 0, firstHalfPeak = 0, batches = 0, heap0 = 0, heapMax = 0, buffersMax = 0;
      const h = await model.fitDataset(ds, { epochs: 1, verbose: 0, callbacks: { onBatchEnd: (b) => {
        batches++;
        if (b % 100 === 20) {
          globalThis.gc();
          const m = process.memoryUsage();
          if (b === 20) { baseline = m.rss; heap0 = m.heapUsed; }
          heapMax = Math.max(heapMax, m.heapUsed);
          buffersMax = Math.max(buffersMax, m.arrayBuffers);
        }
        if (b > 20) peak = Math.max(peak, process.memoryUsage().rss);
        if (b === ${Math.floor(rows / 1024)}) firstHalfPeak = peak;
      } } });
      console.log(JSON.stringify({ baseline, peak, firstHalfPeak, batches, heap: heapMax - heap0, buffersMax, accuracy: h.history.accuracy[0] }));
    `;
    const out = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      },
    );
    assert.equal(out.status, 0, out.stderr);
    const report = JSON.parse(out.stdout.trim().split('\n').pop() as string);
    const textSize = statSync(path).size;
    const float32Size = rows * (features + 1) * 4;
    const growth = report.peak - report.baseline;
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    console.log(
      `${rows} rows: file ${mb(textSize)}, float32 ${mb(float32Size)}; RSS ${mb(report.baseline)} → peak ${mb(report.peak)} (growth ${mb(growth)}); after GC: heap grew ${mb(report.heap)}, ArrayBuffers ≤ ${mb(report.buffersMax)}; accuracy ${report.accuracy.toFixed(3)}`,
    );
    assert.equal(report.batches, Math.ceil(rows / 512));
    // Bounded, not merely small: where V8 settles (it frees ArrayBuffers lazily) varies from run to run,
    // but the second half of the file must not raise the level further.
    assert.ok(
      growth < float32Size / 2,
      `RSS grew by ${mb(growth)}; the data is ${mb(float32Size)} as float32`,
    );
    const secondHalfGrowth = report.peak - report.firstHalfPeak;
    assert.ok(
      secondHalfGrowth < 8 * 2 ** 20,
      `RSS still grew by ${mb(secondHalfGrowth)} in the second half of the file`,
    );
    assert.ok(report.heap < float32Size / 20, `the heap kept ${mb(report.heap)} more`);
    assert.ok(report.buffersMax < float32Size / 4, `ArrayBuffers reached ${mb(report.buffersMax)}`);
    // The label is the sign of f0 + f1 + f2: a logistic unit learns it from the stream.
    assert.ok(report.accuracy > 0.85, `accuracy ${report.accuracy}`);
  });
});
