/**
 * `ax.datasets`: one namespace per family of data sets. `synthetic` is here; loaders of files (MNIST,
 * ...) join as further fields of this object, so `ax.datasets.mnist.load(...)` sits beside it.
 */
import { synthetic } from './synthetic.js';

/**
 * Built-in data sets.
 * @example
 * const { x, y } = ax.datasets.synthetic.spiral({ n: 400, noise: 0.1, seed: 1 });
 * ax.datasets.synthetic.list(); // names and one-line descriptions
 */
export const datasets = {
  synthetic,
};
