import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { backends, type TestDatabase } from '../store/testing.js';
import { provisioningHarness, demoTargets } from '../main/testing/harness.js';
import { authenticateByTestHeader, TEST_PRINCIPAL_HEADER, tenantPrincipal, testOperator } from './testing.js';
import { buildApi } from '../main/api.js';
import type { Container } from '../main/container.js';
import { TenantImportResult } from '../contracts/registry.js';
import { FindingPage } from '../contracts/posture.js';
import { withLocalGovernmentCheckDigit } from '../domain/registry/codes.js';
import { organisationCsvLines } from '../app/registry/fixtures/organisation-csv.js';
import { seedDemoResources } from '../app/posture/demo-resources.js';
import { registerAccount } from '../app/posture/fixtures/accounts.js';
import type { AuditEntry } from '../app/audit/chain.js';
import { MAX_AUDIT_TENANTS } from './audit-trail.js';

type App = ReturnType<typeof buildApi>;
const Exported = z.object({ seq: z.number(), action: z.string(), tenant: z.string().nullable(), details: z.record(z.string(), z.unknown()) });

const send = (app: App, method: string, path: string, body?: string, type = 'application/json', headers: Record<string, string> = {}) =>
  app.request(path, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': type }) }, ...(body === undefined ? {} : { body }) });

for (const backend of backends()) {
  describe(`audit entries name the tenants of body-addressed routes on ${backend.name}`, () => {
    let t: TestDatabase | undefined;
    let c: Container;
    let app: App;
    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      app = buildApi(c, { authenticate: authenticateByTestHeader(testOperator) });
    });
    after(async () => t?.dispose());

    const last = async (): Promise<AuditEntry> => {
      const head = await c.auditLog.head();
      return (await c.auditLog.read(head.seq - 1, 1))[0] ?? assert.fail('no audit entry');
    };
    const exportedSeqs = async (tenant: string): Promise<number[]> => {
      const response = await send(app, 'GET', `/api/audit/export?tenant=${tenant}`);
      assert.equal(response.status, 200);
      return (await response.text()).trim().split('\n').filter((l) => l !== '').map((l) => Exported.parse(JSON.parse(l)).seq);
    };

    it('records the new tenant of POST /api/tenants, and its code when the code is taken', async () => {
      const code = withLocalGovernmentCheckDigit('13102');
      const body = JSON.stringify({ code, kind: 'special_ward', nameJa: '中央区', nameEn: 'Chuo City', billingEmail: 'billing@chuo.example' });
      assert.equal((await send(app, 'POST', '/api/tenants', body)).status, 201);
      const created = await last();
      assert.equal(created.tenant, code);
      assert.equal((await send(app, 'POST', '/api/tenants', body)).status, 409);
      const refused = await last();
      assert.equal(refused.tenant, code);
      assert.deepEqual(await exportedSeqs(code), [created.seq, refused.seq]);
    });

    it('records at most 50 imported tenant codes and their count, and the export by tenant finds the import', async () => {
      const csv = organisationCsvLines(60).lines.join('\n');
      const response = await send(app, 'POST', '/api/tenants/import?update=true', csv, 'text/csv');
      assert.equal(response.status, 200);
      const codes = [...new Set(TenantImportResult.parse(await response.json()).rows.map((r) => r.code))].sort();
      const entry = await last();
      assert.equal(entry.tenant, null);
      assert.deepEqual(entry.details.tenants, codes.slice(0, MAX_AUDIT_TENANTS));
      assert.equal(entry.details.tenantCount, codes.length);
      assert.ok(codes.length > MAX_AUDIT_TENANTS);
      assert.ok((await exportedSeqs(codes[0] ?? '')).includes(entry.seq));
    });

    it('records the tenant of a single account request named by systemId, resolved by the use case', async () => {
      const [target] = demoTargets();
      assert.ok(target !== undefined);
      const dry = await send(app, 'POST', '/api/account-requests?dryRun=true', JSON.stringify({ ...target, environment: 'dev', accountName: `audit-${randomBytes(3).toString('hex')}` }));
      assert.equal(dry.status, 200);
      const systemId = z.object({ requests: z.array(z.object({ systemId: z.string() })) }).parse(await dry.json()).requests[0]?.systemId ?? assert.fail('no system');
      const response = await send(app, 'POST', '/api/account-requests', JSON.stringify({ systemId, environment: 'dev', accountName: `audit-${randomBytes(3).toString('hex')}` }));
      assert.equal(response.status, 202);
      const entry = await last();
      assert.equal(entry.tenant, target.tenantCode);
      assert.ok((await exportedSeqs(target.tenantCode)).includes(entry.seq));
    });

    it('records the distinct tenants of a batch and of a CSV import in details.tenants', async () => {
      const targets = demoTargets();
      const codes = [...new Set(targets.map((x) => x.tenantCode))].sort();
      assert.ok(codes.length > 1);
      const items = targets.map((x, i) => ({ ...x, environment: 'dev', accountName: `batch-${randomBytes(2).toString('hex')}-${i}` }));
      assert.equal((await send(app, 'POST', '/api/account-requests/batch', JSON.stringify({ requests: items }))).status, 202);
      const batch = await last();
      assert.equal(batch.tenant, null);
      assert.deepEqual(batch.details, { tenants: codes, tenantCount: codes.length });

      const csv = ['tenant_code,system_name,environment,account_name', ...targets.map((x, i) => `${x.tenantCode},${x.systemName},dev,csv-${randomBytes(2).toString('hex')}-${i}`)].join('\n');
      assert.equal((await send(app, 'POST', '/api/account-requests/import', csv, 'text/csv')).status, 202);
      const imported = await last();
      assert.deepEqual(imported.details, { tenants: codes, tenantCount: codes.length });
      const seqs = await exportedSeqs(codes[1] ?? '');
      assert.ok(seqs.includes(batch.seq) && seqs.includes(imported.seq));
    });

    it('records the tenant of a suppressed and unsuppressed finding, and the chain still verifies', async () => {
      const account = await registerAccount(c, `audit-${randomBytes(3).toString('hex')}`, 0);
      await seedDemoResources(c.cloud, account.providerAccountId, 0);
      assert.equal((await send(app, 'POST', '/api/posture/sweep')).status, 200);
      const page = FindingPage.parse(await (await send(app, 'GET', `/api/findings?account=${account.accountId}&status=active&limit=1`)).json());
      const finding = page.items[0] ?? assert.fail('no finding');
      const body = JSON.stringify({ reason: 'accepted until the migration', until: new Date(Date.now() + 86_400_000).toISOString() });
      // Suppressing is the tenant's decision: its admin does it.
      const tenant = await c.registryDeps.store.getOrganisationByCode(account.tenantCode) ?? assert.fail('no tenant');
      const admin = { [TEST_PRINCIPAL_HEADER]: JSON.stringify(tenantPrincipal(tenant)) };
      assert.equal((await send(app, 'POST', `/api/findings/${finding.id}/suppress`, body, 'application/json', admin)).status, 200);
      const suppressed = await last();
      assert.equal(suppressed.tenant, account.tenantCode);
      assert.equal((await send(app, 'POST', `/api/findings/${finding.id}/unsuppress`, undefined, 'application/json', admin)).status, 200);
      const unsuppressed = await last();
      assert.equal(unsuppressed.tenant, account.tenantCode);
      const seqs = await exportedSeqs(account.tenantCode);
      assert.ok(seqs.includes(suppressed.seq) && seqs.includes(unsuppressed.seq));
      const verified = z.object({ intact: z.boolean() }).parse(await (await send(app, 'GET', '/api/audit/verify')).json());
      assert.equal(verified.intact, true);
    });
  });
}
