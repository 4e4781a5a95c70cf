/**
 * What the plan can run: a Sequential model read as a chain of stages over [rows, width] buffers.
 * Supported: Dense (any built-in activation, with or without bias, trainable or frozen) on rank-2
 * inputs, Activation, Dropout (without noiseShape) and Flatten — with no weight or activity
 * regularizer. Anything else is reported with the reason, and the model trains on the graph.
 */
import type { DenseActivation } from '../../backend/backend.js';
import { ActivationLayer, Dropout, Flatten } from '../../nn/layers/core.js';
import { Dense } from '../../nn/layers/dense.js';
import type { Layer, Shape } from '../../nn/layers/layer.js';
import type { Random } from '../../tensor/random.js';
import type { Variable } from '../../tensor/tensor.js';
import type { Sequential } from '../sequential.js';
import { kernelActivation } from './activation.js';

/** x·W + b then the activation, W of shape [inWidth, outWidth]. */
export interface DenseStage {
  kind: 'dense';
  layer: Dense;
  kernel: Variable;
  bias: Variable | null;
  activation: DenseActivation;
  alpha: number;
  inWidth: number;
  outWidth: number;
  /** Whether training updates W and b (the layer is trainable). */
  trainable: boolean;
}

/** An activation on its own (never 'linear': that is an identity stage). */
export interface ActivationStage {
  kind: 'activation';
  activation: DenseActivation;
  alpha: number;
  width: number;
}

/** Inverted dropout in training; the identity in inference. */
export interface DropoutStage {
  kind: 'dropout';
  rate: number;
  /** The layer's private generator (seeded layer), or null for the global one. */
  random: Random | null;
  width: number;
}

/** A stage that changes no value: Flatten, Dropout(0), a linear Activation. */
export interface IdentityStage {
  kind: 'identity';
  width: number;
}

export type Stage = DenseStage | ActivationStage | DropoutStage | IdentityStage;

/** The model as stages, or why it cannot be planned. */
export type StagesOrReason = { stages: Stage[]; inputWidth: number } | { reason: string };

function isExactly(layer: Layer, cls: abstract new (...args: never[]) => Layer): boolean {
  // Subclasses may override call(): only the classes themselves have the semantics the plan runs.
  return Object.getPrototypeOf(layer) === cls.prototype;
}

function widthOf(shape: Shape): number | null {
  const w = shape[shape.length - 1];
  return shape.length === 2 && typeof w === 'number' ? w : null;
}

function denseStage(layer: Dense, shape: Shape): Stage | string {
  const inWidth = widthOf(shape);
  if (inWidth === null) return `layer '${layer.name}' (Dense) gets inputs of rank ${shape.length}, not 2`;
  if (layer.kernelRegularizer !== null || layer.biasRegularizer !== null) {
    return `layer '${layer.name}' has a weight regularizer`;
  }
  const k = kernelActivation(layer.activation);
  if (k === null)
    return `layer '${layer.name}' uses the activation '${layer.activation.name}', not a built-in`;
  if (layer.kernel === null) return `layer '${layer.name}' is not built`;
  return {
    kind: 'dense',
    layer,
    kernel: layer.kernel,
    bias: layer.bias,
    activation: k.activation,
    alpha: k.alpha,
    inWidth,
    outWidth: layer.units,
    trainable: layer.trainable,
  };
}

function stageOf(layer: Layer, shape: Shape): Stage | string {
  if (layer.activityRegularizer !== null) return `layer '${layer.name}' has an activity regularizer`;
  if (isExactly(layer, Dense)) return denseStage(layer as Dense, shape);
  if (isExactly(layer, Flatten)) {
    const out = layer.computeOutputShape(shape);
    return { kind: 'identity', width: out[1] as number };
  }
  const width = widthOf(shape);
  if (width === null)
    return `layer '${layer.name}' (${layer.className}) gets inputs of rank ${shape.length}, not 2`;
  if (isExactly(layer, ActivationLayer)) {
    const k = kernelActivation((layer as ActivationLayer).activation);
    if (k === null) return `layer '${layer.name}' uses an activation that is not a built-in`;
    if (k.activation === 'linear') return { kind: 'identity', width };
    return { kind: 'activation', activation: k.activation, alpha: k.alpha, width };
  }
  if (isExactly(layer, Dropout)) {
    const dropout = layer as Dropout;
    if (dropout.noiseShape !== null) return `layer '${layer.name}' (Dropout) has a noiseShape`;
    if (dropout.rate === 0) return { kind: 'identity', width };
    // The layer keeps its seeded generator private; the plan must draw from the very same one.
    const random = (dropout as unknown as { random: Random | null }).random;
    return { kind: 'dropout', rate: dropout.rate, random, width };
  }
  return `layer '${layer.name}' (${layer.className}) is not one the plan runs (Dense, Activation, Dropout, Flatten)`;
}

/**
 * The model's layers as stages, or the reason the plan cannot run them.
 * @example
 * const s = planStages(model); // { stages: [...], inputWidth: 784 }
 */
export function planStages(model: Sequential): StagesOrReason {
  if (!model.built) return { reason: 'the model is not built' };
  const input = model.inputShape;
  let shape: Shape = input;
  let inputWidth = 1;
  for (let i = 1; i < input.length; i++) {
    const d = input[i];
    if (d === null) return { reason: 'the input shape has an unknown dimension' };
    inputWidth *= d;
  }
  const stages: Stage[] = [];
  for (const layer of model.layers) {
    const stage = stageOf(layer, shape);
    if (typeof stage === 'string') return { reason: stage };
    stages.push(stage);
    shape = layer.computeOutputShape(shape);
  }
  if (!stages.some((s) => s.kind === 'dense')) return { reason: 'the model has no Dense layer' };
  return { stages, inputWidth };
}
