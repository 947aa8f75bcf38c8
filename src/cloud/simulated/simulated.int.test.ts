import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CloudError } from '../../app/ports/cloud.js';
import { describeCloudDriver, ManualClock } from '../contract-tests/index.js';
import { collect, rejectsWith, uniqueEmail } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { openPostgres } from '../../store/postgres.js';
import type { Database } from '../../store/database.js';
import { createSimulatedCloud, type SimulatedCloud } from './driver.js';
import type { SimulatedCloudConfig } from './config.js';

const CREATION_MS = 30_000;

for (const backend of backends()) {
  describe(`simulated cloud on ${backend.name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => {
      await database.dispose();
    });

    // Each harness is its own twin (a fresh organisation) in the suite's database: isolated and cheap.
    describeCloudDriver(`twin on ${backend.name}`, async () => {
      const clock = new ManualClock();
      const driver = await createSimulatedCloud({
        db: database.db,
        clock,
        config: { twin: randomUUID(), pageSize: 3, accountCreationDurationMs: CREATION_MS, assignmentDurationMs: 1_000 },
      });
      return { driver, advance: async (ms) => clock.advance(ms), dispose: async () => undefined };
    });

    const open = async (config: SimulatedCloudConfig = {}, db: Database = database.db, clock = new ManualClock()) => ({
      clock,
      twin: await createSimulatedCloud({ db, clock, config: { twin: randomUUID(), accountCreationDurationMs: CREATION_MS, ...config } }),
    });
    const request = (twin: SimulatedCloud, prefix = 'slot') =>
      twin.createAccount({ email: uniqueEmail(prefix), accountName: prefix });

    describe('the account creation limit', () => {
      it('refuses the sixth concurrent creation with a retryable TooManyRequestsException and accepts it once a slot frees', async () => {
        const { clock, twin } = await open();
        assert.equal(twin.accountCreationConcurrency, 5);
        const accepted = [];
        for (let i = 0; i < 5; i += 1) accepted.push(await request(twin));
        const refused = await rejectsWith(request(twin), 'TooManyRequestsException');
        assert.equal(refused.retryable, true);
        assert.equal(refused.reason, 'CONCURRENT_ACCOUNT_CREATION_LIMIT');
        const log = await twin.lookupEvents({ eventName: 'CreateAccount' });
        assert.equal(log.items.filter((e) => e.errorCode === 'TooManyRequestsException').length, 1, 'the refusal is logged too');

        clock.advance(CREATION_MS);
        const sixth = await request(twin);
        assert.equal(sixth.state, 'IN_PROGRESS');
        const running = await collect((t) => twin.listCreateAccountStatus(['IN_PROGRESS'], t));
        assert.deepEqual(running.items.map((s) => s.id), [sixth.id]);
      });

      it('honours a configured concurrency other than five', async () => {
        const { twin } = await open({ accountCreationConcurrency: 2 });
        await request(twin);
        await request(twin);
        await rejectsWith(request(twin), 'TooManyRequestsException');
      });

      it('never has more than 5 creations in progress when two driver instances race 20 CreateAccount calls on one database', async () => {
        // On PostgreSQL the second instance has its own connection pool, as a second process would.
        const second: Database = database.url === undefined ? database.db : await openPostgres(database.url);
        try {
          const clock = new ManualClock();
          const name = randomUUID();
          const a = await createSimulatedCloud({ db: database.db, clock, config: { twin: name, accountCreationDurationMs: CREATION_MS } });
          const b = await createSimulatedCloud({ db: second, clock, config: { twin: name, accountCreationDurationMs: CREATION_MS } });
          assert.equal(a.organization.id, b.organization.id, 'both instances open the same twin');
          for (let round = 0; round < 3; round += 1) {
            const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => request(i % 2 === 0 ? a : b, `race${round}`)));
            const accepted = outcomes.filter((o) => o.status === 'fulfilled');
            const refused = outcomes.filter((o) => o.status === 'rejected');
            assert.equal(accepted.length, 5, `round ${round}: exactly the limit is accepted`);
            for (const o of refused) assert.ok(o.reason instanceof CloudError && o.reason.code === 'TooManyRequestsException');
            const running = await collect((t) => b.listCreateAccountStatus(['IN_PROGRESS'], t));
            assert.equal(running.items.length, 5);
            clock.advance(CREATION_MS);
          }
          const accounts = await collect((t) => a.listAccounts(t));
          assert.equal(accounts.items.length, 1 + 15, 'management account plus every accepted creation, each once');
        } finally {
          if (second !== database.db) await second.close();
        }
      });
    });

    describe('lazy completion', () => {
      it('creates the account exactly once when many observers see the request finish at the same instant', async () => {
        const { clock, twin } = await open();
        const other = await createSimulatedCloud({ db: database.db, clock, config: { twin: twin.organization.name } });
        const started = await request(twin);
        clock.advance(CREATION_MS);
        const seen = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? twin : other).describeCreateAccountStatus(started.id)));
        assert.ok(seen.every((s) => s.state === 'SUCCEEDED' && s.accountId === seen[0]?.accountId));
        const accounts = await collect((t) => other.listAccounts(t));
        assert.equal(accounts.items.filter((a) => a.id === seen[0]?.accountId).length, 1);
      });

      it('stamps the account with the completion time, not the time it was first observed', async () => {
        const { clock, twin } = await open();
        const started = await request(twin);
        clock.advance(10 * CREATION_MS);
        const done = await twin.describeCreateAccountStatus(started.id);
        assert.equal(done.completedAt?.getTime(), started.requestedAt.getTime() + CREATION_MS);
        const account = await twin.describeAccount(done.accountId ?? '');
        assert.equal(account.joinedAt.getTime(), started.requestedAt.getTime() + CREATION_MS);
      });
    });

    describe('service events', () => {
      it('writes a CreateAccountResult event at the completion time of each finished creation, found by the new account id', async () => {
        const { clock, twin } = await open({ faults: { creations: [{ outcome: 'CONCURRENT_ACCOUNT_MODIFICATION', times: 1 }] } });
        const failed = await request(twin, 'unlucky');
        const succeeded = await request(twin, 'lucky');
        clock.advance(CREATION_MS);
        const { accountId } = await twin.describeCreateAccountStatus(succeeded.id);

        const [aboutAccount] = (await twin.lookupEvents({ accountId: accountId ?? '', eventName: 'CreateAccountResult' })).items;
        assert.equal(aboutAccount?.eventTime.getTime(), succeeded.requestedAt.getTime() + CREATION_MS);
        assert.equal(aboutAccount?.readOnly, false);
        assert.equal(aboutAccount?.userIdentity.type, 'AWSService');
        assert.deepEqual(aboutAccount?.responseElements?.createAccountStatus, {
          id: succeeded.id,
          accountName: 'lucky',
          state: 'SUCCEEDED',
          accountId,
          requestedTimestamp: succeeded.requestedAt.toISOString(),
          completedTimestamp: new Date(succeeded.requestedAt.getTime() + CREATION_MS).toISOString(),
        });
        const results = (await twin.lookupEvents({ eventName: 'CreateAccountResult' })).items;
        const failure = results.find((e) => JSON.stringify(e.responseElements).includes(failed.id));
        assert.ok(JSON.stringify(failure?.responseElements).includes('CONCURRENT_ACCOUNT_MODIFICATION'));
        assert.equal(results.length, 2, 'one event per request, however often it is observed');
        await twin.describeCreateAccountStatus(succeeded.id);
        assert.equal((await twin.lookupEvents({ eventName: 'CreateAccountResult' })).items.length, 2);
      });
    });

    describe('quotas and defaults', () => {
      it('refuses the 2,001st permission set of an instance with ServiceQuotaExceededException', async () => {
        const { twin } = await open();
        // 1,999 rows straight into the table: the quota under test is the real default, not a small stand-in.
        await database.db.query(
          `INSERT INTO twin_permission_sets (arn, org_id, name, session_duration, created_at)
           SELECT $1 || '/ps-bulk' || g, $2, 'Bulk' || g, 'PT1H', now() FROM generate_series(1, 1999) g`,
          [twin.organization.ssoInstanceArn.replace(':instance/', ':permissionSet/'), twin.organization.id],
        );
        await twin.createPermissionSet({ name: 'TheLastOne' });
        const refused = await rejectsWith(twin.createPermissionSet({ name: 'OneTooMany' }), 'ServiceQuotaExceededException');
        assert.equal(refused.retryable, false);
      });

      it('attaches FullAWSAccess to the root, new OUs and new accounts, and refuses to detach the last one', async () => {
        const { clock, twin } = await open();
        const root = await twin.describeOrganizationRoot();
        const ou = await twin.createOrganizationalUnit(root.id, 'Workloads');
        const started = await request(twin);
        clock.advance(CREATION_MS);
        const { accountId } = await twin.describeCreateAccountStatus(started.id);
        for (const target of [root.id, ou.id, accountId ?? '']) {
          const policies = await twin.listPoliciesForTarget(target, 'SERVICE_CONTROL_POLICY');
          assert.deepEqual(policies.items.map((p) => [p.id, p.awsManaged]), [['p-FullAWSAccess', true]]);
          await rejectsWith(twin.detachPolicy('p-FullAWSAccess', target), 'ConstraintViolationException');
        }
      });

      it('returns pages of the configured size with a nextToken while more remain', async () => {
        const { twin } = await open({ pageSize: 2 });
        const root = await twin.describeOrganizationRoot();
        for (const name of ['a', 'b', 'c', 'd', 'e']) await twin.createOrganizationalUnit(root.id, name);
        const first = await twin.listOrganizationalUnitsForParent(root.id);
        assert.deepEqual(first.items.map((o) => o.name), ['a', 'b']);
        assert.ok(first.nextToken !== undefined);
        const all = await collect((t) => twin.listOrganizationalUnitsForParent(root.id, t));
        assert.deepEqual(all.items.map((o) => o.name), ['a', 'b', 'c', 'd', 'e']);
        assert.equal(all.pages, 3);
        await rejectsWith(twin.listAccounts(first.nextToken), 'InvalidInputException');
      });

      it('logs Identity Center calls in the home region with the service’s own throttling name', async () => {
        const { twin } = await open({
          homeRegion: 'ap-northeast-3',
          caller: { arn: 'arn:aws:sts::111122223333:assumed-role/Operator/alice' },
          faults: { calls: [{ operation: 'CreateGroup', error: 'TooManyRequestsException', times: 1 }] },
        });
        await rejectsWith(twin.createGroup({ displayName: 'g' }), 'TooManyRequestsException');
        const [event] = (await twin.lookupEvents({ eventName: 'CreateGroup' })).items;
        assert.equal(event?.eventSource, 'identitystore.amazonaws.com');
        assert.equal(event?.awsRegion, 'ap-northeast-3');
        assert.equal(event?.errorCode, 'ThrottlingException');
        assert.deepEqual(event?.userIdentity, {
          type: 'AssumedRole',
          principalId: 'arn:aws:sts::111122223333:assumed-role/Operator/alice',
          arn: 'arn:aws:sts::111122223333:assumed-role/Operator/alice',
          accountId: '111122223333',
          sessionContext: {
            sessionIssuer: { type: 'Role', principalId: 'arn:aws:iam::111122223333:role/Operator', arn: 'arn:aws:iam::111122223333:role/Operator', accountId: '111122223333', userName: 'Operator' },
          },
        });
      });
    });
  });
}
