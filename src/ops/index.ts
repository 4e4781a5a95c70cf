export * from './activations.js';
export * from './crossentropy.js';
export * from './elementwise.js';
export type { TensorLike } from './engine.js';
export * from './matmul.js';
export * from './reduce.js';
export * from './shape.js';
