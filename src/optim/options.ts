/**
 * Option parsing shared by the optimizers and the learning-rate schedules: TF.js camelCase keys, Keras
 * snake_case / all-lowercase keys (`learning_rate`, `beta_1`, `clipnorm`), and clear errors for unknown
 * keys and out-of-range values.
 */

import { normalizeIdentifier } from '../nn/identifiers.js';

/** Options after normalisation: canonical camelCase key → the value the caller gave. */
export type RawOptions = Map<string, unknown>;

/**
 * Maps the caller's option keys onto `valid` (canonical camelCase names). `aliases` maps other accepted
 * names (e.g. TF.js's `decay` for RMSprop's `rho`) to canonical ones. Unknown keys throw, listing the
 * valid ones, because a misspelt option silently ignored trains a different model than the one asked for.
 */
export function readOptions(
  where: string,
  options: object | undefined | null,
  valid: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): RawOptions {
  const out: RawOptions = new Map();
  if (options === undefined || options === null) return out;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${where}: options must be an object, got ${describe(options)}`);
  }
  const byFolded = new Map<string, string>();
  for (const name of valid) byFolded.set(normalizeIdentifier(name), name);
  for (const [alias, name] of Object.entries(aliases)) byFolded.set(normalizeIdentifier(alias), name);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const name = byFolded.get(normalizeIdentifier(key));
    if (name === undefined) {
      throw new Error(`${where}: unknown option '${key}'. Valid options: ${valid.join(', ')}`);
    }
    if (out.has(name))
      throw new Error(`${where}: option '${name}' is given twice (as '${key}' and another spelling)`);
    out.set(name, value);
  }
  return out;
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  return Array.isArray(value) ? 'an array' : `an object`;
}

/** A numeric range check with the words used in the error message. */
export interface NumberRule {
  readonly test: (x: number) => boolean;
  readonly expected: string;
}

export const nonNegative: NumberRule = { test: (x) => x >= 0, expected: 'a finite number ≥ 0' };
export const positive: NumberRule = { test: (x) => x > 0, expected: 'a finite number > 0' };
export const unitClosed: NumberRule = { test: (x) => x >= 0 && x <= 1, expected: 'a number in [0, 1]' };
/** β-like decay rates: 1 would freeze the average (and divide by 1 − β^t = 0 in Adam). */
export const unitHalfOpen: NumberRule = { test: (x) => x >= 0 && x < 1, expected: 'a number in [0, 1)' };

/** Throws unless `value` is a finite number satisfying `rule`. */
export function checkNumber(where: string, key: string, value: unknown, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !rule.test(value)) {
    throw new Error(`${where}: ${key} must be ${rule.expected}, got ${describe(value)}`);
  }
  return value;
}

/** The number under `key`, or `fallback` when absent. */
export function numberOption(
  where: string,
  options: RawOptions,
  key: string,
  fallback: number,
  rule: NumberRule,
): number {
  return options.has(key) ? checkNumber(where, key, options.get(key), rule) : fallback;
}

/** The number under `key`, or null when absent (or given as null). */
export function optionalNumber(
  where: string,
  options: RawOptions,
  key: string,
  rule: NumberRule,
): number | null {
  const value = options.get(key);
  return value === undefined || value === null ? null : checkNumber(where, key, value, rule);
}

/** The boolean under `key`, or `fallback` when absent. */
export function booleanOption(where: string, options: RawOptions, key: string, fallback: boolean): boolean {
  if (!options.has(key)) return fallback;
  const value = options.get(key);
  if (typeof value !== 'boolean')
    throw new Error(`${where}: ${key} must be true or false, got ${describe(value)}`);
  return value;
}

/** The number under `key`; throws when absent. */
export function requiredNumber(where: string, options: RawOptions, key: string, rule: NumberRule): number {
  if (!options.has(key)) throw new Error(`${where}: ${key} is required (${rule.expected})`);
  return checkNumber(where, key, options.get(key), rule);
}
