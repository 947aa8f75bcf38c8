import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain/errors.js';
import { changeStage, initialRollout, proposalInAudit, selectControls, type ReportEvidence, type RolloutState } from './stage.js';

const t0 = new Date('2025-06-01T00:00:00Z');
const t1 = new Date('2025-06-02T00:00:00Z');
const t2 = new Date('2025-06-03T00:00:00Z');
const off: RolloutState = { ...initialRollout(), controls: ['HTB-GOV-001'] };
const audit: RolloutState = { stage: 'audit', controls: ['HTB-GOV-001'], auditSince: t0, enforced: null };
const enforced: RolloutState = { stage: 'enforce', controls: ['HTB-GOV-001'], auditSince: null, enforced: { controls: ['HTB-GOV-001'], policyHash: 'h1', since: t1 } };
const report = (patch: Partial<ReportEvidence> = {}): ReportEvidence => ({ id: 'rpt_1', policyHash: 'h1', inAudit: true, computedAt: t1, replayed: 12, since: t0, until: t1, ...patch });

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  assert.fail('expected the transition to be refused');
};

describe('rollout stages', () => {
  it('starts an audit from off when controls are selected, from now', () => {
    const { state, changed } = changeStage(off, { to: 'audit', proposedHash: 'h1', now: t0 });
    assert.equal(changed, true);
    assert.deepEqual(state, { ...off, stage: 'audit', auditSince: t0 });
  });

  it('refuses an audit with nothing selected', () => {
    const error = refusal(() => changeStage(initialRollout(), { to: 'audit', proposedHash: null, now: t0 }));
    assert.equal(error.code, 'invalid_state');
    assert.match(error.message, /コントロール.*select preventive controls/);
  });

  it('refuses off -> enforce in Japanese and English, even with a report', () => {
    const error = refusal(() => changeStage(off, { to: 'enforce', proposedHash: 'h1', report: report(), now: t1 }));
    assert.equal(error.code, 'invalid_state');
    assert.match(error.message, /off から enforce へ直接は移れません.* \/ a rollout cannot go from off to enforce/);
  });

  it('enforces from audit with a report computed in audit for exactly the proposed content', () => {
    const { state, changed } = changeStage(audit, { to: 'enforce', proposedHash: 'h1', report: report(), now: t2 });
    assert.equal(changed, true);
    assert.deepEqual(state, { stage: 'enforce', controls: ['HTB-GOV-001'], auditSince: null, enforced: { controls: ['HTB-GOV-001'], policyHash: 'h1', since: t2 } });
  });

  it('refuses audit -> enforce without a report', () => {
    assert.match(refusal(() => changeStage(audit, { to: 'enforce', proposedHash: 'h1', now: t2 })).message, /--report/);
  });

  it('refuses audit -> enforce with a report for other content', () => {
    const error = refusal(() => changeStage(audit, { to: 'enforce', proposedHash: 'h2', report: report(), now: t2 }));
    assert.match(error.message, /other policy content/);
  });

  it('refuses a report computed outside audit, or before the current audit began', () => {
    assert.match(refusal(() => changeStage(audit, { to: 'enforce', proposedHash: 'h1', report: report({ inAudit: false }), now: t2 })).message, /not computed while/);
    const restarted = { ...audit, auditSince: t2 };
    assert.match(refusal(() => changeStage(restarted, { to: 'enforce', proposedHash: 'h1', report: report({ computedAt: t1 }), now: t2 })).message, /older than the current audit/);
  });

  it('refuses enforce on a report that replayed no calls, in Japanese and English, naming its window', () => {
    const error = refusal(() => changeStage(audit, { to: 'enforce', proposedHash: 'h1', report: report({ replayed: 0 }), now: t2 }));
    assert.equal(error.code, 'invalid_state');
    assert.match(error.message, /1 件も再生していません \(2025-06-01 – 2025-06-02\).* \/ impact report rpt_1 replayed no calls \(2025-06-01 – 2025-06-02\).*--accept-empty-report/);
  });

  it('enforces on an empty report the operator accepts, and says it was accepted; a report with calls needs no acceptance', () => {
    const accepted = changeStage(audit, { to: 'enforce', proposedHash: 'h1', report: report({ replayed: 0 }), acceptEmptyReport: true, now: t2 });
    assert.deepEqual([accepted.changed, accepted.state.stage, accepted.acceptedEmptyReport], [true, 'enforce', true]);
    const measured = changeStage(audit, { to: 'enforce', proposedHash: 'h1', report: report(), acceptEmptyReport: true, now: t2 });
    assert.equal(measured.acceptedEmptyReport, undefined);
  });

  it('refuses enforce when the selection is empty', () => {
    const emptied = { ...audit, controls: [] };
    assert.match(refusal(() => changeStage(emptied, { to: 'enforce', proposedHash: null, report: report(), now: t2 })).message, /set the stage to off/);
  });

  it('goes back from enforce to audit, detaching and auditing from now', () => {
    const { state } = changeStage(enforced, { to: 'audit', proposedHash: 'h1', now: t2 });
    assert.deepEqual(state, { ...enforced, stage: 'audit', enforced: null, auditSince: t2 });
  });

  it('turns off from enforce and from audit', () => {
    for (const from of [enforced, audit]) {
      const { state, changed } = changeStage(from, { to: 'off', proposedHash: 'h1', now: t2 });
      assert.equal(changed, true);
      assert.deepEqual(state, { ...from, stage: 'off', auditSince: null, enforced: null });
    }
  });

  it('changes nothing when asked for the stage it is in', () => {
    assert.equal(changeStage(off, { to: 'off', proposedHash: 'h1', now: t2 }).changed, false);
    assert.equal(changeStage(audit, { to: 'audit', proposedHash: 'h1', now: t2 }).changed, false);
    const again = changeStage(enforced, { to: 'enforce', proposedHash: 'h1', now: t2 });
    assert.equal(again.changed, false);
    assert.equal(again.state, enforced);
  });
});

