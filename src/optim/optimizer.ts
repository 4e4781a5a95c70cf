/**
 * The optimizer contract and the machinery every optimizer shares: option checks, the learning rate (a
 * constant or a schedule of the step), gradient validation and clipping, Keras's decoupled weight decay,
 * per-variable state buffers, and the iteration count. Subclasses only write their update rule, as a
 * plain loop over flat buffers, in place.
 */
import type { DataArray } from '../tensor/precision.js';
import { allocData, residentData } from '../tensor/precision.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { firstNonFinite, normClipFactor, scaleAndClip, sumOfSquares } from './clip.js';
import {
  BASE_OPTION_KEYS,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerStateEntry,
} from './contract.js';
import {
  checkNumber,
  describe,
  nonNegative,
  optionalNumber,
  positive,
  type RawOptions,
  readOptions,
} from './options.js';
import type { LearningRateSchedule } from './schedules.js';

export {
  BASE_OPTION_KEYS,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerStateEntry,
} from './contract.js';

/** Per-variable state: the optimizer's buffers (moments, accumulators) and a scratch copy for clipping. */
interface VariableState {
  readonly slots: DataArray[];
  scratch: DataArray | null;
}

/**
 * Base of the built-in optimizers. A subclass names its state buffers (`slotNames`) and implements
 * `update`, which must change `w` and the slots in place without allocating.
 * @example
 * // Sign descent: w ← w − lr·sign(g).
 * class SignSGD extends ax.BaseOptimizer {
 *   protected readonly slotNames = [];
 *   constructor(options: ax.OptimizerOptions = {}) { super('signSgd', options, 0.01, null); }
 *   protected update(w, g, _slots, lr) { for (let i = 0; i < w.length; i++) w[i] -= lr * Math.sign(g[i]); }
 *   protected ownConfig() { return {}; }
 * }
 */
export abstract class BaseOptimizer implements Optimizer {
  readonly name: string;
  /** The schedule the rate follows, or null for a constant rate. */
  readonly learningRateSchedule: LearningRateSchedule | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;
  readonly weightDecay: number | null;
  /** Names of the per-variable state buffers, in the order `update` receives them. */
  protected abstract readonly slotNames: readonly string[];
  private rate: number;
  private step = 0;
  // Keyed by the Variable object itself, so state is planned once per variable and dropped with it.
  private readonly states = new WeakMap<Variable, VariableState>();
  private squaredNorms = new Float64Array(0);

  /**
   * `options` is either already parsed (`readOptions`, by the built-in optimizers, which add their own
   * keys) or a plain `OptimizerOptions` object.
   */
  protected constructor(
    name: string,
    options: RawOptions | OptimizerOptions,
    defaultRate: number,
    defaultWeightDecay: number | null,
  ) {
    const where = `optimizers.${name}`;
    if (!(options instanceof Map)) options = readOptions(where, options, BASE_OPTION_KEYS);
    this.name = name;
    const lr = options.get('learningRate') ?? defaultRate;
    if (typeof lr === 'function') {
      this.learningRateSchedule = lr as LearningRateSchedule;
      this.rate = Number.NaN;
    } else if (typeof lr === 'number') {
      this.learningRateSchedule = null;
      this.rate = checkNumber(where, 'learningRate', lr, nonNegative);
    } else {
      throw new Error(
        `${where}: learningRate must be a number ≥ 0 or a schedule from ax.schedules, got ${describe(lr)}`,
      );
    }
    this.clipNorm = optionalNumber(where, options, 'clipNorm', positive);
    this.clipValue = optionalNumber(where, options, 'clipValue', positive);
    this.globalClipNorm = optionalNumber(where, options, 'globalClipNorm', positive);
    const clips = [this.clipNorm, this.clipValue, this.globalClipNorm].filter((c) => c !== null).length;
    if (clips > 1) {
      // Keras 3 refuses the combination too: it would apply only one of them.
      throw new Error(
        `${where}: only one of clipNorm, clipValue and globalClipNorm can be set; got clipNorm=${this.clipNorm}, ` +
          `clipValue=${this.clipValue}, globalClipNorm=${this.globalClipNorm}`,
      );
    }
    this.weightDecay = options.has('weightDecay')
      ? optionalNumber(where, options, 'weightDecay', nonNegative)
      : defaultWeightDecay;
  }

  /** The rate the next update uses: the schedule's value at `iterations`, or the constant rate. */
  get learningRate(): number {
    return this.learningRateSchedule === null ? this.rate : this.learningRateSchedule(this.step);
  }

  set learningRate(value: number) {
    if (this.learningRateSchedule !== null) {
      // As in Keras: silently dropping the schedule would change training behind the caller's back.
      throw new Error(
        `${this.name}: this optimizer was created with a learning-rate schedule, so its learning rate is not settable; ` +
          'create it with a number learningRate instead',
      );
    }
    this.rate = checkNumber(this.name, 'learningRate', value, nonNegative);
  }

