/**
 * Loading validates everything and fails with one clear message: structure (zod), layer classes and
 * options, the weights manifest against the model (names, count, shapes, dtype), byte counts, the
 * training config — and never executes anything found in a file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as ax from '../../src/index.js';

type Layers = { class_name: string; config: Record<string, unknown> }[];

/** Fresh artifacts of a small compiled model: dense(2→3, relu) → dense(3→1, sigmoid). */
function artifacts(): ax.ModelArtifacts {
  const model = ax.sequential({
    name: 'small',
    layers: [
      ax.layers.dense({ name: 'd1', units: 3, inputShape: [2], activation: 'relu' }),
      ax.layers.dense({ name: 'd2', units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const a = ax.io.modelToArtifacts(model);
  // A deep copy through JSON, so each test can damage its own.
  return {
    ...(JSON.parse(JSON.stringify({ ...a, weightData: undefined })) as ax.ModelArtifacts),
    weightData: a.weightData,
  };
}

function layersOf(a: ax.ModelArtifacts): Layers {
  return (a.modelTopology.config as { layers: Layers }).layers;
}

async function loadError(a: unknown): Promise<string> {
  try {
    await ax.loadModel(ax.io.fromMemory(a as ax.ModelArtifacts));
  } catch (error) {
    const message = (error as Error).message;
    assert.ok(!message.includes('\n'), `one line: ${message}`);
    return message;
  }
  assert.fail('expected the load to fail');
}

describe('io: structural validation', () => {
  it('loads the undamaged artifacts (the baseline of the tests below)', async () => {
    const model = await ax.loadModel(ax.io.fromMemory(artifacts()));
    assert.equal(model.countParams(), 13);
  });

  it('names a missing field', async () => {
    const { modelTopology: _, ...rest } = artifacts();
    assert.match(await loadError(rest), /^model artifacts \(memory\): 'modelTopology' is missing \(expected/);
    const a = artifacts();
    delete (layersOf(a)[0] as Partial<Layers[number]>).class_name;
    assert.match(await loadError(a), /'modelTopology\.config\.layers\[0\]\.class_name' is missing/);
  });

  it('names a field of the wrong type', async () => {
    const a = artifacts();
    (a.weightSpecs as unknown as { shape: unknown }[])[0].shape = 'big';
    assert.match(
      await loadError(a),
      /'weightSpecs\[0\]\.shape' is invalid: expected the shape as an array of sizes/,
    );
  });

  it('rejects graph models and functional models', async () => {
    assert.match(
      await loadError({ ...artifacts(), format: 'graph-model' }),
      /'format' is invalid: expected format 'layers-model'/,
    );
    const a = artifacts();
    a.modelTopology.class_name = 'Model';
    assert.match(await loadError(a), /the model class is 'Model', but Axon loads Sequential models only/);
  });

  it('lists the known layer classes for an unknown one', async () => {
    const a = artifacts();
    layersOf(a)[1].class_name = 'Conv2D';
    const message = await loadError(a);
    assert.match(message, /layer 1 \(Conv2D 'd2'\): unknown layer class 'Conv2D'/);
    for (const known of ['Dense', 'Activation', 'Dropout', 'Flatten', 'BatchNormalization']) {
      assert.ok(message.includes(known), message);
    }
  });

  it("reports a layer's invalid options with the layer's place", async () => {
    const a = artifacts();
    layersOf(a)[0].config.units = -3;
    assert.match(
      await loadError(a),
      /layer 0 \(Dense 'd1'\): layers\.dense: 'units' must be a positive integer, got -3/,
    );
    const b = artifacts();
    layersOf(b)[1].config.activation = 'relu7';
    assert.match(await loadError(b), /layer 1 \(Dense 'd2'\): .*unknown activation 'relu7'/);
    const c = artifacts();
    layersOf(c)[1].config.dtype = 'int32';
    assert.match(await loadError(c), /dtype 'int32' is not supported/);
  });

  it('reads a Keras InputLayer and the older bare list of layers', async () => {
    const a = artifacts();
    const layers = layersOf(a);
    delete layers[0].config.batch_input_shape;
    layers.unshift({ class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'input' } });
    a.modelTopology.config = layers as unknown as ax.JsonValue;
    const model = await ax.loadModel(ax.io.fromMemory(a));
    assert.deepEqual(model.inputShape, [null, 2]);
    assert.deepEqual(
      model.layers.map((l) => l.name),
      ['d1', 'd2'],
    );
  });

  it('rejects a __proto__ key instead of letting it reach a prototype', async () => {
    const a = artifacts();
    layersOf(a)[0].config = JSON.parse('{"__proto__": {"units": 9}, "name": "d1", "units": 3}');
    assert.match(await loadError(a), /the key '__proto__' is not allowed/);
    assert.equal(({} as { units?: number }).units, undefined);
  });
});

describe('io: weights against the model', () => {
  it('names missing and unexpected weights', async () => {
    const a = artifacts();
    (a.weightSpecs as ax.WeightSpec[])[1].name = 'd1/b';
    const message = await loadError(a);
    assert.match(message, /the weights manifest \(4 weights\) does not match the model/);
    assert.match(message, /missing 'd1\/bias' \[3\]; not in the model 'd1\/b' \[3\]/);
  });

  it('reports a different number of weights', async () => {
    const a = artifacts();
    const specs = a.weightSpecs as ax.WeightSpec[];
    a.weightSpecs = specs.slice(0, 3);
    a.weightData = (a.weightData as ArrayBuffer).slice(0, 4 * (6 + 3 + 3));
    assert.match(
      await loadError(a),
      /manifest \(3 weights\) does not match the model .*\(4 weights: .*missing 'd2\/bias' \[1\]/,
    );
  });

  it('reports a shape the topology does not produce', async () => {
    const a = artifacts();
    layersOf(a)[0].config.units = 4;
    assert.match(
      await loadError(a),
      /weight 'd1\/kernel' has shape \[2,3\] in the weights manifest but the model needs \[2,4\]/,
    );
  });

  it('accepts only float32 model weights', async () => {
    const a = artifacts();
    (a.weightSpecs as ax.WeightSpec[])[0].dtype = 'int32';
    assert.match(
      await loadError(a),
      /weight 'd1\/kernel' \[2,3\] has dtype 'int32'; model weights must be float32/,
    );
    const b = artifacts();
    (b.weightSpecs as ax.WeightSpec[])[0].dtype = 'string';
    assert.match(await loadError(b), /dtype 'string', which Axon cannot read/);
  });

  it('gives expected and actual byte counts for truncated or oversized data', async () => {
    // 4 model weights (52 bytes) and the Adam state saved after them: iter + 2 × 4 moments (108 bytes).
    const a = artifacts();
    a.weightData = (a.weightData as ArrayBuffer).slice(0, 50);
    assert.match(
      await loadError(a),
      /expected 160 bytes for the 13 weights .* but found 50 bytes \(truncated\)/,
    );
    const b = artifacts();
    b.weightData = [b.weightData as ArrayBuffer, new ArrayBuffer(8)];
    assert.match(
      await loadError(b),
      /expected 160 bytes .* found 168 bytes \(larger than the manifest describes\)/,
    );
  });
});

describe('io: training config', () => {
  it('names an unknown optimizer class and lists the known ones', async () => {
    const a = artifacts();
    (a.trainingConfig as ax.TrainingConfig).optimizer_config.class_name = 'Adadelta';
    assert.match(
      await loadError(a),
      /trainingConfig: unknown optimizer class 'Adadelta' \(known: SGD, Momentum, RMSProp, Adagrad, Adam, Adamax, AdamW\)/,
    );
  });

  it('names an unknown loss or optimizer option', async () => {
    const a = artifacts();
    (a.trainingConfig as ax.TrainingConfig).loss = 'cosine_proximity';
    assert.match(await loadError(a), /trainingConfig: unknown loss 'cosineProximity'/);
    const b = artifacts();
    (b.trainingConfig as ax.TrainingConfig).optimizer_config.config.amsgrad = true;
    assert.match(await loadError(b), /optimizer option 'amsgrad' = true is not supported/);
  });

  it('reads a Keras optimizer config (snake_case keys, bookkeeping keys)', async () => {
    const a = artifacts();
    (a.trainingConfig as ax.TrainingConfig).optimizer_config = {
      class_name: 'Adam',
      config: {
        name: 'Adam',
        learning_rate: 0.01,
        beta_1: 0.8,
        beta_2: 0.99,
        epsilon: 1e-7,
        amsgrad: false,
        decay: 0,
        clipnorm: null,
      },
    };
    const model = await ax.loadModel(ax.io.fromMemory(a));
    assert.deepEqual(
      { ...model.optimizer?.getConfig() },
      {
        learningRate: 0.01,
        beta1: 0.8,
        beta2: 0.99,
        epsilon: 1e-7,
        clipNorm: null,
        clipValue: null,
        globalClipNorm: null,
        weightDecay: null,
      },
    );
  });
});

describe('io: no code execution', () => {
  it('treats code in a file as data', async () => {
    const flag = globalThis as { axonPwned?: boolean };
    const code = '(() => { globalThis.axonPwned = true; return "relu"; })()';
    const a = artifacts();
    layersOf(a)[0].config.activation = code;
    layersOf(a)[1].class_name = 'constructor';
    await loadError(a);
    const b = artifacts();
    b.userDefinedMetadata = { axon: { toJSON: code } };
    const model = await ax.loadModel(ax.io.fromMemory(b));
    assert.deepEqual(model.metadata, { toJSON: code });
    assert.equal(flag.axonPwned, undefined);
  });

  it('has no eval or Function constructor in src/io', () => {
    const dir = join(import.meta.dirname, '../../src/io');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\b|\bFunction\s*\(/, file);
    }
  });
});
