/**
 * MNIST and Fashion-MNIST: `ax.datasets.mnist.load({ dir })` reads the four IDX files of a folder
 * (through the registered file system), and without `dir` downloads them from public mirrors into the
 * cache (~/.cache/axon/<set>/) after checking their SHA-256. `fromBytes` does the same from bytes the
 * caller fetched, so a browser page can use it.
 */
import { allocData } from '../tensor/precision.js';
import { Tensor } from '../tensor/tensor.js';
import { type FetchLike, fetchVerified, type RemoteFile } from './download.js';
import { allInOrder, type DataFileSystem, peekDataFileSystem, requireDataFileSystem } from './files.js';
import { isGzip } from './gzip.js';
import { type IdxArray, type IdxKind, parseIdx } from './idx.js';

/** The four arrays of an MNIST-style set. */
export interface MnistData {
  /** Training images, [60000, 784] float32 in [0, 1] (pixel / 255), row-major 28×28. */
  xTrain: Tensor;
  /** Training labels, [60000] class indices. */
  yTrain: Tensor;
  /** Test images, [10000, 784]. */
  xTest: Tensor;
  /** Test labels, [10000]. */
  yTest: Tensor;
  /** Names of the classes 0…9. */
  classNames: string[];
}

/** Options of `load`. */
export interface MnistLoadOptions {
  /** A folder holding the four IDX files (gzipped or plain). Without it, the files are downloaded. */
  dir?: string;
  /** Cache root for downloads; default ~/.cache/axon (or $AXON_CACHE_DIR). */
  cacheDir?: string;
  /** Base URLs to download from, tried in order; default the public mirrors of the set. */
  mirrors?: readonly string[];
  /** Replaces `globalThis.fetch` (e.g. to add a proxy, or a local fake in tests). */
  fetch?: FetchLike;
  /** Progress lines such as 'downloading …'; default silent. */
  log?: (message: string) => void;
}

