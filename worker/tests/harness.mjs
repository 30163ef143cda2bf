// The built proxy (build/index.js + wasm, from worker-build) on the real workerd via Miniflare,
// configured from wrangler.toml itself (so tests never drift from what deploys), with in-memory
// D1 and test secrets. Starts in well under a second.
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

const workerDir = fileURLToPath(new URL('..', import.meta.url));

export async function startProxy({ bindings = {} } = {}) {
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(`${workerDir}wrangler.toml`);
  const mf = new Miniflare({
    ...workerOptions,
    rootPath: workerDir,
    scriptPath: main,
    modules: true,
    d1Databases: ['DB'],
    bindings: {
      ...workerOptions.bindings,
      FRONTPAY_API_BASE: 'http://127.0.0.1:9/api/v1',
      FRONTPAY_TOKEN: 'test-upstream-token',
      ...bindings,
    },
  });
  await mf.ready;
  return {
    fetch: (path, init) => mf.dispatchFetch(new URL(path, 'http://127.0.0.1').toString(), init),
    dispose: () => mf.dispose(),
  };
}
