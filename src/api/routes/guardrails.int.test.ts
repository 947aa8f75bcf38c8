import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRolloutStore } from '../../store/rollout-store.js';
import { ManualClock } from '../../cloud/contract-tests/index.js';
import { createAccountNow } from '../../cloud/contract-tests/harness.js';
import { createSimulatedCloud } from '../../cloud/simulated/driver.js';
import { fakeVocabulary } from '../../guardrails/iam/fixtures/vocabulary.js';
import { REGION_DENY_ID, DETECTIVE_ONLY_ID, rolloutControls } from '../../app/guardrails/fixtures.js';
import { Problem } from '../../contracts/common.js';
import { GuardrailTargetDetail, GuardrailTargetList, ImpactReport, PolicyPreview, SelectionResult, StageResult } from '../../contracts/guardrails.js';
import { timeOrderedId } from '../../app/registry/ids.js';
import { createApi } from '../app.js';
import { guardrailRoutes } from './guardrails.js';

type App = ReturnType<typeof createApi>;
const OpenApiDoc = z.object({ paths: z.record(z.string(), z.unknown()) });

const send = (app: App, method: string, path: string, body?: unknown, actor?: string) =>
  app.request(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(actor === undefined ? {} : { 'x-hatoba-actor': actor }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const DAY = 86_400_000;

for (const backend of backends()) {
  describe(`guardrails API on ${backend.name}`, () => {
    let handle: TestDatabase;
    let app: App;
    let prodId: string;
    const prod = encodeURIComponent('/Workloads/Prod');
    before(async () => {
      handle = await backend.open();
      const clock = new ManualClock('2030-04-10T00:00:00.000Z');
      const twin = await createSimulatedCloud({ db: handle.db, clock, config: { twin: randomUUID(), accountCreationDurationMs: 1_000 } });
      const root = twin.organization.rootId;
      const workloads = await twin.createOrganizationalUnit(root, 'Workloads');
      prodId = (await twin.createOrganizationalUnit(workloads.id, 'Prod')).id;
      const { accountId } = await createAccountNow({ driver: twin, advance: async (ms) => clock.advance(ms), dispose: async () => undefined }, 'api');
      await twin.moveAccount({ accountId, sourceParentId: root, destinationParentId: prodId });
      const principal = { arn: `arn:aws:sts::${accountId}:assumed-role/Developer/dev1`, type: 'AssumedRole' as const };
      for (const [region, daysAgo] of [['us-east-1', 3], ['us-east-1', 2], ['ap-northeast-1', 1]] as const) {
        await twin.simulateCall({ accountId, principal, action: 'ec2:RunInstances', region, eventTime: new Date(clock.now().getTime() - daysAgo * DAY) });
      }
      const deps = { store: createRolloutStore(handle.db), cloud: twin, clock, catalog: async () => rolloutControls, vocabulary: async () => fakeVocabulary(), managementAccountId: twin.organization.managementAccountId, newReportId: () => timeOrderedId('rpt') };
      app = createApi([guardrailRoutes(deps)], { version: 'test', access: 'unrestricted' });
    });
    after(async () => handle.dispose());

    it('lists the OUs with their stage', async () => {
      const response = await send(app, 'GET', '/api/guardrails/targets');
      assert.equal(response.status, 200);
      const list = GuardrailTargetList.parse(await response.json());
      assert.deepEqual(list.items.map((t) => [t.ouPath, t.stage, t.stageLabel.ja]), [['/Workloads', 'off', '無効'], ['/Workloads/Prod', 'off', '無効']]);
    });

    it('refuses a selection of a detective-only control at its place in the body', async () => {
      const response = await send(app, 'PUT', `/api/guardrails/targets/${prod}/controls`, { controls: [DETECTIVE_ONLY_ID] });
      assert.equal(response.status, 422);
      assert.deepEqual(Problem.parse(await response.json()).issues.map((i) => i.path.join('.')), ['body.controls.0']);
    });

    it('answers 404 for an OU the organisation does not have', async () => {
      assert.equal((await send(app, 'GET', `/api/guardrails/targets/${encodeURIComponent('/Nowhere')}`)).status, 404);
    });

    it('selects, previews, audits, reports, refuses enforce without the report, enforces with it, and records who and why', async () => {
      const selected = SelectionResult.parse(await (await send(app, 'PUT', `/api/guardrails/targets/${prod}/controls`, { controls: [REGION_DENY_ID] }, 'alice@example.jp')).json());
      assert.deepEqual([selected.target.controls, selected.preview.policies.map((p) => p.name)], [[REGION_DENY_ID], [`hatoba-${prodId}-scp-1`]]);

      const preview = PolicyPreview.parse(await (await send(app, 'POST', `/api/guardrails/targets/${prodId}/preview`, {})).json());
      assert.equal(preview.policyHash, selected.preview.policyHash);
      assert.ok(preview.policies.every((p) => p.size <= p.limit));

      const skip = await send(app, 'POST', `/api/guardrails/targets/${prod}/stage`, { stage: 'enforce', reason: 'skip' });
      assert.equal(skip.status, 409);
      assert.match(Problem.parse(await skip.json()).message, /off から enforce/);
      const noReason = await send(app, 'POST', `/api/guardrails/targets/${prod}/stage`, { stage: 'audit', reason: ' ' });
      assert.equal(noReason.status, 422);

      const audit = StageResult.parse(await (await send(app, 'POST', `/api/guardrails/targets/${prod}/stage`, { stage: 'audit', reason: 'measure first' }, 'alice@example.jp')).json());
      assert.equal(audit.target.stage, 'audit');

      const created = await send(app, 'POST', `/api/guardrails/targets/${prod}/impact`, { since: '2030-04-01' }, 'alice@example.jp');
      assert.equal(created.status, 201);
      const report = ImpactReport.parse(await created.json());
      assert.deepEqual([report.findings.wouldDeny, report.findings.replayed, report.inAudit, report.since], [2, 3, true, '2030-04-01T00:00:00.000Z']);
      assert.match(report.headline.ja, /2030-04-01 以降.*2 件の呼び出しを拒否していたはずです/);
      assert.match(report.headline.en, /would have denied 2 calls by 1 principal\(s\) in 1 account\(s\) since 2030-04-01/);
      const fetched = ImpactReport.parse(await (await send(app, 'GET', `/api/guardrails/targets/${prod}/impact/${report.id}`)).json());
      assert.deepEqual(fetched, report);

      assert.equal((await send(app, 'POST', `/api/guardrails/targets/${prod}/stage`, { stage: 'enforce', reason: 'no report' })).status, 409);
      const enforced = await send(app, 'POST', `/api/guardrails/targets/${prod}/stage`, { stage: 'enforce', impactReportId: report.id, reason: 'two calls, both mistakes' }, 'bob@example.jp');
      assert.equal(enforced.status, 200);
      const result = StageResult.parse(await enforced.json());
      assert.deepEqual([result.changed, result.target.stage, result.policyIds.length], [true, 'enforce', 1]);

      const detail = GuardrailTargetDetail.parse(await (await send(app, 'GET', `/api/guardrails/targets/${prod}`)).json());
      assert.deepEqual(detail.history.map((h) => [h.toStage, h.actor, h.reason]), [
        ['enforce', 'bob@example.jp', 'two calls, both mistakes'],
        ['audit', 'alice@example.jp', 'measure first'],
        ['off', 'alice@example.jp', null],
      ]);
      assert.equal(detail.latestReport?.id, report.id);
    });

    it('documents its routes in the OpenAPI document', async () => {
      const doc = OpenApiDoc.parse(await (await send(app, 'GET', '/api/openapi.json')).json());
      for (const path of ['/api/guardrails/targets', '/api/guardrails/targets/{ou}/controls', '/api/guardrails/targets/{ou}/impact/{reportId}', '/api/guardrails/targets/{ou}/stage']) {
        assert.ok(path in doc.paths, path);
      }
    });
  });
}
