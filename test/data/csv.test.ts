import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'fflate';
import * as ax from '../../src/index.js';

const { parseCsv, parseCsvFeatures } = ax;

function rows(t: ax.Tensor): number[][] {
  return t.arraySync() as number[][];
}

describe('parseCsv: layout', () => {
  it('detects a header row of names above numeric rows', () => {
    const d = parseCsv('sepal,petal,label\n5.1,1.4,0\n4.9,1.3,1\n', { task: 'regression' });
    assert.deepEqual(d.featureNames, ['sepal', 'petal']);
    assert.equal(d.targetName, 'label');
    assert.deepEqual(d.x.shape, [2, 2]);
    assert.deepEqual(rows(d.x), [
      [5.099999904632568, 1.399999976158142],
      [4.900000095367432, 1.2999999523162842],
    ]);
    assert.deepEqual(rows(d.y), [[0], [1]]);
  });

  it('reads a file without header from line 1, naming the columns column_<j>', () => {
    const d = parseCsv('1,2,3.5\n4,5,6.5\n');
    assert.deepEqual(d.featureNames, ['column_0', 'column_1']);
    assert.equal(d.targetName, 'column_2');
    assert.deepEqual(rows(d.x), [
      [1, 2],
      [4, 5],
    ]);
    assert.deepEqual(rows(d.y), [[3.5], [6.5]]);
  });

  it('lets header be forced either way', () => {
    const named = parseCsv('10,20,30\n1,2,3.5\n', { header: true });
    assert.deepEqual(named.featureNames, ['10', '20']);
    assert.equal(named.x.shape[0], 1);
    // Forcing "no header" on a file that has one makes its names data: an error on line 1.
    assert.throws(
      () => parseCsv('a,b,c\n1,2,3\n4,5,6\n', { header: false }),
      /line 1, column 'column_0' \(index 0\): 'a' is not a number/,
    );
  });

  it('tells an all-text header from all-text data by whether the names recur', () => {
    const withHeader = parseCsv('color,size,label\nred,big,yes\nblue,small,no\nred,small,yes\n');
    assert.equal(withHeader.targetName, 'label');
    const without = parseCsv('red,big,yes\nblue,small,no\nred,small,yes\n');
    assert.equal(without.x.shape[0], 3);
    assert.deepEqual(without.classNames, ['no', 'yes']);
  });

  it('auto-detects comma, semicolon, tab and space delimiters, and takes any given one', () => {
    const expected = [
      [1, 2],
      [4, 5],
    ];
    for (const sep of [',', ';', '\t', ' ']) {
      const d = parseCsv(`a${sep}b${sep}y\n1${sep}2${sep}3.5\n4${sep}5${sep}6.5\n`);
      assert.deepEqual(rows(d.x), expected, `delimiter ${JSON.stringify(sep)}`);
      assert.deepEqual(d.featureNames, ['a', 'b']);
    }
    // Decimal commas inside quotes do not fool the detection of ';'.
    const eu = parseCsv('a;b;y\n"1,5";2;3.5\n"x,y";5;6.5\n', { categorical: ['a'] });
    assert.deepEqual(eu.featureNames, ['a=1,5', 'a=x,y', 'b']);
    const pipe = parseCsv('a|b|y\n1|2|3.5\n4|5|6.5\n', { delimiter: '|' });
    assert.deepEqual(rows(pipe.x), expected);
  });

  it('treats runs of spaces as one delimiter', () => {
    const d = parseCsv('  1   2  3.5\n4 5     6.5\n');
    assert.deepEqual(rows(d.x), [
      [1, 2],
      [4, 5],
    ]);
  });

  it('parses quoted fields holding commas, escaped quotes and newlines', () => {
    const text = 'name,age,label\n"Smith, J",30,a\n"say ""hi""",40,b\n"two\nlines",50,a\n';
    const d = parseCsv(text, { target: 'label', categorical: ['name'], encoding: 'index' });
    assert.deepEqual(d.schema.features[0].categories, ['Smith, J', 'say "hi"', 'two\nlines']);
    assert.deepEqual(rows(d.x), [
      [0, 30],
      [1, 40],
      [2, 50],
    ]);
    assert.deepEqual(Array.from(d.y.dataSync()), [0, 1, 0]);
  });

  it('accepts bytes, gzipped bytes, a byte-order mark and CRLF line ends', () => {
    const text = '\ufeffa,b,y\r\n1,2,3.5\r\n4,5,6.5\r\n';
    const bytes = new TextEncoder().encode(text);
    for (const input of [text, bytes, gzipSync(bytes)]) {
      const d = parseCsv(input);
      assert.deepEqual(d.featureNames, ['a', 'b']);
      assert.deepEqual(rows(d.y), [[3.5], [6.5]]);
    }
  });
});

