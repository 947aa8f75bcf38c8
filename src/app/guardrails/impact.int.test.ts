import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { fakeVocabulary } from '../../guardrails/iam/fixtures/vocabulary.js';
import { headline } from '../../guardrails/rollout/report.js';
import { ManualClock } from '../../cloud/contract-tests/index.js';
import { createAccountNow } from '../../cloud/contract-tests/harness.js';
import { createSimulatedCloud, type SimulatedCloud } from '../../cloud/simulated/driver.js';
import type { SimulatedCall } from '../../cloud/simulated/enforcement.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRolloutStore } from '../../store/rollout-store.js';
import { timeOrderedId } from '../registry/ids.js';
import type { GuardrailDeps } from './deps.js';
import { PROTECT_TRAILS_ID, RCP_NO_READS_ID, REGION_DENY_ID, rolloutControls } from './fixtures.js';
import { computeImpact } from './impact.js';
import { getTarget, selectTargetControls, setStage } from './rollouts.js';

const DAY = 86_400_000;
const alice = 'alice@example.jp';
const prodTarget = { target: '/Workloads/Prod', kind: 'SCP' as const, actor: alice };

const refusal = async (promise: Promise<unknown>, code: string): Promise<DomainError> => {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DomainError, String(error));
  assert.equal(error.code, code, error.message);
  return error;
};

/** /Workloads/Prod (account prod) and /Workloads/Dev (account dev), and the rollout use cases on them. */
async function estate(db: TestDatabase['db'], patch: Partial<GuardrailDeps> = {}) {
  const clock = new ManualClock('2030-04-10T00:00:00.000Z');
  const twin = await createSimulatedCloud({ db, clock, config: { twin: randomUUID(), accountCreationDurationMs: 1_000 } });
  const root = twin.organization.rootId;
  const workloads = await twin.createOrganizationalUnit(root, 'Workloads');
  const harness = { driver: twin, advance: async (ms: number) => clock.advance(ms), dispose: async () => undefined };
  const place = async (name: string) => {
    const ou = await twin.createOrganizationalUnit(workloads.id, name);
    const { accountId } = await createAccountNow(harness, 'imp');
    await twin.moveAccount({ accountId, sourceParentId: root, destinationParentId: ou.id });
    return accountId;
  };
  const accounts = { prod: await place('Prod'), dev: await place('Dev') };
  const deps: GuardrailDeps = {
    store: createRolloutStore(db),
    cloud: twin,
    clock,
    catalog: async () => rolloutControls,
    vocabulary: async () => fakeVocabulary(),
    managementAccountId: twin.organization.managementAccountId,
    newReportId: () => timeOrderedId('rpt'),
    ...patch,
  };
  return { clock, twin, deps, accounts };
}

const developer = (accountId: string) => ({ arn: `arn:aws:sts::${accountId}:assumed-role/Developer/dev1`, type: 'AssumedRole' as const });

/** A call `daysAgo` before now by the account's developer. */
const call = (twin: SimulatedCloud, clock: ManualClock, daysAgo: number, c: Omit<SimulatedCall, 'principal' | 'eventTime' | 'region'> & { region?: string }) =>
  twin.simulateCall({ region: 'ap-northeast-1', ...c, principal: developer(c.accountId), eventTime: new Date(clock.now().getTime() - daysAgo * DAY) });

async function audit(deps: GuardrailDeps, controls: string[], target: { target: string; kind: 'SCP' | 'RCP'; actor: string } = prodTarget) {
  await selectTargetControls(deps, { ...target, controls });
  await setStage(deps, { ...target, stage: 'audit', reason: 'measure first' });
}

