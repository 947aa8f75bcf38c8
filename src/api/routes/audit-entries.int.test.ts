import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../app.js';
import { auditRoutes } from './audit.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createAuditStore } from '../../store/audit-store.js';
import type { AuditRecord } from '../../app/audit/chain.js';
import { AuditEntryPage } from '../../contracts/audit.js';
import { Problem } from '../../contracts/common.js';

const record = (day: number, tenant: string | null): AuditRecord => ({
  at: new Date(Date.UTC(2031, 0, day)), actor: 'auditor@example.jp', action: 'POST /api/tenants/{tenant}/systems', target: tenant === null ? {} : { tenant }, tenant,
  source: { ip: '127.0.0.1', forwardedFor: null, userAgent: 'test' }, result: { status: 201, outcome: 'succeeded' }, dryRun: false, details: { n: day },
});

for (const backend of backends()) {
  describe(`the audit entries page on ${backend.name}`, () => {
    let handle: TestDatabase;
    let app: ReturnType<typeof createApi>;
    before(async () => {
      handle = await backend.open();
      const log = createAuditStore(handle.db);
      app = createApi([auditRoutes(log)], { version: 'test', access: 'unrestricted' });
      for (let day = 1; day <= 7; day += 1) await log.append(record(day, day % 2 === 0 ? '131016' : '271004'));
    });
    after(async () => handle.dispose());

    const page = async (query: string) => {
      const res = await app.request(`/api/audit/entries${query}`);
      assert.equal(res.status, 200);
      return AuditEntryPage.parse(await res.json());
    };

    it('pages through every entry in seq order, each with its hash, the last page without a cursor', async () => {
      const first = await page('?limit=3');
      assert.deepEqual(first.items.map((e) => e.seq), [1, 2, 3]);
      assert.match(first.items[0]?.hash ?? '', /^[0-9a-f]{64}$/);
      assert.equal(first.items[1]?.prevHash, first.items[0]?.hash);
      assert.ok(first.nextCursor !== undefined);
      const second = await page(`?limit=3&cursor=${first.nextCursor}`);
      assert.deepEqual(second.items.map((e) => e.seq), [4, 5, 6]);
      const last = await page(`?limit=3&cursor=${second.nextCursor ?? ''}`);
      assert.deepEqual(last.items.map((e) => e.seq), [7]);
      assert.equal(last.nextCursor, undefined);
    });

    it('keeps only the tenant and period asked for', async () => {
      const found = await page('?tenant=131016&from=2031-01-03T00:00:00Z&to=2031-01-07T00:00:00Z');
      assert.deepEqual(found.items.map((e) => e.details['n']), [4, 6]);
      assert.ok(found.items.every((e) => e.tenant === '131016'));
    });

    it('refuses an empty period and a forged cursor with 422 at their location', async () => {
      const empty = await app.request('/api/audit/entries?from=2031-01-05T00:00:00Z&to=2031-01-01T00:00:00Z');
      assert.equal(empty.status, 422);
      assert.deepEqual(Problem.parse(await empty.json()).issues.map((i) => i.path), [['query', 'to']]);
      const forged = await app.request(`/api/audit/entries?cursor=${Buffer.from('1 OR 1=1').toString('base64url')}`);
      assert.equal(forged.status, 422);
      assert.deepEqual(Problem.parse(await forged.json()).issues.map((i) => i.path), [['query', 'cursor']]);
    });
  });
}
