import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findingId } from '../guardrails/detective/identity.js';
import type { CheckOutcome } from '../guardrails/detective/evaluator.js';
import type { Severity } from '../guardrails/catalog/schema.js';
import type { FindingsStore, PostureWrite, StoredCheck } from '../app/ports/findings-store.js';
import { backends, type TestDatabase } from './testing.js';
import { createFindingsStore } from './findings-store.js';
import { ALL_TENANTS as ALL } from '../app/scope.js';

const T0 = Date.parse('2030-04-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

let accountSeq = 100_000_000_000;
const newAccount = () => String((accountSeq += 1));

const volume = (accountId: string, identifier = 'vol-1') => ({ accountId, region: 'ap-northeast-1', type: 'AWS::EC2::Volume', identifier });

function check(accountId: string, result: CheckOutcome, options: { identifier?: string; control?: string; severity?: Severity; tenantId?: string | null } = {}): StoredCheck {
  const resource = volume(accountId, options.identifier);
  const controlId = options.control ?? 'HTB-EBS-001';
  return {
    id: findingId(controlId, resource),
    controlId,
    severity: options.severity ?? 'high',
    accountId,
    region: resource.region,
    resourceType: resource.type,
    resourceId: resource.identifier,
    result,
    tenantId: options.tenantId === undefined ? 'org_test' : options.tenantId,
  };
}

const write = (store: FindingsStore, when: Date, checks: StoredCheck[], extra: Partial<PostureWrite> = {}) =>
  store.write({ provider: 'simulated', at: when, checks, gone: [], replaced: [], ...extra });

for (const backend of backends()) {
  describe(`findings store on ${backend.name}`, () => {
    let database: TestDatabase;
    let store: FindingsStore;
    before(async () => {
      database = await backend.open();
      store = createFindingsStore(database.db);
    });
    after(async () => database.dispose());

    it('opens a finding on a failing check, refreshes it, resolves it when fixed and reopens it when it fails again', async () => {
      const account = newAccount();
      const failing = check(account, 'fail');
      assert.deepEqual(await write(store, at(0), [failing]), { written: true, checks: 1, opened: 1, reopened: 0, resolved: 0 });
      assert.equal((await write(store, at(5), [failing])).opened, 0);
      let finding = await store.getFinding(ALL, failing.id);
      assert.deepEqual([finding?.status, finding?.firstSeen, finding?.lastSeen], ['active', at(0), at(5)]);

      assert.equal((await write(store, at(10), [check(account, 'pass')])).resolved, 1);
      finding = await store.getFinding(ALL, failing.id);
      assert.deepEqual([finding?.status, finding?.resolvedAt], ['resolved', at(10)]);

      assert.equal((await write(store, at(15), [failing])).reopened, 1);
      finding = await store.getFinding(ALL, failing.id);
      assert.deepEqual([finding?.status, finding?.firstSeen, finding?.lastSeen, finding?.resolvedAt], ['active', at(0), at(15), null]);
    });

    it('never lets an older evaluation overwrite a newer one', async () => {
      const account = newAccount();
      await write(store, at(10), [check(account, 'pass')]);
      await write(store, at(5), [check(account, 'fail')]);
      assert.equal(await store.getFinding(ALL, check(account, 'fail').id), undefined, 'the late, older failure opens nothing');
      const counts = await store.checkCounts({ provider: 'simulated', accountId: account }, 'account', at(20));
      assert.deepEqual(counts.map((c) => c.result), ['pass']);
    });

    it('keeps a suppression through re-evaluation until it expires, then reopens or resolves by the latest result', async () => {
      const account = newAccount();
      const failing = check(account, 'fail');
      await write(store, at(0), [failing]);
      const suppressed = await store.suppress(ALL, failing.id, { reason: 'legacy volume, replaced in June', by: 'sec@example.jp', at: at(1), until: at(60) });
      assert.deepEqual(suppressed?.suppression, { reason: 'legacy volume, replaced in June', by: 'sec@example.jp', at: at(1), until: at(60) });
      await write(store, at(30), [failing]);
      assert.equal((await store.getFinding(ALL, failing.id))?.status, 'suppressed', 'a failing re-evaluation keeps it suppressed');
      const [counted] = await store.checkCounts({ provider: 'simulated', accountId: account }, 'account', at(30));
      assert.equal(counted?.suppressed, true);
      const [afterExpiry] = await store.checkCounts({ provider: 'simulated', accountId: account }, 'account', at(61));
      assert.equal(afterExpiry?.suppressed, false, 'an expired suppression no longer counts');

      assert.equal(await store.expireSuppressions(at(59)), 0);
      assert.equal(await store.expireSuppressions(at(60)), 1);
      const reopened = await store.getFinding(ALL, failing.id);
      assert.deepEqual([reopened?.status, reopened?.suppression], ['active', null]);

      await store.suppress(ALL, failing.id, { reason: 'again', by: 'sec@example.jp', at: at(61), until: at(90) });
      await write(store, at(70), [check(account, 'pass')]);
      assert.equal((await store.getFinding(ALL, failing.id))?.status, 'suppressed', 'a passing re-evaluation keeps it suppressed too');
      await store.expireSuppressions(at(90));
      assert.equal((await store.getFinding(ALL, failing.id))?.status, 'resolved');
    });

    it('resolves a failing check that expired its suppression at the next write', async () => {
      const account = newAccount();
      const failing = check(account, 'fail');
      await write(store, at(0), [failing]);
      await store.suppress(ALL, failing.id, { reason: 'r', by: 'a@example.jp', at: at(0), until: at(10) });
      const result = await write(store, at(20), [failing]);
      assert.equal(result.reopened, 1);
      assert.equal((await store.getFinding(ALL, failing.id))?.status, 'active');
    });

    it('refuses to suppress a resolved finding and ends a suppression on request', async () => {
      const account = newAccount();
      const failing = check(account, 'fail');
      await write(store, at(0), [failing]);
      await store.suppress(ALL, failing.id, { reason: 'r', by: 'a@example.jp', at: at(0), until: at(100) });
      const ended = await store.unsuppress(ALL, failing.id, at(1));
      assert.equal(ended?.status, 'active');
      assert.equal(await store.unsuppress(ALL, failing.id, at(2)), undefined, 'not suppressed any more');
      await write(store, at(3), [check(account, 'pass')]);
      assert.equal(await store.suppress(ALL, failing.id, { reason: 'r', by: 'a@example.jp', at: at(4), until: at(100) }), undefined);
      assert.equal(await store.suppress(ALL, 'HTB-NONE-001.000000000000000000000000', { reason: 'r', by: 'a@example.jp', at: at(4), until: at(100) }), undefined);
    });

    it('resolves the findings of a deleted resource, suppressed or not, and drops its checks', async () => {
      const account = newAccount();
      const one = check(account, 'fail', { identifier: 'vol-1' });
      const two = check(account, 'fail', { identifier: 'vol-2' });
      await write(store, at(0), [one, two]);
      await store.suppress(ALL, two.id, { reason: 'r', by: 'a@example.jp', at: at(0), until: at(100) });
      const result = await write(store, at(5), [], { gone: [volume(account, 'vol-1'), volume(account, 'vol-2')] });
      assert.equal(result.resolved, 2);
      assert.deepEqual([(await store.getFinding(ALL, one.id))?.status, (await store.getFinding(ALL, two.id))?.status], ['resolved', 'resolved']);
      assert.deepEqual(await store.checkCounts({ provider: 'simulated', accountId: account }, 'account', at(6)), []);
    });

    it('replaces an account’s checks on a full evaluation: what was not evaluated again is gone', async () => {
      const account = newAccount();
      await write(store, at(0), [check(account, 'fail', { identifier: 'vol-1' }), check(account, 'fail', { identifier: 'vol-2' })]);
      const result = await write(store, at(5), [check(account, 'fail', { identifier: 'vol-2' })], { replaced: [account] });
      assert.equal(result.resolved, 1);
      assert.equal((await store.getFinding(ALL, check(account, 'fail', { identifier: 'vol-1' }).id))?.status, 'resolved');
      assert.equal((await store.getFinding(ALL, check(account, 'fail', { identifier: 'vol-2' }).id))?.status, 'active');
      assert.ok((await store.checkedAccounts('simulated')).includes(account));
    });

    it('opens no finding for an error, and counts it apart', async () => {
      const account = newAccount();
      const erroring = { ...check(account, 'error'), message: 'no such key: Encrypted' };
      await write(store, at(0), [erroring]);
      assert.equal(await store.getFinding(ALL, erroring.id), undefined);
      const counts = await store.checkCounts({ provider: 'simulated', accountId: account }, 'account', at(1));
      assert.deepEqual(counts.map((c) => [c.result, c.count]), [['error', 1]]);
    });

    it('advances the change-feed cursor with the results, and writes nothing when another worker moved it first', async () => {
      const name = `detective:test-${newAccount()}`;
      assert.equal(await store.getCursor(name), undefined);
      const account = newAccount();
      const first = await write(store, at(0), [check(account, 'fail')], { cursor: { name, from: undefined, to: '7' } });
      assert.equal(first.written, true);
      assert.equal(await store.getCursor(name), '7');
      const stale = await write(store, at(1), [check(account, 'pass')], { cursor: { name, from: undefined, to: '9' } });
      assert.deepEqual(stale, { written: false, checks: 0, opened: 0, reopened: 0, resolved: 0 });
      assert.equal((await store.getFinding(ALL, check(account, 'fail').id))?.status, 'active', 'the stale batch changed nothing');
      assert.equal(await store.getCursor(name), '7');
    });

    it('lists findings by tenant, account, control, severity and status, most severe first, in stable pages', async () => {
      const account = newAccount();
      const tenantId = `org_list_${account}`;
      const checks = [
        check(account, 'fail', { identifier: 'vol-a', severity: 'low', tenantId }),
        check(account, 'fail', { identifier: 'vol-b', severity: 'critical', tenantId }),
        check(account, 'fail', { identifier: 'vol-c', severity: 'medium', tenantId }),
        check(account, 'fail', { identifier: 'vol-d', severity: 'critical', tenantId, control: 'HTB-EBS-002' }),
        check(account, 'pass', { identifier: 'vol-e', severity: 'high', tenantId }),
      ];
      await write(store, at(0), checks.slice(0, 2));
      await write(store, at(1), checks.slice(2));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listFindings(ALL, { tenantId }, { limit: 2, cursor });
        seen.push(...page.items.map((f) => `${f.severity} ${f.resourceId}`));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      assert.deepEqual(seen, ['critical vol-d', 'critical vol-b', 'medium vol-c', 'low vol-a']);
      assert.deepEqual((await store.listFindings(ALL, { tenantId, controlId: 'HTB-EBS-002' }, { limit: 10 })).items.map((f) => f.resourceId), ['vol-d']);
      assert.deepEqual((await store.listFindings(ALL, { tenantId, severity: 'medium' }, { limit: 10 })).items.map((f) => f.resourceId), ['vol-c']);
      assert.deepEqual((await store.listFindings(ALL, { provider: 'simulated', accountId: account, status: 'resolved' }, { limit: 10 })).items, []);
      assert.equal((await store.listFindings(ALL, { tenantId: 'org_nobody' }, { limit: 10 })).items.length, 0);
    });

    it('keeps a tenant-scoped caller to its own tenant: another tenant’s finding cannot be read, suppressed or unsuppressed', async () => {
      const account = newAccount();
      const ours = `org_ours_${account}`;
      const theirs = `org_theirs_${account}`;
      const own = check(account, 'fail', { identifier: 'vol-own', tenantId: ours });
      const other = check(newAccount(), 'fail', { identifier: 'vol-other', tenantId: theirs });
      const unowned = check(newAccount(), 'fail', { identifier: 'vol-unowned', tenantId: null });
      await write(store, at(0), [own, other, unowned]);
      const scope = { tenantId: ours };
      const suppression = { reason: 'r', by: 'a@example.jp', at: at(1), until: at(100) };

      assert.equal((await store.getFinding(scope, own.id))?.id, own.id);
      assert.equal(await store.getFinding(scope, other.id), undefined);
      assert.equal(await store.getFinding(scope, unowned.id), undefined, 'a finding without a tenant is in no tenant’s scope');
      assert.equal(await store.suppress(scope, other.id, suppression), undefined);
      assert.equal((await store.getFinding(ALL, other.id))?.status, 'active', 'the refused suppression changed nothing');

      await store.suppress(ALL, other.id, suppression);
      assert.equal(await store.unsuppress(scope, other.id, at(2)), undefined);
      assert.equal((await store.getFinding(ALL, other.id))?.status, 'suppressed', 'the refused unsuppression changed nothing');

      assert.equal((await store.suppress(scope, own.id, suppression))?.status, 'suppressed');
      assert.equal((await store.unsuppress(scope, own.id, at(2)))?.status, 'active');
    });

    it('lists only the scope’s tenant, whatever the filters match', async () => {
      const account = newAccount();
      const ours = `org_ours_${account}`;
      const theirs = `org_theirs_${account}`;
      // The same account, control and severity in both tenants (an account that changed tenant, say): only the filters would let both through.
      await write(store, at(0), [
        check(account, 'fail', { identifier: 'vol-ours', tenantId: ours, severity: 'critical' }),
        check(account, 'fail', { identifier: 'vol-theirs', tenantId: theirs, severity: 'critical' }),
      ]);
      const scope = { tenantId: ours };
      const filters = [{}, { provider: 'simulated', accountId: account }, { controlId: 'HTB-EBS-001', severity: 'critical' as const, status: 'active' as const }, { tenantId: theirs }];
      for (const filter of filters) {
        const listed = await store.listFindings(scope, filter, { limit: 500 });
        assert.ok(listed.items.every((f) => f.tenantId === ours), JSON.stringify(filter));
      }
      assert.deepEqual((await store.listFindings(scope, { accountId: account }, { limit: 10 })).items.map((f) => f.resourceId), ['vol-ours']);
      assert.deepEqual((await store.listFindings(scope, { tenantId: theirs }, { limit: 10 })).items, [], 'a filter on another tenant narrows to nothing');
      assert.deepEqual((await store.listFindings(ALL, { accountId: account }, { limit: 10 })).items.map((f) => f.resourceId).sort(), ['vol-ours', 'vol-theirs']);
    });

    it('counts checks per tenant for the score', async () => {
      const account = newAccount();
      const tenantId = `org_counts_${account}`;
      await write(store, at(0), [check(account, 'fail', { identifier: 'v1', tenantId }), check(account, 'pass', { identifier: 'v2', tenantId }), check(account, 'pass', { identifier: 'v3', tenantId })]);
      const counts = await store.checkCounts({ tenantId }, 'tenant', at(1));
      assert.deepEqual(counts.map((c) => [c.key, c.result, c.count]), [
        [tenantId, 'fail', 1],
        [tenantId, 'pass', 2],
      ]);
    });
  });
}
