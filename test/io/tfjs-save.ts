/** TF.js's side of the interop tests: a model's artifacts as TF.js saves them, optimizer included. */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/** The artifacts `model.save` hands to an IOHandler, with `includeOptimizer: true`. */
export async function tfArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  assert.ok(saved !== null);
  return saved;
}
