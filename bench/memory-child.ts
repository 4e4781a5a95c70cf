/**
 * The child process of the memory benchmark (bench/memory.ts starts it; it is not a benchmark of its
 * own): reads the whole MNIST training set into memory, trains 784-256-128-10 (Adam, sparse categorical
 * cross-entropy, batch 128) on it for one epoch, and prints one JSON line with its memory figures.
 *
 * Run alone: npx tsx bench/memory-child.ts <mnist dir>
 */
import * as ax from '../src/node.js';
import { axonMlp, loadMnistTraining } from './mlp.js';

const MB = 1024 * 1024;
const dir = process.argv[2];
if (!dir) throw new Error('memory-child: pass the MNIST folder as the first argument');

const rss = () => process.memoryUsage.rss() / MB;
const baselineMb = rss();
const { x, y } = await loadMnistTraining(dir);
const afterLoadMb = rss();
const dataMb = (x.values.byteLength + y.values.byteLength) / MB;

const model = axonMlp();
model.compile({
  optimizer: ax.optimizers.adam({ learningRate: 1e-3 }),
  loss: 'sparseCategoricalCrossentropy',
});
// The resident set sampled after every batch: the peak of the training loop alone (maxRSS also
// covers the loading, whose gzip and uint8 buffers are gone once the float32 tensor exists).
let trainPeakMb = 0;
const start = performance.now();
const history = await model.fit(x, y, {
  epochs: 1,
  batchSize: 128,
  shuffle: true,
  verbose: 0,
  callbacks: {
    onBatchEnd: () => {
      trainPeakMb = Math.max(trainPeakMb, rss());
    },
  },
});
const seconds = (performance.now() - start) / 1000;

console.log(
  JSON.stringify({
    backend: ax.getBackend(),
    rows: x.shape[0],
    dataMb,
    baselineMb,
    afterLoadMb,
    trainPeakMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    seconds,
    loss: history.history.loss[0],
  }),
);
