// Item 7: schema fuzzing with schemathesis (pinned, installed by `cargo xtask setup` into a venv)
// against the sandbox and the proxy, with the OpenAPI document the sandbox serves: no 5xx and
// every response conforming to the schema. Short and bounded here (SCHEMA_EXAMPLES, default 15
// per operation); a long run: SCHEMA_EXAMPLES=500 node --test reliability/schema.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { after, before, test } from 'node:test';

import { figures, miniflareStack } from '../support/reliability.mjs';

const BIN = process.env.SCHEMATHESIS_BIN ?? `${homedir()}/.cache/frontdesk/schemathesis-4.32.5/bin/schemathesis`;
const EXAMPLES = process.env.SCHEMA_EXAMPLES ?? '15';

let t;
before(async () => {
  t = await miniflareStack();
});
after(() => t?.stop());

function run(label, base, auth) {
  const started = Date.now();
  const r = spawnSync(BIN, [
    'run', `${t.sandbox.url}/openapi.json`,
    '--url', `${base}/api/v1`,
    '-H', `Authorization: Bearer ${auth}`,
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--max-examples', EXAMPLES,
    '--seed', '1',
    '--request-timeout', '5',
    '--no-color',
  ], { encoding: 'utf8', timeout: Math.max(240_000, Number(EXAMPLES) * 2_000), cwd: tmpdir(), env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
  const out = `${r.stdout}\n${r.stderr}`;
  const line = out.split('\n').filter((l) => /passed|failed|error/i.test(l)).slice(-3).join(' | ');
  figures(`schemathesis ${label}`, { examplesPerOperation: EXAMPLES, wallMs: Date.now() - started, summary: JSON.stringify(line) });
  return { code: r.status, out };
}

test('schemathesis is installed (cargo xtask setup)', () => {
  assert.ok(existsSync(BIN), `${BIN} missing: run cargo xtask setup`);
});

test('sandbox: no 5xx, responses conform to docs/openapi.json', () => {
  const { code, out } = run('sandbox', t.sandbox.url, t.token);
  assert.equal(code, 0, out.slice(-6000));
});

test('proxy: no 5xx, responses conform to docs/openapi.json', async () => {
  const url = (await t.proxy.mf.ready).toString().replace(/\/$/, '');
  const { code, out } = run('proxy', url, t.keys.admin);
  assert.equal(code, 0, out.slice(-6000));
});