for (const backend of backends()) {
  describe(`impact reports on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => handle.dispose());

    it('replays the last 30 days by default, even computed the moment the audit began, and records its window', async () => {
      const { deps, twin, clock, accounts } = await estate(handle.db);
      for (const daysAgo of [3, 2]) await call(twin, clock, daysAgo, { accountId: accounts.prod, action: 'ec2:RunInstances', region: 'us-east-1' });
      await call(twin, clock, 40, { accountId: accounts.prod, action: 'ec2:RunInstances', region: 'us-east-1' });
      await audit(deps, [REGION_DENY_ID]);

      const now = clock.now();
      const report = await computeImpact(deps, prodTarget);
      assert.deepEqual([report.since, report.until], [new Date(now.getTime() - 30 * DAY), now]);
      assert.deepEqual([report.findings.replayed, report.findings.wouldDeny], [2, 2]);
      const enforced = await setStage(deps, { ...prodTarget, stage: 'enforce', reportId: report.id, reason: 'two calls, both mistakes' });
      assert.equal(enforced.target.stage, 'enforce');
    });

    it('refuses to enforce on a report that replayed no calls unless the operator accepts it with a reason, which the history keeps', async () => {
      const { deps, twin, clock, accounts } = await estate(handle.db, { impactLookbackDays: 1 });
      await call(twin, clock, 3, { accountId: accounts.prod, action: 'ec2:RunInstances', region: 'us-east-1' });
      await audit(deps, [REGION_DENY_ID]);
      const report = await computeImpact(deps, prodTarget);
      assert.deepEqual([report.since, report.findings.replayed], [new Date(clock.now().getTime() - DAY), 0], 'the configured lookback leaves the call out');
      const said = headline(report.findings, report.since);
      assert.match(said.en, /No calls were replayed since 2030-04-09/);
      assert.match(said.ja, /2030-04-09 以降、再生できた呼び出しは 0 件です/);

      const enforce = { ...prodTarget, stage: 'enforce' as const, reportId: report.id };
      const refused = await refusal(setStage(deps, { ...enforce, reason: 'looks fine' }), 'invalid_state');
      assert.match(refused.message, /1 件も再生していません.* \/ impact report .* replayed no calls \(2030-04-09 – 2030-04-10\)/);
      await refusal(setStage(deps, { ...enforce, acceptEmptyReport: true, reason: ' ' }), 'validation_failed');
      assert.equal((await getTarget(deps, prodTarget)).target.stage, 'audit');

      const accepted = await setStage(deps, { ...enforce, acceptEmptyReport: true, reason: 'new OU: no activity to measure yet' });
      assert.equal(accepted.target.stage, 'enforce');
      const [last] = (await getTarget(deps, prodTarget)).history;
      assert.deepEqual([last?.toStage, last?.reportId, last?.acceptedEmptyReport, last?.reason], ['enforce', report.id, true, 'new OU: no activity to measure yet']);
    });

    it('refuses a start in the future in Japanese and English', async () => {
      const { deps } = await estate(handle.db);
      await audit(deps, [REGION_DENY_ID]);
      const error = await refusal(computeImpact(deps, { ...prodTarget, since: new Date('2030-05-01T00:00:00.000Z') }), 'validation_failed');
      assert.match(error.message, /未来.* \/ since is in the future/);
      assert.deepEqual(error.issues.map((i) => i.path), [['since']]);
    });

    it('counts a StopLogging on the platform trail, judged by the resource the twin logs', async () => {
      const { deps, twin, clock, accounts } = await estate(handle.db);
      const trail = (name: string) => `arn:aws:cloudtrail:ap-northeast-1:${accounts.prod}:trail/${name}`;
      await call(twin, clock, 2, { accountId: accounts.prod, action: 'cloudtrail:StopLogging', resource: trail('hatoba-org') });
      await call(twin, clock, 1, { accountId: accounts.prod, action: 'cloudtrail:StopLogging', resource: trail('team-trail') });
      await audit(deps, [PROTECT_TRAILS_ID]);
      const { findings } = await computeImpact(deps, prodTarget);
      assert.deepEqual([findings.replayed, findings.wouldDeny, findings.unknownResource], [2, 1, 0]);
      assert.deepEqual(findings.byAction, [{ key: 'cloudtrail:StopLogging', count: 1 }]);
      assert.match(findings.byStatement[0]?.key ?? '', /ProtectPlatformTrails$/);
    });

    it("judges RCPs by the account owning the resource, whoever calls, whether the log is read by account or whole", async () => {
      for (const perAccount of [25, 0]) {
        const { deps, twin, clock, accounts } = await estate(handle.db, { impactPerAccountReads: perAccount });
        // From Dev into Prod's bucket (in scope), and from Prod into Dev's bucket (not).
        await call(twin, clock, 2, { accountId: accounts.dev, action: 's3:GetObject', resource: 'arn:aws:s3:::prod-data/report.csv', resourceAccountId: accounts.prod });
        await call(twin, clock, 1, { accountId: accounts.prod, action: 's3:GetObject', resource: 'arn:aws:s3:::dev-data/report.csv', resourceAccountId: accounts.dev });
        const rcp = { ...prodTarget, kind: 'RCP' as const };
        await audit(deps, [RCP_NO_READS_ID], rcp);
        const { findings } = await computeImpact(deps, rcp);
        assert.deepEqual([findings.replayed, findings.wouldDeny, findings.byAccount], [1, 1, [{ key: accounts.dev, count: 1 }]], `reading ${perAccount === 0 ? 'whole' : 'by account'}`);
      }
    });

    it('counts the same SCP impact whether the log is read account by account or whole', async () => {
      const found = [];
      for (const perAccount of [25, 0]) {
        const { deps, twin, clock, accounts } = await estate(handle.db, { impactPerAccountReads: perAccount });
        for (const accountId of [accounts.prod, accounts.dev]) await call(twin, clock, 1, { accountId, action: 'ec2:RunInstances', region: 'us-east-1' });
        await audit(deps, [REGION_DENY_ID]);
        const { findings } = await computeImpact(deps, prodTarget);
        found.push([findings.replayed, findings.wouldDeny, findings.byAccount.map((a) => a.key)]);
        assert.deepEqual(found.at(-1), [1, 1, [accounts.prod]]);
      }
    });
  });
}
