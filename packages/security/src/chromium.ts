import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's `chromium` package, which CI installs when missing: a real browser, never one
 * downloaded by Playwright.
 *
 * @example
 * ```ts
 * chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH })
 * ```
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, reproducible headless run in a container: no sandbox (CI runs as root), no
 * GPU, and no background traffic (updates, sync, QUIC) that could slow or disturb the test.
 *
 * @example
 * ```ts
 * chromium.launchPersistentContext(dir, { args: [...CHROMIUM_ARGS] })
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Fails with instructions when Chromium is missing: the browser test must never pass by not
 * running.
 *
 * @example
 * ```ts
 * beforeAll(() => requireChromium())
 * ```
 */
export function requireChromium(): void {
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => isExecutable(join(dir, 'chromium')));
  if (!onPath || !isExecutable(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is required for the browser tests but ${onPath ? `${CHROMIUM_PATH} is missing` : '`chromium` is not on PATH'}. ` +
        'Install Debian\'s package: sudo apt-get update && sudo apt-get install -y chromium (.ci/run does this).',
    );
  }
}

/**
 * A headless Chromium with a fresh, empty profile (its own user-data-dir), and the function that
 * closes the browser and deletes the profile.
 *
 * @example
 * ```ts
 * const { context, close } = await launchChromium()
 * try { … } finally { await close() }
 * ```
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  requireChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), 'sess-security-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 30_000,
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A headless Chromium in which each `browser.newContext()` is a separate, incognito-like
 * profile with its own cookie jar: two devices of one user, in one process.
 *
 * @example
 * ```ts
 * const { browser, close } = await launchChromiumBrowser()
 * const laptop = await browser.newContext({ userAgent: 'Laptop' })
 * ```
 */
export async function launchChromiumBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  requireChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
  return { browser, close: () => browser.close() };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
