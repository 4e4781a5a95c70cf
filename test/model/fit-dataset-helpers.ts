/** Data and a model shared by the fitDataset tests. */
import * as ax from '../../src/node.js';

/** 50 rows of 4 features, 3 classes; batches of 8 leave a last batch of 2. */
export function data(seed = 3): { x: ax.Tensor; y: ax.Tensor } {
  const rng = new ax.Random(seed);
  const xv = Array.from({ length: 50 }, () => Array.from({ length: 4 }, () => rng.normal()));
  const yv = xv.map((r) => (r[0] + r[1] > 0.5 ? 2 : r[2] > 0 ? 1 : 0));
  return { x: ax.tensor(xv), y: ax.tensor(yv) };
}

/** A 4-6-3 classifier with seeded weights and Adam. */
export function classifier(seed = 7, inputShape: number[] | null = [4]): ax.Sequential {
  ax.setSeed(seed);
  const first = inputShape
    ? ax.layers.dense({ units: 6, inputShape, activation: 'tanh' })
    : ax.layers.dense({ units: 6, activation: 'tanh' });
  const model = ax.sequential({ layers: [first, ax.layers.dense({ units: 3, activation: 'softmax' })] });
  model.compile({
    optimizer: ax.optimizers.adam({ learningRate: 0.05 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export function weightsOf(model: ax.Sequential): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

/** The rows [start, end) of t. */
export function rows(t: ax.Tensor, start: number, end: number): ax.Tensor {
  return ax.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [end - start, ...t.shape.slice(1)]);
}
