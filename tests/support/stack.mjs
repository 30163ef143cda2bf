// The product under test: the stack `cargo xtask test` started (FRONTDESK_STACK), or our own
// `cargo xtask stack` when a suite is run by hand (`node --test e2e/`) or needs other settings.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The stack to test. With `env` (e.g. `{ FRONTDESK_DIALECT: 'live-2025-07' }`) always a stack
 * of our own with those settings, also under `cargo xtask test`: that run has built everything
 * already, so ours starts without building. Its state lives in a temp dir removed on stop.
 */
export async function startStack({ env } = {}) {
  if (process.env.FRONTDESK_STACK && !env) {
    return { info: JSON.parse(process.env.FRONTDESK_STACK), stop: async () => {} };
  }
  const childEnv = { ...process.env, ...env };
  // Never the suite's stack's state dir: `xtask stack` empties FRONTDESK_STACK_KEEP first.
  if (!env?.FRONTDESK_STACK_KEEP) delete childEnv.FRONTDESK_STACK_KEEP;
  delete childEnv.FRONTDESK_STACK;
  if (process.env.FRONTDESK_STACK) childEnv.FRONTDESK_STACK_NO_BUILD = '1';
  const child = spawn('cargo', ['xtask', 'stack'], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`cargo xtask stack exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { info, stop };
}
