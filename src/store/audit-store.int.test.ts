import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from './testing.js';
import { createAuditStore } from './audit-store.js';
import { openPostgres } from './postgres.js';
import { GENESIS_HASH, entryHash, type AuditRecord } from '../app/audit/chain.js';
import { verifyAuditChain } from '../app/audit/use-cases.js';

const record = (n: number, patch: Partial<AuditRecord> = {}): AuditRecord => ({
  at: new Date(Date.UTC(2030, 3, 1, 0, 0, n)),
  actor: 'alice@example.jp',
  action: 'POST /api/tenants/{code}/systems',
  target: { code: '131016' },
  tenant: '131016',
  source: { ip: '127.0.0.1', forwardedFor: null, userAgent: 'hatoba-cli' },
  result: { status: 201, outcome: 'succeeded' },
  dryRun: false,
  details: { n },
  ...patch,
});

for (const backend of backends()) {
  describe(`audit store on ${backend.name}`, () => {
    let handle: TestDatabase;
    beforeEach(async () => {
      handle = await backend.open();
    });
    afterEach(async () => handle.dispose());

    const appendMany = async (count: number) => {
      const log = createAuditStore(handle.db);
      for (let n = 1; n <= count; n++) await log.append(record(n));
      return log;
    };
    // Tampering is done the way an intruder with the database owner's rights would: past the trigger.
    const tamper = async (sql: string) => {
      await handle.db.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await handle.db.exec(sql);
    };

    it('chains each entry to the one before it and reads them back with hashes that recompute', async () => {
      const log = await appendMany(3);
      const entries = await log.read(0, 10);
      assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3]);
      assert.equal(entries[0]?.prevHash, GENESIS_HASH);
      assert.equal(entries[1]?.prevHash, entries[0]?.hash);
      assert.equal(entries[2]?.prevHash, entries[1]?.hash);
      for (const e of entries) assert.equal(entryHash(e), e.hash);
      assert.deepEqual(entries[2]?.details, { n: 3 });
      assert.deepEqual(await log.head(), { seq: 3, hash: entries[2]?.hash });
      assert.deepEqual(await verifyAuditChain(log, 2), { intact: true, entries: 3, head: entries[2]?.hash, message: { ja: '監査ログは改ざんされていません (3 件)', en: 'the audit trail is intact (3 entries)' } });
    });

    it('refuses to update or delete an entry through SQL while the append-only trigger is on', async () => {
      await appendMany(1);
      await assert.rejects(handle.db.exec("UPDATE audit_log SET actor = 'mallory@example.jp'"), /append-only/);
      await assert.rejects(handle.db.exec('DELETE FROM audit_log'), /append-only/);
    });

    it('names an entry whose details were changed in SQL as altered', async () => {
      const log = await appendMany(5);
      await tamper(`UPDATE audit_log SET details = '{"n": 99}' WHERE seq = 3`);
      const result = await verifyAuditChain(log, 2);
      assert.equal(result.intact, false);
      assert.deepEqual(result.intact ? null : result.broken, { seq: 3, kind: 'altered' });
      assert.equal(result.message.en, 'entry 3 was altered');
      assert.equal(result.message.ja, '監査ログのエントリ 3 が改ざんされています');
    });

    it('names a deleted entry as missing', async () => {
      const log = await appendMany(5);
      await tamper('DELETE FROM audit_log WHERE seq = 2');
      const result = await verifyAuditChain(log, 2);
      assert.deepEqual(result.intact ? null : result.broken, { seq: 2, kind: 'missing' });
      assert.equal(result.message.en, 'entry 2 is missing');
    });

    it('catches the last entry altered, even with its hash recomputed, and the last entries deleted', async () => {
      const log = await appendMany(4);
      const last = (await log.read(3, 1))[0];
      assert.ok(last !== undefined);
      const forged = { ...last, actor: 'mallory@example.jp' };
      await tamper(`UPDATE audit_log SET actor = 'mallory@example.jp', hash = '${entryHash(forged)}' WHERE seq = 4`);
      const result = await verifyAuditChain(log);
      assert.deepEqual(result.intact ? null : result.broken, { seq: 4, kind: 'altered' });
      await handle.db.exec('DELETE FROM audit_log WHERE seq >= 3');
      const truncated = await verifyAuditChain(log);
      assert.deepEqual(truncated.intact ? null : truncated.broken, { seq: 3, kind: 'missing' });
    });

    it('filters by tenant and period, from inclusive and to exclusive', async () => {
      const log = createAuditStore(handle.db);
      for (let n = 1; n <= 6; n++) await log.append(record(n, { tenant: n % 2 === 0 ? '131016' : '011002' }));
      const slice = await log.read(0, 100, { tenant: '131016', from: new Date(Date.UTC(2030, 3, 1, 0, 0, 2)), to: new Date(Date.UTC(2030, 3, 1, 0, 0, 6)) });
      assert.deepEqual(slice.map((e) => e.seq), [2, 4]);
    });

    it('finds by tenant an entry that names it only in details.tenants, and no entry naming it as a substring', async () => {
      const log = createAuditStore(handle.db);
      await log.append(record(1, { tenant: null, details: { tenants: ['011002', '131016'], tenantCount: 2 } }));
      await log.append(record(2, { tenant: null, details: { tenants: ['1310160'], tenantCount: 1 } }));
      await log.append(record(3, { tenant: '011002' }));
      await log.append(record(4, { tenant: null, details: { tenant: '131016' } }));
      assert.deepEqual((await log.read(0, 100, { tenant: '131016' })).map((e) => e.seq), [1]);
      assert.deepEqual((await log.read(0, 100, { tenant: '011002' })).map((e) => e.seq), [1, 3]);
      assert.equal((await verifyAuditChain(log)).intact, true);
    });

    if (backend.name === 'postgres') {
      it('never forks the chain when two connections append at the same time', async () => {
        assert.ok(handle.url !== undefined);
        const other = await openPostgres(handle.url);
        try {
          const a = createAuditStore(handle.db);
          const b = createAuditStore(other);
          await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).append(record(i + 1))));
          const entries = await a.read(0, 100);
          assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
          assert.equal(new Set(entries.map((e) => e.prevHash)).size, 40);
          assert.equal((await verifyAuditChain(a, 7)).intact, true);
        } finally {
          await other.close();
        }
      });
    }
  });
}
