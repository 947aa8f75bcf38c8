import { PGlite } from '@electric-sql/pglite';
import type { Database, Row, SqlExecutor } from './database.js';

type Options = { loadDataDir?: Blob };

/**
 * Opens the embedded database. `dataDir` undefined means in memory (tests). PGlite allows one
 * connection, so the caller that owns a data folder must hold its lock (see dataDirLock).
 */
export async function openPglite(dataDir?: string, options: Options = {}): Promise<{ db: Database; dump: () => Promise<Blob> }> {
  const pg = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): SqlExecutor => ({
    async query(sql, params = []) {
      const result = await q.query<Row>(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await q.exec(sql);
    },
  });
  const db: Database = {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const unsubscribe = await pg.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    async notify(channel, payload = '') {
      await pg.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await pg.close();
    },
  };
  return { db, dump: async () => pg.dumpDataDir('none') };
}
