import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import * as ax from '../../src/node.js';

/** A fake terminal: a writable stream that says it is a TTY and records what is written. */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 160 });
  // Strip ANSI escapes (cursor save/restore/hide, clear line) to read the rendered text.
  const ESC = String.fromCharCode(27);
  return {
    stream,
    text: () => chunks.join('').replace(new RegExp(`${ESC}(\\[[0-9;?]*[A-Za-z]|[78])`, 'g'), ''),
  };
}

describe('BarProgressReporter (Node entry)', () => {
  it('draws one bar per epoch with the step count and leaves the final logs on screen', async () => {
    const terminal = fakeTerminal();
    const previous = ax.registerProgressReporter(() => new ax.BarProgressReporter(terminal.stream));
    try {
      ax.setSeed(1);
      const model = ax.sequential({
        layers: [ax.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })],
      });
      model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await model.fit(ax.ones([6, 2]), ax.ones([6, 1]), {
        epochs: 2,
        batchSize: 2,
        verbose: 1,
        validationSplit: 0.5,
      });
    } finally {
      ax.registerProgressReporter(previous);
    }
    const text = terminal.text();
    assert.match(
      text,
      /Epoch 1\/2 \[=+\] 2\/2 \| \d+m?s \| loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}/,
    );
    assert.match(text, /Epoch 2\/2 \[=+\] 2\/2 /);
  });

  const onTty = process.stdout.isTTY
    ? 'stdout is a terminal here, so verbose 1 draws the bar instead of lines'
    : false;
  it('is what verbose 1 uses on a TTY; elsewhere the line reporter prints one line per epoch', {
    skip: onTty,
  }, async () => {
    // Under the test runner stdout is not a TTY, so the registered factory falls back to lines.
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      const model = ax.sequential({ layers: [ax.layers.dense({ units: 1, inputShape: [1] })] });
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      await model.fit(ax.ones([2, 1]), ax.ones([2, 1]), { epochs: 3, verbose: 1 });
    } finally {
      console.log = original;
    }
    assert.equal(lines.length, 3);
    assert.match(lines[2], /^Epoch 3\/3 - \d+m?s - loss: /);
  });
});
