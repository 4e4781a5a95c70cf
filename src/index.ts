/**
 * Axon — feed-forward neural networks in TypeScript. This module is the public face:
 * `import * as ax from 'axon-nn'`.
 */
export { backpropagate, isRecording, noGrad, topologicalOrder } from './autograd/backprop.js';
export { grad, grads, valueAndGrad, valueAndGrads, variable, variableGrads } from './autograd/grad.js';
export type { Backend, BinaryOp, MatMulDims, ReduceDims, UnaryOp } from './backend/backend.js';
export { getBackend, registerBackend, setBackend } from './backend/registry.js';
export * from './ops/index.js';
export {
  eye,
  fill,
  linspace,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  range,
  scalar,
  type TensorInput,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
} from './tensor/create.js';
export { Random, setSeed } from './tensor/random.js';
export { type GradNode, type NestedArray, Tensor, Variable } from './tensor/tensor.js';
