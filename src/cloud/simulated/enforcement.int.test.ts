import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CloudError } from '../../app/ports/cloud.js';
import { ManualClock } from '../contract-tests/index.js';
import { collect, createAccountNow, rejectsWith } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createSimulatedCloud, type SimulatedCloud } from './driver.js';
import { FULL_AWS_ACCESS_ID } from './ids.js';
import { readControls } from '../../main/catalog.js';
import { fileURLToPath } from 'node:url';

const REGION_DENY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyOutsideTokyoOsaka',
      Effect: 'Deny',
      NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['ap-northeast-1', 'ap-northeast-3'] } },
    },
  ],
});

const role = (accountId: string, name = 'Developer') => ({ arn: `arn:aws:sts::${accountId}:assumed-role/${name}/alice`, type: 'AssumedRole' as const });

for (const backend of backends()) {
  describe(`SCP enforcement in the twin on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => database.dispose());

    /** A twin with one account under /Workloads (an OU under the root). */
    async function twinWithAccount(name = randomUUID()) {
      const clock = new ManualClock();
      const twin = await createSimulatedCloud({ db: database.db, clock, config: { twin: name, accountCreationDurationMs: 1_000 } });
      const root = await twin.describeOrganizationRoot();
      const ou = await twin.createOrganizationalUnit(root.id, 'Workloads');
      const { accountId } = await createAccountNow({ driver: twin, advance: async (ms) => clock.advance(ms), dispose: async () => undefined }, 'enf');
      await twin.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: ou.id });
      return { twin, clock, ou, accountId, name };
    }

    const call = (twin: SimulatedCloud, accountId: string, region: string, action = 'ec2:RunInstances') =>
      twin.simulateCall({ accountId, principal: role(accountId), action, region });

    it('denies a call outside the allowed regions from an account under an OU with a region-deny SCP, and allows one inside', async () => {
      const { twin, ou, accountId } = await twinWithAccount();
      assert.equal((await call(twin, accountId, 'us-east-1')).decision, 'allow', 'nothing denies before the SCP is attached');
      const policy = await twin.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await twin.attachPolicy(policy.id, ou.id);

      const denied = await rejectsWith(call(twin, accountId, 'us-east-1'), 'AccessDeniedException');
      assert.match(denied.message, /is not authorized to perform: ec2:RunInstances with an explicit deny in a service control policy \(region-deny\)/);
      assert.equal((await call(twin, accountId, 'ap-northeast-1')).decision, 'allow');
      // A global service the statement exempts is allowed from us-east-1.
      assert.equal((await call(twin, accountId, 'us-east-1', 'iam:CreateRole')).decision, 'allow');
    });

    it('exempts the management account and service-linked roles', async () => {
      const { twin, ou, accountId } = await twinWithAccount();
      const policy = await twin.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await twin.attachPolicy(policy.id, ou.id);
      await twin.attachPolicy(policy.id, twin.organization.rootId);
      const management = twin.organization.managementAccountId;
      assert.equal((await call(twin, management, 'us-east-1')).decision, 'allow');
      const linked = { arn: `arn:aws:sts::${accountId}:assumed-role/AWSServiceRoleForConfig/config`, type: 'AssumedRole' as const };
      assert.equal((await twin.simulateCall({ accountId, principal: linked, action: 'ec2:DescribeInstances', region: 'us-east-1' })).decision, 'allow');
    });

    it("judges an Identity Center session as its role under the reserved path: the catalog's IAM-user control exempts Admin, not NonAdmin", async () => {
      const { twin, ou, accountId } = await twinWithAccount();
      const control = (await readControls(fileURLToPath(new URL('../../../catalog', import.meta.url)))).find((c) => c.id === 'HTB-PREV-001');
      const statements = control?.implementations.preventive?.statements;
      assert.ok(statements !== undefined);
      const policy = await twin.createPolicy({ name: 'HTB-PREV-001', content: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
      await twin.attachPolicy(policy.id, ou.id);
      const sso = (set: string) => ({ arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${set}_0123456789abcdef/user@example.jp`, type: 'AssumedRole' as const });
      const createUser = (set: string) => twin.simulateCall({ accountId, principal: sso(set), action: 'iam:CreateUser', region: 'us-east-1' });
      assert.equal((await createUser('Admin')).decision, 'allow');
      await rejectsWith(createUser('NonAdmin'), 'AccessDeniedException');
      // A role named like Admin's but outside the reserved path is not exempt.
      await rejectsWith(twin.simulateCall({ accountId, principal: role(accountId, 'AWSReservedSSO-Admin_lookalike'), action: 'iam:CreateUser', region: 'us-east-1' }), 'AccessDeniedException');
      const logged = (await collect((t) => twin.lookupEvents({ accountId, eventName: 'CreateUser' }, t))).items;
      assert.deepEqual(logged.map((e) => e.errorCode), ['AccessDeniedException', 'AccessDeniedException', undefined]);
      const allowed = logged[2];
      assert.equal(allowed?.userIdentity.sessionContext?.sessionIssuer.arn, `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_Admin_0123456789abcdef`);
    });

    it('logs every call, a denial with its error code and message, in the account\'s trail', async () => {
      const { twin, clock, ou, accountId } = await twinWithAccount();
      const policy = await twin.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await twin.attachPolicy(policy.id, ou.id);
      const since = clock.now();
      await call(twin, accountId, 'ap-northeast-1');
      await rejectsWith(call(twin, accountId, 'us-east-1'), 'AccessDeniedException');
      const logged = (await collect((t) => twin.lookupEvents({ accountId, eventName: 'RunInstances', since }, t))).items;
      assert.equal(logged.length, 2);
      const [deniedEvent, allowedEvent] = logged;
      assert.deepEqual(
        [deniedEvent?.awsRegion, deniedEvent?.errorCode, deniedEvent?.eventSource, deniedEvent?.recipientAccountId, deniedEvent?.userIdentity.arn],
        ['us-east-1', 'AccessDeniedException', 'ec2.amazonaws.com', accountId, role(accountId).arn],
      );
      assert.match(deniedEvent?.errorMessage ?? '', /explicit deny in a service control policy/);
      assert.deepEqual([allowedEvent?.awsRegion, allowedEvent?.errorCode, allowedEvent?.readOnly], ['ap-northeast-1', undefined, false]);
    });

    it("logs a call's resource in CloudTrail's resources with the account that owns it, which that account's trail finds", async () => {
      const { twin, clock, accountId } = await twinWithAccount();
      const since = clock.now();
      const trail = `arn:aws:cloudtrail:ap-northeast-1:${accountId}:trail/hatoba-org`;
      await twin.simulateCall({ accountId, principal: role(accountId), action: 'cloudtrail:StopLogging', resource: trail, resourceType: 'AWS::CloudTrail::Trail', region: 'ap-northeast-1' });
      const [stopped] = (await collect((t) => twin.lookupEvents({ accountId, eventName: 'StopLogging', since }, t))).items;
      assert.deepEqual(stopped?.resources, [{ ARN: trail, accountId, type: 'AWS::CloudTrail::Trail' }]);
      assert.equal(stopped?.requestParameters, null, 'the resource is not a request parameter');

      // A bucket ARN names no account: the owner is given, and its trail finds the call made from elsewhere.
      const owner = '123456789012';
      await twin.simulateCall({ accountId, principal: role(accountId), action: 's3:GetObject', resource: 'arn:aws:s3:::shared-data/x', resourceAccountId: owner, region: 'ap-northeast-1' });
      const [read] = (await collect((t) => twin.lookupEvents({ accountId: owner, eventName: 'GetObject', since }, t))).items;
      assert.deepEqual([read?.resources, read?.recipientAccountId], [[{ ARN: 'arn:aws:s3:::shared-data/x', accountId: owner }], accountId]);
    });

    it('denies every call when a level of the chain allows nothing (FullAWSAccess detached from the OU)', async () => {
      const { twin, ou, accountId } = await twinWithAccount();
      const policy = await twin.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await twin.attachPolicy(policy.id, ou.id);
      await twin.detachPolicy(FULL_AWS_ACCESS_ID, ou.id);
      const denied = await rejectsWith(call(twin, accountId, 'ap-northeast-1'), 'AccessDeniedException');
      assert.match(denied.message, /because no service control policy allows the ec2:RunInstances action/);
      await twin.attachPolicy(FULL_AWS_ACCESS_ID, ou.id);
      assert.equal((await call(twin, accountId, 'ap-northeast-1')).decision, 'allow');
    });

    it('sees policy changes made through another driver instance on the same twin at once', async () => {
      const { twin, ou, accountId, name } = await twinWithAccount();
      const other = await createSimulatedCloud({ db: database.db, clock: new ManualClock(), config: { twin: name } });
      assert.equal((await call(twin, accountId, 'us-east-1')).decision, 'allow');
      const policy = await other.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await other.attachPolicy(policy.id, ou.id);
      await rejectsWith(call(twin, accountId, 'us-east-1'), 'AccessDeniedException');
      await other.updatePolicy(policy.id, { content: REGION_DENY.replace('ap-northeast-3', 'us-east-1') });
      assert.equal((await call(twin, accountId, 'us-east-1')).decision, 'allow');
      await other.detachPolicy(policy.id, ou.id);
      await other.deletePolicy(policy.id);
      assert.equal((await call(twin, accountId, 'eu-west-1')).decision, 'allow');
    });

    it('follows an account moved out of the restricted OU', async () => {
      const { twin, ou, accountId } = await twinWithAccount();
      const policy = await twin.createPolicy({ name: 'region-deny', content: REGION_DENY });
      await twin.attachPolicy(policy.id, ou.id);
      await rejectsWith(call(twin, accountId, 'us-east-1'), 'AccessDeniedException');
      await twin.moveAccount({ accountId, sourceParentId: ou.id, destinationParentId: twin.organization.rootId });
      assert.equal((await call(twin, accountId, 'us-east-1')).decision, 'allow');
    });

    it('refuses a call of an unknown account or a principal of another account, and logs neither', async () => {
      const { twin, accountId } = await twinWithAccount();
      await rejectsWith(call(twin, '999999999999', 'ap-northeast-1'), 'AccountNotFoundException');
      const error = await twin.simulateCall({ accountId, principal: role('111111111111'), action: 'ec2:RunInstances', region: 'ap-northeast-1' }).catch((e: unknown) => e);
      assert.ok(error instanceof CloudError && error.code === 'ValidationException', String(error));
      const logged = (await collect((t) => twin.lookupEvents({ eventName: 'RunInstances' }, t))).items;
      assert.equal(logged.length, 0);
    });
  });
}
