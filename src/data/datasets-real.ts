/**
 * Small real data sets in their published file formats (the copies in ../shared/data): Iris, breast
 * cancer (Wisconsin diagnostic), wine quality, scikit-learn's 8×8 digits and diabetes. Each loader
 * has `parse(...)` from file contents (browser-safe) and `load({ dir })` that reads the files through
 * the registered file system (Node). `dir` is the set's folder or the folder above it.
 */
import type { Tensor } from '../tensor/tensor.js';
import { type CsvDataset, type CsvOptions, parseCsv, parseCsvFeatures } from './csv.js';
import { allInOrder, requireDataFileSystem } from './files.js';

/** Options of the real-data `load` functions. */
export interface RealLoadOptions {
  /** The set's folder (e.g. 'data/iris'), or the folder holding it (e.g. 'data'). */
  dir: string;
}

/** Reads `file` from dir, or from dir/<folder>. */
async function readFrom(
  what: string,
  options: RealLoadOptions,
  folder: string,
  file: string,
): Promise<Uint8Array> {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.dir !== 'string' ||
    options.dir === ''
  ) {
    throw new Error(`${what}: pass { dir } — the folder holding ${file} (e.g. { dir: 'data/${folder}' })`);
  }
  const fs = requireDataFileSystem(`${what}({ dir })`);
  const candidates = [fs.join(options.dir, file), fs.join(options.dir, folder, file)];
  for (const path of candidates) if (await fs.isFile(path)) return fs.readFile(path);
  throw new Error(`${what}: ${file} not found (looked for ${candidates.join(' and ')})`);
}

const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** Which Iris file: UCI's `iris.csv` (default) or scikit-learn's `iris-sklearn.csv` (Fisher's values). */
export type IrisVariant = 'uci' | 'sklearn';

/** Iris (Fisher 1936): 150 flowers, 4 measurements in cm, 3 species of 50. Rows are in class order. */
export const iris = {
  featureNames: IRIS_FEATURES,
  /**
   * From the text of iris.csv (no header, species names) or iris-sklearn.csv (scikit-learn layout).
   * @example
   * const { x, y, classNames } = ax.datasets.iris.parse(text); // [150, 4], [150], 3 names
   */
  parse(text: string | Uint8Array, variant: IrisVariant = 'uci'): CsvDataset {
    const common: CsvOptions = {
      columnNames: [...IRIS_FEATURES, 'species'],
      target: 'species',
      task: 'classification',
    };
    return variant === 'sklearn'
      ? parseCsv(text, { ...common, sklearn: true, source: 'iris-sklearn.csv' })
      : parseCsv(text, { ...common, header: false, source: 'iris.csv' });
  },
  /**
   * @example
   * const { x, y, classNames } = await ax.datasets.iris.load({ dir: '../shared/data' });
   */
  async load(options: RealLoadOptions & { variant?: IrisVariant }): Promise<CsvDataset> {
    const variant = options?.variant ?? 'uci';
    if (variant !== 'uci' && variant !== 'sklearn')
      throw new Error(`iris.load: variant must be 'uci' or 'sklearn', got ${variant}`);
    const file = variant === 'sklearn' ? 'iris-sklearn.csv' : 'iris.csv';
    return iris.parse(await readFrom('iris.load', options, 'iris', file), variant);
  },
};

const CANCER_MEASURES = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave points',
  'symmetry',
  'fractal dimension',
];
/** scikit-learn's feature names: the means, the standard errors, then the worst values. */
const CANCER_FEATURES = [
  ...CANCER_MEASURES.map((m) => `mean ${m}`),
  ...CANCER_MEASURES.map((m) => `${m} error`),
  ...CANCER_MEASURES.map((m) => `worst ${m}`),
];

/** Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features; 0 = malignant (212), 1 = benign (357). */
export const breastCancer = {
  featureNames: CANCER_FEATURES,
  /**
   * From the text of scikit-learn's breast_cancer.csv.
   * @example
   * const { x, y } = ax.datasets.breastCancer.parse(text); // [569, 30], [569]
   */
  parse(text: string | Uint8Array): CsvDataset {
    return parseCsv(text, {
      sklearn: true,
      columnNames: [...CANCER_FEATURES, 'diagnosis'],
      target: 'diagnosis',
      task: 'classification',
      source: 'breast_cancer.csv',
    });
  },
  /**
   * @example
   * const data = await ax.datasets.breastCancer.load({ dir: '../shared/data' });
   */
  async load(options: RealLoadOptions): Promise<CsvDataset> {
    return breastCancer.parse(
      await readFrom('breastCancer.load', options, 'sklearn-breast-cancer', 'breast_cancer.csv'),
    );
  },
};

const WINE_FEATURES = [
  'fixed acidity',
  'volatile acidity',
  'citric acid',
  'residual sugar',
  'chlorides',
  'free sulfur dioxide',
  'total sulfur dioxide',
  'density',
  'pH',
  'sulphates',
  'alcohol',
];

