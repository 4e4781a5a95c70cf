/** The weightless layers: Activation, Dropout and Flatten (TF.js/Keras semantics). */
import { mul } from '../../ops/elementwise.js';
import { reshape } from '../../ops/shape.js';
import { allocData } from '../../tensor/precision.js';
import { getRandom, Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { type Activation, getActivation } from '../activations.js';
import { type CallArgs, formatBatchShape, Layer, type LayerArgs, type Shape } from './layer.js';
import type { ConfigValue } from './serialize.js';

/** Options of `layers.activation`. */
export interface ActivationArgs extends LayerArgs {
  /** Name ('relu', 'softmax', ...) or Activation. */
  activation: string | Activation;
}

/**
 * Applies an activation function on its own: `dense({units: 3})` then `activation({activation: 'relu'})`
 * equals `dense({units: 3, activation: 'relu'})`.
 * @example ax.layers.activation({ activation: 'softmax' })
 */
export class ActivationLayer extends Layer {
  readonly activation: Activation;

  constructor(args: ActivationArgs) {
    if (typeof args !== 'object' || args === null || args.activation === undefined) {
      throw new Error("layers.activation: expected { activation: 'relu' } (or another activation name)");
    }
    super('Activation', args);
    this.activation = getActivation(args.activation);
  }

  call(x: Tensor, _args: CallArgs): Tensor {
    return this.activation.apply(x);
  }

  override getConfig(): { [key: string]: ConfigValue } {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}

/** Options of `layers.dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of inputs dropped in training, in [0, 1). */
  rate: number;
  /** Shape of the keep/drop mask (null: the input's size); a 1 shares one draw along that axis. */
  noiseShape?: readonly (number | null)[];
  /** Private seed; without it the mask comes from the global generator (ax.setSeed). */
  seed?: number;
}

/**
 * Inverted dropout: in training each input is zeroed with probability `rate` and the survivors are scaled
 * by 1/(1 − rate), so the expected activation is unchanged and inference (no dropout) needs no rescaling.
 * @example ax.layers.dropout({ rate: 0.2 })
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
  private readonly random: Random | null;

  constructor(args: DropoutArgs) {
    if (typeof args !== 'object' || args === null) {
      throw new Error('layers.dropout: expected an options object such as { rate: 0.5 }');
    }
    super('Dropout', args);
    const rate = args.rate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new Error(`layers.dropout: 'rate' must be a number in [0, 1), got ${String(rate)}`);
    }
    this.rate = rate;
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : null;
    this.seed = args.seed ?? null;
    this.random = args.seed === undefined ? null : new Random(args.seed);
  }

  call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    const maskShape = this.maskShape(x.shape);
    let size = 1;
    for (const d of maskShape) size *= d;
    const mask = allocData(size);
    const rng = this.random ?? getRandom();
    const keep = 1 / (1 - this.rate);
    // Keep when u ≥ rate, as TF.js's floor(u + keepProb).
    for (let i = 0; i < size; i++) mask[i] = rng.uniform() >= this.rate ? keep : 0;
    return mul(x, new Tensor(mask, maskShape));
  }

  private maskShape(shape: readonly number[]): number[] {
    const noise = this.noiseShape;
    if (noise === null) return [...shape];
    if (noise.length !== shape.length) {
      throw new Error(
        `layer '${this.name}' (Dropout): noiseShape ${formatBatchShape(noise)} must have the input's rank (input shape [${shape.join(',')}])`,
      );
    }
    return noise.map((d, i) => {
      if (d === null) return shape[i];
      if (d !== 1 && d !== shape[i]) {
        throw new Error(
          `layer '${this.name}' (Dropout): noiseShape ${formatBatchShape(noise)} does not broadcast to the input shape [${shape.join(',')}] (axis ${i})`,
        );
      }
      return d;
    });
  }

  override getConfig(): { [key: string]: ConfigValue } {
    return {
      ...super.getConfig(),
      rate: this.rate,
      noiseShape: this.noiseShape === null ? null : [...this.noiseShape],
      seed: this.seed,
    };
  }
}

/**
 * Flattens each sample to one axis: [batch, 28, 28] → [batch, 784].
 * @example ax.layers.flatten({ inputShape: [28, 28] })
 */
export class Flatten extends Layer {
  constructor(args: LayerArgs = {}) {
    super('Flatten', args);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    let n = 1;
    for (let i = 1; i < inputShape.length; i++) {
      const d = inputShape[i];
      if (d === null) {
        throw new Error(
          `layer '${this.name}' (Flatten) needs every non-batch dimension known, got input shape ${formatBatchShape(inputShape)}`,
        );
      }
      n *= d;
    }
    return [inputShape[0], n];
  }

  call(x: Tensor, _args: CallArgs): Tensor {
    let n = 1;
    for (let i = 1; i < x.rank; i++) n *= x.shape[i];
    return reshape(x, [x.shape[0], n]);
  }
}
