import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness } from '../../main/testing/harness.js';
import type { Container } from '../../main/container.js';
import { DomainError } from '../../domain/errors.js';
import { findingId } from '../../guardrails/detective/identity.js';
import { accountDocumentIdentity } from '../../guardrails/detective/evaluator.js';
import { cursorName } from './deps.js';
import { processChanges } from './changes.js';
import { sweep } from './sweep.js';
import { listFindings, suppressFinding, unsuppressFinding } from './findings.js';
import { accountPosture, estatePosture, tenantPosture } from './posture.js';
import { seedDemoResources } from './demo-resources.js';
import { registerAccount, type RegisteredAccount } from './fixtures/accounts.js';

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const REGION = 'ap-northeast-1';

const openSsh = (accountId: string, identifier: string, open = true) => ({
  accountId,
  region: REGION,
  typeName: 'AWS::EC2::SecurityGroup',
  identifier,
  properties: { GroupName: 'web', GroupDescription: 'web', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: open ? 22 : 443, ToPort: open ? 22 : 443, CidrIp: '0.0.0.0/0' }] },
});
const sshFinding = (accountId: string, identifier: string) => findingId('HTB-VPC-004', { accountId, region: REGION, type: 'AWS::EC2::SecurityGroup', identifier });

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Applies every change in the feed, batch after batch. */
async function drain(c: Container): Promise<void> {
  while ((await processChanges(c.postureDeps, 50)).changes > 0);
}

