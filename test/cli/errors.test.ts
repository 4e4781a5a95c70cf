// Bad inputs: exit code 1 with one line on stderr (no stack), and a good model already in --out stays
// byte-identical. An internal failure exits with 2 and asks for a report.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { run, separableCsv, snapshot, tempDir, write, writeIdxSet } from './helpers.js';

/** Exit code 1 and exactly one line 'error: …' on stderr, matching `pattern`. */
function assertUserError(r: { code: number; err: string; out: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.err}`);
  assert.match(r.err, /^[^\n]+\n$/, `not one line: ${JSON.stringify(r.err)}`);
  assert.match(r.err, /^error: /);
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.match(r.err, pattern);
}

describe('axon: user errors exit 1 with one line and never touch the model in --out', () => {
  const dir = tempDir();
  let good: Map<string, Buffer>;

  before(async () => {
    write(dir, 'sep.csv', separableCsv(80));
    write(dir, 'empty.csv', '');
    write(dir, 'bad-cell.csv', 'a,b,label\n1,2,x\n3,oops,y\n5,6,x\n');
    write(dir, 'three.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,z\n7,8,x\n');
    const r = await run(dir, [
      'train',
      '--data',
      'sep.csv',
      '--layers',
      '4',
      '--epochs',
      '3',
      '--seed',
      '1',
      '--out',
      'good',
    ]);
    assert.equal(r.code, 0, r.err);
    good = snapshot(join(dir, 'good'));
    assert.deepEqual([...good.keys()], ['model.json', 'training.svg', 'weights.bin']);
  });

  const trainCases: Array<[string, string[], RegExp]> = [
    ['a missing file', ['--data', 'nope.csv'], /file not found: nope\.csv/],
    ['an empty file', ['--data', 'empty.csv'], /empty\.csv: the file is empty/],
    [
      'a non-numeric cell (line and column)',
      ['--data', 'bad-cell.csv'],
      /line 3, column 'b' \(index 1\): 'oops' is not a number; pass --missing/,
    ],
    [
      'an unknown column',
      ['--data', 'sep.csv', '--target', 'species'],
      /unknown target column 'species'; the columns are: 0:x1, 1:x2, 2:label/,
    ],
    [
      'an unknown built-in set',
      ['--data', 'builtin:spirals'],
      /unknown built-in data set 'spirals'; available: circle/,
    ],
    ['a missing --data', [], /required option '--data <source>' not specified/],
    [
      'a negative learning rate',
      ['--data', 'sep.csv', '--lr', '-1'],
      /'--lr <rate>' argument '-1' is invalid/,
    ],
    ['zero epochs', ['--data', 'sep.csv', '--epochs', '0'], /'--epochs <n>' argument '0' is invalid/],
    [
      'a fractional batch size',
      ['--data', 'sep.csv', '--batch-size', '2.5'],
      /'--batch-size <n>' argument '2\.5' is invalid/,
    ],
    [
      'bad layer widths',
      ['--data', 'sep.csv', '--layers', '16,x'],
      /'--layers <sizes>' argument '16,x' is invalid/,
    ],
    [
      'an unknown activation',
      ['--data', 'sep.csv', '--activation', 'relux'],
      /expected one of linear, sigmoid, tanh, relu/,
    ],
    ['a non-differentiable activation', ['--data', 'sep.csv', '--activation', 'sign'], /zero derivative/],
    [
      'an unknown loss',
      ['--data', 'sep.csv', '--loss', 'hinge2'],
      /'--loss <name>' argument 'hinge2' is invalid/,
    ],
    [
      'an unknown optimizer',
      ['--data', 'sep.csv', '--optimizer', 'lbfgs'],
      /expected one of sgd, rmsprop, adagrad, adam/,
    ],
    ['a validation split ≥ 1', ['--data', 'sep.csv', '--validation-split', '1'], /fraction in \[0, 1\)/],
    [
      'a bad --scale',
      ['--data', 'sep.csv', '--scale', 'log'],
      /expected one of auto, standard, minmax, none/,
    ],
    [
      'a bad --task',
      ['--data', 'sep.csv', '--task', 'ranking'],
      /Allowed choices are auto, classification, regression/,
    ],
    ['a negative seed', ['--data', 'sep.csv', '--seed', '-3'], /'--seed <n>' argument '-3' is invalid/],
    [
      'binary cross-entropy on 3 classes',
      ['--data', 'three.csv', '--loss', 'bce'],
      /needs 2 classes but the target has 3/,
    ],
    [
      'a cross-entropy on a regression target',
      ['--data', 'builtin:reg-plane', '--loss', 'sparse_categorical_crossentropy'],
      /needs class labels/,
    ],
    ['an unknown option', ['--data', 'sep.csv', '--epoch', '3'], /unknown option '--epoch'/],
  ];
  for (const [what, args, pattern] of trainCases) {
    it(`train with ${what}`, async () => {
      const r = await run(dir, ['train', ...args, '--out', 'good']);
      assertUserError(r, pattern);
      assert.deepEqual(snapshot(join(dir, 'good')), good);
    });
  }

  it('train with --out naming a file', async () => {
    write(dir, 'a-file', 'x');
    assertUserError(
      await run(dir, ['train', '--data', 'sep.csv', '--out', 'a-file']),
      /--out a-file is a file/,
    );
  });

  it('evaluate with labels out of range (an unknown class name; an IDX label the model does not know)', async () => {
    write(dir, 'unknown-class.csv', 'x1,x2,label\n1,1,yes\n-1,-1,maybe\n');
    assertUserError(
      await run(dir, ['evaluate', '--model', 'good', '--data', 'unknown-class.csv']),
      /line 3, column 'label' \(index 2\): class 'maybe' is not one of the known classes \(no, yes\)/,
    );
    const idx = join(dir, 'idx');
    writeIdxSet(idx, 'train', 30, 3);
    writeIdxSet(idx, 't10k', 10, 3, 7);
    assert.equal(
      (await run(dir, ['train', '--data', 'idx', '--epochs', '1', '--seed', '1', '--out', 'idxm'])).code,
      0,
    );
    const before = snapshot(join(dir, 'idxm'));
    assertUserError(
      await run(dir, ['evaluate', '--model', 'idxm', '--data', 'idx']),
      /label 7 at index 0 is out of range; expected 0…2/,
    );
    assert.deepEqual(snapshot(join(dir, 'idxm')), before);
  });

  it('evaluate / predict data with another feature count, or a missing model column', async () => {
    write(dir, 'wide.csv', 'a,b,c,d\n1,2,3,4\n');
    assertUserError(
      await run(dir, ['evaluate', '--model', 'good', '--data', 'builtin:blobs']),
      /builtin:blobs: label 2 at row \d+ is out of range; the model knows 2 classes/,
    );
    assertUserError(
      await run(dir, ['predict', '--model', 'good', '--data', 'wide.csv']),
      /column 'x1' used by the model is missing/,
    );
    assertUserError(
      await run(dir, ['evaluate', '--model', 'good', '--data', 'builtin:iris']),
      /builtin:iris has 4 feature columns but the model was trained on 2 \(x1, x2\)/,
    );
    assert.deepEqual(snapshot(join(dir, 'good')), good);
  });

  it('a model from another architecture: model.json of one network, weights.bin of another', async () => {
    assert.equal(
      (
        await run(dir, [
          'train',
          '--data',
          'sep.csv',
          '--layers',
          '9,3',
          '--epochs',
          '1',
          '--seed',
          '1',
          '--out',
          'other',
        ])
      ).code,
      0,
    );
    mkdirSync(join(dir, 'mixed'));
    copyFileSync(join(dir, 'good', 'model.json'), join(dir, 'mixed', 'model.json'));
    copyFileSync(join(dir, 'other', 'weights.bin'), join(dir, 'mixed', 'weights.bin'));
    for (const command of ['evaluate', 'predict', 'summary']) {
      const args = command === 'summary' ? ['--model', 'mixed'] : ['--model', 'mixed', '--data', 'sep.csv'];
      assertUserError(
        await run(dir, [command, ...args]),
        /weights\.bin: expected \d+ bytes .* but found \d+ bytes/,
      );
    }
  });

  it('a truncated weights.bin, a malformed model.json, a missing model folder', async () => {
    mkdirSync(join(dir, 'trunc'));
    copyFileSync(join(dir, 'good', 'model.json'), join(dir, 'trunc', 'model.json'));
    writeFileSync(
      join(dir, 'trunc', 'weights.bin'),
      readFileSync(join(dir, 'good', 'weights.bin')).subarray(0, 20),
    );
    assertUserError(
      await run(dir, ['evaluate', '--model', 'trunc', '--data', 'sep.csv']),
      /found 20 bytes \(truncated\)/,
    );
    mkdirSync(join(dir, 'garbled'));
    writeFileSync(join(dir, 'garbled', 'model.json'), '{"modelTopology": ');
    assertUserError(await run(dir, ['summary', '--model', 'garbled']), /model\.json is not valid JSON/);
    assertUserError(await run(dir, ['summary', '--model', 'nowhere']), /model not found: nowhere/);
    mkdirSync(join(dir, 'empty-dir'));
    assertUserError(await run(dir, ['summary', '--model', 'empty-dir']), /no model\.json in empty-dir/);
  });

  it('a CSV to predict with a non-numeric cell names its line and column', async () => {
    write(dir, 'bad-new.csv', 'x1,x2\n1,2\n3,abc\n');
    assertUserError(
      await run(dir, ['predict', '--model', 'good', '--data', 'bad-new.csv']),
      /bad-new\.csv: line 3, column 'x2' \(index 1\): 'abc' is not a number/,
    );
  });

  it('an unknown command', async () => {
    assertUserError(await run(dir, ['trian']), /unknown command 'trian'/);
  });
});

describe('axon: internal errors exit 2 and ask for a report', () => {
  it('a failure inside training (here: the output stream breaks) exits 2, leaving --out untouched', async () => {
    const dir = tempDir();
    write(dir, 'sep.csv', separableCsv(40));
    assert.equal(
      (await run(dir, ['train', '--data', 'sep.csv', '--epochs', '1', '--seed', '1', '--out', 'good'])).code,
      0,
    );
    const before = snapshot(join(dir, 'good'));
    let err = '';
    const io: CliIO = {
      stdout: (text) => {
        if (text.startsWith('Epoch')) throw new TypeError('stream closed');
      },
      stderr: (text) => {
        err += text;
      },
      tty: null,
      cwd: dir,
      env: {},
    };
    const code = await runCli(
      ['train', '--data', 'sep.csv', '--epochs', '2', '--seed', '2', '--out', 'good'],
      io,
    );
    assert.equal(code, 2);
    assert.match(err, /^internal error: stream closed — this is a bug in axon, please report it/);
    assert.match(err, /^[^\n]+\n$/);
    assert.deepEqual(snapshot(join(dir, 'good')), before);
  });
});

describe('axon --help', () => {
  it('every command has complete help with examples, exit 0', async () => {
    const dir = tempDir();
    const top = await run(dir, ['--help']);
    assert.equal(top.code, 0);
    for (const c of ['train', 'evaluate', 'predict', 'summary', 'datasets'])
      assert.match(top.out, new RegExp(`^  ${c} `, 'm'));
    const flags: Record<string, string[]> = {
      train: [
        '--data',
        '--target',
        '--layers',
        '--activation',
        '--loss',
        '--optimizer',
        '--lr',
        '--epochs',
        '--batch-size',
        '--validation-split',
        '--test-split',
        '--seed',
        '--scale',
        '--out',
        '--json',
        '--data-dir',
      ],
      evaluate: ['--model', '--data', '--target', '--json', '--test-split', '--seed'],
      predict: ['--model', '--data', '--out', '--json'],
      summary: ['--model', '--json'],
      datasets: ['--json', '--data-dir'],
    };
    for (const [command, expected] of Object.entries(flags)) {
      const r = await run(dir, [command, '--help']);
      assert.equal(r.code, 0, command);
      assert.equal(r.err, '');
      for (const flag of expected)
        assert.match(r.out, new RegExp(`${flag}\\b`), `${command} --help lacks ${flag}`);
      assert.match(r.out, /Examples?:\n\s+\$ axon /, `${command} --help has no example`);
    }
  });
});
