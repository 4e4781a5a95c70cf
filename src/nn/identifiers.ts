/**
 * String identifiers shared by activations, initializers, regularizers, losses and metrics.
 * TF.js spells names in camelCase ('glorotUniform'), Keras in snake_case ('glorot_uniform'); users also
 * write 'MSE' or 'leaky-relu'. All of them fold to one key: lower case with '_', '-' and spaces removed,
 * so a table keyed by the canonical camelCase names answers every spelling.
 */

/**
 * Folds an identifier to its lookup key: lower case, without '_', '-' or spaces.
 * @example normalizeIdentifier('glorot_uniform') === normalizeIdentifier('glorotUniform') // both 'glorotuniform'
 */
export function normalizeIdentifier(id: string): string {
  return id.replace(/[_\-\s]/g, '').toLowerCase();
}

/**
 * The canonical key of `table` that `id` names, in any spelling, or through `aliases`
 * (alias → canonical key; aliases are normalized too). Throws `unknown <kind> '<id>' (valid: ...)`
 * listing the canonical names when nothing matches.
 * @example
 * canonicalIdentifier('loss', 'MSE', { meanSquaredError: 1 }, { mse: 'meanSquaredError' }) // 'meanSquaredError'
 */
export function canonicalIdentifier<T>(
  kind: string,
  id: string,
  table: Readonly<Record<string, T>>,
  aliases: Readonly<Record<string, string>> = {},
): string {
  if (typeof id !== 'string') {
    throw new Error(`${kind}: expected a name (string), got ${typeof id}`);
  }
  const key = normalizeIdentifier(id);
  for (const name of Object.keys(table)) {
    if (normalizeIdentifier(name) === key) return name;
  }
  for (const [alias, target] of Object.entries(aliases)) {
    if (normalizeIdentifier(alias) === key && Object.hasOwn(table, target)) return target;
  }
  const valid = [...Object.keys(table), ...Object.keys(aliases)].join(', ');
  throw new Error(`unknown ${kind} '${id}' (valid: ${valid})`);
}

/**
 * Looks `id` up in `table` in any spelling (camelCase, snake_case, any case) or through `aliases`;
 * throws `unknown <kind> '<id>' (valid: ...)` when it names nothing.
 * @example
 * resolveIdentifier('activation', 'leaky_relu', { relu: 1, leakyRelu: 2 }) // 2
 * resolveIdentifier('activation', 'foo', { relu: 1 }) // throws "unknown activation 'foo' (valid: relu)"
 */
export function resolveIdentifier<T>(
  kind: string,
  id: string,
  table: Readonly<Record<string, T>>,
  aliases: Readonly<Record<string, string>> = {},
): T {
  return table[canonicalIdentifier(kind, id, table, aliases)];
}
