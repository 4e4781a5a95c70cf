/**
 * JSON in and out for model files: parsing with the position of a syntax error (line and column, which
 * `JSON.parse` does not always give), and a check that data saved as JSON comes back unchanged (no NaN,
 * functions, BigInt or cycles, which JSON.stringify would drop, alter or choke on).
 */
import { MAX_JSON_DEPTH } from './keras-case.js';
import type { JsonValue } from './types.js';

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function show(ch: string | undefined): string {
  return ch === undefined ? 'end of input' : `'${ch}'`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** Walks `text` by the JSON grammar and throws a JsonSyntaxError at the first error. */
function scan(text: string): void {
  let i = 0;
  const n = text.length;
  const fail = (problem: string): never => {
    throw new JsonSyntaxError(i, problem);
  };
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character inside a string (escape it)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) fail('invalid \\u escape (expected 4 hex digits)');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape '\\${e ?? ''}'`);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, got ${show(text[i])}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after a property name, got ${show(text[i])}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, got ${show(text[i])}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array element, got ${show(text[i])}`);
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        if (!text.startsWith(word, i)) fail(`invalid literal (expected '${word}')`);
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail(`unexpected ${show(c)}, expected a value`);
  };
  value(0);
  ws();
  if (i < n) fail(`unexpected ${show(text[i])} after the end of the JSON value`);
}

/**
 * JSON.parse with an error that names `source` and the line and column of the first syntax error.
 * @example parseJson('{"a": }', 'model.json') // throws "model.json is not valid JSON: unexpected '}', expected a value at line 1, column 7"
 */
export function parseJson(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    try {
      scan(body);
    } catch (syntax) {
      if (syntax instanceof JsonSyntaxError) {
        const before = body.slice(0, syntax.offset);
        const line = before.split('\n').length;
        const column = syntax.offset - before.lastIndexOf('\n');
        throw new Error(
          `${source} is not valid JSON: ${syntax.problem} at line ${line}, column ${column} (character ${syntax.offset + 1})`,
        );
      }
    }
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * A deep copy of `value` as plain JSON data, or an error naming the first value JSON cannot carry
 * unchanged (NaN/Infinity, undefined in an array, a function, a BigInt, a symbol, a cycle). Objects with a
 * `toJSON` method (scalers, dates) are replaced by its result, as JSON.stringify does.
 * @example toJsonData({ classes: ['cat', 'dog'] }, 'metadata') // { classes: ['cat', 'dog'] }
 */
export function toJsonData(value: unknown, path: string): JsonValue {
  const stack = new Set<object>();
  const copy = (v: unknown, at: string, depth: number): JsonValue => {
    if (depth > MAX_JSON_DEPTH) throw new Error(`${at}: nesting deeper than ${MAX_JSON_DEPTH} levels`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`${at} is ${v}, which JSON cannot represent`);
      return v;
    }
    if (typeof v !== 'object') throw new Error(`${at} is a ${typeof v}, which JSON cannot represent`);
    if (stack.has(v)) throw new Error(`${at} refers back to one of its parents (a cycle)`);
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(v), at, depth + 1);
    stack.add(v);
    let out: JsonValue;
    if (Array.isArray(v)) {
      out = v.map((item, i) => {
        if (item === undefined) throw new Error(`${at}[${i}] is undefined, which JSON cannot represent`);
        return copy(item, `${at}[${i}]`, depth + 1);
      });
    } else {
      const obj: { [key: string]: JsonValue } = {};
      for (const [k, item] of Object.entries(v)) {
        if (k === '__proto__') throw new Error(`${at}: the key '__proto__' is not allowed`);
        // JSON.stringify drops undefined properties; so does the copy.
        if (item !== undefined) obj[k] = copy(item, `${at}.${k}`, depth + 1);
      }
      out = obj;
    }
    stack.delete(v);
    return out;
  };
  return copy(value, path, 0);
}
