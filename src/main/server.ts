import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { openDatabase } from './database.js';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import { buildApi } from './api.js';
import type { WorkflowRunner } from '../workflows/engine/runner.js';

export type Role = 'all' | 'api' | 'worker';

export type RunningServer = { url: string | undefined; container: Container; stop: () => Promise<void> };

/** Starts the roles asked for on one process: the HTTP API, the workers, or both. */
export async function startServer(config: Config, options: { role: Role; seed?: (c: Container) => Promise<void>; container?: ContainerOptions }): Promise<RunningServer> {
  const { db, close } = await openDatabase(config);
  let server: ServerType | undefined;
  let runner: WorkflowRunner | undefined;
  try {
    const container = await createContainer(config, db, options.container);
    if (options.seed !== undefined) await options.seed(container);
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
    }
    return {
      url,
      container,
      stop: async () => {
        await runner?.stop();
        await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
        await close();
      },
    };
  } catch (error) {
    await runner?.stop();
    server?.close();
    await close();
    throw error;
  }
}
