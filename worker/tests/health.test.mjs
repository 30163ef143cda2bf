import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startProxy } from './harness.mjs';

let proxy;
before(async () => {
  proxy = await startProxy({ bindings: { SANDBOX_CONTROLS: 'true' } });
});
after(() => proxy?.dispose());

test('GET /health answers on workerd and names the upstream kind', async () => {
  const response = await proxy.fetch('/health');
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok', upstream: 'sandbox', proxyCallback: false });
});