describe('parseCsv: target and classes', () => {
  const text = 'f1,species,f2\n1,setosa,2\n3,virginica,4\n5,setosa,6\n7,versicolor,8\n';

  it('picks the target by name (also case-insensitively), by index, or by negative index', () => {
    for (const target of ['species', 'SPECIES', 1, -2] as const) {
      const d = parseCsv(text, { target });
      assert.equal(d.targetName, 'species');
      assert.deepEqual(d.featureNames, ['f1', 'f2']);
      assert.deepEqual(rows(d.x), [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]);
    }
  });

  it('maps class names to indices in sorted order by default, or by first appearance', () => {
    const sorted = parseCsv(text, { target: 'species' });
    assert.equal(sorted.task, 'classification');
    assert.deepEqual(sorted.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(sorted.y.shape, [4]);
    assert.deepEqual(Array.from(sorted.y.dataSync()), [0, 2, 0, 1]);
    const seen = parseCsv(text, { target: 'species', classOrder: 'appearance' });
    assert.deepEqual(seen.classNames, ['setosa', 'virginica', 'versicolor']);
    assert.deepEqual(Array.from(seen.y.dataSync()), [0, 1, 0, 2]);
  });

  it('sorts numeric class labels numerically and keeps given class names', () => {
    const d = parseCsv('x,y\n1,10\n2,9\n3,10\n4,2\n', { task: 'classification' });
    assert.deepEqual(d.classNames, ['2', '9', '10']);
    assert.deepEqual(Array.from(d.y.dataSync()), [2, 1, 2, 0]);
    const fixed = parseCsv(text, { target: 'species', classNames: ['virginica', 'versicolor', 'setosa'] });
    assert.deepEqual(Array.from(fixed.y.dataSync()), [2, 0, 2, 1]);
    assert.throws(
      () => parseCsv(text, { target: 'species', classNames: ['setosa', 'virginica'] }),
      /line 5, column 'species' \(index 1\): class 'versicolor' is not one of the known classes \(setosa, virginica\)/,
    );
  });

  it('keeps regression targets numeric as [n, 1], and guesses classification only for few integers', () => {
    const reg = parseCsv('x,y\n1,0.5\n2,1.25\n3,2\n');
    assert.equal(reg.task, 'regression');
    assert.equal(reg.classNames, undefined);
    assert.deepEqual(rows(reg.y), [[0.5], [1.25], [2]]);
    const ints = parseCsv('x,y\n1,0\n2,1\n3,1\n');
    assert.equal(ints.task, 'classification');
    assert.deepEqual(ints.classNames, ['0', '1']);
    const forced = parseCsv('x,y\n1,0\n2,1\n3,1\n', { task: 'regression', yShape: 'vector' });
    assert.equal(forced.task, 'regression');
    assert.deepEqual(forced.y.shape, [3]);
    // Distinct integers that never repeat are measurements, not classes.
    assert.equal(parseCsv('x,y\n1,10\n2,20\n3,30\n').task, 'regression');
    const manyInts = parseCsv(`x,y\n${Array.from({ length: 25 }, (_, i) => `${i},${i * 3}`).join('\n')}\n`);
    assert.equal(manyInts.task, 'regression');
    assert.throws(
      () => parseCsv(text, { target: 'species', task: 'regression' }),
      /line 2, column 'species' \(index 1\): the target 'setosa' is not a number/,
    );
  });

  it('lists the columns when the target is unknown or out of range', () => {
    assert.throws(
      () => parseCsv(text, { target: 'label' }),
      /unknown target column 'label'; the columns are: 0:f1, 1:species, 2:f2/,
    );
    assert.throws(
      () => parseCsv(text, { target: 3 }),
      /target column index 3 is out of range: the file has 3 columns/,
    );
    assert.throws(() => parseCsv(text, { target: -4 }), /target column index -4 is out of range/);
    assert.throws(() => parseCsv('1,2\n3,4\n', { target: 'y' }), /no header row, so pass a 0-based index/);
  });
});

describe('parseCsv: categorical features', () => {
  const text = 'color,size,price\nred,1,10\nblue,2,20\nred,3,30\ngreen,4,40\n';

  it('one-hot encodes text columns in sorted category order, naming each column', () => {
    const d = parseCsv(text, { target: 'price' });
    assert.deepEqual(d.featureNames, ['color=blue', 'color=green', 'color=red', 'size']);
    assert.deepEqual(rows(d.x), [
      [0, 0, 1, 1],
      [1, 0, 0, 2],
      [0, 0, 1, 3],
      [0, 1, 0, 4],
    ]);
    assert.deepEqual(d.schema.features[0], {
      name: 'color',
      kind: 'categorical',
      categories: ['blue', 'green', 'red'],
    });
  });

  it('index-encodes on request, and forces numeric-looking columns to be categorical', () => {
    const d = parseCsv(text, {
      target: 'price',
      encoding: 'index',
      categorical: ['size'],
      classOrder: 'appearance',
    });
    assert.deepEqual(d.featureNames, ['color', 'size']);
    assert.deepEqual(rows(d.x), [
      [0, 0],
      [1, 1],
      [0, 2],
      [2, 3],
    ]);
  });

  it('leaves out ignored columns', () => {
    const d = parseCsv(text, { target: 'price', ignore: ['color'] });
    assert.deepEqual(d.featureNames, ['size']);
  });
});

describe('parseCsv: errors name the line and the column', () => {
  it('names a missing cell and a non-numeric cell', () => {
    assert.throws(
      () => parseCsv('a,b,y\n1,2,3\n4,,6\n'),
      /^Error: CSV: line 3, column 'b' \(index 1\): missing value \(empty cell\); pass missing: 'drop', 'mean' or 'zero'/,
    );
    assert.throws(
      () => parseCsv('a,b,y\n1,2,3\n4,5,6\n7,oops,9\n', { source: 'data.csv' }),
      (error: Error) => {
        assert.match(error.message, /^data\.csv: line 4, column 'b' \(index 1\): 'oops' is not a number/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
    assert.throws(
      () => parseCsv('a,b,y\n1,NA,3\n4,5,6\n'),
      /line 2, column 'b' \(index 1\): missing value \('NA'\)/,
    );
  });

  it('counts blank lines, comment lines and multi-line quoted fields in line numbers', () => {
    assert.throws(() => parseCsv('\n\na,b,y\n\n1,2,3\n\n4,x,6\n'), /line 7, column 'b'/);
    assert.throws(() => parseCsv('a,b,y\n# note\n1,2,3\n4,x,6\n', { comment: '#' }), /line 4, column 'b'/);
    assert.throws(() => parseCsv('t,b,y\n"multi\nline",2,3\nz,x,6\nw,1,2\n'), /line 4, column 'b'/);
  });

  it('names rows with the wrong number of fields', () => {
    assert.throws(
      () => parseCsv('a,b,y\n1,2,3\n4,5\n'),
      /line 3 has 2 fields but 3 \(the header, line 1\) were expected/,
    );
    assert.throws(() => parseCsv('1,2,3\n1,2,3,4\n'), /line 2 has 4 fields but 3 \(line 1\) were expected/);
  });

  it('names a missing target value', () => {
    assert.throws(
      () => parseCsv('a,y\n1,2\n3,\n'),
      /line 3, column 'y' \(index 1\): the target is missing \(empty cell\); pass missing: 'drop'/,
    );
  });

  it('says clearly when the file is empty or has no data rows', () => {
    assert.throws(() => parseCsv(''), /CSV: the file is empty \(no header and no data rows\)/);
    assert.throws(() => parseCsv(' \n\n  \n'), /the file is empty/);
    assert.throws(() => parseCsv('a,b,c\n'), /the file has a header row but no data rows/);
    assert.throws(
      () => parseCsv('#only\n#comments\n', { comment: '#' }),
      /no records \(only blank or comment lines\)/,
    );
  });

  it('reports malformed quoting and bad options', () => {
    assert.throws(() => parseCsv('a,b\n1,"2\n'), /the CSV text could not be parsed: Quote Not Closed/);
    assert.throws(
      () => parseCsv('a,b\n1,2\n', { missing: 'skip' as ax.MissingPolicy }),
      /option missing must be one of 'error', 'drop', 'mean', 'zero'/,
    );
  });
});

describe('parseCsv: missing-value policies', () => {
  const text = 'a,b,y\n1,2,1.5\n,4,2.5\n3,x,3.5\n5,6,4.5\n';

  it("'drop' removes rows with a missing or non-numeric cell", () => {
    const d = parseCsv(text, { missing: 'drop' });
    assert.equal(d.dropped, 2);
    assert.deepEqual(rows(d.x), [
      [1, 2],
      [5, 6],
    ]);
    assert.deepEqual(rows(d.y), [[1.5], [4.5]]);
  });

  it("'mean' imputes the column mean of the valid cells; 'zero' imputes 0", () => {
    const mean = parseCsv(text, { missing: 'mean' });
    assert.equal(mean.dropped, 0);
    assert.deepEqual(rows(mean.x), [
      [1, 2],
      [3, 4], // (1 + 3 + 5) / 3
      [3, 4], // (2 + 4 + 6) / 3
      [5, 6],
    ]);
    assert.deepEqual(
      mean.schema.features.map((f) => f.fill),
      [3, 4],
    );
    const zero = parseCsv(text, { missing: 'zero' });
    assert.deepEqual(rows(zero.x), [
      [1, 2],
      [0, 4],
      [3, 0],
      [5, 6],
    ]);
  });

  it('imputes a categorical cell with the most frequent category, and drops rows without target', () => {
    const d = parseCsv('c,y\nred,1.5\n,2.5\nblue,3.5\nred,4.5\n', { missing: 'mean' });
    assert.deepEqual(d.featureNames, ['c=blue', 'c=red']);
    assert.deepEqual(rows(d.x), [
      [0, 1],
      [0, 1], // the mode, red
      [1, 0],
      [0, 1],
    ]);
    assert.equal(d.schema.features[0].fill, 'red');
    assert.throws(
      () => parseCsv('c,y\nred,1.5\nblue,\n', { missing: 'mean' }),
      /line 3, column 'y' \(index 1\): the target is missing/,
    );
    const dropped = parseCsv('c,y\nred,1.5\n,2.5\nblue,3.5\nred,\n', { missing: 'drop' });
    assert.equal(dropped.dropped, 2);
    assert.deepEqual(rows(dropped.y), [[1.5], [3.5]]);
  });

  it('uses the given missing-value tokens', () => {
    const d = parseCsv('a,y\n1,1.5\n-999,2.5\n3,3.5\n', { missingValues: ['-999'], missing: 'mean' });
    assert.deepEqual(rows(d.x), [[1], [2], [3]]);
  });

  it('fails when every row is dropped', () => {
    assert.throws(() => parseCsv('a,y\n,1\n,2\n', { missing: 'drop' }), /all 2 data rows were dropped/);
  });
});

describe("parseCsv: scikit-learn's layout", () => {
  const text = '4,2,setosa,versicolor,virginica\n5.1,3.5,0\n4.9,3.0,0\n6.3,3.3,2\n5.7,2.8,1\n';

  it('reads n_rows,n_features and the class names from line 1', () => {
    const d = parseCsv(text);
    assert.deepEqual(d.x.shape, [4, 2]);
    assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(Array.from(d.y.dataSync()), [0, 0, 2, 1]);
    assert.equal(d.targetName, 'target');
    assert.equal(d.task, 'classification');
  });

  it('ignores the trailing commas newer scikit-learn writes', () => {
    const d = parseCsv('2,2,no,yes,,\n1,2,0\n3,4,1\n');
    assert.deepEqual(d.classNames, ['no', 'yes']);
  });

  it('rejects a label that is not a class index, naming the line', () => {
    assert.throws(
      () => parseCsv('2,2,a,b\n1,2,0\n3,4,2\n'),
      /line 3, column 'target' \(index 2\): label 2 is not a class index 0…1 \(a, b\)/,
    );
  });

  it('is not mistaken for data whose first row happens to match, and can be forced or refused', () => {
    const plain = parseCsv('2,1\n5,6\n7,8\n');
    assert.equal(plain.x.shape[0], 3);
    assert.throws(() => parseCsv('a,b\n1,2\n', { sklearn: true }), /line 1 is not a scikit-learn header/);
    assert.throws(
      () => parseCsv('9,2,a,b\n1,2,0\n', { sklearn: true }),
      /line 1 announces 9 rows but the file has 1 data rows/,
    );
    // Refused, line 1 is a header of 5 names over rows of 3 fields.
    assert.throws(
      () => parseCsv(text, { sklearn: false }),
      /line 2 has 3 fields but 5 \(the header, line 1\) were expected/,
    );
  });
});

describe('parseCsv: schema for test data and predictions', () => {
  const train = parseCsv('color,size,species\nred,1,b\nblue,2,a\nred,3,c\n', { target: 'species' });

  it('encodes new data with the training categories and classes, whatever their order there', () => {
    const test = parseCsv('size,species,color\n5,c,blue\n6,a,red\n', { schema: train.schema });
    assert.deepEqual(test.featureNames, train.featureNames);
    assert.deepEqual(rows(test.x), [
      [1, 0, 5],
      [0, 1, 6],
    ]);
    assert.deepEqual(test.classNames, ['a', 'b', 'c']);
    assert.deepEqual(Array.from(test.y.dataSync()), [2, 0]);
  });

  it('reads features without a target column, by name or by position', () => {
    const named = parseCsvFeatures('color,size\nblue,7\n', { schema: train.schema });
    assert.deepEqual(rows(named.x), [[1, 0, 7]]);
    assert.equal(named.y, undefined);
    const positional = parseCsvFeatures('blue,7\nred,8\n', { schema: train.schema, header: false });
    assert.deepEqual(rows(positional.x), [
      [1, 0, 7],
      [0, 1, 8],
    ]);
    const free = parseCsvFeatures('1,2\n3,4\n');
    assert.deepEqual(rows(free.x), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('rejects unseen categories and missing columns', () => {
    assert.throws(
      () => parseCsvFeatures('color,size\ngreen,7\n', { schema: train.schema }),
      /line 2, column 'color' \(index 0\): category 'green' was not seen in the training data \(known: blue, red\)/,
    );
    assert.throws(
      () => parseCsvFeatures('colour,size\nred,7\n', { schema: train.schema }),
      /column 'color' used by the model is missing/,
    );
    assert.throws(
      () => parseCsv('color,size\nred,7\n', { schema: train.schema }),
      /the target column 'species' is missing/,
    );
  });

  it('survives a JSON round trip', () => {
    const schema = JSON.parse(JSON.stringify(train.schema)) as ax.CsvSchema;
    const again = parseCsv('color,size,species\nblue,2,b\n', { schema });
    assert.deepEqual(rows(again.x), [[1, 0, 2]]);
    assert.deepEqual(Array.from(again.y.dataSync()), [1]);
  });
});

describe('values beyond float32', () => {
  it('a cell that would overflow float32 is an error naming its line and column, not a silent Infinity', () => {
    assert.throws(
      () => parseCsv('a,b\n1,2\n1e39,3\n'),
      /line 3, column 'a' \(index 0\): '1e39' is outside the float32 range/,
    );
    assert.throws(
      () => parseCsv('a,b\n1,2\n3,-1e400\n', { target: 'a' }),
      /line 3, column 'b' \(index 1\): '-1e400' is outside the float32 range/,
    );
    assert.throws(
      () => parseCsv('a,b\n1,2\n3,1e39\n', { target: 'b', task: 'regression' }),
      /line 3, column 'b' \(index 1\): '1e39' is outside/,
    );
  });
});
