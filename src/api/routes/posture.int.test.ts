import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness } from '../../main/testing/harness.js';
import type { Container } from '../../main/container.js';
import { createApi } from '../app.js';
import { postureRoutes } from './posture.js';
import { Problem } from '../../contracts/common.js';
import { AccountPostureView, EstatePostureView, FindingPage, FindingView, SweepResultView, TenantPostureView, suppressionExpiry } from '../../contracts/posture.js';
import { seedDemoResources } from '../../app/posture/demo-resources.js';
import { registerAccount, type RegisteredAccount } from '../../app/posture/fixtures/accounts.js';

type App = ReturnType<typeof createApi>;
const OpenApiDoc = z.object({ paths: z.record(z.string(), z.unknown()) });

const send = (app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

for (const backend of backends()) {
  describe(`posture API on ${backend.name}`, () => {
    let database: TestDatabase;
    let c: Container;
    let app: App;
    const accounts: RegisteredAccount[] = [];
    before(async () => {
      database = await backend.open();
      c = await provisioningHarness(database.db);
      app = createApi([postureRoutes(c.postureDeps)], { version: 'test', access: 'unrestricted' });
      for (let position = 0; position < 4; position += 1) {
        const account = await registerAccount(c, `api-${position}-${randomBytes(3).toString('hex')}`, position % 2);
        await seedDemoResources(c.cloud, account.providerAccountId, position);
        accounts.push(account);
      }
    });
    after(async () => database.dispose());

    const first = () => accounts[0] ?? assert.fail('no account');

    it('sweeps on POST /api/posture/sweep and answers what it did', async () => {
      const response = await send(app, 'POST', '/api/posture/sweep');
      assert.equal(response.status, 200);
      const result = SweepResultView.parse(await response.json());
      assert.equal(result.accounts, 4);
      assert.ok(result.opened >= 5, `${result.opened} opened`);
    });

    it('lists findings with filters and pages, most severe first', async () => {
      const all = FindingPage.parse(await (await send(app, 'GET', '/api/findings?status=active&limit=500')).json());
      const ranks = all.items.map((f) => ['critical', 'high', 'medium', 'low', 'informational'].indexOf(f.severity));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
      assert.ok(all.items.some((f) => f.controlId === 'HTB-VPC-004' && f.accountId === first().providerAccountId));
      assert.equal(all.items[0]?.severityLabel.ja, '重大');

      const byAccount = FindingPage.parse(await (await send(app, 'GET', `/api/findings?account=${first().accountId}&severity=critical`)).json());
      assert.ok(byAccount.items.length >= 2);
      assert.ok(byAccount.items.every((f) => f.accountId === first().providerAccountId && f.severity === 'critical'));

      const byTenant = FindingPage.parse(await (await send(app, 'GET', `/api/findings?tenant=${first().tenantCode}&limit=1`)).json());
      assert.equal(byTenant.items.length, 1);
      assert.ok(byTenant.nextCursor !== undefined);
      const next = FindingPage.parse(await (await send(app, 'GET', `/api/findings?tenant=${first().tenantCode}&limit=1&cursor=${byTenant.nextCursor}`)).json());
      assert.notEqual(next.items[0]?.id, byTenant.items[0]?.id);

      const unknown = await send(app, 'GET', '/api/findings?tenant=999999');
      assert.equal(unknown.status, 404);
      const bad = Problem.parse(await (await send(app, 'GET', '/api/findings?severity=severe')).json());
      assert.deepEqual(bad.issues.map((i) => i.path.join('.')), ['query.severity']);
    });

    it('suppresses a finding with the actor, a reason and a date meaning the end of that day in Japan, and ends the suppression', async () => {
      const page = FindingPage.parse(await (await send(app, 'GET', `/api/findings?account=${first().providerAccountId}&control=HTB-VPC-004`)).json());
      const id = page.items[0]?.id ?? assert.fail('no finding');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const response = await send(app, 'POST', `/api/findings/${id}/suppress`, { reason: '踏み台の移行中 / bastion being replaced', until: tomorrow }, { 'x-hatoba-actor': 'sec@city.example.jp' });
      assert.equal(response.status, 200);
      const suppressed = FindingView.parse(await response.json());
      assert.equal(suppressed.status, 'suppressed');
      assert.equal(suppressed.suppression?.by, 'sec@city.example.jp');
      assert.equal(suppressed.suppression?.until, suppressionExpiry(tomorrow).toISOString());
      assert.equal(suppressed.suppression?.until.slice(11), '15:00:00.000Z', 'midnight in Japan, at the end of the day named');

      const refused = await send(app, 'POST', `/api/findings/${id}/suppress`, { reason: 'x', until: '2000-01-01' });
      assert.equal(refused.status, 422);
      assert.deepEqual(Problem.parse(await refused.json()).issues.map((i) => i.path.join('.')), ['body.until']);
      assert.equal((await send(app, 'POST', `/api/findings/${id}/suppress`, { until: tomorrow })).status, 422);

      const ended = FindingView.parse(await (await send(app, 'POST', `/api/findings/${id}/unsuppress`)).json());
      assert.equal(ended.status, 'active');
      assert.equal((await send(app, 'POST', `/api/findings/${id}/unsuppress`)).status, 409);
      const unknown = await send(app, 'POST', '/api/findings/HTB-X-001.000000000000000000000000/suppress', { reason: 'x', until: tomorrow });
      assert.equal(unknown.status, 404);
      assert.equal(Problem.parse(await unknown.json()).message, '検出結果 HTB-X-001.000000000000000000000000 が見つかりません / finding HTB-X-001.000000000000000000000000 was not found');
      assert.equal((await send(app, 'GET', `/api/findings/${id}`)).status, 200);
    });

    it('answers the posture of an account, a tenant and the estate, against the 90% target', async () => {
      const account = AccountPostureView.parse(await (await send(app, 'GET', `/api/posture/accounts/${first().providerAccountId}`)).json());
      assert.equal(account.account.id, first().accountId);
      assert.equal(account.tenant.code, first().tenantCode);
      assert.equal(account.score.target, 0.9);
      assert.equal(account.score.meetsTarget, false, 'the demo account with open SSH and no root MFA is below target');
      assert.ok(account.score.bySeverity.critical.failed >= 2);

      const tenant = TenantPostureView.parse(await (await send(app, 'GET', `/api/posture/tenants/${first().tenantCode}`)).json());
      assert.equal(tenant.accounts.length, 2);
      assert.ok(tenant.score.checks.total === tenant.accounts.reduce((n, a) => n + a.score.checks.total, 0));

      const estate = EstatePostureView.parse(await (await send(app, 'GET', '/api/posture')).json());
      assert.equal(estate.tenants.length, 2);
      assert.equal((await send(app, 'GET', '/api/posture/accounts/000000000000')).status, 404);
      assert.equal((await send(app, 'GET', '/api/posture/tenants/999999')).status, 404);
    });

    it('documents every route in the OpenAPI document', async () => {
      const doc = OpenApiDoc.parse(await (await send(app, 'GET', '/api/openapi.json')).json());
      for (const path of ['/api/findings', '/api/findings/{id}', '/api/findings/{id}/suppress', '/api/findings/{id}/unsuppress', '/api/posture', '/api/posture/accounts/{account}', '/api/posture/tenants/{tenant}', '/api/posture/sweep']) {
        assert.ok(path in doc.paths, path);
      }
    });
  });
}
