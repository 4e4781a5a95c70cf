/** `compile`: resolving the optimizer, the loss and the metrics a model trains with. */
import type { Layer, Shape } from '../nn/layers/layer.js';
import { getLoss, type Loss } from '../nn/losses.js';
import { getMetric, type Metric } from '../nn/metrics.js';
import { getOptimizer } from '../optim/index.js';
import type { Optimizer } from '../optim/optimizer.js';

/** Options of `model.compile` (TF.js `ModelCompileArgs`). */
export interface CompileArgs {
  /** 'adam', 'sgd', ... (defaults) or an optimizer object (`ax.optimizers.adam({ learningRate: 1e-3 })`). */
  optimizer: string | Optimizer;
  /** 'binaryCrossentropy', 'mse', 'sparse_categorical_crossentropy', ... or a Loss object. */
  loss: string | Loss;
  /** Metric names ('accuracy', 'mse', ...) or Metric objects; reported under the name given. */
  metrics?: string | Metric | ReadonlyArray<string | Metric>;
}

/** A metric with the key it is reported under in logs and history. */
export interface NamedMetric {
  key: string;
  metric: Metric;
}

/** What compile resolved; metrics are bound to the output shape when the model is built. */
export interface CompiledState {
  optimizer: Optimizer;
  loss: Loss;
  metricSpecs: ReadonlyArray<string | Metric>;
  metrics: NamedMetric[] | null;
}

/** Checks and resolves compile's arguments; unknown names throw the registries' errors (listing valid ones). */
export function resolveCompileArgs(args: CompileArgs): CompiledState {
  if (typeof args !== 'object' || args === null) {
    throw new Error(
      "compile: expected an options object such as { optimizer: 'adam', loss: 'binaryCrossentropy' }",
    );
  }
  if (args.optimizer === undefined || args.optimizer === null) {
    throw new Error(
      "compile: 'optimizer' is required (e.g. 'adam', 'sgd' or ax.optimizers.adam({ learningRate: 1e-3 }))",
    );
  }
  if (args.loss === undefined || args.loss === null) {
    throw new Error(
      "compile: 'loss' is required (e.g. 'binaryCrossentropy', 'categoricalCrossentropy', 'mse')",
    );
  }
  const optimizer = getOptimizer(args.optimizer);
  const loss = getLoss(args.loss);
  const specs =
    args.metrics === undefined || args.metrics === null
      ? []
      : Array.isArray(args.metrics)
        ? args.metrics
        : [args.metrics];
  specs.forEach((m, i) => {
    if (typeof m !== 'string' && (typeof m !== 'object' || m === null)) {
      throw new Error(
        `compile: metrics[${i}] must be a metric name or a Metric object, got ${m === null ? 'null' : typeof m}`,
      );
    }
  });
  // Resolve names now (output shape unknown yet) only to report unknown metric names at compile time.
  for (const m of specs) if (typeof m === 'string') getMetric(m, loss.name, [null, 2]);
  return { optimizer, loss, metricSpecs: [...specs], metrics: null };
}

/** The compiled metrics for the model's output shape, keyed by the user's spelling ('accuracy' → 'accuracy'). */
export function bindMetrics(state: CompiledState, outputShape: Shape): NamedMetric[] {
  if (state.metrics === null) {
    const used = new Set<string>();
    state.metrics = state.metricSpecs.map((spec) => {
      const metric = getMetric(spec, state.loss.name, outputShape);
      let key = typeof spec === 'string' ? spec : metric.name;
      // Duplicate names get _1, _2 (TF.js's dedup) so no history series is overwritten.
      for (let i = 1; used.has(key); i++) key = `${typeof spec === 'string' ? spec : metric.name}_${i}`;
      used.add(key);
      return { key, metric };
    });
  }
  return state.metrics;
}

/**
 * Throws when a layer's activation has no useful gradient (sign, step): gradient training cannot use it.
 */
export function checkDifferentiable(where: string, layers: readonly Layer[]): void {
  for (const layer of layers) {
    const activation = (layer as Layer & { activation?: { name: string; differentiable: boolean } })
      .activation;
    if (activation !== undefined && activation.differentiable === false) {
      throw new Error(
        `${where}: layer '${layer.name}' uses the '${activation.name}' activation, whose derivative is 0 almost everywhere, ` +
          "so gradient training cannot learn through it; use 'sigmoid' or 'tanh' (or ax.Perceptron for the perceptron rule)",
      );
    }
  }
}
