/**
 * The data sets `--data builtin:NAME` names: the seeded synthetic generators, and the real sets read
 * from a data folder (`--data-dir`, $AXON_DATA_DIR, or ../shared/data).
 */
import { resolve } from 'node:path';
import * as ax from '../node.js';
import { type CliIO, pathKind, UserError } from './io.js';

/** What a data set is for. */
export type Task = 'classification' | 'regression';

/** Features and targets of one part of a data set, with what they mean. */
export interface LoadedTable {
  x: ax.Tensor;
  /** [n] class indices (classification) or [n, 1] values (regression); null when absent (predict). */
  y: ax.Tensor | null;
  task: Task;
  classNames: string[] | null;
  featureNames: string[];
  targetName: string | null;
  /** The CSV encoding, when the data came from a CSV. */
  schema: ax.CsvSchema | null;
  /** The set has its own test files (IDX, MNIST): `--test-split` does not apply. */
  presplit: boolean;
  /** Images already in [0, 1] need no scaling; tables are standardized by default. */
  defaultScale: 'standard' | 'none';
}

/** One real built-in set. */
interface RealBuiltin {
  name: string;
  folder: string;
  task: Task;
  description: string;
  load(dir: string, part: 'train' | 'test'): Promise<LoadedTable>;
}

/** A parsed CSV with a target as the table the commands work on. */
export function fromCsv(data: ax.CsvDataset): LoadedTable {
  return {
    x: data.x,
    y: data.y,
    task: data.task,
    classNames: data.classNames ?? null,
    featureNames: data.featureNames,
    targetName: data.targetName,
    schema: data.schema,
    presplit: false,
    defaultScale: 'standard',
  };
}

function fromMnist(data: ax.MnistData, part: 'train' | 'test'): LoadedTable {
  return {
    x: part === 'train' ? data.xTrain : data.xTest,
    y: part === 'train' ? data.yTrain : data.yTest,
    task: 'classification',
    classNames: data.classNames,
    featureNames: Array.from({ length: data.xTrain.shape[1] }, (_, i) => `pixel_${i}`),
    targetName: 'label',
    schema: null,
    presplit: true,
    defaultScale: 'none',
  };
}

const REAL: readonly RealBuiltin[] = [
  {
    name: 'iris',
    folder: 'iris',
    task: 'classification',
    description: 'Iris (Fisher 1936): 150 flowers, 4 measurements, 3 species',
    load: async (dir) => fromCsv(await ax.datasets.iris.load({ dir })),
  },
  {
    name: 'breast-cancer',
    folder: 'sklearn-breast-cancer',
    task: 'classification',
    description: 'Breast Cancer Wisconsin (diagnostic): 569 tumours, 30 features, malignant/benign',
    load: async (dir) => fromCsv(await ax.datasets.breastCancer.load({ dir })),
  },
  {
    name: 'wine-red',
    folder: 'wine-quality',
    task: 'regression',
    description: 'Wine Quality, red: 1,599 wines, 11 features, quality score 3…8 (regression)',
    load: async (dir) => fromCsv(await ax.datasets.wineQuality.load({ dir, color: 'red' })),
  },
  {
    name: 'wine-white',
    folder: 'wine-quality',
    task: 'regression',
    description: 'Wine Quality, white: 4,898 wines, 11 features, quality score 3…9 (regression)',
    load: async (dir) => fromCsv(await ax.datasets.wineQuality.load({ dir, color: 'white' })),
  },
  {
    name: 'digits',
    folder: 'sklearn-digits',
    task: 'classification',
    description: "scikit-learn's 8×8 digits: 1,797 images, 64 pixels 0…16, 10 classes",
    load: async (dir) => fromCsv(await ax.datasets.digits.load({ dir })),
  },
  {
    name: 'diabetes',
    folder: 'sklearn-diabetes',
    task: 'regression',
    description: 'Diabetes (Efron et al.): 442 patients, 10 features, disease progression (regression)',
    load: async (dir) => {
      const d = await ax.datasets.diabetes.load({ dir });
      return {
        x: d.x,
        y: d.y,
        task: 'regression',
        classNames: null,
        featureNames: d.featureNames,
        targetName: d.targetName,
        schema: null,
        presplit: false,
        defaultScale: 'standard',
      };
    },
  },
  {
    name: 'mnist',
    folder: 'mnist',
    task: 'classification',
    description: 'MNIST handwritten digits: 60,000 + 10,000 images of 28×28, 10 classes',
    load: async (dir, part) => fromMnist(await ax.datasets.mnist.load({ dir: resolve(dir, 'mnist') }), part),
  },
  {
    name: 'fashion-mnist',
    folder: 'fashion-mnist',
    task: 'classification',
    description: 'Fashion-MNIST (Zalando): 60,000 + 10,000 images of 28×28, 10 kinds of clothing',
    load: async (dir, part) =>
      fromMnist(await ax.datasets.fashionMnist.load({ dir: resolve(dir, 'fashion-mnist') }), part),
  },
];

