/**
 * `ax.datasets`: one namespace per family of data sets. `synthetic` is here; loaders of files (MNIST,
 * ...) join as further fields of this object, so `ax.datasets.mnist.load(...)` sits beside it.
 */
import { breastCancer, diabetes, digits, iris, wineQuality } from './datasets-real.js';
import { fashionMnist, mnist } from './mnist.js';
import { synthetic } from './synthetic.js';

/**
 * Built-in data sets.
 * @example
 * const { x, y } = ax.datasets.synthetic.spiral({ n: 400, noise: 0.1, seed: 1 });
 * ax.datasets.synthetic.list(); // names and one-line descriptions
 * const { xTrain, yTrain, xTest, yTest } = await ax.datasets.mnist.load({ dir: '../shared/data/mnist' }); // Node
 */
export const datasets = { synthetic, mnist, fashionMnist, iris, breastCancer, wineQuality, digits, diabetes };
