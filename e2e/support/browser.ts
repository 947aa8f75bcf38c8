/**
 * Debian's chromium driven by playwright-core, as docs/DESIGN.md measured it: the binary itself (the
 * /usr/bin wrapper prints a shell error), headless, no sandbox (root in CI), nothing phoning home, and
 * a fresh profile folder per browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.HATOBA_CHROMIUM ?? '/usr/lib/chromium/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export type Browser = { context: BrowserContext; close: () => Promise<void> };

/** A browser with its own empty profile; `close` removes the profile too. */
export async function openBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'hatoba-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'ja-JP',
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
