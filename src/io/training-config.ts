/**
 * The compiled state ↔ model.json's `trainingConfig`, in the form TF.js writes and reads: the loss and
 * metric names in snake_case, and `optimizer_config` with TF.js's optimizer class names and camelCase
 * hyperparameters ('Adam' { learningRate, beta1, beta2, epsilon }, 'Momentum' { learningRate, momentum,
 * useNesterov }, 'RMSProp' { learningRate, decay, momentum, epsilon, centered }). Options only Axon has
 * (clipNorm, weightDecay, a schedule) are added as extra keys, which TF.js ignores; a loss with options
 * (fromLogits, huber's delta) takes Keras's `{ class_name, config }` form.
 */
import type { CompileArgs, CompiledState } from '../model/compile.js';
import { normalizeIdentifier } from '../nn/identifiers.js';
import { getLoss, type Loss, losses } from '../nn/losses.js';
import { getMetric } from '../nn/metrics.js';
import { BaseOptimizer, type Optimizer, optimizers } from '../optim/index.js';
import { type LearningRateSchedule, schedules } from '../optim/schedules.js';
import { pythonicToTs, toCamelCase, toSnakeCase } from './keras-case.js';
import type { JsonObject, JsonValue, TrainingConfig } from './types.js';

type OptimizerKey = keyof typeof optimizers;

const CLASS_NAMES: Readonly<Record<OptimizerKey, string>> = {
  sgd: 'SGD',
  rmsprop: 'RMSProp',
  adagrad: 'Adagrad',
  adam: 'Adam',
  adamax: 'Adamax',
  adamw: 'AdamW',
};

/** Folded class name → factory; 'Momentum' is TF.js's SGD with momentum. */
const FACTORIES: ReadonlyMap<string, OptimizerKey> = new Map([
  ['sgd', 'sgd'],
  ['momentum', 'sgd'],
  ['rmsprop', 'rmsprop'],
  ['adagrad', 'adagrad'],
  ['adam', 'adam'],
  ['adamax', 'adamax'],
  ['adamw', 'adamw'],
]);

/** Keras optimizer settings that do not change the update when they have these values. */
const NEUTRAL: Readonly<Record<string, JsonValue>> = { amsgrad: false, useEma: false };
/** Keras bookkeeping keys with no effect on the update. */
const IGNORED = new Set(['name', 'jitCompile', 'isLegacyOptimizer', 'emaMomentum', 'emaOverwriteFrequency']);

const SCHEDULES: Readonly<Record<string, keyof typeof schedules>> = {
  ExponentialDecay: 'exponentialDecay',
  PiecewiseConstantDecay: 'piecewiseConstant',
  CosineDecay: 'cosineDecay',
};

function scheduleToJson(schedule: LearningRateSchedule): JsonObject {
  const { className, ...rest } = schedule.config;
  const config: JsonObject = {};
  // piecewiseConstant keeps its lists as JSON strings in its config.
  for (const [k, v] of Object.entries(rest))
    config[k] = typeof v === 'string' ? (JSON.parse(v) as JsonValue) : v;
  return { className: String(className), config };
}

function optimizerToJson(optimizer: Optimizer, where: string): TrainingConfig['optimizer_config'] {
  const key = optimizer.name as OptimizerKey;
  if (!(optimizer instanceof BaseOptimizer) || !Object.hasOwn(CLASS_NAMES, key)) {
    throw new Error(
      `${where}: the optimizer '${optimizer.name}' is not a built-in one, so it cannot be saved; save with { includeOptimizer: false }`,
    );
  }
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(optimizer.getConfig())) if (v !== null) config[k] = v;
  if (optimizer.learningRateSchedule !== null) {
    config.learningRate = scheduleToJson(optimizer.learningRateSchedule);
    delete config.learningRateSchedule;
  }
  let className = CLASS_NAMES[key];
  if (key === 'sgd') {
    if (config.momentum === 0) delete config.momentum;
    else className = 'Momentum';
    if (className === 'Momentum') config.useNesterov = config.nesterov ?? false;
    delete config.nesterov;
  }
  if (key === 'rmsprop') {
    config.decay = config.rho;
    delete config.rho;
  }
  return { class_name: className, config };
}

function lossToJson(loss: Loss, where: string): TrainingConfig['loss'] {
  const make = (losses as Record<string, ((o?: object) => Loss) | undefined>)[loss.name];
  if (make === undefined || !Object.hasOwn(losses, loss.name)) {
    throw new Error(
      `${where}: the loss '${loss.name}' is not a built-in one, so it cannot be saved; save with { includeOptimizer: false }`,
    );
  }
  const defaults = make().config ?? {};
  const options = loss.config ?? {};
  const isDefault = Object.entries(options).every(([k, v]) => defaults[k] === v);
  if (!loss.fromLogits && isDefault) return toSnakeCase(loss.name);
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(options)) config[toSnakeCase(k)] = v;
  if (loss.fromLogits) config.from_logits = true;
  return { class_name: loss.name.charAt(0).toUpperCase() + loss.name.slice(1), config };
}

