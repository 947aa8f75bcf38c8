import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Database } from './database.js';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 741_852_963;

const AppliedRow = z.object({ name: z.string(), checksum: z.string() });

/**
 * Applies every pending migration in file-name order, each in its own transaction, under an
 * advisory lock so several processes starting at once migrate exactly once. An applied migration
 * whose file changed afterwards is refused: migrations are append-only.
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map(
      (await tx.query('SELECT name, checksum FROM schema_migrations')).map((r) => {
        const row = AppliedRow.parse(r);
        return [row.name, row.checksum] as const;
      }),
    );
    const ran: string[] = [];
    for (const file of files) {
      const sql = await readFile(migrationsDir + file, 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const known = applied.get(file);
      if (known !== undefined) {
        if (known !== checksum) throw new Error(`migration ${file} was changed after it was applied`);
        continue;
      }
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file, checksum]);
      ran.push(file);
    }
    return ran;
  });
}
