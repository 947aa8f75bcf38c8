/**
 * The built portal the server serves (web/dist): built once when missing or older than its sources,
 * so a browser test never runs against a stale page.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB = fileURLToPath(new URL('../../web', import.meta.url));
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), fileURLToPath(new URL('../../src/contracts', import.meta.url))];

async function newest(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { recursive: true });
  const times = await Promise.all(entries.map(async (e) => (await stat(join(path, e))).mtimeMs));
  return Math.max(info.mtimeMs, ...times);
}

export async function ensurePortalBuilt(): Promise<void> {
  const built = await stat(join(WEB, 'dist', 'index.html')).then((s) => s.mtimeMs).catch(() => 0);
  const changed = Math.max(...(await Promise.all(SOURCES.map(newest))));
  if (built > changed) return;
  await build({ root: WEB, logLevel: 'warn' });
}
