/**
 * zod schemas of the TF.js Layers format (model.json and in-memory artifacts), and the one-line error
 * that names the file, the field and what was expected. Layer options are checked afterwards by the layer
 * constructors themselves; these schemas fix the structure every later step relies on.
 */
import { type ZodError, type ZodType, z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown(), { error: 'expected a JSON object' });

/** One weight of the manifest. */
export const weightSpecSchema = z.object({
  name: z.string({ error: 'expected the weight name (a string)' }).min(1, 'expected a non-empty weight name'),
  shape: z.array(z.int().nonnegative(), { error: 'expected the shape as an array of sizes' }),
  dtype: z.enum(['float32', 'int32', 'bool', 'complex64', 'string'], {
    error: "expected a dtype ('float32')",
  }),
  group: z.string().optional(),
  quantization: z.unknown().optional(),
});

/** model.json's `weightsManifest`: groups of weights and the files holding their bytes. */
export const weightsManifestSchema = z.array(
  z.object({
    paths: z.array(z.string().min(1, 'expected a non-empty file path'), {
      error: 'expected the list of weight files (paths)',
    }),
    weights: z.array(weightSpecSchema, { error: 'expected the list of weights' }),
  }),
  { error: 'expected an array of { paths, weights } groups' },
);

/** A Keras `{ class_name, config }` object. */
export const serializedSchema = z.object({
  class_name: z.string({ error: 'expected the class name (a string)' }).min(1),
  config: jsonObject.optional(),
});

/** The Sequential topology (older Keras files have the bare list of layers as `config`: wrap it first). */
export const sequentialTopologySchema = z.object({
  class_name: z.string({ error: "expected the model class name ('Sequential')" }),
  config: z.object(
    {
      name: z.string().optional(),
      layers: z.array(serializedSchema, {
        error: 'expected the list of layers [{ class_name, config }, ...]',
      }),
    },
    { error: 'expected { name, layers: [{ class_name, config }, ...] }' },
  ),
  keras_version: z.string().optional(),
  backend: z.string().optional(),
});

const lossSchema = z.union([z.string(), serializedSchema], {
  error: "expected a loss name ('categorical_crossentropy') or { class_name, config }",
});

/** `trainingConfig`: one loss (single-output models), metric names, the optimizer. */
export const trainingConfigSchema = z.object({
  loss: z.union(
    [lossSchema, z.array(lossSchema).length(1, 'expected one loss (Sequential models have one output)')],
    {
      error: "expected a loss name ('categorical_crossentropy') or { class_name, config }",
    },
  ),
  // A list of names; TF.js writes {} for none, and Keras a { output name: [names] } map.
  metrics: z
    .union([z.array(z.string()), z.record(z.string(), z.array(z.string()))], {
      error: 'expected a list of metric names (or { output: [names] })',
    })
    .nullable()
    .optional(),
  optimizer_config: serializedSchema,
  weighted_metrics: z.null({ error: 'weighted metrics are not supported' }).optional(),
  loss_weights: z.null({ error: 'loss weights are not supported' }).optional(),
  sample_weight_mode: z.null({ error: 'sample_weight_mode is not supported' }).optional(),
});

const formatSchema = z
  .literal('layers-model', {
    error:
      "expected format 'layers-model' (Axon reads TF.js Layers models; a 'graph-model' cannot be loaded)",
  })
  .optional();

/** model.json as written by TF.js/Keras/Axon. */
export const modelJsonSchema = z.object({
  modelTopology: jsonObject,
  format: formatSchema,
  generatedBy: z.string().nullable().optional(),
  convertedBy: z.string().nullable().optional(),
  weightsManifest: weightsManifestSchema,
  trainingConfig: trainingConfigSchema.nullable().optional(),
  userDefinedMetadata: jsonObject.nullable().optional(),
});

const buffer = z.instanceof(ArrayBuffer, { error: 'expected an ArrayBuffer' });

/** In-memory artifacts (TF.js `ModelArtifacts`). */
export const artifactsSchema = z.object({
  modelTopology: jsonObject,
  format: formatSchema,
  generatedBy: z.string().nullable().optional(),
  convertedBy: z.string().nullable().optional(),
  weightSpecs: z.array(weightSpecSchema).nullable().optional(),
  weightData: z
    .union([buffer, z.array(buffer)], { error: 'expected an ArrayBuffer or an array of ArrayBuffers' })
    .nullable()
    .optional(),
  trainingConfig: trainingConfigSchema.nullable().optional(),
  userDefinedMetadata: jsonObject.nullable().optional(),
});

/** `a.b[2].c` */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** The value at `path` inside `root`, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * One line for a zod failure of `value`: the first problem with its path (after `prefix`), and how many
 * more there are.
 * @example formatSchemaError('model.json', result.error, json) // "model.json: 'weightsManifest' is missing (...)"
 */
export function formatSchemaError(
  source: string,
  error: ZodError,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): string {
  const issue = error.issues[0];
  const path = formatPath([...prefix, ...issue.path]);
  const where = path === '' ? 'the file' : `'${path}'`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  if (issue.path.length > 0 && valueAt(value, issue.path) === undefined) {
    const expected = issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '');
    return `${source}: ${where} is missing (${expected})${more}`;
  }
  return `${source}: ${where} is invalid: ${issue.message}${more}`;
}

/**
 * `value` checked against `schema`, or an Error naming `source`, the field and what was expected.
 * @example parseWith(modelJsonSchema, json, '/models/iris/model.json')
 */
export function parseWith<T>(
  schema: ZodType<T>,
  value: unknown,
  source: string,
  prefix: readonly PropertyKey[] = [],
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(formatSchemaError(source, result.error, value, prefix));
  return result.data;
}
