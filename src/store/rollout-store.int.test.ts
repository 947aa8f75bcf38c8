import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain/errors.js';
import type { RolloutChange, StoredReport } from '../app/ports/rollout-store.js';
import type { ImpactFindings } from '../guardrails/rollout/report.js';
import { backends, type TestDatabase } from './testing.js';
import { createRolloutStore } from './rollout-store.js';

const t0 = new Date('2030-04-01T00:00:00.000Z');
const t1 = new Date('2030-04-02T00:00:00.000Z');
const key = { provider: 'simulated', ouId: 'ou-ab12-34567890', kind: 'SCP' as const };
const change = (patch: Partial<RolloutChange> = {}): RolloutChange => ({
  action: 'select', fromStage: 'off', toStage: 'off', controls: ['HTB-GOV-001'], policyHash: 'h1', reportId: null, acceptedEmptyReport: false, actor: 'alice@example.jp', reason: null, at: t0, ...patch,
});
const findings: ImpactFindings = {
  events: 10, replayed: 8, wouldDeny: 2, principals: 1, accounts: 1, accountsInScope: 3, firstEvent: t0.toISOString(), lastEvent: t1.toISOString(),
  byPrincipal: [{ key: 'arn:aws:iam::111122223333:role/Dev', count: 2 }], byAccount: [{ key: '111122223333', count: 2 }], byAction: [{ key: 'ec2:RunInstances', count: 2 }],
  byStatement: [{ key: 'hatoba-ou-ab12-34567890-scp-1/HTBGOV001S1', count: 2 }],
  samples: [{ eventId: 'e1', eventTime: t0.toISOString(), principal: 'arn:aws:sts::111122223333:assumed-role/Dev/a', accountId: '111122223333', action: 'ec2:RunInstances', region: 'us-east-1', reason: { stage: 'scp', level: 1, policy: 'p', message: 'denied' } }],
  skipped: { failed: 1, alreadyDenied: 0, outsideRollout: 1, unmapped: 0, before: 0 }, unknownResource: 8,
  policies: [{ name: 'hatoba-ou-ab12-34567890-scp-1', size: 300, controlIds: ['HTB-GOV-001'] }],
};

for (const backend of backends()) {
  describe(`rollout store on ${backend.name}`, () => {
    let handle: TestDatabase;
    before(async () => {
      handle = await backend.open();
    });
    after(async () => handle.dispose());

    it('writes a new rollout at version 0, updates it at its version, and keeps every change newest first', async () => {
      const store = createRolloutStore(handle.db);
      const state = { stage: 'off' as const, controls: ['HTB-GOV-001'], auditSince: null, enforced: null };
      const created = await store.save({ ...key, ouPath: '/Workloads', state, updatedAt: t0, updatedBy: 'alice@example.jp' }, 0, change());
      assert.equal(created.version, 1);
      const enforced = { stage: 'enforce' as const, controls: ['HTB-GOV-001'], auditSince: null, enforced: { controls: ['HTB-GOV-001'], policyHash: 'h1', since: t1 } };
      const updated = await store.save({ ...key, ouPath: '/Workloads', state: enforced, updatedAt: t1, updatedBy: 'bob@example.jp' }, 1, change({ action: 'stage', toStage: 'enforce', actor: 'bob@example.jp', reason: 'evidence reviewed', reportId: 'rpt_1', at: t1 }));
      assert.equal(updated.version, 2);
      assert.deepEqual((await store.get(key))?.state, enforced);
      assert.deepEqual((await store.list('simulated')).map((r) => [r.ouId, r.state.stage, r.updatedBy]), [[key.ouId, 'enforce', 'bob@example.jp']]);
      const history = await store.history(key, 10);
      assert.deepEqual(history.map((h) => [h.action, h.toStage, h.actor, h.reason, h.reportId]), [['stage', 'enforce', 'bob@example.jp', 'evidence reviewed', 'rpt_1'], ['select', 'off', 'alice@example.jp', null, null]]);
    });

    it('refuses a write at a stale version as a conflict and writes nothing, history included', async () => {
      const store = createRolloutStore(handle.db);
      const other = { ...key, ouId: 'ou-ab12-stale000' };
      const state = { stage: 'off' as const, controls: [], auditSince: null, enforced: null };
      await store.save({ ...other, ouPath: '/Stale', state, updatedAt: t0, updatedBy: 'a@example.jp' }, 0, change());
      for (const version of [0, 7]) {
        await assert.rejects(store.save({ ...other, ouPath: '/Stale', state, updatedAt: t1, updatedBy: 'b@example.jp' }, version, change()), (e: unknown) => e instanceof DomainError && e.code === 'conflict');
      }
      assert.equal((await store.history(other, 10)).length, 1);
      assert.equal((await store.get(other))?.version, 1);
    });

    it('writes a stage change unconverged, keeps that through other writes, and marks it converged only at its version', async () => {
      const store = createRolloutStore(handle.db);
      const target = { ...key, ouId: 'ou-ab12-converge' };
      const audit = { stage: 'audit' as const, controls: ['HTB-GOV-001'], auditSince: t0, enforced: null };
      const created = await store.save({ ...target, ouPath: '/C', state: audit, updatedAt: t0, updatedBy: 'a@example.jp' }, 0, change());
      assert.equal(created.converged, true, 'a new rollout has nothing to converge unless told');
      const claimed = await store.save({ ...target, ouPath: '/C', state: { ...audit, stage: 'off', auditSince: null }, updatedAt: t1, updatedBy: 'a@example.jp', converged: false }, 1,
        change({ action: 'stage', toStage: 'off', reason: 'empty window accepted', acceptedEmptyReport: true }));
      assert.equal(claimed.converged, false);
      const selected = await store.save({ ...target, ouPath: '/C', state: { ...claimed.state, controls: [] }, updatedAt: t1, updatedBy: 'b@example.jp' }, 2, change());
      assert.deepEqual([selected.version, selected.converged], [3, false], 'a write that does not say keeps the flag');
      assert.equal(await store.markConverged(target, 2), undefined, 'a stale version marks nothing');
      assert.equal((await store.get(target))?.converged, false);
      const marked = await store.markConverged(target, 3);
      assert.deepEqual([marked?.converged, marked?.version], [true, 3]);
      assert.deepEqual((await store.history(target, 1)).map((h) => h.acceptedEmptyReport), [false]);
      assert.deepEqual((await store.history(target, 2)).map((h) => [h.reason, h.acceptedEmptyReport]).at(-1), ['empty window accepted', true]);
    });

    it('keeps impact reports whole and finds the newest of a target', async () => {
      const store = createRolloutStore(handle.db);
      const report = (id: string, computedAt: Date): StoredReport => ({
        ...key, id, ouPath: '/Workloads', stage: 'audit', inAudit: true, policyHash: 'h1', controls: ['HTB-GOV-001'], since: t0, until: computedAt, computedAt, computedBy: 'alice@example.jp', findings,
      });
      await store.insertReport(report('rpt_a', t0));
      await store.insertReport(report('rpt_b', t1));
      assert.deepEqual(await store.getReport('rpt_a'), report('rpt_a', t0));
      assert.equal((await store.latestReport(key))?.id, 'rpt_b');
      assert.equal(await store.getReport('rpt_none'), undefined);
    });
  });
}
