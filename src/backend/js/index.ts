import type { Backend } from '../backend.js';
import { binary, broadcastTo, clip, where } from './elementwise.js';
import {
  adamUpdate,
  denseBackward,
  denseForward,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
} from './fused.js';
import { concat, gather, scatterAdd, sliceCopy, transpose } from './layout.js';
import { matMul } from './matmul.js';
import { argReduce, logSoftmax, logSoftmaxGrad, reduce, softmax, softmaxGrad } from './reduce.js';
import { unary, unaryGrad } from './unary.js';

/** The reference backend: plain TypeScript loops over typed arrays. Every other backend must match it. */
export const jsBackend: Backend = {
  name: 'js',
  unary,
  unaryGrad,
  binary,
  where,
  clip,
  broadcastTo,
  reduce,
  argReduce,
  matMul,
  transpose,
  sliceCopy,
  gather,
  scatterAdd,
  concat,
  softmax,
  logSoftmax,
  softmaxGrad,
  logSoftmaxGrad,
  denseForward,
  denseBackward,
  softmaxCrossEntropy,
  sigmoidCrossEntropy,
  adamUpdate,
};