/** One entry of `listBuiltins()`. */
export interface BuiltinInfo {
  name: string;
  kind: 'synthetic' | 'real';
  task: Task | 'binary' | 'multiclass';
  description: string;
  /** Real sets: the folder they are read from. */
  folder?: string;
}

/**
 * Every built-in set, synthetic first.
 * @example listBuiltins().map((b) => b.name) // ['circle', 'xor', ..., 'iris', ...]
 */
export function listBuiltins(): BuiltinInfo[] {
  const synthetic: BuiltinInfo[] = ax
    .listSyntheticDatasets()
    .map((d) => ({ name: d.name, kind: 'synthetic', task: d.task, description: d.description }));
  const real: BuiltinInfo[] = REAL.map((r) => ({
    name: r.name,
    kind: 'real',
    task: r.task,
    description: r.description,
    folder: r.folder,
  }));
  return [...synthetic, ...real];
}

/** 'Breast_Cancer', 'breastCancer' and 'breast-cancer' all name the same set. */
function key(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '');
}

/**
 * The canonical name of a built-in set, or a UserError listing them.
 * @example builtinName('fashionMnist') // 'fashion-mnist'
 */
export function builtinName(name: string): string {
  const found = listBuiltins().find((b) => key(b.name) === key(name));
  if (found === undefined) {
    throw new UserError(
      `unknown built-in data set '${name}'; available: ${listBuiltins()
        .map((b) => b.name)
        .join(', ')} (see 'axon datasets')`,
    );
  }
  return found.name;
}

/**
 * The folder real sets are read from: --data-dir, else $AXON_DATA_DIR, else ../shared/data.
 * @example dataRoot(io, undefined) // '/work/shared/data'
 */
export function dataRoot(io: CliIO, dataDir: string | undefined): { dir: string; explicit: boolean } {
  if (dataDir !== undefined) return { dir: resolve(io.cwd, dataDir), explicit: true };
  const fromEnv = io.env.AXON_DATA_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return { dir: resolve(io.cwd, fromEnv), explicit: true };
  return { dir: resolve(io.cwd, '..', 'shared', 'data'), explicit: false };
}

/** Options of `loadBuiltin`. */
export interface BuiltinRequest {
  part: 'train' | 'test';
  seed: number;
  samples?: number;
  noise?: number;
  classes?: number;
  dataDir?: string;
}

/**
 * Loads `builtin:NAME`. Synthetic sets are drawn with the seed; real ones read from the data folder.
 * @example const table = await loadBuiltin(io, 'iris', { part: 'train', seed: 1 });
 */
export async function loadBuiltin(io: CliIO, name: string, request: BuiltinRequest): Promise<LoadedTable> {
  const canonical = builtinName(name);
  const real = REAL.find((r) => r.name === canonical);
  if (real === undefined) {
    let data: ax.SyntheticDataset;
    try {
      data = ax.loadSynthetic(canonical, {
        n: request.samples,
        noise: request.noise,
        seed: request.seed,
        ...(request.classes !== undefined ? { classes: request.classes } : {}),
      });
    } catch (error) {
      throw new UserError(`builtin:${canonical}: ${(error as Error).message}`);
    }
    const n = data.x.shape[0];
    const regression = data.task === 'regression';
    const k = data.numClasses ?? 0;
    return {
      x: data.x,
      y: regression ? data.y : ax.reshape(data.y, [n]),
      task: regression ? 'regression' : 'classification',
      classNames: regression ? null : Array.from({ length: k }, (_, i) => String(i)),
      featureNames: ['x1', 'x2'],
      targetName: regression ? 'y' : 'class',
      schema: null,
      presplit: false,
      defaultScale: 'standard',
    };
  }
  const root = dataRoot(io, request.dataDir);
  const where = resolve(root.dir, real.folder);
  if ((await pathKind(where)) !== 'dir' && (await pathKind(root.dir)) !== 'dir') {
    throw new UserError(
      `builtin:${canonical}: the data folder ${root.dir} does not exist; pass --data-dir (the folder holding ${real.folder}/) or set AXON_DATA_DIR`,
    );
  }
  try {
    return await real.load(root.dir, request.part);
  } catch (error) {
    throw new UserError(
      `builtin:${canonical}: ${(error as Error).message} (data folder ${root.dir}; pass --data-dir to use another)`,
    );
  }
}
