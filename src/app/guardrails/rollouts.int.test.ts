import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { CloudError } from '../ports/cloud.js';
import { fakeVocabulary } from '../../guardrails/iam/fixtures/vocabulary.js';
import { ManualClock } from '../../cloud/contract-tests/index.js';
import { createAccountNow } from '../../cloud/contract-tests/harness.js';
import { createSimulatedCloud, type SimulatedCloud } from '../../cloud/simulated/driver.js';
import { FULL_AWS_ACCESS_ID } from '../../cloud/simulated/ids.js';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRolloutStore } from '../../store/rollout-store.js';
import { timeOrderedId } from '../registry/ids.js';
import type { GuardrailDeps, RolloutCloud } from './deps.js';
import { DENY_USERS_ID, DETECTIVE_ONLY_ID, REGION_DENY_ID, rolloutControls } from './fixtures.js';
import { computeImpact, getImpact } from './impact.js';
import { allPages } from './org-tree.js';
import { getTarget, listTargets, previewTarget, selectTargetControls, setStage } from './rollouts.js';

const DAY = 86_400_000;
const alice = 'alice@example.jp';

const refusal = async (promise: Promise<unknown>, code: string): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
};

/**
 * A twin with /Workloads/Prod (account prod), /Workloads/Prod/Team (account team, in the subtree)
 * and /Workloads/Dev (account dev, outside it), and the rollout use cases on it.
 */
async function estate(db: TestDatabase['db']) {
  const clock = new ManualClock('2030-04-10T00:00:00.000Z');
  const twin = await createSimulatedCloud({ db, clock, config: { twin: randomUUID(), accountCreationDurationMs: 1_000, pageSize: 7 } });
  const root = twin.organization.rootId;
  const workloads = await twin.createOrganizationalUnit(root, 'Workloads');
  const prod = await twin.createOrganizationalUnit(workloads.id, 'Prod');
  const team = await twin.createOrganizationalUnit(prod.id, 'Team');
  const dev = await twin.createOrganizationalUnit(workloads.id, 'Dev');
  const harness = { driver: twin, advance: async (ms: number) => clock.advance(ms), dispose: async () => undefined };
  const place = async (ouId: string) => {
    const { accountId } = await createAccountNow(harness, 'gr');
    await twin.moveAccount({ accountId, sourceParentId: root, destinationParentId: ouId });
    return accountId;
  };
  const accounts = { prod: await place(prod.id), team: await place(team.id), dev: await place(dev.id) };
  const deps: GuardrailDeps = {
    store: createRolloutStore(db),
    cloud: twin,
    clock,
    catalog: async () => rolloutControls,
    vocabulary: async () => fakeVocabulary(),
    managementAccountId: twin.organization.managementAccountId,
    newReportId: () => timeOrderedId('rpt'),
  };
  return { clock, twin, deps, ous: { workloads, prod, team, dev }, accounts };
}

const developer = (accountId: string) => ({ arn: `arn:aws:sts::${accountId}:assumed-role/Developer/dev1`, type: 'AssumedRole' as const });

/** Calls made `daysAgo` before now; a call an enforced SCP denies is still logged. */
async function activity(twin: SimulatedCloud, clock: ManualClock, accountId: string, region: string, count: number, daysAgo: number, action = 'ec2:RunInstances') {
  for (let i = 0; i < count; i++) {
    const eventTime = new Date(clock.now().getTime() - daysAgo * DAY + i * 1000);
    await twin.simulateCall({ accountId, principal: developer(accountId), action, region, eventTime }).catch((e: unknown) => {
      if (!(e instanceof CloudError && e.code === 'AccessDeniedException')) throw e;
    });
  }
}

/** /Workloads/Prod in audit with REGION_DENY selected and a report over a day of calls in `accountId`. */
async function audited(deps: GuardrailDeps, twin: SimulatedCloud, clock: ManualClock, accountId: string, target: { target: string; kind: 'SCP' }) {
  await activity(twin, clock, accountId, 'us-east-1', 2, 1);
  await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID], actor: alice });
  await setStage(deps, { ...target, stage: 'audit', actor: alice, reason: 'audit first' });
  return computeImpact(deps, { ...target, actor: alice });
}

