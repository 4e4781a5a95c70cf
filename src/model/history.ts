/** The record `fit` returns: per-epoch logs (Keras/TF.js `History`). */
import type { Callback, Logs, TrainParams } from './callback-list.js';

/**
 * Per-epoch values of a `fit` run: `history.loss[i]` is the loss of epoch `epoch[i]`, and so on for every
 * metric and `val_*` key.
 * @example
 * const h = await model.fit(x, y, { epochs: 10, validationSplit: 0.2 });
 * h.history.loss;      // number[10]
 * h.history.val_loss;  // number[10]
 * h.epoch;             // [0, 1, ..., 9]
 */
export class History implements Callback {
  /** Epoch indices that ran (starting at initialEpoch). */
  epoch: number[] = [];
  /** For each log key, its value at each epoch. */
  history: Record<string, number[]> = {};
  /** The run's parameters (epochs, batch size, samples, ...). */
  params: TrainParams | null = null;

  setParams(params: TrainParams): void {
    this.params = params;
  }

  onTrainBegin(): void {
    this.epoch = [];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      let series = this.history[key];
      if (series === undefined) {
        series = [];
        this.history[key] = series;
      }
      series.push(value);
    }
  }

  /** TF.js compatibility: values are plain numbers already, so there is nothing to download. */
  async syncData(): Promise<void> {}
}
