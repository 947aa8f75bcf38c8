import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRoute, z } from '@hono/zod-openapi';
import { createApi } from '../app.js';
import { auditRoutes } from './audit.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createAuditStore } from '../../store/audit-store.js';
import type { AuditLog } from '../../app/ports/audit-log.js';
import { entryHash, type AuditRecord } from '../../app/audit/chain.js';
import { conflict } from '../../domain/errors.js';

const widgets = createRoute({
  method: 'post', path: '/api/tenants/{tenant}/widgets',
  request: { params: z.object({ tenant: z.string() }), headers: z.object({ 'x-hatoba-actor': z.email().optional() }), query: z.object({ dryRun: z.string().optional() }), body: { content: { 'application/json': { schema: z.object({ secret: z.string() }) } }, required: true } },
  responses: { 201: { description: 'made', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } }, 409: { description: 'taken' } },
});

const record = (n: number, patch: Partial<AuditRecord>): AuditRecord => ({
  at: new Date(Date.UTC(2030, 3, n)), actor: 'alice@example.jp', action: 'PUT /api/placement-rules', target: {}, tenant: null,
  source: { ip: null, forwardedFor: null, userAgent: null }, result: { status: 200, outcome: 'succeeded' }, dryRun: false, details: {}, ...patch,
});

for (const backend of backends()) {
  describe(`the audit trail over HTTP on ${backend.name}`, () => {
    let handle: TestDatabase;
    let log: AuditLog;
    let app: ReturnType<typeof createApi>;
    before(async () => {
      handle = await backend.open();
      log = createAuditStore(handle.db);
      app = createApi(
        [
          auditRoutes(log),
          (a) =>
            a.openapi(widgets, (c) => {
              if (c.req.valid('param').tenant === 'taken') throw conflict('taken');
              return c.json({ ok: true }, 201);
            }),
        ],
        { version: 'test', access: 'unrestricted', audit: log },
      );
    });
    after(async () => handle.dispose());

    const post = (tenant: string, query = '', headers: Record<string, string> = {}) =>
      app.request(`/api/tenants/${tenant}/widgets${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hatoba-actor': 'alice@example.jp', 'user-agent': 'hatoba-cli/0.1', 'x-forwarded-for': '203.0.113.7', ...headers },
        body: JSON.stringify({ secret: 'hunter2' }),
      });

    it('records a POST with its actor, action, target, tenant, source and result, but not its body', async () => {
      assert.equal((await post('131016')).status, 201);
      const [entry] = await log.read(0, 10);
      assert.ok(entry !== undefined);
      assert.equal(entry.actor, 'alice@example.jp');
      assert.equal(entry.action, 'POST /api/tenants/{tenant}/widgets');
      assert.deepEqual(entry.target, { tenant: '131016' });
      assert.equal(entry.tenant, '131016');
      assert.deepEqual(entry.source, { ip: null, forwardedFor: '203.0.113.7', userAgent: 'hatoba-cli/0.1' });
      assert.deepEqual(entry.result, { status: 201, outcome: 'succeeded' });
      assert.equal(entry.dryRun, false);
      assert.doesNotMatch(JSON.stringify(entry), /hunter2/);
      assert.equal(entryHash(entry), entry.hash);
    });

    it('records refusals, dry runs and unmatched paths, and not reads', async () => {
      assert.equal((await post('taken')).status, 409);
      assert.equal((await post('131016', '', { 'x-hatoba-actor': 'not-an-email' })).status, 422);
      assert.equal((await post('131016', '?dryRun=true')).status, 201);
      assert.equal((await app.request('/api/nowhere', { method: 'DELETE' })).status, 404);
      assert.equal((await app.request('/api/audit/verify')).status, 200);
      const entries = (await log.read(1, 10)).map((e) => [e.result.status, e.result.outcome, e.dryRun, e.actor, e.action]);
      assert.deepEqual(entries, [
        [409, 'refused', false, 'alice@example.jp', 'POST /api/tenants/{tenant}/widgets'],
        [422, 'refused', false, 'not-an-email', 'POST /api/tenants/{tenant}/widgets'],
        [201, 'succeeded', true, 'alice@example.jp', 'POST /api/tenants/{tenant}/widgets'],
        [404, 'refused', false, 'operator@hatoba.local', 'DELETE unmatched'],
      ]);
    });

    it('answers that the chain over HTTP is intact, with its entry count and head', async () => {
      const intact = await (await app.request('/api/audit/verify')).json();
      assert.deepEqual(intact, { intact: true, entries: 5, head: (await log.head()).hash, message: { ja: '監査ログは改ざんされていません (5 件)', en: 'the audit trail is intact (5 entries)' } });
    });

    it('exports by tenant and period as JSON Lines with hashes, and as CSV quoted by RFC 4180', async () => {
      await log.append(record(10, { tenant: '011002', actor: 'bob@example.jp', details: { note: 'a "quoted", multi\nline value' } }));
      await log.append(record(20, { tenant: '011002' }));
      await log.append(record(15, { tenant: '131016' }));
      const res = await app.request('/api/audit/export?format=jsonl&tenant=011002&from=2030-04-01T00:00:00Z&to=2030-04-15T00:00:00Z');
      assert.equal(res.headers.get('content-type'), 'application/jsonl; charset=utf-8');
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { seq: number; actor: string; hash: string; prevHash: string });
      assert.deepEqual(lines.map((l) => [l.seq, l.actor]), [[6, 'bob@example.jp']]);
      assert.match(lines[0]?.prevHash ?? '', /^[0-9a-f]{64}$/);
      const csv = await (await app.request('/api/audit/export?format=csv&tenant=011002')).text();
      const rows = csv.split('\r\n');
      assert.equal(rows[0], 'seq,at,actor,action,target,tenant,source_ip,forwarded_for,user_agent,status,outcome,dry_run,details,prev_hash,hash');
      assert.match(csv, /,"\{""note"":""a \\""quoted\\"", multi\\nline value""\}",/);
      assert.equal(rows.filter((r) => /^\d/.test(r)).length, 2);
    });

    it('refuses an empty period and an unknown format with 422 at their location', async () => {
      const empty = await app.request('/api/audit/export?from=2030-04-02T00:00:00Z&to=2030-04-01T00:00:00Z');
      assert.equal(empty.status, 422);
      assert.deepEqual(((await empty.json()) as { issues: { path: unknown[] }[] }).issues[0]?.path, ['query', 'to']);
      assert.equal((await app.request('/api/audit/export?format=xml')).status, 422);
    });
  });
}
