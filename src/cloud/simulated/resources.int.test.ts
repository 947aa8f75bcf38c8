import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ResourceChange } from '../../app/ports/cloud.js';
import { ManualClock } from '../contract-tests/index.js';
import { createAccountNow, rejectsWith } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { openPostgres } from '../../store/postgres.js';
import type { Database } from '../../store/database.js';
import { createSimulatedCloud, type SimulatedCloud } from './driver.js';

for (const backend of backends()) {
  describe(`twin resources on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => {
      await database.dispose();
    });

    const open = async (name = randomUUID(), db: Database = database.db, clock = new ManualClock()) => {
      const twin = await createSimulatedCloud({ db, clock, config: { twin: name, accountCreationDurationMs: 1_000 } });
      const { accountId } = await createAccountNow({ driver: twin, advance: async (ms) => clock.advance(ms), dispose: async () => undefined }, 'res');
      return { twin, clock, accountId };
    };

    async function readAll(twin: SimulatedCloud, cursor?: string): Promise<{ changes: ResourceChange[]; cursor: string | undefined }> {
      const changes: ResourceChange[] = [];
      for (;;) {
        const read = await twin.readResourceChanges(cursor, 100);
        if (read.changes.length === 0) return { changes, cursor: read.cursor };
        changes.push(...read.changes);
        cursor = read.cursor;
      }
    }

    it('adds no change when the same properties are put again, and stamps each change with the clock', async () => {
      const { twin, clock, accountId } = await open();
      const volume = { accountId, typeName: 'AWS::EC2::Volume', identifier: 'vol-0123', properties: { Encrypted: false, Size: 8 } };
      const created = clock.now();
      await twin.putResource(volume);
      clock.advance(5_000);
      const again = await twin.putResource({ ...volume, properties: { Size: 8, Encrypted: false } });
      assert.deepEqual(again.updatedAt, created, 'an identical put changes nothing');
      clock.advance(5_000);
      await twin.putResource({ ...volume, properties: { Encrypted: true, Size: 8 } });
      const { changes } = await readAll(twin);
      assert.deepEqual(
        changes.map((c) => [c.operation, c.changedAt.getTime() - created.getTime()]),
        [
          ['CREATE', 0],
          ['UPDATE', 10_000],
        ],
      );
    });

    it("keeps each twin's feed to itself", async () => {
      const a = await open();
      const b = await open();
      await a.twin.putResource({ accountId: a.accountId, typeName: 'AWS::KMS::Key', identifier: 'key-a', properties: { EnableKeyRotation: true } });
      await b.twin.putResource({ accountId: b.accountId, typeName: 'AWS::KMS::Key', identifier: 'key-b', properties: { EnableKeyRotation: false } });
      assert.deepEqual((await readAll(a.twin)).changes.map((c) => c.identifier), ['key-a']);
      assert.deepEqual((await readAll(b.twin)).changes.map((c) => c.identifier), ['key-b']);
    });

    it('refuses a cursor it did not issue and a limit out of range', async () => {
      const { twin } = await open();
      await rejectsWith(twin.readResourceChanges('abc', 10), 'ValidationException');
      await rejectsWith(twin.readResourceChanges(undefined, 0), 'ValidationException');
    });

    it('never lets a reader following the feed miss a change while two instances write at once', async () => {
      // On PostgreSQL the second instance has its own pool, as a second process would: commits interleave.
      const second: Database = database.url === undefined ? database.db : await openPostgres(database.url);
      try {
        const name = randomUUID();
        const clock = new ManualClock();
        const a = await open(name, database.db, clock);
        const b = await createSimulatedCloud({ db: second, clock, config: { twin: name } });
        let writing = true;
        const seen: ResourceChange[] = [];
        const follow = (async () => {
          let cursor: string | undefined;
          while (writing || cursor === undefined) {
            const read = await readAll(a.twin, cursor);
            seen.push(...read.changes);
            cursor = read.cursor;
          }
          seen.push(...(await readAll(a.twin, cursor)).changes);
        })();
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 === 0 ? a.twin : b).putResource({ accountId: a.accountId, typeName: 'AWS::EC2::SecurityGroup', identifier: `sg-${i}`, properties: { GroupDescription: `n${i}` } }),
          ),
        );
        writing = false;
        await follow;
        assert.equal(seen.length, 40, 'every change is read once');
        assert.equal(new Set(seen.map((c) => c.identifier)).size, 40);
      } finally {
        if (second !== database.db) await second.close();
      }
    });
  });
}
