/**
 * A real `hatoba demo` (API, portal, workers, the bundled identity provider) as a child process on a
 * free loopback port, on the embedded database in a temporary folder, with a fast twin.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, spawnHatoba, stopHatoba, type HatobaProcess } from '../../src/main/testing/processes.js';

/** `url`: the public origin the browser uses (http://localhost:PORT). */
export type DemoServer = { url: string; process: HatobaProcess; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hatoba-e2e-'));
  const port = await freePort();
  // The server listens on the loopback address; people (and cookies, and the provider's redirects) use localhost.
  const direct = `http://127.0.0.1:${port}`;
  const url = `http://localhost:${port}`;
  const child = spawnHatoba(['demo'], {
    HATOBA_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    HATOBA_URL: direct,
    HATOBA_PUBLIC_URL: url,
    HATOBA_TWIN_CREATION_MS: '300',
    HATOBA_POLL_INTERVAL_MS: '50',
    ...env,
  });
  const stop = async () => {
    await stopHatoba(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      'the demo server to answer',
      async () => {
        if (child.hasExited()) throw new Error(`the demo server exited:\n${child.stdout()}\n${child.stderr()}`);
        const res = await fetch(`${direct}/api/health`).catch(() => undefined);
        return res?.ok === true ? true : undefined;
      },
      90_000,
      200,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, process: child, stop };
}
