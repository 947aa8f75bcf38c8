import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from './testing.js';
import { migrate } from './migrate.js';

for (const backend of backends()) {
  describe(`migrations on ${backend.name}`, () => {
    it('applies every migration once and nothing on a second run', async () => {
      const { db, dispose } = await backend.open();
      try {
        assert.deepEqual(await migrate(db), []);
        const rows = await db.query('SELECT count(*)::int AS n FROM schema_migrations');
        assert.ok(Number(rows[0]?.n) >= 1);
      } finally {
        await dispose();
      }
    });
  });
}
