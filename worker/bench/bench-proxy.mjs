// The proxy the scaling benches measure (report, book, batch): the sandbox and the Rust proxy
// under Miniflare (real workerd and D1, configured from wrangler.toml, so it also serves trunk's
// dist/ as its assets, the worker first, as deployed), with an API key and a user who can sign
// in, both of one role. Each bench fills D1 as it needs.
import { randomBytes } from 'node:crypto';

import { sha256hex, startProxy, startSandbox, userEntry } from '../tests/harness.mjs';

/**
 * Starts the sandbox (`sandboxArgs`; by default without a rate limit: a bench sends far more
 * than 240 requests a minute) and the proxy, with an API key and a user of `role`. Resolves to
 * `{ sandbox, proxy, url, headers, user, stop }`: `url` is the proxy's own HTTP address
 * (console and API, for a browser), `headers` carry the API key, `user` ({ username, password })
 * signs in, `stop` ends both processes.
 */
export async function startBenchProxy({ role, sandboxArgs = ['--rate-limit', '0'] }) {
  // workerd resolves the assets folder (../dist) from the working directory and refuses a path
  // that climbs out of it with "..": start from the worker's folder whoever calls.
  process.chdir(new URL('..', import.meta.url).pathname);
  const token = `sbx_${randomBytes(16).toString('hex')}`;
  const apiKey = `fdk_${randomBytes(16).toString('hex')}`;
  const user = { username: 'bench', password: randomBytes(12).toString('hex') };
  const sandbox = await startSandbox({ token, callbackSecret: 'bench', args: sandboxArgs });
  let proxy;
  try {
    proxy = await startProxy({
      sandbox,
      bindings: {
        API_KEYS: JSON.stringify([{ name: 'bench', role, sha256: sha256hex(apiKey) }]),
        USERS: JSON.stringify([userEntry(user.username, role, user.password)]),
        SESSION_SECRET: randomBytes(32).toString('hex'),
      },
    });
    const url = (await proxy.mf.ready).toString().replace(/\/$/, '');
    const headers = { authorization: `Bearer ${apiKey}` };
    const stop = async () => {
      await proxy.dispose();
      await sandbox.stop();
    };
    return { sandbox, proxy, url, headers, user, stop };
  } catch (e) {
    await proxy?.dispose();
    await sandbox.stop();
    throw e;
  }
}
