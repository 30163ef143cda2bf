// The `cargo xtask stack` a stack-based reliability suite runs against: the one `cargo xtask
// test` started for the end-to-end run (FRONTDESK_STACK, its JSON line), or — by hand, with
// FRONTDESK_STACK_START=1 — our own. Without either the suite is skipped: the Miniflare run of
// `reliability/` has no stack (and must not build one).
import { startStack } from './stack.mjs';

export const stackSkip =
  !process.env.FRONTDESK_STACK && !process.env.FRONTDESK_STACK_START
    ? 'needs the xtask stack: runs in the end-to-end part of `cargo xtask test` (or set FRONTDESK_STACK_START=1)'
    : false;

export async function stackUnderTest() {
  return startStack();
}

/** Both secrets of the stack, by name, for scans (never printed). */
export function stackSecrets(info) {
  return Object.entries({ token: info.token, callbackSecret: info.callbackSecret }).filter(([, v]) => v);
}
