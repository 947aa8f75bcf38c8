import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { openDatabase } from './database.js';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import { buildApi } from './api.js';
import { readCatalog } from './catalog.js';
import type { WorkflowRunner } from '../workflows/engine/runner.js';
import type { DetectiveWorker } from '../app/posture/worker.js';

export type Role = 'all' | 'api' | 'worker';

export type RunningServer = { url: string | undefined; container: Container; stop: () => Promise<void> };

/** What a seed may leave running (the demo's simulated tenant activity); stopped first. */
export type Stoppable = { stop: () => Promise<void> };

/** Starts the roles asked for on one process: the HTTP API, the workers, or both. */
export async function startServer(config: Config, options: { role: Role; seed?: (c: Container) => Promise<Stoppable | undefined>; container?: ContainerOptions }): Promise<RunningServer> {
  // A broken catalog stops the start with every problem listed, before the database is opened or locked.
  const catalog = options.container?.catalog ?? (await readCatalog(config.catalogDir));
  const { db, close } = await openDatabase(config);
  let server: ServerType | undefined;
  let runner: WorkflowRunner | undefined;
  let detective: DetectiveWorker | undefined;
  let seeded: Stoppable | undefined;
  try {
    const container = await createContainer(config, db, { ...options.container, catalog });
    seeded = options.seed === undefined ? undefined : await options.seed(container);
    let url: string | undefined;
    if (options.role !== 'worker') {
      const app = buildApi(container);
      const address = await new Promise<AddressInfo>((resolve, reject) => {
        server = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, resolve);
        server.once('error', reject);
      });
      url = `http://${config.http.host}:${address.port}`;
    }
    if (options.role !== 'api') {
      runner = container.createRunner();
      await runner.start();
      detective = container.createDetectiveWorker();
      detective.start();
    }
    return {
      url,
      container,
      stop: async () => {
        await seeded?.stop();
        await detective?.stop();
        await runner?.stop();
        await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
        await close();
      },
    };
  } catch (error) {
    await seeded?.stop();
    await detective?.stop();
    await runner?.stop();
    server?.close();
    await close();
    throw error;
  }
}