/** Options of the wine-quality loader. */
export interface WineOptions {
  /** 'red' (1,599 wines, default) or 'white' (4,898). */
  color?: 'red' | 'white';
  /** 'regression' (default): y = quality [n, 1]; 'classification': the scores 3…9 as classes. */
  task?: 'regression' | 'classification';
}

/** Wine Quality (Cortez et al. 2009): 11 physicochemical features, a quality score 3…9. */
export const wineQuality = {
  featureNames: WINE_FEATURES,
  /**
   * From the text of winequality-red.csv or winequality-white.csv (no header).
   * @example
   * const { x, y } = ax.datasets.wineQuality.parse(text); // y: quality, [n, 1]
   */
  parse(text: string | Uint8Array, options: WineOptions = {}): CsvDataset {
    return parseCsv(text, {
      header: false,
      columnNames: [...WINE_FEATURES, 'quality'],
      target: 'quality',
      task: options.task ?? 'regression',
      source: `winequality-${options.color ?? 'red'}.csv`,
    });
  },
  /**
   * @example
   * const white = await ax.datasets.wineQuality.load({ dir: '../shared/data', color: 'white' });
   */
  async load(options: RealLoadOptions & WineOptions): Promise<CsvDataset> {
    const color = options?.color ?? 'red';
    if (color !== 'red' && color !== 'white')
      throw new Error(`wineQuality.load: color must be 'red' or 'white', got ${color}`);
    const bytes = await readFrom('wineQuality.load', options, 'wine-quality', `winequality-${color}.csv`);
    return wineQuality.parse(bytes, { ...options, color });
  },
};

const DIGIT_FEATURES = Array.from({ length: 64 }, (_, i) => `pixel_${Math.floor(i / 8)}_${i % 8}`);

/** scikit-learn's digits: 1,797 images of 8×8 pixels with values 0…16, 10 classes. */
export const digits = {
  featureNames: DIGIT_FEATURES,
  /**
   * From the bytes of digits.csv.gz (or its decompressed text).
   * @example
   * const { x, y } = ax.datasets.digits.parse(bytes); // [1797, 64], [1797]
   */
  parse(bytes: string | Uint8Array): CsvDataset {
    return parseCsv(bytes, {
      header: false,
      sklearn: false,
      columnNames: [...DIGIT_FEATURES, 'digit'],
      target: 'digit',
      task: 'classification',
      source: 'digits.csv.gz',
    });
  },
  /**
   * @example
   * const { x, y } = await ax.datasets.digits.load({ dir: '../shared/data' });
   */
  async load(options: RealLoadOptions): Promise<CsvDataset> {
    return digits.parse(await readFrom('digits.load', options, 'sklearn-digits', 'digits.csv.gz'));
  },
};

const DIABETES_FEATURES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

/** The diabetes result: unscaled features and the disease progression after one year. */
export interface DiabetesData {
  /** [442, 10], raw values (scikit-learn centres and scales them at load time; Axon does not). */
  x: Tensor;
  /** [442, 1], 25…346. */
  y: Tensor;
  featureNames: string[];
  targetName: string;
  task: 'regression';
}

/** Diabetes (Efron et al. 2004): 442 patients, 10 features, a real-valued target. */
export const diabetes = {
  featureNames: DIABETES_FEATURES,
  /**
   * From the bytes of diabetes_data_raw.csv.gz and diabetes_target.csv.gz.
   * @example
   * const { x, y } = ax.datasets.diabetes.parse(dataBytes, targetBytes); // [442, 10], [442, 1]
   */
  parse(data: string | Uint8Array, target: string | Uint8Array): DiabetesData {
    const features = parseCsvFeatures(data, {
      header: false,
      delimiter: ' ',
      columnNames: DIABETES_FEATURES,
      source: 'diabetes_data_raw.csv.gz',
    });
    const y = parseCsvFeatures(target, {
      header: false,
      columnNames: ['progression'],
      source: 'diabetes_target.csv.gz',
    });
    if (y.x.shape[0] !== features.x.shape[0]) {
      throw new Error(
        `diabetes: the data file has ${features.x.shape[0]} rows but the target file ${y.x.shape[0]}`,
      );
    }
    return {
      x: features.x,
      y: y.x,
      featureNames: [...DIABETES_FEATURES],
      targetName: 'progression',
      task: 'regression',
    };
  },
  /**
   * @example
   * const { x, y } = await ax.datasets.diabetes.load({ dir: '../shared/data' });
   */
  async load(options: RealLoadOptions): Promise<DiabetesData> {
    const folder = 'sklearn-diabetes';
    const [data, target] = await allInOrder([
      readFrom('diabetes.load', options, folder, 'diabetes_data_raw.csv.gz'),
      readFrom('diabetes.load', options, folder, 'diabetes_target.csv.gz'),
    ]);
    return diabetes.parse(data, target);
  },
};
