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
import { getFinding, listFindings, suppressFinding, unsuppressFinding } from './findings.js';
import { ALL_TENANTS as ALL } from '../scope.js';
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
        const opened = await until(async () => ((await c.postureDeps.store.getFinding(ALL, id))?.status === 'active' ? c.postureDeps.store.getFinding(ALL, id) : undefined), 'the finding');
        assert.equal(opened?.tenantId, account.tenantId);
        assert.equal(opened?.severity, 'critical');
        await c.cloud.putResource(openSsh(account.providerAccountId, sg, false));
        await until(async () => ((await c.postureDeps.store.getFinding(ALL, id))?.status === 'resolved' ? true : undefined), 'the resolution');
        await c.cloud.putResource(openSsh(account.providerAccountId, sg));
        const reopened = await until(async () => ((await c.postureDeps.store.getFinding(ALL, id))?.status === 'active' ? c.postureDeps.store.getFinding(ALL, id) : undefined), 'the reopening');
        assert.deepEqual(reopened?.firstSeen, opened?.firstSeen);
      } finally {
        await worker.stop();
      }
    });

    it('resolves the findings of a deleted resource', async () => {
      const sg = unique('sg');
      await c.cloud.putResource(openSsh(account.providerAccountId, sg));
      await drain(c);
      assert.equal((await c.postureDeps.store.getFinding(ALL, sshFinding(account.providerAccountId, sg)))?.status, 'active');
      await c.cloud.deleteResource({ accountId: account.providerAccountId, region: REGION, typeName: 'AWS::EC2::SecurityGroup', identifier: sg });
      const batch = await processChanges(c.postureDeps, 50);
      assert.equal(batch.resolved >= 1, true);
      assert.equal((await c.postureDeps.store.getFinding(ALL, sshFinding(account.providerAccountId, sg)))?.status, 'resolved');
    });

    it('re-evaluates the account document on any change in the account: GuardDuty turned on resolves its finding', async () => {
      const other = await registerAccount(c, unique('gd'));
      await c.cloud.putResource({ accountId: other.providerAccountId, region: REGION, typeName: 'AWS::EC2::VPC', identifier: 'vpc-1', properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' } });
      await drain(c);
      const gd = findingId('HTB-GD-001', accountDocumentIdentity(other.providerAccountId));
      assert.equal((await c.postureDeps.store.getFinding(ALL, gd))?.status, 'active');
      await c.cloud.putResource({ accountId: other.providerAccountId, region: REGION, typeName: 'AWS::GuardDuty::Detector', identifier: 'd-1', properties: { Enable: true } });
      await drain(c);
      assert.equal((await c.postureDeps.store.getFinding(ALL, gd))?.status, 'resolved');
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
      assert.equal(await c.postureDeps.store.getFinding(ALL, sshFinding(accountId, 'sg-stranger')), undefined);
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
      assert.equal((await c.postureDeps.store.getFinding(ALL, findingId('HTB-EC2-001', ghost)))?.status, 'resolved');
      const gd = await c.postureDeps.store.getFinding(ALL, findingId('HTB-GD-001', accountDocumentIdentity(swept.providerAccountId)));
      assert.equal(gd?.status, 'active', 'the demo account without GuardDuty has its finding');

      const posture = await accountPosture(c.postureDeps, ALL, swept.providerAccountId);
      assert.equal(posture.account.account.id, swept.accountId);
      assert.ok(posture.score.score !== null && posture.score.score > 0.9 && posture.score.score < 1, `score ${posture.score.score}`);
      assert.equal(posture.score.bySeverity.high.failed, 1);
      assert.deepEqual(await accountPosture(c.postureDeps, ALL, swept.accountId), posture, 'named by registry id or provider id alike');

      const tenant = await tenantPosture(c.postureDeps, ALL, swept.tenantCode);
      assert.ok(tenant.accounts.some((a) => a.account.account.id === swept.accountId));
      assert.ok(tenant.score.checks.total >= posture.score.checks.total);
      const estate = await estatePosture(c.postureDeps, ALL);
      assert.ok(estate.tenants.some((t) => t.tenantId === swept.tenantId && t.tenant?.code === swept.tenantCode));
    });

    it('lists findings by tenant and account, and suppresses one with a reason until an expiry', async () => {
      const listed = await listFindings(c.postureDeps, ALL, { tenant: account.tenantCode, account: account.providerAccountId, status: 'active', limit: 100 });
      const first = listed.items[0] ?? assert.fail('no active finding');
      assert.ok(listed.items.every((f) => f.accountId === account.providerAccountId && f.tenantId === account.tenantId));
      assert.equal(typeof first.controlTitle?.ja, 'string');
      const until = new Date(Date.now() + 86_400_000);
      const suppressed = await suppressFinding(c.postureDeps, ALL, { id: first.id, reason: '代替策あり / compensating control', until, by: 'sec@example.jp' });
      assert.equal(suppressed.status, 'suppressed');
      assert.deepEqual(suppressed.suppression?.until, until);
      await sweep(c.postureDeps);
      assert.equal((await c.postureDeps.store.getFinding(ALL, first.id))?.status, 'suppressed', 'a sweep keeps the suppression');
      assert.equal((await unsuppressFinding(c.postureDeps, ALL, first.id)).status, 'active');
    });

    it('refuses a suppression without a future expiry, or of a finding that is resolved or unknown', async () => {
      const resolved = await listFindings(c.postureDeps, ALL, { status: 'resolved', limit: 1 });
      const id = resolved.items[0]?.id ?? assert.fail('no resolved finding');
      const past = suppressFinding(c.postureDeps, ALL, { id, reason: 'r', until: new Date(Date.now() - 1_000), by: 'a@example.jp' });
      await assert.rejects(past, { code: 'validation_failed', message: '抑制の内容が正しくありません / the suppression is not valid', issues: [{ path: ['until'], message: '期限は未来の日時にしてください / the expiry must be in the future' }] });
      const farAway = suppressFinding(c.postureDeps, ALL, { id, reason: ' ', until: new Date(Date.now() + 400 * 86_400_000), by: 'a@example.jp' });
      await assert.rejects(farAway, (e: unknown) => {
        assert.ok(e instanceof DomainError && e.code === 'validation_failed');
        assert.deepEqual(e.issues, [
          { path: ['reason'], message: 'リスクを受け入れる理由を書いてください / say why the risk is accepted' },
          { path: ['until'], message: '抑制できるのは最長 366 日です / a suppression lasts at most 366 days' },
        ]);
        return true;
      });
      const tooLate = suppressFinding(c.postureDeps, ALL, { id, reason: 'r', until: new Date(Date.now() + 86_400_000), by: 'a@example.jp' });
      await assert.rejects(tooLate, { code: 'invalid_state', message: `検出結果 ${id} は解決済みのため抑制できません / finding ${id} is resolved: there is nothing to suppress` });
      await assert.rejects(unsuppressFinding(c.postureDeps, ALL, id), { code: 'invalid_state', message: `検出結果 ${id} は抑制されていません / finding ${id} is not suppressed` });
      const unknown = 'HTB-X-001.000000000000000000000000';
      await assert.rejects(unsuppressFinding(c.postureDeps, ALL, unknown), { code: 'not_found', message: `検出結果 ${unknown} が見つかりません / finding ${unknown} was not found` });
      await assert.rejects(listFindings(c.postureDeps, ALL, { account: '000000000000', limit: 1 }), { code: 'not_found', message: 'アカウント 000000000000 が見つかりません / account 000000000000 was not found' });
    });

    it('keeps a tenant-scoped caller to its own tenant: another tenant’s finding is not found, whether read, suppressed or unsuppressed', async () => {
      const theirs = await registerAccount(c, unique('theirs'), 1);
      const sg = unique('sg');
      await c.cloud.putResource(openSsh(theirs.providerAccountId, sg));
      await drain(c);
      const id = sshFinding(theirs.providerAccountId, sg);
      assert.equal((await getFinding(c.postureDeps, ALL, id)).tenantId, theirs.tenantId);
      const ours = { tenantId: account.tenantId };
      assert.notEqual(ours.tenantId, theirs.tenantId);
      const notFound = { code: 'not_found', message: `検出結果 ${id} が見つかりません / finding ${id} was not found` };
      const until = new Date(Date.now() + 86_400_000);

      await assert.rejects(getFinding(c.postureDeps, ours, id), notFound);
      await assert.rejects(suppressFinding(c.postureDeps, ours, { id, reason: 'r', until, by: 'a@example.jp' }), notFound);
      assert.equal((await getFinding(c.postureDeps, ALL, id)).status, 'active', 'the refused suppression changed nothing');
      await suppressFinding(c.postureDeps, ALL, { id, reason: 'r', until, by: 'sec@example.jp' });
      await assert.rejects(unsuppressFinding(c.postureDeps, ours, id), notFound, 'not "is not suppressed" or anything else that tells it exists');
      assert.equal((await getFinding(c.postureDeps, ALL, id)).status, 'suppressed', 'the refused unsuppression changed nothing');
      assert.equal((await getFinding(c.postureDeps, { tenantId: theirs.tenantId }, id)).status, 'suppressed', 'its own tenant sees it');

      await assert.rejects(accountPosture(c.postureDeps, ours, theirs.providerAccountId), { code: 'not_found' });
      await assert.rejects(tenantPosture(c.postureDeps, ours, theirs.tenantCode), { code: 'not_found', message: `テナント ${theirs.tenantCode} が見つかりません / tenant ${theirs.tenantCode} was not found` });
      const estate = await estatePosture(c.postureDeps, ours);
      assert.deepEqual(estate.tenants.map((t) => t.tenantId), [account.tenantId], 'the estate within a tenant’s scope is that tenant');
    });

    it('lists within a tenant scope only that tenant’s findings, even when the filters would match others', async () => {
      const theirs = await registerAccount(c, unique('others'), 1);
      await c.cloud.putResource(openSsh(theirs.providerAccountId, unique('sg')));
      await c.cloud.putResource(openSsh(account.providerAccountId, unique('sg')));
      await drain(c);
      const ours = { tenantId: account.tenantId };
      const everything = await listFindings(c.postureDeps, ALL, { status: 'active', severity: 'critical', control: 'HTB-VPC-004', limit: 500 });
      assert.ok(everything.items.some((f) => f.tenantId === theirs.tenantId), 'another tenant has a matching finding');
      const scoped = await listFindings(c.postureDeps, ours, { status: 'active', severity: 'critical', control: 'HTB-VPC-004', limit: 500 });
      assert.ok(scoped.items.length > 0);
      assert.ok(scoped.items.every((f) => f.tenantId === account.tenantId));
      const unfiltered = await listFindings(c.postureDeps, ours, { limit: 500 });
      assert.ok(unfiltered.items.every((f) => f.tenantId === account.tenantId));
      await assert.rejects(listFindings(c.postureDeps, ours, { account: theirs.providerAccountId, limit: 10 }), { code: 'not_found' });
      await assert.rejects(listFindings(c.postureDeps, ours, { tenant: theirs.tenantCode, limit: 10 }), { code: 'not_found' });
    });
  });
}