/**
 * The `trainingConfig` of a compiled model.
 * @example trainingConfigOf(model.compiled, [null, 3], 'save') // { loss: 'categorical_crossentropy', metrics: ['accuracy'], optimizer_config: {...} }
 */
export function trainingConfigOf(
  state: CompiledState,
  outputShape: (number | null)[],
  where: string,
): TrainingConfig {
  const metrics = state.metricSpecs.map((spec) => {
    const name = typeof spec === 'string' ? spec : spec.name;
    try {
      getMetric(name, state.loss.name, outputShape);
    } catch {
      throw new Error(
        `${where}: the metric '${name}' is not a built-in one, so it cannot be saved; save with { includeOptimizer: false }`,
      );
    }
    return toSnakeCase(name);
  });
  return {
    loss: lossToJson(state.loss, where),
    metrics,
    optimizer_config: optimizerToJson(state.optimizer, where),
  };
}

/** A saved loss: a name, or Keras's `{ class_name, config }`. */
type LossJson = string | { class_name: string; config?: Record<string, unknown> };

function lossFromJson(spec: LossJson | LossJson[], where: string): Loss {
  const one = Array.isArray(spec) ? spec[0] : spec;
  if (typeof one === 'string') return getLoss(toCamelCase(one));
  const className = String(one.class_name);
  const config = pythonicToTs(one.config ?? {}, `${where}.loss.config`) as JsonObject;
  const options: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'fromLogits' || k === 'delta') options[k] = v;
    else if (k === 'name' || (k === 'reduction' && (v === 'auto' || v === 'sumOverBatchSize'))) continue;
    else if ((k === 'labelSmoothing' && v === 0) || (k === 'axis' && v === -1)) continue;
    else throw new Error(`${where}: loss option '${k}' = ${JSON.stringify(v)} is not supported`);
  }
  if (options.delta !== undefined) return losses.huber({ delta: Number(options.delta) });
  const fromLogits = options.fromLogits === undefined ? undefined : options.fromLogits === true;
  return getLoss(className, fromLogits === undefined ? {} : { fromLogits });
}

function optimizerFromJson(
  spec: { class_name: string; config?: Record<string, unknown> },
  where: string,
): Optimizer {
  const key = FACTORIES.get(normalizeIdentifier(spec.class_name));
  if (key === undefined) {
    throw new Error(
      `${where}: unknown optimizer class '${spec.class_name}' (known: SGD, Momentum, RMSProp, Adagrad, Adam, Adamax, AdamW)`,
    );
  }
  const config = pythonicToTs(spec.config ?? {}, `${where}.optimizer_config.config`) as JsonObject;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || IGNORED.has(k)) continue;
    // Keras 2's time-based decay of the rate; 0 (off) is the only value with nothing to reproduce.
    if (k === 'decay' && v === 0 && key !== 'rmsprop' && key !== 'adamax') continue;
    if (Object.hasOwn(NEUTRAL, k)) {
      if (v === NEUTRAL[k]) continue;
      throw new Error(`${where}: optimizer option '${k}' = ${JSON.stringify(v)} is not supported`);
    }
    options[k] = v;
  }
  const rate = options.learningRate;
  if (typeof rate === 'object' && rate !== null && !Array.isArray(rate)) {
    const { className, config: scheduleConfig } = rate as { className?: unknown; config?: unknown };
    const factory = SCHEDULES[String(className)];
    if (factory === undefined) {
      throw new Error(
        `${where}: unknown learning-rate schedule '${String(className)}' (known: ${Object.keys(SCHEDULES).join(', ')})`,
      );
    }
    const { name: _name, ...settings } = (scheduleConfig ?? {}) as Record<string, unknown>;
    options.learningRate = (schedules[factory] as (o: object) => LearningRateSchedule)(settings);
  }
  return (optimizers[key] as (o: object) => Optimizer)(options);
}

/**
 * Compile arguments that rebuild the compiled state a `trainingConfig` describes (TF.js's
 * `loadTrainingConfig`); errors are prefixed with `where`.
 * @example model.compile(compileArgsOf(artifacts.trainingConfig, 'model.json: trainingConfig'));
 */
export function compileArgsOf(
  config: {
    loss: LossJson | LossJson[];
    metrics?: string[] | Record<string, string[]> | null;
    optimizer_config: { class_name: string; config?: Record<string, unknown> };
  },
  where: string,
): CompileArgs {
  const names = config.metrics ?? [];
  // One output: a per-output map holds at most that output's list.
  const metrics = Array.isArray(names) ? names : Object.values(names).flat();
  try {
    return {
      loss: lossFromJson(config.loss, where),
      metrics: metrics.map((m) => toCamelCase(m)),
      optimizer: optimizerFromJson(config.optimizer_config, where),
    };
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where}: ${message}`);
  }
}
