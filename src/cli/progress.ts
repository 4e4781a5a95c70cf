/**
 * Training progress for `axon train`: a cli-progress bar per epoch on a terminal, one line per epoch
 * otherwise (pipes, files, tests), both driven by fit's callbacks.
 */
import * as ax from '../node.js';
import type { CliIO } from './io.js';

/**
 * A fit callback that forwards to a progress reporter writing to the CLI's output.
 * @example await model.fit(x, y, { verbose: 0, callbacks: [progressCallback(io)] });
 */
export function progressCallback(io: CliIO): ax.Callback {
  const reporter: ax.ProgressReporter =
    io.tty !== null
      ? new ax.BarProgressReporter(io.tty)
      : new ax.LineProgressReporter((line) => io.stdout(`${line}\n`));
  let params: ax.TrainParams | null = null;
  return {
    setParams: (p) => {
      params = p;
    },
    onTrainBegin: () => {
      if (params !== null) reporter.onTrainBegin(params);
    },
    onEpochBegin: (epoch) => reporter.onEpochBegin(epoch),
    onBatchEnd: (batch, logs) => reporter.onBatchEnd(batch, logs),
    onEpochEnd: (epoch, logs) => reporter.onEpochEnd(epoch, logs),
    onTrainEnd: () => reporter.onTrainEnd(),
  };
}