describe('changing the selection', () => {
  it('keeps the enforced version and puts the new one in audit', () => {
    const { state } = selectControls(enforced, ['HTB-ORG-001', 'HTB-GOV-001'], 'h2', t2);
    assert.equal(state.stage, 'enforce');
    assert.deepEqual(state.enforced, enforced.enforced);
    assert.deepEqual(state.controls, ['HTB-GOV-001', 'HTB-ORG-001']);
    assert.equal(state.auditSince, t2);
    assert.equal(proposalInAudit(state, 'h2'), true);
  });

  it('promotes a change in audit with a report for it, and refuses the old report', () => {
    const { state: pending } = selectControls(enforced, ['HTB-GOV-001', 'HTB-ORG-001'], 'h2', t1);
    assert.match(refusal(() => changeStage(pending, { to: 'enforce', proposedHash: 'h2', report: report(), now: t2 })).message, /other policy content/);
    const { state } = changeStage(pending, { to: 'enforce', proposedHash: 'h2', report: report({ policyHash: 'h2', computedAt: t2 }), now: t2 });
    assert.deepEqual(state.enforced, { controls: ['HTB-GOV-001', 'HTB-ORG-001'], policyHash: 'h2', since: t2 });
    assert.equal(state.auditSince, null);
  });

  it('ends the pending audit when the selection comes back to the enforced one', () => {
    const { state: pending } = selectControls(enforced, ['HTB-GOV-001', 'HTB-ORG-001'], 'h2', t1);
    const { state } = selectControls(pending, ['HTB-GOV-001'], 'h1', t2);
    assert.equal(state.auditSince, null);
    assert.equal(proposalInAudit(state, 'h1'), false);
  });

  it('keeps the start of an audit when the selection changes during it, and says when nothing changed', () => {
    const { state, changed } = selectControls(audit, ['HTB-ORG-001'], 'h3', t2);
    assert.equal(changed, true);
    assert.equal(state.auditSince, t0);
    assert.equal(selectControls(audit, ['HTB-GOV-001', 'HTB-GOV-001'], 'h1', t2).changed, false);
  });
});
