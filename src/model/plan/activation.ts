/**
 * Which kernel computes a layer's activation. The plan runs an activation on the fused kernels only
 * when it is provably the built-in function: the registry's own object, or one that gives the kernel's
 * very bits on a probe (e.g. `ax.activations.softmax()`, a fresh object of the same function). Anything
 * else — a custom Activation, leakyRelu with another α — keeps the model on the autodiff graph.
 */
import { noGrad } from '../../autograd/backprop.js';
import type { DenseActivation } from '../../backend/backend.js';
import { logSoftmax, softmax } from '../../backend/js/reduce.js';
import { unary } from '../../backend/js/unary.js';
import { type Activation, getActivation } from '../../nn/activations.js';
import { Tensor } from '../../tensor/tensor.js';

/** An activation as the fused kernels take it. */
export interface KernelActivation {
  activation: DenseActivation;
  /** leakyRelu's slope or elu's α (the built-in defaults); 0 for the others. */
  alpha: number;
}

/** Built-in activations the kernels implement, with the parameter their registry object uses. */
const KERNEL_ACTIVATIONS: Readonly<Record<string, KernelActivation>> = {
  linear: { activation: 'linear', alpha: 0 },
  sigmoid: { activation: 'sigmoid', alpha: 0 },
  tanh: { activation: 'tanh', alpha: 0 },
  relu: { activation: 'relu', alpha: 0 },
  leakyRelu: { activation: 'leakyRelu', alpha: 0.2 },
  elu: { activation: 'elu', alpha: 1 },
  selu: { activation: 'selu', alpha: 0 },
  softplus: { activation: 'softplus', alpha: 0 },
  softsign: { activation: 'softsign', alpha: 0 },
  gelu: { activation: 'gelu', alpha: 0 },
  swish: { activation: 'swish', alpha: 0 },
  hardSigmoid: { activation: 'hardSigmoid', alpha: 0 },
  softmax: { activation: 'softmax', alpha: 0 },
  logSoftmax: { activation: 'logSoftmax', alpha: 0 },
};

/** Two rows spanning the regions where the built-ins differ (negative, around 0, saturation). */
const PROBE = [-7, -2.5, -1, -0.3, 0, 0.2, 0.7, 1.3, 2.5, 3, 6.5, -0.05];
const PROBE_ROWS = 2;

const verdicts = new WeakMap<Activation, KernelActivation | null>();

/** The kernel's output on the probe. */
function kernelOnProbe(k: KernelActivation): Float32Array {
  const x = Float32Array.from(PROBE);
  const out = new Float32Array(x.length);
  const cols = x.length / PROBE_ROWS;
  if (k.activation === 'linear') out.set(x);
  else if (k.activation === 'softmax') softmax(x, PROBE_ROWS, cols, out);
  else if (k.activation === 'logSoftmax') logSoftmax(x, PROBE_ROWS, cols, out);
  else unary(k.activation, x, out, k.alpha);
  return out;
}

/** Whether `activation` gives exactly the kernel's values on the probe. */
function matchesProbe(activation: Activation, k: KernelActivation): boolean {
  try {
    const x = new Tensor(Float32Array.from(PROBE), [PROBE_ROWS, PROBE.length / PROBE_ROWS]);
    const got = noGrad(() => activation.apply(x));
    const want = kernelOnProbe(k);
    if (got.size !== want.length) return false;
    for (let i = 0; i < want.length; i++) if (!Object.is(got.values[i], want[i])) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * The kernel activation equal to `activation`, or null when the plan cannot prove it is a built-in.
 * @example
 * kernelActivation(getActivation('relu')); // { activation: 'relu', alpha: 0 }
 */
export function kernelActivation(activation: Activation): KernelActivation | null {
  const known = verdicts.get(activation);
  if (known !== undefined) return known;
  let verdict: KernelActivation | null = null;
  const k = Object.hasOwn(KERNEL_ACTIVATIONS, activation.name) ? KERNEL_ACTIVATIONS[activation.name] : null;
  if (k !== null && activation.differentiable) {
    let builtIn: Activation | null = null;
    try {
      builtIn = getActivation(activation.name);
    } catch {
      builtIn = null;
    }
    if (builtIn === activation || matchesProbe(activation, k)) verdict = k;
  }
  verdicts.set(activation, verdict);
  return verdict;
}
