import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../contract-tests/manual-clock.js';
import { collect, rejectsWith, uniqueEmail } from '../contract-tests/harness.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createSimulatedCloud } from './driver.js';
import type { SimulatedCloudConfig } from './config.js';

const CREATION_MS = 60_000;
const FAILURE_MS = 5_000;
const YEAR_MS = 365 * 24 * 3_600_000;

for (const backend of backends()) {
  describe(`injected faults on the twin (${backend.name})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await backend.open();
    });
    after(async () => {
      await database.dispose();
    });

    const open = async (config: SimulatedCloudConfig = {}) => {
      const clock = new ManualClock();
      const twin = await createSimulatedCloud({
        db: database.db,
        clock,
        config: { twin: randomUUID(), accountCreationDurationMs: CREATION_MS, failedCreationDurationMs: FAILURE_MS, ...config },
      });
      return { clock, twin };
    };

    it('fails the next two calls with a retryable ServiceException that changes nothing, logs them, then lets calls through', async () => {
      const { twin } = await open({ faults: { calls: [{ operation: 'CreateOrganizationalUnit', error: 'ServiceException', times: 2 }] } });
      const root = await twin.describeOrganizationRoot();
      for (let i = 0; i < 2; i += 1) {
        const error = await rejectsWith(twin.createOrganizationalUnit(root.id, 'Flaky'), 'ServiceException');
        assert.equal(error.retryable, true);
      }
      assert.deepEqual((await twin.listOrganizationalUnitsForParent(root.id)).items, []);
      const ou = await twin.createOrganizationalUnit(root.id, 'Flaky');
      assert.equal(ou.name, 'Flaky');
      const log = await twin.lookupEvents({ eventName: 'CreateOrganizationalUnit' });
      assert.deepEqual(log.items.map((e) => e.errorCode ?? 'ok'), ['ok', 'ServiceException', 'ServiceException']);
    });

    it('throttles every call at rate 1 and none at rate 0, with TooManyRequestsException', async () => {
      const always = await open({ faults: { calls: [{ operation: 'ListAccounts', error: 'TooManyRequestsException', rate: 1 }] } });
      for (let i = 0; i < 3; i += 1) {
        const error = await rejectsWith(always.twin.listAccounts(), 'TooManyRequestsException');
        assert.equal(error.retryable, true);
      }
      const never = await open({ faults: { calls: [{ operation: 'ListAccounts', error: 'TooManyRequestsException', rate: 0 }] } });
      for (let i = 0; i < 3; i += 1) await never.twin.listAccounts();
    });

    it('throttles the same calls on two twins with the same seed', async () => {
      const faults = { seed: 2030, calls: [{ operation: '*', error: 'TooManyRequestsException' as const, rate: 0.3 }] };
      const outcomes = async () => {
        const { twin } = await open({ faults });
        const results: string[] = [];
        for (let i = 0; i < 20; i += 1) results.push(await twin.listAccounts().then(() => '.', () => 'x'));
        return results.join('');
      };
      const first = await outcomes();
      assert.equal(await outcomes(), first);
      assert.ok(first.includes('x') && first.includes('.'), first);
    });

    it('ends a creation for a listed e-mail as FAILED with EMAIL_ALREADY_EXISTS after the failure delay, creating no account', async () => {
      const taken = uniqueEmail('outside');
      const { clock, twin } = await open({ faults: { creations: [{ outcome: 'EMAIL_ALREADY_EXISTS', emails: [taken] }] } });
      const doomed = await twin.createAccount({ email: taken, accountName: 'doomed' });
      const fine = await twin.createAccount({ email: uniqueEmail('fine'), accountName: 'fine' });
      clock.advance(FAILURE_MS - 1);
      assert.equal((await twin.describeCreateAccountStatus(doomed.id)).state, 'IN_PROGRESS');
      clock.advance(1);
      const failed = await twin.describeCreateAccountStatus(doomed.id);
      assert.deepEqual([failed.state, failed.failureReason, failed.accountId], ['FAILED', 'EMAIL_ALREADY_EXISTS', undefined]);
      clock.advance(CREATION_MS);
      assert.equal((await twin.describeCreateAccountStatus(fine.id)).state, 'SUCCEEDED');
      const accounts = await collect((t) => twin.listAccounts(t));
      assert.ok(!accounts.items.some((a) => a.email === taken));
    });

    it('ends the next creation as FAILED with CONCURRENT_ACCOUNT_MODIFICATION, and a retry with the same e-mail succeeds', async () => {
      const { clock, twin } = await open({ faults: { creations: [{ outcome: 'CONCURRENT_ACCOUNT_MODIFICATION', times: 1 }] } });
      const email = uniqueEmail('retry');
      const first = await twin.createAccount({ email, accountName: 'retry' });
      clock.advance(FAILURE_MS);
      const failed = await twin.describeCreateAccountStatus(first.id);
      assert.deepEqual([failed.state, failed.failureReason], ['FAILED', 'CONCURRENT_ACCOUNT_MODIFICATION']);
      const again = await twin.createAccount({ email, accountName: 'retry' });
      clock.advance(CREATION_MS);
      assert.equal((await twin.describeCreateAccountStatus(again.id)).state, 'SUCCEEDED');
    });

    it('keeps a creation that never finishes IN_PROGRESS for every observer, holding its concurrency slot', async () => {
      const { clock, twin } = await open({ faults: { creations: [{ outcome: 'NEVER_COMPLETES', times: 1 }] } });
      const stuck = await twin.createAccount({ email: uniqueEmail('stuck'), accountName: 'stuck' });
      clock.advance(YEAR_MS);
      assert.equal((await twin.describeCreateAccountStatus(stuck.id)).state, 'IN_PROGRESS');
      const observer = await createSimulatedCloud({ db: database.db, clock, config: { twin: twin.organization.name } });
      assert.equal((await observer.describeCreateAccountStatus(stuck.id)).state, 'IN_PROGRESS', 'the outcome is shared state');
      for (let i = 0; i < 4; i += 1) await twin.createAccount({ email: uniqueEmail('more'), accountName: 'more' });
      await rejectsWith(twin.createAccount({ email: uniqueEmail('sixth'), accountName: 'sixth' }), 'TooManyRequestsException');
    });

    it('refuses a call with ConcurrentModificationException "another operation is in progress" and leaves the account where it was', async () => {
      const { clock, twin } = await open();
      const root = await twin.describeOrganizationRoot();
      const ou = await twin.createOrganizationalUnit(root.id, 'Target');
      const started = await twin.createAccount({ email: uniqueEmail('busy'), accountName: 'busy' });
      clock.advance(CREATION_MS);
      const accountId = (await twin.describeCreateAccountStatus(started.id)).accountId ?? '';
      twin.faults.injectCall({ operation: 'MoveAccount', error: 'ConcurrentModificationException', times: 1 });
      const move = { accountId, sourceParentId: root.id, destinationParentId: ou.id };
      const error = await rejectsWith(twin.moveAccount(move), 'ConcurrentModificationException');
      assert.equal(error.retryable, true);
      assert.match(error.message, /another operation is in progress/i);
      assert.deepEqual(await twin.listParents(accountId), { id: root.id, type: 'ROOT' });
      await twin.moveAccount(move);
      assert.deepEqual(await twin.listParents(accountId), { id: ou.id, type: 'ORGANIZATIONAL_UNIT' });
    });

    it('takes fault rules added and cleared while the twin runs', async () => {
      const { twin } = await open();
      twin.faults.injectCall({ operation: '*', error: 'ServiceException' });
      await rejectsWith(twin.listGroups({}), 'ServiceException');
      await rejectsWith(twin.describeOrganizationRoot(), 'ServiceException');
      twin.faults.clear();
      await twin.listGroups({});
    });
  });
}
