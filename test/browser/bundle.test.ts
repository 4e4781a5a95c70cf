/**
 * The core must run in a browser: bundling the public entry for the browser must not pull in any Node
 * built-in, and the bundle must work in a bare JavaScript context (no process, require or Buffer).
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { builtinModules } from 'node:module';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

async function bundle(format: 'esm' | 'iife') {
  return build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format,
    globalName: format === 'iife' ? 'ax' : undefined,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('browser bundle of src/index.ts', () => {
  it('bundles for the browser without any Node built-in module', async () => {
    const result = await bundle('esm');
    const imported = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.map((i) => i.path),
    );
    const offenders = imported.filter((p) => nodeBuiltins.has(p));
    assert.deepEqual(offenders, [], `Node built-ins reached from the core: ${offenders.join(', ')}`);
    const nodeOnlyPackages = Object.keys(result.metafile.inputs).filter((p) =>
      /node_modules\/(cli-progress|commander)\//.test(p),
    );
    assert.deepEqual(nodeOnlyPackages, []);
  });

  it('runs in a bare context that has no Node globals', async () => {
    const result = await bundle('iife');
    const code = result.outputFiles[0].text;
    // Only what a browser page offers that the core uses: crypto.getRandomValues and console.
    const context = vm.createContext({ crypto: webcrypto, console });
    vm.runInContext(
      `${code}
       ax.setSeed(7);
       const w = ax.variable(ax.randomNormal([3, 2]), true, 'w');
       const x = ax.tensor([[1, 2, 3]]);
       const loss = ax.sum(ax.square(ax.matMul(x, w)));
       loss.backward();
       globalThis.result = { loss: loss.item(), grad: Array.from(w.grad.dataSync()), hasProcess: typeof process !== 'undefined' };`,
      context,
    );
    const { loss, grad, hasProcess } = context.result as {
      loss: number;
      grad: number[];
      hasProcess: boolean;
    };
    assert.equal(hasProcess, false);
    assert.ok(Number.isFinite(loss) && loss > 0);
    assert.equal(grad.length, 6);
  });
});