  get iterations(): number {
    return this.step;
  }

  /**
   * Applies one update to each variable from its gradient (same order, same shapes), in place. All
   * gradients are checked first — shapes, and NaN/Infinity — so that a bad gradient leaves every
   * weight untouched. Gradients are never modified.
   * @example
   * const w = ax.variable(ax.tensor([0.5]), true, 'w');
   * const opt = ax.optimizers.adam({ learningRate: 0.01 });
   * opt.applyGradients([w], [ax.tensor([2])]);
   * opt.iterations; // 1
   */
  applyGradients(variables: readonly Variable[], grads: readonly Tensor[]): void {
    const n = variables.length;
    if (grads.length !== n) {
      throw new Error(
        `${this.name}.applyGradients: got ${n} variables but ${grads.length} gradients; pass one gradient per variable, in the same order`,
      );
    }
    if (this.squaredNorms.length < n) this.squaredNorms = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = variables[i];
      const g = grads[i];
      if (!(v instanceof Variable))
        throw new Error(`${this.name}.applyGradients: variables[${i}] is not a Variable (${describe(v)})`);
      if (!(g instanceof Tensor)) {
        throw new Error(
          `${this.name}.applyGradients: the gradient for variable ${label(v, i)} is not a Tensor (${describe(g)})`,
        );
      }
      if (!shapesEqual(g.shape, v.shape)) {
        throw new Error(
          `${this.name}.applyGradients: the gradient for variable ${label(v, i)} has shape ${formatShape(g.shape)} ` +
            `but the variable has shape ${formatShape(v.shape)}`,
        );
      }
      const ss = sumOfSquares(g.values);
      if (!Number.isFinite(ss)) {
        const k = firstNonFinite(g.values);
        throw new Error(
          `${this.name}.applyGradients: the gradient for variable ${label(v, i)} contains ${g.values[k]} (flat index ${k}); ` +
            'no weight was changed. The loss has probably diverged: lower the learning rate, or clip ' +
            'gradients (clipNorm / clipValue)',
        );
      }
      this.squaredNorms[i] = ss;
      total += ss;
    }
    const lr = this.learningRate;
    if (!Number.isFinite(lr) || lr < 0) {
      throw new Error(
        `${this.name}.applyGradients: the learning-rate schedule returned ${lr} at step ${this.step}; expected a finite number ≥ 0`,
      );
    }
    const t = this.step + 1;
    const globalScale =
      this.globalClipNorm === null ? 1 : normClipFactor(Math.sqrt(total), this.globalClipNorm);
    const limit = this.clipValue ?? Number.POSITIVE_INFINITY;
    const decay = this.weightDecay === null ? 0 : lr * this.weightDecay;
    for (let i = 0; i < n; i++) {
      const v = variables[i]!;
      const state = this.stateFor(v);
      let g = grads[i]!.values;
      const scale =
        this.clipNorm === null
          ? globalScale
          : normClipFactor(Math.sqrt(this.squaredNorms[i]!), this.clipNorm);
      if (scale !== 1 || limit !== Number.POSITIVE_INFINITY) {
        state.scratch ??= allocData(g.length);
        g = scaleAndClip(state.scratch, g, scale, limit);
      }
      const w = v.values;
      if (decay !== 0) {
        for (let j = 0; j < w.length; j++) w[j] = w[j]! - w[j]! * decay;
      }
      this.update(w, g, state.slots, lr, t);
    }
    this.step = t;
  }

  /** Hyperparameters (TF.js camelCase names); a schedule appears as JSON under `learningRateSchedule`. */
  getConfig(): Record<string, number | boolean | string | null> {
    const config: Record<string, number | boolean | string | null> = { learningRate: this.learningRate };
    if (this.learningRateSchedule !== null) {
      config.learningRateSchedule = JSON.stringify(this.learningRateSchedule.config ?? null);
    }
    return {
      ...config,
      ...this.ownConfig(),
      clipNorm: this.clipNorm,
      clipValue: this.clipValue,
      globalClipNorm: this.globalClipNorm,
      weightDecay: this.weightDecay,
    };
  }

  /**
   * The state in TF.js's layout: 'iter' (int32), then for each slot kind of `stateLayout()` one float32
   * tensor per variable, in the variables' order (Keras order: the model's trainable weights). A
   * variable never updated yet contributes its initial state.
   * @example
   * const entries = model.optimizer.getState(model.trainableWeights); // [iter, …/m ×n, …/v ×n] for Adam
   */
  getState(variables: readonly Variable[]): OptimizerStateEntry[] | null {
    const layout = this.stateLayout();
    if (layout === null) return null;
    const entries: OptimizerStateEntry[] = [
      { name: 'iter', shape: [], dtype: 'int32', values: Int32Array.of(this.step) },
    ];
    for (const slot of layout) {
      const k = this.slotNames.indexOf(slot);
      const scale = this.stateScale(slot);
      for (const v of variables) {
        const values = new Float32Array(v.size);
        const state = this.states.get(v);
        if (k >= 0 && state !== undefined) {
          const own = state.slots[k];
          for (let i = 0; i < values.length; i++) values[i] = Number.isFinite(scale) ? own[i] * scale : 0;
        } else if (k >= 0) {
          values.fill(this.initialSlotValue(k) * (Number.isFinite(scale) ? scale : 0));
        }
        entries.push({
          name: `${v.name ?? 'weight'}/${slot}`,
          shape: [...v.shape],
          dtype: 'float32',
          values,
        });
      }
    }
    return entries;
  }

  /**
   * Restores the state `getState` lists (or TF.js saved): checks every entry before changing anything.
   * @example
   * model.optimizer.setState(model.trainableWeights, entries, 'loadModel');
   */
  setState(variables: readonly Variable[], entries: readonly OptimizerStateEntry[], where: string): void {
    const layout = this.stateLayout();
    if (layout === null) return;
    const n = variables.length;
    const expected = 1 + layout.length * n;
    // TF.js creates its per-weight state on the first update: an optimizer saved before any lists 'iter' only.
    if (entries.length !== expected && entries.length !== 1) {
      throw new Error(
        `${where}: the optimizer state has ${entries.length} tensors, but ${this.name} over ${n} trainable weights ` +
          `has ${expected}: 'iter', then ${layout.map((slot) => `'${slot}'`).join(', ')} for each weight`,
      );
    }
    const iter = entries[0];
    const step = iter.values.length === 1 ? iter.values[0] : Number.NaN;
    if (!Number.isInteger(step) || step < 0) {
      throw new Error(`${where}: the optimizer state's first tensor must be 'iter', a whole number ≥ 0`);
    }
    for (let e = 1; e < entries.length; e++) {
      const entry = entries[e];
      const v = variables[(e - 1) % n];
      if (entry.dtype !== 'float32' || !shapesEqual(entry.shape, v.shape)) {
        throw new Error(
          `${where}: optimizer state '${entry.name}' is ${entry.dtype} ${formatShape(entry.shape)}, but weight ` +
            `${label(v, (e - 1) % n)} needs float32 ${formatShape(v.shape)}`,
        );
      }
      const bad = firstNonFinite(entry.values as Float32Array);
      if (bad >= 0) {
        throw new Error(
          `${where}: optimizer state '${entry.name}' holds ${entry.values[bad]} at flat index ${bad}`,
        );
      }
    }
    for (let s = 0; entries.length > 1 && s < layout.length; s++) {
      const k = this.slotNames.indexOf(layout[s]);
      if (k < 0) continue;
      const scale = this.stateScale(layout[s]);
      for (let i = 0; i < n; i++) {
        const own = this.stateFor(variables[i]).slots[k];
        const saved = entries[1 + s * n + i].values;
        for (let j = 0; j < own.length; j++)
          own[j] = Number.isFinite(scale) && scale !== 0 ? saved[j] / scale : 0;
      }
    }
    this.step = step;
  }

  /**
   * The slot kinds TF.js's optimizer of the same class lists, in its order (null: TF.js keeps no state
   * it can set for this optimizer). Slots Axon does not keep are saved as zeros and ignored on loading.
   */
  protected stateLayout(): readonly string[] | null {
    return this.slotNames;
  }

  /** TF.js's value of a slot per Axon's value (1 unless the two keep it in different units). */
  protected stateScale(_slot: string): number {
    return 1;
  }

  /** The starting value of state buffer `slot` (0 unless overridden, e.g. Adagrad's accumulator). */
  protected initialSlotValue(_slot: number): number {
    return 0;
  }

  /**
   * The update rule, in place: `w` and `slots` change; `g` (already clipped) must not. `lr` is this
   * step's rate and `t` the 1-based step number (for bias corrections).
   */
  protected abstract update(
    w: DataArray,
    g: DataArray,
    slots: readonly DataArray[],
    lr: number,
    t: number,
  ): void;

  /** The optimizer's own hyperparameters for `getConfig`. */
  protected abstract ownConfig(): Record<string, number | boolean | string | null>;

  private stateFor(v: Variable): VariableState {
    let state = this.states.get(v);
    if (state === undefined) {
      const slots = this.slotNames.map((_, k) => {
        const buffer = residentData(v.size);
        const init = this.initialSlotValue(k);
        if (init !== 0) buffer.fill(init);
        return buffer;
      });
      state = { slots, scratch: null };
      this.states.set(v, state);
    }
    return state;
  }
}

/** How errors name a variable: its name, or its position when it has none. */
function label(v: Variable, index: number): string {
  return v.name ? `'${v.name}'` : `#${index} (unnamed, shape ${formatShape(v.shape)})`;
}