for (const backend of backends()) {
  describe(`detective posture on ${backend.name}`, () => {
    let database: TestDatabase;
    let c: Container;
    let account: RegisteredAccount;
    before(async () => {
      database = await backend.open();
      c = await provisioningHarness(database.db);
      account = await registerAccount(c, unique('det'));
    });
    after(async () => database.dispose());

    it('follows the change feed with the worker: a change opens a finding, a fix resolves it, a failure again reopens it', async () => {
      const worker = c.createDetectiveWorker({ intervalMs: 20, onError: (e) => assert.fail(String(e)) });
      worker.start();
      try {
        const sg = unique('sg');
        const id = sshFinding(account.providerAccountId, sg);
        await c.cloud.putResource(openSsh(account.providerAccountId, sg));
        const opened = await until(async () => ((await c.postureDeps.store.getFinding(id))?.status === 'active' ? c.postureDeps.store.getFinding(id) : undefined), 'the finding');
        assert.equal(opened?.tenantId, account.tenantId);
        assert.equal(opened?.severity, 'critical');
        await c.cloud.putResource(openSsh(account.providerAccountId, sg, false));
        await until(async () => ((await c.postureDeps.store.getFinding(id))?.status === 'resolved' ? true : undefined), 'the resolution');
        await c.cloud.putResource(openSsh(account.providerAccountId, sg));
        const reopened = await until(async () => ((await c.postureDeps.store.getFinding(id))?.status === 'active' ? c.postureDeps.store.getFinding(id) : undefined), 'the reopening');
        assert.deepEqual(reopened?.firstSeen, opened?.firstSeen);
      } finally {
        await worker.stop();
      }
    });

    it('resolves the findings of a deleted resource', async () => {
      const sg = unique('sg');
      await c.cloud.putResource(openSsh(account.providerAccountId, sg));
      await drain(c);
      assert.equal((await c.postureDeps.store.getFinding(sshFinding(account.providerAccountId, sg)))?.status, 'active');
      await c.cloud.deleteResource({ accountId: account.providerAccountId, region: REGION, typeName: 'AWS::EC2::SecurityGroup', identifier: sg });
      const batch = await processChanges(c.postureDeps, 50);
      assert.equal(batch.resolved >= 1, true);
      assert.equal((await c.postureDeps.store.getFinding(sshFinding(account.providerAccountId, sg)))?.status, 'resolved');
    });

    it('re-evaluates the account document on any change in the account: GuardDuty turned on resolves its finding', async () => {
      const other = await registerAccount(c, unique('gd'));
      await c.cloud.putResource({ accountId: other.providerAccountId, region: REGION, typeName: 'AWS::EC2::VPC', identifier: 'vpc-1', properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' } });
      await drain(c);
      const gd = findingId('HTB-GD-001', accountDocumentIdentity(other.providerAccountId));
      assert.equal((await c.postureDeps.store.getFinding(gd))?.status, 'active');
      await c.cloud.putResource({ accountId: other.providerAccountId, region: REGION, typeName: 'AWS::GuardDuty::Detector', identifier: 'd-1', properties: { Enable: true } });
      await drain(c);
      assert.equal((await c.postureDeps.store.getFinding(gd))?.status, 'resolved');
    });

    it('skips accounts the registry does not know, and still moves its cursor past their changes', async () => {
      await drain(c);
      const stranger = await c.cloud.createAccount({ email: `${unique('x')}@elsewhere.invalid`, accountName: unique('stranger') });
      let status = await c.cloud.describeCreateAccountStatus(stranger.id);
      while (status.state === 'IN_PROGRESS') {
        await new Promise((r) => setTimeout(r, 10));
        status = await c.cloud.describeCreateAccountStatus(stranger.id);
      }
      const accountId = status.accountId ?? assert.fail('no account');
      await c.cloud.putResource(openSsh(accountId, 'sg-stranger'));
      const before = await c.postureDeps.store.getCursor(cursorName('simulated'));
      const batch = await processChanges(c.postureDeps, 50);
      assert.deepEqual([batch.changes, batch.accounts, batch.checks], [1, 0, 0]);
      assert.notEqual(await c.postureDeps.store.getCursor(cursorName('simulated')), before);
      assert.equal(await c.postureDeps.store.getFinding(sshFinding(accountId, 'sg-stranger')), undefined);
    });

    it('sweeps every registered account in full, resolving findings whose resources vanished without a change', async () => {
      const swept = await registerAccount(c, unique('sweep'));
      await seedDemoResources(c.cloud, swept.providerAccountId, 3);
      // A finding whose resource is not in the inventory (a change the feed never delivered).
      const ghost = { accountId: swept.providerAccountId, region: REGION, type: 'AWS::EC2::Volume', identifier: 'vol-ghost' };
      await c.postureDeps.store.write({
        provider: 'simulated', at: new Date(Date.now() - 60_000), gone: [], replaced: [],
        checks: [{ id: findingId('HTB-EC2-001', ghost), controlId: 'HTB-EC2-001', severity: 'medium', accountId: ghost.accountId, region: REGION, resourceType: ghost.type, resourceId: ghost.identifier, result: 'fail', tenantId: swept.tenantId }],
      });
      const result = await sweep(c.postureDeps);
      assert.ok(result.accounts >= 2, `${result.accounts} accounts`);
      assert.ok(result.resolved >= 1);
      assert.equal((await c.postureDeps.store.getFinding(findingId('HTB-EC2-001', ghost)))?.status, 'resolved');
      const gd = await c.postureDeps.store.getFinding(findingId('HTB-GD-001', accountDocumentIdentity(swept.providerAccountId)));
      assert.equal(gd?.status, 'active', 'the demo account without GuardDuty has its finding');

      const posture = await accountPosture(c.postureDeps, swept.providerAccountId);
      assert.equal(posture.account.account.id, swept.accountId);
      assert.ok(posture.score.score !== null && posture.score.score > 0.9 && posture.score.score < 1, `score ${posture.score.score}`);
      assert.equal(posture.score.bySeverity.high.failed, 1);
      assert.deepEqual(await accountPosture(c.postureDeps, swept.accountId), posture, 'named by registry id or provider id alike');

      const tenant = await tenantPosture(c.postureDeps, swept.tenantCode);
      assert.ok(tenant.accounts.some((a) => a.account.account.id === swept.accountId));
      assert.ok(tenant.score.checks.total >= posture.score.checks.total);
      const estate = await estatePosture(c.postureDeps);
      assert.ok(estate.tenants.some((t) => t.tenantId === swept.tenantId && t.tenant?.code === swept.tenantCode));
    });

    it('lists findings by tenant and account, and suppresses one with a reason until an expiry', async () => {
      const listed = await listFindings(c.postureDeps, { tenant: account.tenantCode, account: account.providerAccountId, status: 'active', limit: 100 });
      const first = listed.items[0] ?? assert.fail('no active finding');
      assert.ok(listed.items.every((f) => f.accountId === account.providerAccountId && f.tenantId === account.tenantId));
      assert.equal(typeof first.controlTitle?.ja, 'string');
      const until = new Date(Date.now() + 86_400_000);
      const suppressed = await suppressFinding(c.postureDeps, { id: first.id, reason: '代替策あり / compensating control', until, by: 'sec@example.jp' });
      assert.equal(suppressed.status, 'suppressed');
      assert.deepEqual(suppressed.suppression?.until, until);
      await sweep(c.postureDeps);
      assert.equal((await c.postureDeps.store.getFinding(first.id))?.status, 'suppressed', 'a sweep keeps the suppression');
      assert.equal((await unsuppressFinding(c.postureDeps, first.id)).status, 'active');
    });

    it('refuses a suppression without a future expiry, or of a finding that is resolved or unknown', async () => {
      const resolved = await listFindings(c.postureDeps, { status: 'resolved', limit: 1 });
      const id = resolved.items[0]?.id ?? assert.fail('no resolved finding');
      const past = suppressFinding(c.postureDeps, { id, reason: 'r', until: new Date(Date.now() - 1_000), by: 'a@example.jp' });
      await assert.rejects(past, (e: unknown) => e instanceof DomainError && e.code === 'validation_failed' && e.issues[0]?.path[0] === 'until');
      const farAway = suppressFinding(c.postureDeps, { id, reason: 'r', until: new Date(Date.now() + 400 * 86_400_000), by: 'a@example.jp' });
      await assert.rejects(farAway, (e: unknown) => e instanceof DomainError && e.code === 'validation_failed');
      const tooLate = suppressFinding(c.postureDeps, { id, reason: 'r', until: new Date(Date.now() + 86_400_000), by: 'a@example.jp' });
      await assert.rejects(tooLate, (e: unknown) => e instanceof DomainError && e.code === 'invalid_state');
      await assert.rejects(unsuppressFinding(c.postureDeps, 'HTB-X-001.000000000000000000000000'), (e: unknown) => e instanceof DomainError && e.code === 'not_found');
    });
  });
}