/** The raw file contents for `fromBytes` (each gzipped or plain). */
export interface MnistBytes {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

type Part = keyof MnistBytes;

/** Which file each part is, and what it must hold. */
const PARTS: readonly { part: Part; base: string; kind: IdxKind }[] = [
  { part: 'trainImages', base: 'train-images-idx3-ubyte', kind: 'images' },
  { part: 'trainLabels', base: 'train-labels-idx1-ubyte', kind: 'labels' },
  { part: 'testImages', base: 't10k-images-idx3-ubyte', kind: 'images' },
  { part: 'testLabels', base: 't10k-labels-idx1-ubyte', kind: 'labels' },
];

/** A set's identity: names, mirrors and the SHA-256 of its four .gz files (as in ../shared/data). */
interface IdxSetSpec {
  name: string;
  folder: string;
  mirrors: readonly string[];
  sha256: Record<Part, string>;
  classNames: readonly string[];
}

const MNIST: IdxSetSpec = {
  name: 'mnist',
  folder: 'mnist',
  mirrors: [
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
  ],
  sha256: {
    trainImages: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    trainLabels: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    testImages: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    testLabels: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
  },
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

const FASHION_MNIST: IdxSetSpec = {
  name: 'fashionMnist',
  folder: 'fashion-mnist',
  mirrors: [
    'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  ],
  sha256: {
    trainImages: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    trainLabels: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    testImages: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    testLabels: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
  },
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
};

/**
 * Images as a float32 tensor [count, rows·cols] with values pixel·scale (default 1/255, so [0, 1]).
 * @example
 * const x = ax.idxImagesToTensor(ax.parseIdx(bytes, { expect: 'images' })); // [n, 784]
 */
export function idxImagesToTensor(images: IdxArray, scale = 1 / 255): Tensor {
  if (images.kind !== 'images')
    throw new Error(`idxImagesToTensor: expected an images IDX array, got ${images.kind}`);
  const [count, rows, cols] = images.dims;
  const src = images.data;
  const out = allocData(src.length);
  // A 256-entry table: one load per pixel instead of a multiply and a conversion.
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = v * scale;
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]];
  return new Tensor(out, [count, rows * cols]);
}

/**
 * Labels as a float32 tensor [count] of class indices; with `numClasses`, values ≥ it are an error.
 * @example
 * const y = ax.idxLabelsToTensor(ax.parseIdx(bytes, { expect: 'labels' }), 10); // [n]
 */
export function idxLabelsToTensor(labels: IdxArray, numClasses?: number, name = 'labels'): Tensor {
  if (labels.kind !== 'labels')
    throw new Error(`idxLabelsToTensor: expected a labels IDX array, got ${labels.kind}`);
  const src = labels.data;
  const out = allocData(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i];
  if (numClasses !== undefined) {
    for (let i = 0; i < src.length; i++) {
      if (src[i] >= numClasses) {
        throw new Error(
          `${name}: label ${src[i]} at index ${i} is out of range; expected 0…${numClasses - 1}`,
        );
      }
    }
  }
  return new Tensor(out, [src.length]);
}

function fileNames(base: string): string[] {
  // The official names, plain or gzipped, and the variant with a dot some archives use.
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [`${base}.gz`, base, `${dotted}.gz`, dotted];
}

async function readFromDir(what: string, fs: DataFileSystem, dir: string): Promise<MnistBytes> {
  // Locate every part first, in a fixed order, so a missing file is always reported the same way;
  // only then read them in parallel.
  const paths: string[] = [];
  for (const { base } of PARTS) {
    const candidates = fileNames(base);
    let found: string | undefined;
    for (const name of candidates) {
      const path = fs.join(dir, name);
      if (await fs.isFile(path)) {
        found = path;
        break;
      }
    }
    if (found === undefined) {
      throw new Error(`${what}: no ${base} file in ${dir} (looked for ${candidates.join(', ')})`);
    }
    paths.push(found);
  }
  const [trainImages, trainLabels, testImages, testLabels] = await allInOrder(
    paths.map((path) => fs.readFile(path)),
  );
  return { trainImages, trainLabels, testImages, testLabels };
}

async function download(what: string, spec: IdxSetSpec, options: MnistLoadOptions): Promise<MnistBytes> {
  const fs = peekDataFileSystem();
  const get = ({ part, base }: { part: Part; base: string }): Promise<Uint8Array> => {
    const file: RemoteFile = { name: `${base}.gz`, sha256: spec.sha256[part] };
    return fetchVerified(file, {
      what,
      folder: spec.folder,
      mirrors: options.mirrors ?? spec.mirrors,
      cacheDir: options.cacheDir,
      fetch: options.fetch,
      fs,
      log: options.log,
    });
  };
  // One after another: four parallel downloads of a slow mirror help nobody and confuse the log.
  const out: Partial<MnistBytes> = {};
  for (const p of PARTS) out[p.part] = await get(p);
  return out as MnistBytes;
}

/** Parses the four files into tensors, checking kinds, counts, image sizes and label ranges. */
function assemble(what: string, spec: IdxSetSpec, bytes: MnistBytes): MnistData {
  const idx = {} as Record<Part, IdxArray>;
  for (const { part, base, kind } of PARTS) {
    const data = bytes[part];
    if (!(data instanceof Uint8Array))
      throw new Error(`${what}: ${part} must be a Uint8Array, got ${typeof data}`);
    idx[part] = parseIdx(data, { name: `${what}: ${base}`, expect: kind });
  }
  for (const split of ['train', 'test'] as const) {
    const images = idx[`${split}Images`];
    const labels = idx[`${split}Labels`];
    if (images.dims[0] !== labels.dims[0]) {
      throw new Error(
        `${what}: the ${split} images file holds ${images.dims[0]} images but the labels file ${labels.dims[0]} labels`,
      );
    }
  }
  const train = idx.trainImages.dims;
  const test = idx.testImages.dims;
  if (train[1] !== test[1] || train[2] !== test[2]) {
    throw new Error(
      `${what}: train images are ${train[1]}×${train[2]} but test images ${test[1]}×${test[2]}`,
    );
  }
  const k = spec.classNames.length;
  return {
    xTrain: idxImagesToTensor(idx.trainImages),
    yTrain: idxLabelsToTensor(idx.trainLabels, k, `${what}: train labels`),
    xTest: idxImagesToTensor(idx.testImages),
    yTest: idxLabelsToTensor(idx.testLabels, k, `${what}: test labels`),
    classNames: [...spec.classNames],
  };
}

/** Gunzips off the main thread when the file system offers it (Node's zlib), all four at once. */
async function inflate(what: string, fs: DataFileSystem | null, bytes: MnistBytes): Promise<MnistBytes> {
  const gunzip = fs?.gunzip?.bind(fs);
  if (!gunzip) return bytes;
  const one = async ({ part, base }: { part: Part; base: string }): Promise<Uint8Array> => {
    const data = bytes[part];
    if (!isGzip(data)) return data;
    try {
      return await gunzip(data);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${what}: ${base}: the gzip data is truncated or corrupt (${reason})`);
    }
  };
  const [trainImages, trainLabels, testImages, testLabels] = await allInOrder(PARTS.map(one));
  return { trainImages, trainLabels, testImages, testLabels };
}

/** The loader object of one set: `load`, `fromBytes` and its class names. */
export interface IdxSetLoader {
  /**
   * Reads the four IDX files from `dir`, or downloads them (checked, cached) when `dir` is absent.
   * @example
   * const { xTrain, yTrain, xTest, yTest } = await ax.datasets.mnist.load({ dir: 'data/mnist' });
   */
  load(options?: MnistLoadOptions): Promise<MnistData>;
  /**
   * The same from bytes already in memory (browser: from `fetch`).
   * @example
   * const data = ax.datasets.mnist.fromBytes({ trainImages, trainLabels, testImages, testLabels });
   */
  fromBytes(bytes: MnistBytes): MnistData;
  /** Names of the classes 0…9. */
  readonly classNames: readonly string[];
  /** The file names (gzipped) and their SHA-256, as downloads check them. */
  readonly files: readonly RemoteFile[];
}

function makeLoader(spec: IdxSetSpec): IdxSetLoader {
  return {
    async load(options: MnistLoadOptions = {}): Promise<MnistData> {
      if (options === null || typeof options !== 'object') {
        throw new Error(
          `${spec.name}.load: options must be an object such as { dir: 'data/${spec.folder}' }`,
        );
      }
      const { dir } = options;
      if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
        throw new Error(`${spec.name}.load: dir must be a non-empty path string, got ${JSON.stringify(dir)}`);
      }
      const what = dir === undefined ? `${spec.name}.load` : `${spec.name}.load(${dir})`;
      const fs =
        dir === undefined ? peekDataFileSystem() : requireDataFileSystem(`${spec.name}.load({ dir })`);
      const raw =
        dir === undefined
          ? await download(what, spec, options)
          : await readFromDir(what, fs as DataFileSystem, dir);
      return assemble(what, spec, await inflate(what, fs, raw));
    },
    fromBytes(bytes: MnistBytes): MnistData {
      if (bytes === null || typeof bytes !== 'object') {
        throw new Error(
          `${spec.name}.fromBytes: expected { trainImages, trainLabels, testImages, testLabels }`,
        );
      }
      return assemble(`${spec.name}.fromBytes`, spec, bytes);
    },
    classNames: spec.classNames,
    files: PARTS.map(({ part, base }) => ({ name: `${base}.gz`, sha256: spec.sha256[part] })),
  };
}

/** MNIST handwritten digits (LeCun, Cortes, Burges): 60,000 + 10,000 images of 28×28, 10 classes. */
export const mnist: IdxSetLoader = makeLoader(MNIST);

/** Fashion-MNIST (Zalando): the same format and sizes as MNIST, 10 classes of clothing. */
export const fashionMnist: IdxSetLoader = makeLoader(FASHION_MNIST);