/** The twin, with the first listPolicies call (where converging starts) held until released. */
function gated(twin: SimulatedCloud): { cloud: RolloutCloud; reached: Promise<void>; release: () => void } {
  let reach = (): void => undefined;
  let release = (): void => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const cloud = Object.create(twin) as SimulatedCloud;
  cloud.listPolicies = async (...args) => {
    if (!held) {
      held = true;
      reach();
      await released;
    }
    return twin.listPolicies(...args);
  };
  return { cloud, reached, release };
}

const managedPolicies = async (twin: SimulatedCloud, ouId: string) =>
  (await allPages((t) => twin.listPoliciesForTarget(ouId, 'SERVICE_CONTROL_POLICY', t))).map((p) => p.name).filter((n) => n.startsWith('hatoba-'));

for (const backend of backends()) {
  describe(`guardrail rollout on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => handle.dispose());

    it('lists every OU by path with its stage, off and empty at first', async () => {
      const { deps, ous } = await estate(handle.db);
      const targets = await listTargets(deps);
      assert.deepEqual(targets.map((t) => [t.ouPath, t.ouId, t.stage, t.controls.length]), [
        ['/Workloads', ous.workloads.id, 'off', 0],
        ['/Workloads/Dev', ous.dev.id, 'off', 0],
        ['/Workloads/Prod', ous.prod.id, 'off', 0],
        ['/Workloads/Prod/Team', ous.team.id, 'off', 0],
      ]);
    });

    it('refuses a selection with unknown, detective-only or duplicate controls, naming each, and records nothing', async () => {
      const { deps } = await estate(handle.db);
      const error = await refusal(
        selectTargetControls(deps, { target: '/Workloads/Prod', kind: 'SCP', controls: [REGION_DENY_ID, 'HTB-NOPE-001', DETECTIVE_ONLY_ID, REGION_DENY_ID], actor: alice }),
        'validation_failed',
      );
      assert.deepEqual(error.issues.map((i) => i.path.join('.')), ['controls.1', 'controls.2', 'controls.3']);
      assert.equal((await getTarget(deps, { target: '/Workloads/Prod', kind: 'SCP' })).history.length, 0);
    });

    it('previews the generated policy of a selection with its size', async () => {
      const { deps, ous } = await estate(handle.db);
      const { proposal } = await previewTarget(deps, { target: ous.prod.id, kind: 'SCP', controls: [REGION_DENY_ID, DENY_USERS_ID] });
      assert.deepEqual(proposal.policies.map((p) => [p.name, p.controlIds]), [[`hatoba-${ous.prod.id}-scp-1`, [REGION_DENY_ID, DENY_USERS_ID]]]);
      assert.equal(proposal.policies[0]?.size, proposal.policies[0]?.content.length);
      assert.match(proposal.policyHash ?? '', /^[0-9a-f]{64}$/);
    });

    it('counts exactly the calls the proposal would deny in the OU subtree since the date', async () => {
      const { deps, twin, clock, accounts } = await estate(handle.db);
      await activity(twin, clock, accounts.prod, 'us-east-1', 3, 2);
      await activity(twin, clock, accounts.prod, 'ap-northeast-1', 5, 2);
      await activity(twin, clock, accounts.prod, 'us-east-1', 1, 2, 'iam:CreateRole'); // a global service the control exempts
      await activity(twin, clock, accounts.team, 'eu-west-1', 2, 1);
      await activity(twin, clock, accounts.dev, 'us-east-1', 4, 1); // outside the subtree
      await activity(twin, clock, accounts.prod, 'us-east-1', 6, 20); // before the date
      await selectTargetControls(deps, { target: '/Workloads/Prod', kind: 'SCP', controls: [REGION_DENY_ID], actor: alice });
      await setStage(deps, { target: '/Workloads/Prod', kind: 'SCP', stage: 'audit', actor: alice, reason: 'start the audit' });

      const since = new Date(clock.now().getTime() - 7 * DAY);
      const report = await computeImpact(deps, { target: '/Workloads/Prod', kind: 'SCP', since, actor: alice });
      const f = report.findings;
      assert.equal(f.wouldDeny, 5);
      assert.equal(f.replayed, 11);
      assert.deepEqual(f.byAccount, [{ key: accounts.prod, count: 3 }, { key: accounts.team, count: 2 }].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)));
      assert.deepEqual(f.byAction, [{ key: 'ec2:RunInstances', count: 5 }]);
      assert.deepEqual(f.byPrincipal.map((p) => p.count).sort(), [2, 3]);
      assert.equal(f.accountsInScope, 2);
      assert.equal(f.samples.length, 5);
      assert.ok(f.samples.every((s) => s.region !== 'ap-northeast-1' && s.reason.policy === `hatoba-${report.ouId}-scp-1`));
      assert.deepEqual([report.inAudit, report.stage, report.since.toISOString()], [true, 'audit', since.toISOString()]);
      assert.deepEqual(await getImpact(deps, { target: '/Workloads/Prod', kind: 'SCP', reportId: report.id }), report);
      await refusal(getImpact(deps, { target: '/Workloads/Dev', kind: 'SCP', reportId: report.id }), 'not_found');
    });

    it('refuses off -> enforce, enforce without a report, and enforce with a report for other content', async () => {
      const { deps } = await estate(handle.db);
      const target = { target: '/Workloads/Prod', kind: 'SCP' as const };
      await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID], actor: alice });
      await refusal(setStage(deps, { ...target, stage: 'enforce', actor: alice, reason: 'skip the audit' }), 'invalid_state');
      await setStage(deps, { ...target, stage: 'audit', actor: alice, reason: 'audit first' });
      await refusal(setStage(deps, { ...target, stage: 'enforce', actor: alice, reason: 'no evidence' }), 'invalid_state');
      const report = await computeImpact(deps, { ...target, actor: alice });
      await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID, DENY_USERS_ID], actor: alice });
      const error = await refusal(setStage(deps, { ...target, stage: 'enforce', reportId: report.id, actor: alice, reason: 'old evidence' }), 'invalid_state');
      assert.match(error.message, /other policy content/);
      await refusal(setStage(deps, { ...target, stage: 'enforce', reportId: 'rpt_unknown', actor: alice, reason: 'x' }), 'not_found');
    });

    it('attaches the policies on enforce so the twin denies, repeats safely, and detaches and deletes them on off', async () => {
      const { deps, twin, clock, accounts, ous } = await estate(handle.db);
      const target = { target: '/Workloads/Prod', kind: 'SCP' as const };
      await activity(twin, clock, accounts.prod, 'ap-northeast-1', 2, 1);
      await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID], actor: alice });
      await setStage(deps, { ...target, stage: 'audit', actor: alice, reason: 'audit first' });
      const report = await computeImpact(deps, { ...target, actor: alice });
      const enforced = await setStage(deps, { ...target, stage: 'enforce', reportId: report.id, actor: 'bob@example.jp', reason: 'no impact seen' });
      assert.equal(enforced.target.stage, 'enforce');
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [`hatoba-${ous.prod.id}-scp-1`]);
      await assert.rejects(twin.simulateCall({ accountId: accounts.team, principal: developer(accounts.team), action: 'ec2:RunInstances', region: 'us-east-1' }), /explicit deny in a service control policy/);
      assert.equal((await twin.simulateCall({ accountId: accounts.dev, principal: developer(accounts.dev), action: 'ec2:RunInstances', region: 'us-east-1' })).decision, 'allow');

      // Again: nothing recorded, nothing duplicated; and a policy detached behind our back comes back.
      const policyId = enforced.policyIds[0] ?? '';
      await twin.detachPolicy(policyId, ous.prod.id);
      const again = await setStage(deps, { ...target, stage: 'enforce', actor: 'bob@example.jp', reason: 'again' });
      assert.equal(again.changed, false);
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [`hatoba-${ous.prod.id}-scp-1`]);

      await setStage(deps, { ...target, stage: 'off', actor: alice, reason: 'roll back' });
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), []);
      assert.ok(!(await allPages((t) => twin.listPolicies('SERVICE_CONTROL_POLICY', t))).some((p) => p.name.startsWith('hatoba-')), 'the policy is deleted');
      assert.equal((await twin.simulateCall({ accountId: accounts.team, principal: developer(accounts.team), action: 'ec2:RunInstances', region: 'us-east-1' })).decision, 'allow');
      const { history } = await getTarget(deps, target);
      assert.deepEqual(history.map((h) => [h.action, h.fromStage, h.toStage, h.actor, h.reason]), [
        ['stage', 'enforce', 'off', alice, 'roll back'],
        ['stage', 'audit', 'enforce', 'bob@example.jp', 'no impact seen'],
        ['stage', 'off', 'audit', alice, 'audit first'],
        ['select', 'off', 'off', alice, null],
      ]);
      assert.equal(history[1]?.reportId, report.id);
    });

    it('keeps the enforced version attached while a changed selection is audited, then promotes it with its own report', async () => {
      const { deps, twin, clock, accounts, ous } = await estate(handle.db);
      const target = { target: ous.prod.id, kind: 'SCP' as const };
      await activity(twin, clock, accounts.prod, 'ap-northeast-1', 2, 1);
      await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID], actor: alice });
      await setStage(deps, { ...target, stage: 'audit', actor: alice, reason: 'audit' });
      await setStage(deps, { ...target, stage: 'enforce', reportId: (await computeImpact(deps, { ...target, actor: alice })).id, actor: alice, reason: 'enforce' });
      const before = await allPages((t) => twin.listPoliciesForTarget(ous.prod.id, 'SERVICE_CONTROL_POLICY', t));

      const changed = await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID, DENY_USERS_ID], actor: alice, reason: 'also deny IAM users' });
      assert.deepEqual([changed.target.stage, changed.target.pendingInAudit, changed.target.enforced?.controls], ['enforce', true, [REGION_DENY_ID]]);
      assert.deepEqual(await allPages((t) => twin.listPoliciesForTarget(ous.prod.id, 'SERVICE_CONTROL_POLICY', t)), before, 'nothing changes on the provider');
      const user = () => twin.simulateCall({ accountId: accounts.prod, principal: developer(accounts.prod), action: 'iam:CreateUser', region: 'us-east-1' });
      assert.equal((await user()).decision, 'allow');

      const report = await computeImpact(deps, { ...target, actor: alice });
      assert.equal(report.inAudit, true);
      const promoted = await setStage(deps, { ...target, stage: 'enforce', reportId: report.id, actor: alice, reason: 'promote' });
      assert.deepEqual([promoted.changed, promoted.target.pendingInAudit, promoted.target.enforced?.controls], [true, false, [REGION_DENY_ID, DENY_USERS_ID]]);
      await assert.rejects(user(), /explicit deny/);
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [`hatoba-${ous.prod.id}-scp-1`]);
    });

    it('claims the record before the provider: a selection made while enforce converges keeps the enforced version attached and the new one in audit', async () => {
      const { deps, twin, clock, accounts, ous } = await estate(handle.db);
      const target = { target: '/Workloads/Prod', kind: 'SCP' as const };
      const report = await audited(deps, twin, clock, accounts.prod, target);
      const gate = gated(twin);
      const enforcing = setStage({ ...deps, cloud: gate.cloud }, { ...target, stage: 'enforce', reportId: report.id, actor: alice, reason: 'enforce' });
      await gate.reached;
      const selected = await selectTargetControls(deps, { ...target, controls: [REGION_DENY_ID, DENY_USERS_ID], actor: 'bob@example.jp', reason: 'also IAM users' });
      assert.deepEqual([selected.target.stage, selected.target.pendingInAudit], ['enforce', true], 'the selection saw the claimed stage');
      gate.release();
      const enforced = await enforcing;

      assert.deepEqual([enforced.target.stage, enforced.target.converged, enforced.target.enforced?.controls, enforced.target.controls], ['enforce', true, [REGION_DENY_ID], [REGION_DENY_ID, DENY_USERS_ID]]);
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [`hatoba-${ous.prod.id}-scp-1`]);
      await assert.rejects(twin.simulateCall({ accountId: accounts.prod, principal: developer(accounts.prod), action: 'ec2:RunInstances', region: 'us-east-1' }), /explicit deny/);
      assert.equal((await twin.simulateCall({ accountId: accounts.prod, principal: developer(accounts.prod), action: 'iam:CreateUser', region: 'us-east-1' })).decision, 'allow', 'the selection in audit is not attached');
    });

    it('follows the newer record when another stage change wins while enforce converges, and says so', async () => {
      const { deps, twin, clock, accounts, ous } = await estate(handle.db);
      const target = { target: '/Workloads/Prod', kind: 'SCP' as const };
      const report = await audited(deps, twin, clock, accounts.prod, target);
      const gate = gated(twin);
      const enforcing = setStage({ ...deps, cloud: gate.cloud }, { ...target, stage: 'enforce', reportId: report.id, actor: alice, reason: 'enforce' });
      await gate.reached;
      const off = await setStage(deps, { ...target, stage: 'off', actor: 'bob@example.jp', reason: 'stop' });
      assert.deepEqual([off.target.stage, off.changed], ['off', true]);
      gate.release();
      const error = await refusal(enforcing, 'conflict');
      assert.match(error.message, /changed to off meanwhile/);

      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [], 'nothing stays attached behind a record that says off');
      const { target: now, history } = await getTarget(deps, target);
      assert.deepEqual([now.stage, now.converged], ['off', true]);
      assert.deepEqual(history.slice(0, 2).map((h) => [h.fromStage, h.toStage, h.actor]), [['enforce', 'off', 'bob@example.jp'], ['audit', 'enforce', alice]]);
      assert.equal((await twin.simulateCall({ accountId: accounts.prod, principal: developer(accounts.prod), action: 'ec2:RunInstances', region: 'us-east-1' })).decision, 'allow');
    });

    it('records the stage before the provider fails, unconverged, and finishes when the same stage is asked for again', async () => {
      const { deps, twin, clock, accounts, ous } = await estate(handle.db);
      const target = { target: '/Workloads/Prod', kind: 'SCP' as const };
      const report = await audited(deps, twin, clock, accounts.prod, target);
      const failing = Object.create(twin) as SimulatedCloud;
      failing.attachPolicy = async () => {
        throw new CloudError('ServiceException', 'injected');
      };
      await assert.rejects(setStage({ ...deps, cloud: failing }, { ...target, stage: 'enforce', reportId: report.id, actor: alice, reason: 'enforce' }), /injected/);
      const half = (await getTarget(deps, target)).target;
      assert.deepEqual([half.stage, half.converged], ['enforce', false]);
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), []);

      const again = await setStage(deps, { ...target, stage: 'enforce', actor: alice, reason: 'finish' });
      assert.deepEqual([again.changed, again.target.converged], [false, true]);
      assert.deepEqual(await managedPolicies(twin, ous.prod.id), [`hatoba-${ous.prod.id}-scp-1`]);
      assert.equal((await getTarget(deps, target)).history.filter((h) => h.toStage === 'enforce').length, 1);
    });

    it('leaves FullAWSAccess alone and refuses to enforce RCPs the provider cannot attach', async () => {
      const { deps, twin, ous } = await estate(handle.db);
      await setStage(deps, { target: '/Workloads/Prod', kind: 'SCP', stage: 'off', actor: alice, reason: 'nothing to do' });
      assert.ok((await allPages((t) => twin.listPoliciesForTarget(ous.prod.id, 'SERVICE_CONTROL_POLICY', t))).some((p) => p.id === FULL_AWS_ACCESS_ID));
      await refusal(selectTargetControls(deps, { target: '/Workloads/Prod', kind: 'RCP', controls: [REGION_DENY_ID], actor: alice }), 'validation_failed');
    });
  });
}
