// Debian's Chromium driven by playwright-core: never a downloaded browser.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/**
 * Record a page's uncaught exceptions and console errors into `problems` (to assert none
 * happened), except console errors matching `expected` (answers a test provokes on purpose).
 */
export function watchPage(page, problems, expected = null) {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !expected?.test(text)) problems.push(`console.error: ${text}`);
  });
}

/** A page that records every console error and uncaught exception, to assert none happened. */
export async function newWatchedPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  watchPage(page, problems);
  return { page, problems };
}
