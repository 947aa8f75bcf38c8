import pg from 'pg';
import type { Database, Row } from './database.js';

// int8 and numeric come back as strings by default; we never store values beyond 2^53, so parse them.
pg.types.setTypeParser(20, (value: string) => Number(value));
pg.types.setTypeParser(1700, (value: string) => Number(value));

/** Opens a pool to a PostgreSQL server. */
export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle connection the server drops (restart, failover) must not crash the process: the pool
  // discards it and the next query opens a new one.
  pool.on('error', (error) => console.warn(`database connection lost: ${error.message}`));
  // Fail fast with a clear error when the server is unreachable.
  await pool.query('SELECT 1');
  const listeners: pg.PoolClient[] = [];
  return {
    kind: 'postgres',
    async query(sql, params = []) {
      const result = await pool.query<Row>(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn({
          async query(sql, params = []) {
            const result = await client.query<Row>(sql, params);
            return result.rows;
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      client.on('error', (error) => console.warn(`database listener lost: ${error.message}`));
      listeners.push(client);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        const index = listeners.indexOf(client);
        if (index >= 0) listeners.splice(index, 1);
        client.release();
      };
    },
    async notify(channel, payload = '') {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      for (const client of listeners.splice(0)) client.release();
      await pool.end();
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
