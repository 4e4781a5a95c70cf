/**
 * Key conversion between TF.js's in-memory configs (camelCase) and the Keras JSON of model.json
 * (snake_case), exactly as TF.js's `convertTsToPythonic` / `convertPythonicToTs` do it: keys are
 * converted, and so are string values — except the values of `name` and `className`, which are
 * identifiers of the model and its layers. Converting the same way keeps files byte-compatible with
 * TF.js ('hardSigmoid' is written 'hard_sigmoid', 'fanAvg' is written 'fan_avg').
 */
import type { JsonObject, JsonValue } from './types.js';

/** Deeper nesting than this is not a model file; the limit keeps the recursive walks off the stack limit. */
export const MAX_JSON_DEPTH = 256;

/**
 * TF.js's `toSnakeCase`: 'batchInputShape' → 'batch_input_shape', 'VarianceScaling' → 'variance_scaling'.
 * @example toSnakeCase('kernelInitializer') // 'kernel_initializer'
 */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake.startsWith('_') ? `private${snake}` : snake;
}

/**
 * TF.js's `toCamelCase`: 'batch_input_shape' → 'batchInputShape'; names without '_' are unchanged.
 * @example toCamelCase('use_bias') // 'useBias'
 */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

function tooDeep(path: string): Error {
  return new Error(`${path}: nesting deeper than ${MAX_JSON_DEPTH} levels`);
}

/**
 * A camelCase config (Axon's `getConfig()`) as Keras JSON: snake_case keys and string values, `name` and
 * `className` values kept. `undefined` becomes null, as in TF.js.
 * @example tsToPythonic({ className: 'Dense', config: { useBias: true } }) // { class_name: 'Dense', config: { use_bias: true } }
 */
export function tsToPythonic(value: unknown, key = '', depth = 0): JsonValue {
  if (depth > MAX_JSON_DEPTH) throw tooDeep('config');
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toSnakeCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => tsToPythonic(item, key, depth + 1));
  if (typeof value !== 'object') {
    throw new Error(`config '${key}': ${typeof value} values cannot be saved as JSON`);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const pyKey = toSnakeCase(k);
    out[pyKey] =
      (k === 'name' || k === 'className') && typeof v === 'string' ? v : tsToPythonic(v, k, depth + 1);
  }
  return out;
}

/**
 * Keras JSON as a camelCase config (what the layer constructors take): camelCase keys and string values,
 * `name` values kept. `where` names the place in error messages. Throws on a `__proto__` key, which could
 * otherwise reach an object's prototype.
 * @example pythonicToTs({ class_name: 'L1L2', config: { l2: 0.01 } }, 'layer 0') // { className: 'L1L2', config: { l2: 0.01 } }
 */
export function pythonicToTs(value: unknown, where: string, depth = 0): JsonValue {
  if (depth > MAX_JSON_DEPTH) throw tooDeep(where);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toCamelCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, i) => pythonicToTs(item, `${where}[${i}]`, depth + 1));
  if (typeof value !== 'object') throw new Error(`${where}: expected JSON data, got a ${typeof value}`);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') throw new Error(`${where}: the key '__proto__' is not allowed`);
    out[toCamelCase(k)] =
      k === 'name' && typeof v === 'string' ? v : pythonicToTs(v, `${where}.${k}`, depth + 1);
  }
  return out;
}
