import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../store/testing.js';
import { ALL_TENANTS } from '../app/scope.js';
import { submitAccountRequests } from '../app/requests/use-cases.js';
import { runBreakGlassRound } from '../app/break-glass/worker.js';
import type { Container } from './container.js';
import { provisioningHarness, waitForRuns } from './testing/harness.js';
import { seedDemoPeople, DEMO_OPERATOR_EMAIL, DEMO_TENANT } from './demo-people.js';
import { seedDemoBreakGlass, DEMO_BREAK_GLASS_REASON } from './demo-break-glass.js';

const quiet = { out: () => undefined };

for (const backend of backends()) {
  describe(`the demo's break-glass story on ${backend.name}`, () => {
    let handle: TestDatabase;
    let c: Container;
    before(async () => {
      handle = await backend.open();
      c = await provisioningHarness(handle.db);
      await seedDemoPeople(c);
    });
    after(async () => handle.dispose());

    const grantsOfTenant = async () => {
      const tenant = await c.registry.getOrganisationByCode(DEMO_TENANT);
      assert.ok(tenant !== undefined);
      return (await c.breakGlassDeps.store.listGrants({ tenantId: tenant.id }, { limit: 50 })).items;
    };

    it('waits while 千代田区 has no ready account, and requests nothing', async () => {
      assert.equal(await seedDemoBreakGlass(c, quiet), false);
      assert.deepEqual(await grantsOfTenant(), []);
    });

    it('once the accounts are ready, leaves one pending request by the demo operator and raises an alert for a call no grant covers, once', async () => {
      const submitted = await submitAccountRequests(c.requestDeps, {
        items: ['prod', 'dev'].map((environment) => ({ tenantCode: DEMO_TENANT, systemName: 'juki', environment })),
        requestedBy: 'tester@hatoba.example', scope: ALL_TENANTS, dryRun: false, batch: true, locate: (i) => ['test', i],
      });
      const runner = c.createRunner({ concurrency: 4 });
      await runner.start();
      try {
        await waitForRuns(c, submitted.requests.map((r) => r.id));
      } finally {
        await runner.stop();
      }

      assert.equal(await seedDemoBreakGlass(c, quiet), true);
      assert.equal(await seedDemoBreakGlass(c, quiet), true, 'a restart seeds again');
      const grants = await grantsOfTenant();
      assert.equal(grants.length, 1);
      const [grant] = grants;
      assert.equal(grant?.status, 'requested');
      assert.equal(grant?.requestedBy.email, DEMO_OPERATOR_EMAIL);
      assert.equal(grant?.reason, DEMO_BREAK_GLASS_REASON);
      const asked = await c.registry.getAccount(grant?.accountId ?? '');
      assert.equal(asked?.account.environment, 'prod');

      // The worker as the server starts it (no onRound hook): its scan raises the alert.
      const tenant = await c.registry.getOrganisationByCode(DEMO_TENANT);
      const listAlerts = async () => (await c.breakGlassDeps.store.listAlerts(tenant?.id ?? '', {}, { limit: 50 })).items;
      const worker = c.createBreakGlassWorker({ intervalMs: 20 });
      worker.start();
      let alerts = await listAlerts();
      try {
        for (const end = Date.now() + 10_000; alerts.length === 0 && Date.now() < end; alerts = await listAlerts()) await new Promise((r) => setTimeout(r, 25));
      } finally {
        await worker.stop();
      }
      assert.equal(alerts.length, 1, 'the break-glass worker raised the alert');
      const [alert] = alerts;
      assert.equal(alert?.principalKind, 'identity_center');
      assert.equal(alert?.eventName, 'DescribeSecurityGroups');
      assert.match(alert?.principalArn ?? '', new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/AWSReservedSSO_Admin_\\w+/${DEMO_OPERATOR_EMAIL.replace(/\./g, '\\.')}$`));
      assert.notEqual(alert?.providerAccountId, grant?.providerAccountId, 'the call was in the other account');
      assert.equal((await runBreakGlassRound(c.breakGlassDeps)).scan.alerts, 0, 'the same event raises no second alert');
    });
  });
}
