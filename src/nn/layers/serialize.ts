/**
 * Layer configs in the TF.js Layers form (camelCase keys, nested `{ className, config }` objects), the
 * in-memory shape of a TF.js `model.json` topology before its keys are converted to Keras's snake_case.
 * Keeping them this way lets a saved Axon model load in TF.js/Keras and the reverse.
 */
import { getActivation } from '../activations.js';
import { getInitializer, type Initializer, initializers } from '../initializers.js';
import { getRegularizer, type Regularizer, regularizers } from '../regularizers.js';

/** A JSON value, as layer configs hold them. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** A layer's (or initializer's, regularizer's) class name and options: `{ className: 'Dense', config: {...} }`. */
// A type alias, not an interface, so that it is assignable to ConfigValue (interfaces lack index signatures).
export type SerializedObject = {
  className: string;
  config: { [key: string]: ConfigValue };
};

/** What a layer option accepts for an initializer: a name, an Initializer, or its serialized form. */
export type InitializerSpec = string | Initializer | SerializedObject;
/** What a layer option accepts for a regularizer: a name, a Regularizer, its serialized form, or nothing. */
export type RegularizerSpec = string | Regularizer | SerializedObject | null | undefined;

// Glorot, He and LeCun are VarianceScaling presets; TF.js serializes them under that class name (as Keras does).
const VARIANCE_SCALING = new Set([
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'varianceScaling',
]);

function isSerialized(x: unknown): x is SerializedObject {
  return typeof x === 'object' && x !== null && typeof (x as SerializedObject).className === 'string';
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * `{ className, config }` of an initializer, as TF.js writes it.
 * @example serializeInitializer(ax.getInitializer('zeros')) // { className: 'Zeros', config: {} }
 */
export function serializeInitializer(init: Initializer): SerializedObject {
  const className = VARIANCE_SCALING.has(init.name) ? 'VarianceScaling' : pascal(init.name);
  return { className, config: { ...init.getConfig() } };
}

/**
 * An initializer from a name, an Initializer, or a serialized `{ className, config }` (TF.js/Keras form).
 * @example resolveInitializer({ className: 'Constant', config: { value: 0.1 } }).generate([2])
 */
export function resolveInitializer(spec: InitializerSpec): Initializer {
  if (!isSerialized(spec)) return getInitializer(spec);
  const key = camel(spec.className) as keyof typeof initializers;
  const make = initializers[key] as ((options?: object) => Initializer) | undefined;
  if (typeof make !== 'function') return getInitializer(spec.className);
  // A null seed means "unseeded" in TF.js configs; the factories want it absent.
  const options: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(spec.config ?? {})) if (v !== null) options[k] = v;
  return make(options);
}

/**
 * `{ className: 'L1L2', config: { l1, l2 } }` (TF.js form), or null.
 * @example serializeRegularizer(ax.regularizers.l2({ l2: 0.1 })) // { className: 'L1L2', config: { l1: 0, l2: 0.1 } }
 */
export function serializeRegularizer(reg: Regularizer | null): SerializedObject | null {
  if (reg === null) return null;
  const { l1, l2 } = reg.getConfig();
  return { className: 'L1L2', config: { l1, l2 } };
}

/**
 * A regularizer from a name, a Regularizer, a serialized `{ className: 'L1L2', config }`, or nothing (null).
 * @example resolveRegularizer('l2')?.getConfig() // { l1: 0, l2: 0.01 }
 */
export function resolveRegularizer(spec: RegularizerSpec): Regularizer | null {
  if (!isSerialized(spec)) return getRegularizer(spec);
  const l1 = Number(spec.config?.l1 ?? 0);
  const l2 = Number(spec.config?.l2 ?? 0);
  return regularizers.l1l2({ l1, l2 });
}

/**
 * The activation's name as configs store it ('relu', 'linear').
 * @example serializeActivation(ax.getActivation('relu')) // 'relu'
 */
export function serializeActivation(id: Parameters<typeof getActivation>[0]): string {
  return getActivation(id).name;
}
