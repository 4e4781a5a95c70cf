/**
 * Progress output of `fit` behind a small interface, so the core prints through console.log (works in a
 * browser) while the Node entry registers a terminal progress bar. `verbose: 0` prints nothing.
 */
import type { Logs, TrainParams } from './callback-list.js';

/** Receives training progress; `fit` creates one per run when verbose > 0. */
export interface ProgressReporter {
  onTrainBegin(params: TrainParams): void;
  onEpochBegin(epoch: number): void;
  /** After each batch; logs hold running means over the epoch so far. */
  onBatchEnd(batch: number, logs: Logs): void;
  /** After each epoch (validation included). */
  onEpochEnd(epoch: number, logs: Logs): void;
  onTrainEnd(): void;
}

/** Makes the reporter for a run; `verbose` is 1 (bar or line) or 2 (one line per epoch). */
export type ProgressReporterFactory = (verbose: number) => ProgressReporter;

/**
 * A number as Keras's progress output writes it: 4 decimals, or 4-digit scientific below 1e-3.
 * @example formatLogValue(0.69314) // '0.6931'; formatLogValue(2e-5) // '2.0000e-05'
 */
export function formatLogValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) > 1e-3 || v === 0) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * `loss: 0.6931 - acc: 0.5000 - val_loss: 0.7012` (the keys `batch` and `size` are left out).
 * @example formatLogs({ loss: 0.5, acc: 1 }) // 'loss: 0.5000 - acc: 1.0000'
 */
export function formatLogs(logs: Logs): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(logs)) {
    if (key === 'batch' || key === 'size') continue;
    parts.push(`${key}: ${formatLogValue(value)}`);
  }
  return parts.join(' - ');
}

/** `850ms`, `12s`: a duration as a progress line shows it. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 1000)}s`;
}

/**
 * One line per epoch through console.log: `Epoch 3/10 - 12ms - loss: 0.6931 - acc: 0.5000`.
 * @example registerProgressReporter(() => new LineProgressReporter());
 */
export class LineProgressReporter implements ProgressReporter {
  private epochs = 0;
  private started = 0;
  private readonly print: (line: string) => void;

  constructor(print: (line: string) => void = (line) => console.log(line)) {
    this.print = print;
  }

  onTrainBegin(params: TrainParams): void {
    this.epochs = params.epochs;
  }

  onEpochBegin(): void {
    this.started = Date.now();
  }

  onBatchEnd(): void {}

  onEpochEnd(epoch: number, logs: Logs): void {
    const stats = formatLogs(logs);
    const elapsed = formatDuration(Date.now() - this.started);
    this.print(`Epoch ${epoch + 1}/${this.epochs} - ${elapsed}${stats ? ` - ${stats}` : ''}`);
  }

  onTrainEnd(): void {}
}

const defaultFactory: ProgressReporterFactory = () => new LineProgressReporter();
let activeFactory: ProgressReporterFactory = defaultFactory;

/**
 * Sets how `fit` reports progress when verbose > 0; returns the previous factory (to restore it).
 * The Node entry registers a terminal progress bar; pass nothing to restore the default line reporter.
 * @example
 * const previous = ax.registerProgressReporter(() => myReporter);
 * // ...
 * ax.registerProgressReporter(previous);
 */
export function registerProgressReporter(factory?: ProgressReporterFactory): ProgressReporterFactory {
  const previous = activeFactory;
  activeFactory = factory ?? defaultFactory;
  return previous;
}

/** The reporter for a run with this verbosity, or null for verbose 0. */
export function createProgressReporter(verbose: number): ProgressReporter | null {
  return verbose > 0 ? activeFactory(verbose) : null;
}
