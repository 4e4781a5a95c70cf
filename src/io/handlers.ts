/**
 * IOHandlers that work everywhere (TF.js's `tf.io.withSaveHandler`, `tf.io.fromMemory`), an in-memory
 * handler, and the URL-scheme routers through which `model.save('file://...')` and
 * `loadModel('file://...')` find their handler. The Node entry registers `file://`; the browser entry has
 * no scheme built in.
 */
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';

/** Creates the handler for URLs starting with `scheme` (e.g. 'file://'). */
export interface IORouter {
  readonly scheme: string;
  create(url: string): IOHandler;
}

const saveRouters: IORouter[] = [];
const loadRouters: IORouter[] = [];

function register(list: IORouter[], router: IORouter): void {
  const at = list.findIndex((r) => r.scheme === router.scheme);
  if (at >= 0) list[at] = router;
  else list.push(router);
}

/**
 * Makes `model.save(url)` use `router` for URLs starting with its scheme (one router per scheme).
 * @example ax.io.registerSaveRouter({ scheme: 'mem://', create: () => ax.io.memory() });
 */
export function registerSaveRouter(router: IORouter): void {
  register(saveRouters, router);
}

/**
 * Makes `loadModel(url)` use `router` for URLs starting with its scheme.
 * @example ax.io.registerLoadRouter({ scheme: 'mem://', create: () => handler });
 */
export function registerLoadRouter(router: IORouter): void {
  register(loadRouters, router);
}

function route(list: IORouter[], url: string, where: string, verb: string): IOHandler {
  const router = list.find((r) => url.startsWith(r.scheme));
  if (router !== undefined) return router.create(url);
  const schemes = list.map((r) => r.scheme).join(', ') || 'none';
  throw new Error(
    `${where}: no IO handler to ${verb} '${url}' (registered URL schemes: ${schemes}). ` +
      "'file://' works in Node.js (the Node entry registers it); in the browser use ax.io.withSaveHandler, ax.io.memory or ax.io.fromMemory",
  );
}

/**
 * The handler a save URL names. @example ax.io.getSaveHandler('file://models/iris')
 */
export function getSaveHandler(url: string, where = 'save'): IOHandler {
  return route(saveRouters, url, where, 'save to');
}

/**
 * The handler a load URL names. @example ax.io.getLoadHandler('file://models/iris/model.json')
 */
export function getLoadHandler(url: string, where = 'loadModel'): IOHandler {
  return route(loadRouters, url, where, 'load from');
}

/**
 * A handler that passes the saved artifacts to `saveHandler` (TF.js `tf.io.withSaveHandler`); it may
 * return a SaveResult or nothing.
 * @example
 * let saved;
 * await model.save(ax.io.withSaveHandler(async (artifacts) => { saved = artifacts; }));
 */
export function withSaveHandler(
  // void: an `async (artifacts) => { ... }` callback that returns nothing is the common case.
  // biome-ignore lint/suspicious/noConfusingVoidType: the callback's return value is optional
  saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult | void> | SaveResult | void,
): IOHandler {
  if (typeof saveHandler !== 'function') {
    throw new Error('io.withSaveHandler: expected a function that receives the model artifacts');
  }
  return {
    save: async (artifacts) => (await saveHandler(artifacts)) || artifactsInfo(artifacts),
  };
}

/**
 * A handler that loads the given artifacts (TF.js `tf.io.fromMemory`), e.g. artifacts saved by TF.js.
 * @example const model = await ax.loadModel(ax.io.fromMemory(artifacts));
 */
export function fromMemory(artifacts: ModelArtifacts): IOHandler {
  if (typeof artifacts !== 'object' || artifacts === null) {
    throw new Error(
      'io.fromMemory: expected the model artifacts ({ modelTopology, weightSpecs, weightData, ... })',
    );
  }
  return { load: async () => artifacts, description: 'model artifacts (memory)' };
}

/** A handler that keeps the last saved artifacts, and loads them back. */
export interface MemoryHandler extends IOHandler {
  save: (artifacts: ModelArtifacts) => Promise<SaveResult>;
  load: () => Promise<ModelArtifacts>;
  /** The artifacts of the last save, or null before any. */
  readonly artifacts: ModelArtifacts | null;
}

/**
 * An in-memory save target for the browser (or tests): save into it, read `.artifacts`, load from it.
 * @example
 * const sink = ax.io.memory();
 * await model.save(sink);
 * const copy = await ax.loadModel(sink);
 * sink.artifacts?.weightSpecs; // [{ name: 'dense/kernel', shape: [2, 3], dtype: 'float32' }, ...]
 */
export function memory(): MemoryHandler {
  let stored: ModelArtifacts | null = null;
  return {
    description: 'model artifacts (memory)',
    get artifacts() {
      return stored;
    },
    save: async (artifacts) => {
      stored = artifacts;
      return artifactsInfo(artifacts);
    },
    load: async () => {
      if (stored === null)
        throw new Error('loadModel: the memory handler holds no model yet; save one into it first');
      return stored;
    },
  };
}

/**
 * TF.js's `ModelArtifactsInfo` for a save: byte sizes of the topology and weight specs (as JSON) and data.
 * @example const { modelArtifactsInfo } = artifactsInfo(artifacts);
 */
export function artifactsInfo(artifacts: ModelArtifacts): SaveResult {
  const encoder = new TextEncoder();
  const data = artifacts.weightData;
  const dataBytes =
    data === undefined
      ? 0
      : Array.isArray(data)
        ? data.reduce((n, b) => n + b.byteLength, 0)
        : data.byteLength;
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: encoder.encode(JSON.stringify(artifacts.modelTopology)).length,
      weightSpecsBytes: encoder.encode(JSON.stringify(artifacts.weightSpecs ?? [])).length,
      weightDataBytes: dataBytes,
    },
  };
}
