/**
 * The Node.js entry of Axon: everything of the core entry, plus what needs Node — a terminal progress bar
 * for `fit` (registered on import; used when verbose is 1 and stdout is a TTY) and the `csvLogger` callback.
 * `import * as ax from 'axon-nn/node'`.
 */
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { installNodeFiles } from './data/node-files.js';
import { fileRouter, fileSystem } from './io/file-handler.js';
import { registerLoadRouter, registerSaveRouter } from './io/handlers.js';
import { io as coreIo } from './io/index.js';
import type { Callback, Logs, TrainParams } from './model/callback-list.js';
import { callbacks as coreCallbacks } from './model/callbacks.js';
import {
  formatDuration,
  formatLogs,
  LineProgressReporter,
  type ProgressReporter,
  registerProgressReporter,
} from './model/progress.js';

export {
  type CsvBatch,
  type CsvDatasetOptions,
  CsvStreamDataset,
  csvDataset,
} from './data/csv-stream.js';
export {
  installNodeFiles,
  nodeFileSystem,
  readCsvFeaturesFile,
  readCsvFile,
  readIdxFile,
} from './data/node-files.js';
export * from './index.js';

// Registers the disk reader, Node's zlib and Node's csv-parse for the data loaders. The module does this on
// import too; the explicit call keeps a bundler from dropping it as unused.
installNodeFiles();

/**
 * A cli-progress bar per epoch: `Epoch 2/10 [=====-----] 12/32 | ETA: 1s | loss: 0.6931 - acc: 0.5000`,
 * left on screen with the epoch's final values (validation included) when the epoch ends. When the
 * number of batches is unknown (fitDataset without batchesPerEpoch) the first epoch shows a count
 * (`Epoch 1/10 batch 12 | 3s | loss: ...`) and later epochs take its count as their total, as Keras does.
 * @example ax.registerProgressReporter(() => new BarProgressReporter());
 */
export class BarProgressReporter implements ProgressReporter {
  private params: TrainParams | null = null;
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  /** Batches per epoch: from the params, else counted in the first epoch; null until known. */
  private steps: number | null = null;
  private done = 0;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  onTrainBegin(params: TrainParams): void {
    this.params = params;
    this.steps = params.steps;
  }

  onEpochBegin(epoch: number): void {
    const epochs = this.params?.epochs ?? epoch + 1;
    this.started = Date.now();
    this.done = 0;
    const counter = this.steps === null ? 'batch {value}' : '[{bar}] {value}/{total}';
    this.bar = new cliProgress.SingleBar(
      {
        format: `Epoch ${epoch + 1}/${epochs} ${counter} | {time} | {stats}`,
        stream: this.stream,
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
        gracefulExit: true,
      },
      cliProgress.Presets.legacy,
    );
    this.bar.start(this.steps ?? 0, 0, { stats: '', time: 'ETA: -' });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (this.bar === null) return;
    const done = batch + 1;
    this.done = done;
    const elapsed = Date.now() - this.started;
    const time =
      this.steps === null
        ? formatDuration(elapsed)
        : `ETA: ${formatDuration((elapsed / done) * Math.max(0, this.steps - done))}`;
    this.bar.update(done, { stats: formatLogs(logs), time });
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.bar === null) return;
    this.steps ??= this.done;
    this.bar.update(this.steps, { stats: formatLogs(logs), time: formatDuration(Date.now() - this.started) });
    this.bar.stop();
    this.bar = null;
  }

  onTrainEnd(): void {
    // Stops a bar left running by an interrupted epoch (an error or stopTraining mid-epoch).
    this.bar?.stop();
    this.bar = null;
  }
}

registerProgressReporter((verbose) =>
  verbose === 1 && process.stdout.isTTY === true ? new BarProgressReporter() : new LineProgressReporter(),
);

/** Options of `csvLogger`. */
export interface CsvLoggerArgs {
  /** Column separator. Default ','. */
  separator?: string;
  /** Append to an existing file instead of overwriting it. Default false. */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch (epoch, then the log keys sorted, as Keras's CSVLogger), flushing each row
 * so the file can be watched during training.
 * @example await model.fit(x, y, { epochs: 50, callbacks: [ax.callbacks.csvLogger('training.csv')] });
 */
export function csvLogger(filename: string, args: CsvLoggerArgs = {}): Callback {
  if (typeof filename !== 'string' || filename.length === 0) {
    throw new Error('callbacks.csvLogger: expected a file name, e.g. csvLogger("training.csv")');
  }
  const separator = args.separator ?? ',';
  const append = args.append ?? false;
  let keys: string[] | null = null;
  let writeHeader = true;
  const cell = (v: number | undefined): string => (v === undefined ? 'NA' : String(v));
  return {
    onTrainBegin: () => {
      keys = null;
      if (append) {
        writeHeader = !(existsSync(filename) && statSync(filename).size > 0);
      } else {
        writeFileSync(filename, '');
        writeHeader = true;
      }
    },
    onEpochEnd: (epoch: number, logs: Logs) => {
      if (keys === null) {
        keys = Object.keys(logs).sort();
        if (writeHeader) appendFileSync(filename, `${['epoch', ...keys].join(separator)}\n`);
      }
      const row = [String(epoch), ...keys.map((k) => cell(logs[k]))];
      appendFileSync(filename, `${row.join(separator)}\n`);
    },
  };
}

/**
 * The built-in callbacks, with `csvLogger` (Node only) added to the core ones.
 * @example ax.callbacks.csvLogger('log.csv')
 */
export const callbacks = { ...coreCallbacks, csvLogger };

// model.save('file://dir') and loadModel('file://dir/model.json') in Node.
registerSaveRouter(fileRouter);
registerLoadRouter(fileRouter);

export { type FileHandlerOptions, fileSystem } from './io/file-handler.js';

/**
 * `ax.io` with the Node-only `fileSystem` handler added (TF.js's tfjs-node `tf.io.fileSystem`).
 * @example await model.save(ax.io.fileSystem('models/iris'));
 */
export const io = { ...coreIo, fileSystem };
