// The product under test: the stack `cargo xtask test` started (FRONTDESK_STACK), or our own
// `cargo xtask stack` when a suite is run by hand (`node --test e2e/`).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function startStack() {
  if (process.env.FRONTDESK_STACK) {
    return { info: JSON.parse(process.env.FRONTDESK_STACK), stop: async () => {} };
  }
  const child = spawn('cargo', ['xtask', 'stack'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`cargo xtask stack exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { info, stop };
}
