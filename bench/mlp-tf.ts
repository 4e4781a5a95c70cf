/**
 * The benchmark network of mlp.ts, 784-256-128-10 (ReLU, ReLU, softmax), in TF.js.
 */
import { MLP_UNITS } from './mlp.js';
import { quietly, tf } from './tfjs.js';

/** The same network in TF.js, on whichever TF.js backend is active when it is built. */
export function tfMlp(): tf.Sequential {
  const [inputs, h1, h2, outputs] = MLP_UNITS;
  return quietly(() =>
    tf.sequential({
      layers: [
        tf.layers.dense({ units: h1, inputShape: [inputs], activation: 'relu' }),
        tf.layers.dense({ units: h2, activation: 'relu' }),
        tf.layers.dense({ units: outputs, activation: 'softmax' }),
      ],
    }),
  );
}
