import type { Config } from './config.js';
import type { Database } from '../store/database.js';
import { openPglite } from '../store/pglite.js';
import { openPostgres } from '../store/postgres.js';
import { migrate } from '../store/migrate.js';
import { lockDataDir } from './data-dir-lock.js';

/** Opens and migrates the configured database; the embedded one under its folder lock. */
export async function openDatabase(config: Config): Promise<{ db: Database; close: () => Promise<void> }> {
  if (config.database.kind === 'postgres') {
    const db = await openPostgres(config.database.url);
    await migrate(db);
    return { db, close: () => db.close() };
  }
  const unlock = await lockDataDir(config.database.dataDir);
  try {
    const { db } = await openPglite(config.database.dataDir);
    await migrate(db);
    return {
      db,
      close: async () => {
        await db.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}
