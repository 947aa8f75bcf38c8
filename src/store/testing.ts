/**
 * Test harness: gives each integration suite a fresh, migrated database on every backend that is
 * present. PGlite always; PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) names a server, in a
 * throwaway database created for the suite and dropped after it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import { migrate } from './migrate.js';

export type Backend = { name: 'pglite' | 'postgres'; open: () => Promise<TestDatabase> };
export type TestDatabase = { db: Database; url?: string; dispose: () => Promise<void> };

export function serverUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return url !== undefined && url.startsWith('postgres') ? url : undefined;
}

export function backends(): Backend[] {
  const list: Backend[] = [{ name: 'pglite', open: openPgliteForTest }];
  const url = serverUrl();
  if (url !== undefined) list.push({ name: 'postgres', open: () => openPostgresForTest(url) });
  return list;
}

// Initialising PGlite costs seconds; a migrated template is built once per process and cloned.
let template: Promise<Blob> | undefined;

async function openPgliteForTest(): Promise<TestDatabase> {
  template ??= (async () => {
    const { db, dump } = await openPglite();
    await migrate(db);
    const blob = await dump();
    await db.close();
    return blob;
  })();
  const { db } = await openPglite(undefined, { loadDataDir: await template });
  return { db, dispose: () => db.close() };
}

/** Creates a throwaway database on the server and returns its URL (for child processes too). */
export async function createScratchDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hatoba_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function openPostgresForTest(url: string): Promise<TestDatabase> {
  const scratch = await createScratchDatabase(url);
  const db = await openPostgres(scratch.url);
  await migrate(db);
  return {
    db,
    url: scratch.url,
    dispose: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}
