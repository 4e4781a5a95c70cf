// trainingCurvesSvg: a well-formed standalone SVG with axes, one panel per quantity, both series.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { niceTicks, trainingCurvesSvg } from '../../src/viz/curves.js';

/** Throws unless every opened tag is closed in order; returns the tag names seen. */
function checkTagBalance(svg: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const [, closing, name, , selfClosing] = m;
    seen.push(name);
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes <${stack[stack.length] ?? 'nothing'}>`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'unclosed tags');
  // Text between tags holds no raw '<' or unescaped '&'.
  assert.doesNotMatch(svg.replace(tag, ''), /<|&(?!(amp|lt|gt|quot|apos);)/);
  return seen;
}

/** The points of the polylines of one series, as numbers. */
function seriesPoints(svg: string, name: string): Array<[number, number]> {
  const group = new RegExp(`<g class="series" data-series="${name}">([\\s\\S]*?)</g>`).exec(svg);
  assert.ok(group, `no series ${name}`);
  const points: Array<[number, number]> = [];
  for (const m of group[1].matchAll(/<polyline points="([^"]+)"/g)) {
    for (const pair of m[1].split(' ')) {
      const [x, y] = pair.split(',').map(Number);
      points.push([x, y]);
    }
  }
  return points;
}

const history = {
  loss: [0.9, 0.6, 0.45, 0.4, 0.38],
  val_loss: [0.95, 0.7, 0.55, 0.52, 0.53],
  accuracy: [0.55, 0.7, 0.8, 0.84, 0.86],
  val_accuracy: [0.5, 0.66, 0.75, 0.8, 0.79],
};

describe('trainingCurvesSvg', () => {
  it('is one well-formed <svg> document with a title, a loss panel and an accuracy panel', () => {
    const svg = trainingCurvesSvg(history, { title: 'Run <1> & co' });
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="840" height="310" viewBox="0 0 840 310"/,
    );
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    const tags = checkTagBalance(svg);
    assert.equal(tags.filter((t) => t === 'svg').length, 2); // open + close
    assert.match(svg, /<title>Run &lt;1&gt; &amp; co<\/title>/);
    assert.deepEqual(
      [...svg.matchAll(/<g class="panel" data-key="([^"]+)">/g)].map((m) => m[1]),
      ['loss', 'accuracy'],
    );
    // Each panel has both axes, epoch labels and both series with a legend.
    assert.equal(svg.match(/<g class="axis x">/g)?.length, 2);
    assert.equal(svg.match(/<g class="axis y">/g)?.length, 2);
    assert.equal(svg.match(/>epoch</g)?.length, 2);
    for (const s of ['loss', 'val_loss', 'accuracy', 'val_accuracy'])
      assert.equal(seriesPoints(svg, s).length, 5, s);
    assert.equal(svg.match(/>training</g)?.length, 2);
    assert.equal(svg.match(/>validation</g)?.length, 2);
    assert.equal(svg.match(/stroke-dasharray="6 4"/g)?.length, 4); // the two val lines and their legend keys
  });

  it('maps epochs left to right and values bottom to top, inside the plot', () => {
    const svg = trainingCurvesSvg(history);
    const loss = seriesPoints(svg, 'loss');
    for (let i = 1; i < loss.length; i++) {
      assert.ok(loss[i][0] > loss[i - 1][0], 'x grows with the epoch');
      // A lower loss is drawn lower down: a larger SVG y (the y axis of SVG points down).
      assert.ok(loss[i][1] > loss[i - 1][1], 'the line goes down as the loss falls');
    }
    // Equal spacing of epochs.
    const step = loss[1][0] - loss[0][0];
    for (let i = 2; i < loss.length; i++) assert.ok(Math.abs(loss[i][0] - loss[i - 1][0] - step) < 0.02);
    // The loss axis starts at 0 (losses read from 0), accuracy axis ends at 1.
    const yLabels = (key: string) => {
      const panel = new RegExp(`data-key="${key}">[\\s\\S]*?<g class="axis y">([\\s\\S]*?)</g>`).exec(svg);
      return [...(panel?.[1] ?? '').matchAll(/text-anchor="end"[^>]*>([^<]+)</g)].map((m) => Number(m[1]));
    };
    assert.equal(yLabels('loss')[0], 0);
    assert.equal(yLabels('accuracy').at(-1), 1);
  });

  it('accepts a History-like object, breaks a line at NaN, and draws a single epoch as a marker', () => {
    const svg = trainingCurvesSvg({ history: { loss: [1, Number.NaN, 0.5, 0.4] }, epoch: [0, 1, 2, 3] });
    checkTagBalance(svg);
    const group = /<g class="series" data-series="loss">([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
    assert.equal(group.match(/<polyline/g)?.length, 2, 'the NaN epoch splits the line in two');
    assert.equal(group.match(/<circle/g)?.length, 3, 'markers for the 3 finite epochs');
    const one = trainingCurvesSvg({ loss: [0.7] });
    checkTagBalance(one);
    assert.equal(one.match(/<circle/g)?.length, 1);
  });

  it('keys chooses the panels; unknown keys, empty histories and bad input are errors', () => {
    const svg = trainingCurvesSvg(history, { keys: ['accuracy'] });
    assert.deepEqual(
      [...svg.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]),
      ['accuracy'],
    );
    assert.throws(
      () => trainingCurvesSvg(history, { keys: ['auc'] }),
      /no series 'auc' \(available: loss, val_loss/,
    );
    assert.throws(() => trainingCurvesSvg({}), /holds no series/);
    assert.throws(
      () => trainingCurvesSvg({ loss: ['a'] } as never),
      /series 'loss' must be an array of numbers/,
    );
  });
});

describe('niceTicks', () => {
  it('covers the range with a 1-2-5 step', () => {
    assert.deepEqual(niceTicks(0, 0.71), [0, 0.2, 0.4, 0.6, 0.8]);
    assert.deepEqual(niceTicks(0.5, 1), [0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    assert.deepEqual(niceTicks(0, 230), [0, 50, 100, 150, 200, 250]);
    const flat = niceTicks(2, 2);
    assert.ok(flat[0] < 2 && flat[flat.length - 1] > 2);
  });
});
