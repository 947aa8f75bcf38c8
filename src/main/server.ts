import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { openDatabase } from './database.js';
import { createContainer, type Container, type ContainerOptions } from './container.js';
import { buildApi } from './api.js';
import { createIdentity } from './identity.js';
import { mountPortal } from './web.js';
import { readCatalog } from './catalog.js';
import type { WorkflowRunner } from '../workflows/engine/runner.js';
import type { PeopleReconciler } from '../app/people/reconciler.js';
import type { DetectiveWorker } from '../app/posture/worker.js';
import type { BreakGlassWorker } from '../app/break-glass/worker.js';

export type Role = 'all' | 'api' | 'worker';

/** `publicUrl`: the origin people sign in at (HATOBA_PUBLIC_URL, else http://localhost:<port>). */
export type RunningServer = { url: string | undefined; publicUrl: string | undefined; container: Container; stop: () => Promise<void> };

/** What a seed may leave running (the demo's simulated tenant activity); stopped first. */
export type Stoppable = { stop: () => Promise<void> };

/** Starts the roles asked for on one process: the HTTP API, the workers, or both. */
export async function startServer(config: Config, options: { role: Role; seed?: (c: Container) => Promise<Stoppable | undefined>; container?: ContainerOptions; devProvider?: boolean }): Promise<RunningServer> {
  // A broken catalog stops the start with every problem listed, before the database is opened or locked.
  const catalog = options.container?.catalog ?? (await readCatalog(config.catalogDir));
  const { db, close } = await openDatabase(config);
  let server: ServerType | undefined;
  let runner: WorkflowRunner | undefined;
  let detective: DetectiveWorker | undefined;
  let breakGlass: BreakGlassWorker | undefined;
  let people: PeopleReconciler | undefined;
  let seeded: Stoppable | undefined;
  try {
    const container = await createContainer(config, db, { ...options.container, catalog });
    seeded = options.seed === undefined ? undefined : await options.seed(container);
    let url: string | undefined;
    // Known for certain once the server listens (PORT=0 picks the port then).
    let publicUrl = config.identity.publicUrl ?? `http://localhost:${config.http.port}`;
    if (options.role !== 'worker') {
      const identity = createIdentity(config, container, { origin: () => publicUrl, devProvider: options.devProvider === true });
      const app = buildApi(container, { authenticate: identity.authenticate }, identity.modules);
      mountPortal(app);
      const address = await new Promise<AddressInfo>((resolve, reject) => {
        server = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, resolve);
        server.once('error', reject);
      });
      url = `http://${config.http.host}:${address.port}`;
      publicUrl = config.identity.publicUrl ?? `http://localhost:${address.port}`;
    }
    if (options.role !== 'api') {
      runner = container.createRunner();
      await runner.start();
      detective = container.createDetectiveWorker();
      detective.start();
      breakGlass = container.createBreakGlassWorker();
      breakGlass.start();
      // Gives a tenant's people the accounts that became ready after them.
      people = container.createPeopleReconciler();
      people.start();
    }
    return {
      url,
      publicUrl: options.role === 'worker' ? undefined : publicUrl,
      container,
      stop: async () => {
        await seeded?.stop();
        await people?.stop();
        await breakGlass?.stop();
        await detective?.stop();
        await runner?.stop();
        await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
        await close();
      },
    };
  } catch (error) {
    await seeded?.stop();
    await people?.stop();
    await breakGlass?.stop();
    await detective?.stop();
    await runner?.stop();
    server?.close();
    await close();
    throw error;
  }
}
