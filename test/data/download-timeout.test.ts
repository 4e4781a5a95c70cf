import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FetchLike, fetchVerified, sha256Hex } from '../../src/data/download.js';

const payload = new TextEncoder().encode('the file');

/** A real fetch holds a socket that keeps Node's event loop alive; these fakes hold nothing, so a timer does. */
async function withLiveLoop<T>(f: () => Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => {}, 1000);
  try {
    return await f();
  } finally {
    clearInterval(keepAlive);
  }
}

describe('downloads give up on a stalled mirror', () => {
  it('abandons a mirror that never answers and takes the file from the next one', async () => {
    const sha256 = await sha256Hex(payload);
    const asked: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      asked.push(url);
      if (url.startsWith('https://stalled.example')) {
        // Never resolves by itself; only the abort signal ends it.
        return new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      return { ok: true, status: 200, arrayBuffer: async () => payload.slice().buffer };
    };
    const mirrors = ['https://stalled.example/', 'https://good.example/'];
    const started = Date.now();
    const bytes = await withLiveLoop(() =>
      fetchVerified(
        { name: 'f.bin', sha256 },
        { what: 'test', folder: 'x', mirrors, fetch, fs: null, timeoutMs: 100 },
      ),
    );
    assert.deepEqual(bytes, payload);
    assert.deepEqual(asked, ['https://stalled.example/f.bin', 'https://good.example/f.bin']);
    assert.ok(Date.now() - started < 5000);
  });

  it('a body that never completes also times out, even when the fetch ignores the signal', async () => {
    const sha256 = await sha256Hex(payload);
    const fetch: FetchLike = async () => ({
      ok: true,
      status: 200,
      arrayBuffer: () => new Promise<ArrayBuffer>(() => {}),
    });
    const mirrors = ['https://slow.example/'];
    await assert.rejects(
      withLiveLoop(() =>
        fetchVerified(
          { name: 'f.bin', sha256 },
          { what: 'test', folder: 'x', mirrors, fetch, fs: null, timeoutMs: 100 },
        ),
      ),
      /https:\/\/slow\.example\/f\.bin: no complete answer within 0\.1 s/,
    );
  });
});
