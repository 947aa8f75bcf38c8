import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ActivityEvent, CallerIdentity } from '../../app/ports/cloud.js';
import { requestOfEvent } from '../../guardrails/iam/activity.js';
import { readControls } from '../../main/catalog.js';
import { ManualClock } from '../contract-tests/index.js';
import { collect, createAccountNow, rejectsWith } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createSimulatedCloud, type SimulatedCloud } from './driver.js';

const CATALOG = fileURLToPath(new URL('../../../catalog', import.meta.url));

/** The catalog's preventive control as an SCP document. */
async function scpOf(id: string): Promise<string> {
  const control = (await readControls(CATALOG)).find((c) => c.id === id);
  const preventive = control?.implementations.preventive;
  assert.ok(preventive?.kind === 'SCP', id);
  return JSON.stringify({ Version: '2012-10-17', Statement: preventive.statements });
}

const session = (accountId: string, permissionSet: 'Admin' | 'NonAdmin'): CallerIdentity => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${permissionSet}_0123456789abcdef/${permissionSet.toLowerCase()}@example.jp`,
  type: 'AssumedRole',
});

for (const backend of backends()) {
  describe(`SCP enforcement of tenant resource writes in the twin on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => database.dispose());

    /** A twin with one account under /Workloads, where the given catalog controls are attached. */
    async function twinWith(controls: string[]) {
      const clock = new ManualClock();
      const twin = await createSimulatedCloud({ db: database.db, clock, config: { twin: randomUUID(), accountCreationDurationMs: 1_000 } });
      const root = await twin.describeOrganizationRoot();
      const ou = await twin.createOrganizationalUnit(root.id, 'Workloads');
      const { accountId } = await createAccountNow({ driver: twin, advance: async (ms) => clock.advance(ms), dispose: async () => undefined }, 'wr');
      await twin.moveAccount({ accountId, sourceParentId: root.id, destinationParentId: ou.id });
      for (const id of controls) await twin.attachPolicy((await twin.createPolicy({ name: id, content: await scpOf(id) })).id, ou.id);
      clock.advance(1_000);
      return { twin, accountId, since: clock.now() };
    }

    const events = async (twin: SimulatedCloud, accountId: string, since: Date): Promise<ActivityEvent[]> =>
      (await collect((t) => twin.lookupEvents({ accountId, since }, t))).items.filter((e) => e.readOnly === false).reverse();
    const changed = async (twin: SimulatedCloud) => (await twin.readResourceChanges(undefined, 1_000)).changes.map((c) => `${c.operation} ${c.typeName} ${c.identifier}`);
    const user = (accountId: string, name: string) => ({ accountId, typeName: 'AWS::IAM::User', identifier: name, properties: { UserName: name } });

    it('denies a NonAdmin session creating an IAM user under HTB-PREV-001, logs the denial with who tried, and writes nothing', async () => {
      const { twin, accountId, since } = await twinWith(['HTB-PREV-001']);
      const nonAdmin = session(accountId, 'NonAdmin');
      const denied = await rejectsWith(twin.putResource(user(accountId, 'ci-deployer'), nonAdmin), 'AccessDeniedException');
      assert.match(denied.message, new RegExp(`not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${accountId}:user/ci-deployer with an explicit deny in a service control policy \\(HTB-PREV-001\\)`));

      await rejectsWith(twin.getResource({ accountId, typeName: 'AWS::IAM::User', identifier: 'ci-deployer' }), 'ResourceNotFoundException');
      assert.deepEqual(await changed(twin), [], 'no change reaches the feed');
      const logged = await events(twin, accountId, since);
      assert.deepEqual(
        logged.map((e) => [e.eventSource, e.eventName, e.awsRegion, e.errorCode, e.userIdentity.arn]),
        [
          ['iam.amazonaws.com', 'CreateUser', 'us-east-1', 'AccessDeniedException', nonAdmin.arn],
          ['cloudcontrolapi.amazonaws.com', 'CreateResource', 'ap-northeast-1', 'AccessDeniedException', nonAdmin.arn],
        ],
      );
      assert.equal(logged[0]?.userIdentity.invokedBy, 'cloudcontrolapi.amazonaws.com');
      assert.equal(
        logged[0]?.userIdentity.sessionContext?.sessionIssuer.arn,
        `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_NonAdmin_0123456789abcdef`,
      );
    });

    it('lets the Admin session create an IAM user, exempt by its role path, and the replay sees the same role', async () => {
      const { twin, accountId, since } = await twinWith(['HTB-PREV-001']);
      const admin = session(accountId, 'Admin');
      await twin.putResource(user(accountId, 'vendor-integration'), admin);
      assert.equal((await twin.getResource({ accountId, typeName: 'AWS::IAM::User', identifier: 'vendor-integration' })).properties.UserName, 'vendor-integration');
      assert.deepEqual(await changed(twin), ['CREATE AWS::IAM::User vendor-integration']);

      const [createUser, createResource] = await events(twin, accountId, since);
      assert.deepEqual([createUser?.eventName, createUser?.errorCode, createResource?.eventName, createResource?.userIdentity.arn], ['CreateUser', undefined, 'CreateResource', admin.arn]);
      assert.ok(createUser !== undefined);
      const replayed = requestOfEvent(createUser);
      assert.ok('request' in replayed);
      assert.deepEqual([replayed.request.action, replayed.request.principal.roleArn], [
        'iam:CreateUser',
        `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_Admin_0123456789abcdef`,
      ]);
    });

    it("exempts the platform's own writes from the management account, in any region", async () => {
      const { twin, accountId, since } = await twinWith(['HTB-PREV-001', 'HTB-PREV-002']);
      await twin.putResource(user(accountId, 'break-glass'));
      await twin.putResource({ accountId, region: 'us-east-1', typeName: 'AWS::S3::Bucket', identifier: 'hatoba-edge-logs', properties: {} });
      assert.equal((await changed(twin)).length, 2);
      const logged = await events(twin, accountId, since);
      assert.deepEqual(logged.map((e) => [e.eventSource, e.errorCode, e.userIdentity.accountId]), [
        ['cloudcontrolapi.amazonaws.com', undefined, twin.organization.managementAccountId],
        ['cloudcontrolapi.amazonaws.com', undefined, twin.organization.managementAccountId],
      ]);
    });

    it('denies a tenant bucket in us-east-1 under the region-deny control and allows it in Tokyo; IAM stays global', async () => {
      const { twin, accountId, since } = await twinWith(['HTB-PREV-002']);
      const nonAdmin = session(accountId, 'NonAdmin');
      const bucket = (region: string, name: string) => ({ accountId, region, typeName: 'AWS::S3::Bucket', identifier: name, properties: { BucketName: name } });
      const denied = await rejectsWith(twin.putResource(bucket('us-east-1', 'app-east'), nonAdmin), 'AccessDeniedException');
      assert.match(denied.message, /s3:CreateBucket on resource: arn:aws:s3:::app-east with an explicit deny/);
      await twin.putResource(bucket('ap-northeast-1', 'app-tokyo'), nonAdmin);
      await twin.putResource(user(accountId, 'svc'), session(accountId, 'Admin'));
      assert.deepEqual(await changed(twin), ['CREATE AWS::S3::Bucket app-tokyo', 'CREATE AWS::IAM::User svc']);
      const denials = (await events(twin, accountId, since)).filter((e) => e.errorCode !== undefined);
      assert.deepEqual(denials.map((e) => [e.eventName, e.awsRegion]), [
        ['CreateBucket', 'us-east-1'],
        ['CreateResource', 'us-east-1'],
      ]);
    });

    it("judges an update by what it changes and a delete by its own action: the platform's log bucket and trail stay", async () => {
      const { twin, accountId } = await twinWith(['HTB-PREV-003', 'HTB-PREV-007']);
      const admin = session(accountId, 'Admin');
      const logs = { accountId, region: 'ap-northeast-1', typeName: 'AWS::S3::Bucket', identifier: `hatoba-logs-${accountId}` };
      await twin.putResource({ ...logs, properties: { VersioningConfiguration: { Status: 'Enabled' } } });
      const trail = { accountId, region: 'ap-northeast-1', typeName: 'AWS::CloudTrail::Trail', identifier: 'hatoba-org-trail' };
      await twin.putResource({ ...trail, properties: { TrailName: 'hatoba-org-trail', IsLogging: true } });

      const suspend = await rejectsWith(twin.putResource({ ...logs, properties: { VersioningConfiguration: { Status: 'Suspended' } } }, admin), 'AccessDeniedException');
      assert.match(suspend.message, /s3:PutBucketVersioning/);
      await twin.putResource({ ...logs, properties: { VersioningConfiguration: { Status: 'Enabled' }, Tags: [{ Key: 'team', Value: 'a' }] } }, admin);
      await rejectsWith(twin.deleteResource(trail, admin), 'AccessDeniedException');
      await rejectsWith(twin.putResource({ ...trail, properties: { TrailName: 'hatoba-org-trail', IsLogging: false } }, admin), 'AccessDeniedException');
      assert.equal((await twin.getResource(trail)).properties.IsLogging, true);
      await twin.putResource({ ...trail, identifier: 'team-trail', properties: { TrailName: 'team-trail' } }, admin);
      await twin.deleteResource({ ...trail, identifier: 'team-trail' }, admin);
    });

    it('judges a type it does not know as the Cloud Control call, logged once', async () => {
      const { twin, accountId, since } = await twinWith(['HTB-PREV-002']);
      const fn = { accountId, region: 'eu-west-1', typeName: 'AWS::Lambda::Function', identifier: 'f', properties: {} };
      const denied = await rejectsWith(twin.putResource(fn, session(accountId, 'Admin')), 'AccessDeniedException');
      assert.match(denied.message, /cloudcontrolapi:CreateResource/);
      assert.deepEqual((await events(twin, accountId, since)).map((e) => [e.eventSource, e.errorCode]), [['cloudcontrolapi.amazonaws.com', 'AccessDeniedException']]);
    });

    it('refuses a caller of another account', async () => {
      const { twin, accountId } = await twinWith([]);
      await rejectsWith(twin.putResource(user(accountId, 'x'), session('111111111111', 'Admin')), 'ValidationException');
      assert.deepEqual(await changed(twin), []);
    });
  });
}
