export * from './activations.js';
export * from './crossentropy.js';
// Listed one by one: elementwise.ts also holds the internal kernel runners (unaryOp, binaryForward).
export {
  abs,
  add,
  broadcastTo,
  clipByValue,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  log1p,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  sign,
  sqrt,
  square,
  sub,
  where,
} from './elementwise.js';
export type { TensorLike } from './engine.js';
export * from './matmul.js';
export * from './reduce.js';
export * from './shape.js';
