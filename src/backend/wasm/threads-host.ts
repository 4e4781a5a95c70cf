/**
 * What the runtime offers for worker threads, found without importing any Node-only module (the core
 * must bundle for browsers): in Node, `process.getBuiltinModule('node:worker_threads')` (Node ≥ 20.16)
 * reached through `globalThis`; in browsers, module Workers from a Blob URL, usable when the page is
 * cross-origin isolated (the only way it gets SharedArrayBuffer). A host can also register its own
 * factory (`registerWorkerFactory`), e.g. an older Node's entry point.
 */

/**
 * A started worker, as the thread pool uses it: one message starts it; it ends by itself when the pool
 * gives up its slot (and never holds a Node process open).
 */
export interface WorkerHandle {
  /** Sends one structured-clonable message (module, shared memory and control block at start). */
  postMessage(message: unknown): void;
}

/** Starts a worker running `source` (a classic script that works in Node's eval workers and browsers). */
export type WorkerFactory = (source: string) => WorkerHandle;

interface NodeWorker {
  postMessage(message: unknown): void;
  unref(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; execArgv: string[]; name?: string }) => NodeWorker;
}

interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

interface NodeProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/** A Node built-in module, when this is Node ≥ 20.16 (undefined elsewhere). */
function nodeBuiltin<T>(id: string): T | undefined {
  const process = (globalThis as { process?: NodeProcessLike }).process;
  try {
    return process?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

function nodeFactory(): WorkerFactory | undefined {
  const threads = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  if (threads === undefined) return undefined;
  return (source) => {
    // execArgv []: the kernel worker needs none of the parent's flags, and some would break it (a
    // loader hook such as tsx slows its start; --input-type=module would make the script a module).
    const worker = new threads.Worker(source, { eval: true, execArgv: [], name: 'axon-kernels' });
    // Idle workers must not keep the process alive: tests and the CLI exit as soon as their work ends.
    worker.unref();
    // Kernel errors are caught inside the worker and reported through the control block; this keeps
    // anything else (the thread failing to start) from becoming an uncaught error of the process.
    worker.on('error', () => {});
    return { postMessage: (m) => worker.postMessage(m) };
  };
}

function browserFactory(): WorkerFactory | undefined {
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL === 'undefined')
    return undefined;
  const urls = new Map<string, string>();
  return (source) => {
    let url = urls.get(source);
    if (url === undefined) {
      url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      urls.set(source, url);
    }
    const worker = new Worker(url, { type: 'module', name: 'axon-kernels' });
    return { postMessage: (m) => worker.postMessage(m) };
  };
}

let registered: WorkerFactory | undefined;
let detected: WorkerFactory | null | undefined;

/**
 * Installs the way to start worker threads, for hosts that the built-in detection does not cover.
 * @example
 * registerWorkerFactory((source) => new MyWorker(source)); // anything with postMessage
 */
export function registerWorkerFactory(factory: WorkerFactory): void {
  registered = factory;
}

/** The factory in use: a registered one, else Node's worker_threads, else browser Workers. */
export function workerFactory(): WorkerFactory | undefined {
  if (registered !== undefined) return registered;
  if (detected === undefined) detected = nodeFactory() ?? browserFactory() ?? null;
  return detected ?? undefined;
}

/**
 * Whether kernels can run on worker threads here: shared memory and Atomics exist, the page (in a
 * browser) is cross-origin isolated, and some way to start a worker is known.
 * @example
 * workersPossible(); // true in Node 20.16+, false on a page without COOP/COEP headers
 */
export function workersPossible(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  return workerFactory() !== undefined;
}

/**
 * Logical cores available to this process: `navigator.hardwareConcurrency` where it exists, else
 * Node's `os.availableParallelism()`, else 1.
 * @example
 * availableCores(); // 2 on a 2-core machine
 */
export function availableCores(): number {
  cores ??= countCores();
  return cores;
}

/** Read once: the count does not change while the process runs, and asking the OS costs µs per call. */
let cores: number | undefined;

function countCores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const fromNavigator = nav?.hardwareConcurrency;
  if (typeof fromNavigator === 'number' && fromNavigator >= 1) return Math.floor(fromNavigator);
  const os = nodeBuiltin<NodeOs>('node:os');
  const fromOs = os?.availableParallelism?.() ?? os?.cpus().length;
  return typeof fromOs === 'number' && fromOs >= 1 ? Math.floor(fromOs) : 1;
}

let blockingAllowed: boolean | undefined;

/**
 * Whether this thread may block in `Atomics.wait` (Node's main thread and workers may; a browser's
 * main thread may not, and then waits spin).
 * @example
 * if (canBlock()) Atomics.wait(flags, 0, 0);
 */
export function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}
