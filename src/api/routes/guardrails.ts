import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { RouteModule } from '../app.js';
import {
  ControlsBody,
  GuardrailTarget,
  GuardrailTargetDetail,
  GuardrailTargetList,
  ImpactBody,
  ImpactReport,
  KindQuery,
  OuParam,
  PolicyPreview,
  PreviewBody,
  ReportParam,
  SelectionResult,
  STAGE_LABELS,
  StageBody,
  StageResult,
} from '../../contracts/guardrails.js';
import type { Proposal } from '../../guardrails/rollout/proposal.js';
import { headline } from '../../guardrails/rollout/report.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { POLICY_SIZE_LIMIT } from '../../guardrails/iam/lint.js';
import type { RolloutChange, StoredReport } from '../../app/ports/rollout-store.js';
import type { GuardrailDeps } from '../../app/guardrails/deps.js';
import { computeImpact, getImpact } from '../../app/guardrails/impact.js';
import { getTarget, listTargets, previewTarget, selectTargetControls, setStage, type TargetView } from '../../app/guardrails/rollouts.js';
import { inBody, invalidRequest, isoOrNull, json, jsonBody, problem } from '../responses.js';
import { actorOf } from '../access-context.js';

const problems = {
  404: problem('Not found: the OU or the report'),
  409: problem('Refused in this state (off -> enforce, enforce without a matching report), or changed meanwhile'),
  422: invalidRequest,
};

const presentTarget = (t: TargetView): z.infer<typeof GuardrailTarget> => ({
  provider: t.provider,
  ouId: t.ouId,
  ouPath: t.ouPath,
  kind: t.kind,
  exists: t.exists,
  stage: t.stage,
  stageLabel: STAGE_LABELS[t.stage],
  controls: t.controls,
  pendingInAudit: t.pendingInAudit,
  auditSince: isoOrNull(t.auditSince),
  enforced: t.enforced === null ? null : { controls: t.enforced.controls, policyHash: t.enforced.policyHash, since: t.enforced.since.toISOString() },
  version: t.version,
  converged: t.converged,
  updatedAt: isoOrNull(t.updatedAt),
  updatedBy: t.updatedBy,
});

const presentPreview = (kind: OrganizationPolicyKind, p: Proposal): z.infer<typeof PolicyPreview> => ({
  kind,
  controls: p.controls,
  policyHash: p.policyHash,
  freeSlots: p.freeSlots,
  policies: p.policies.map((g) => ({
    name: g.name,
    description: g.description,
    size: g.size,
    limit: POLICY_SIZE_LIMIT,
    controlIds: g.controlIds,
    content: g.content,
    lint: g.lint.map((l) => ({ path: l.path, severity: l.severity, code: l.code, message: l.message })),
  })),
});

const presentChange = (c: RolloutChange) => ({ ...c, at: c.at.toISOString() });

export const presentReport = (r: StoredReport): z.infer<typeof ImpactReport> => ({
  id: r.id,
  provider: r.provider,
  ouId: r.ouId,
  ouPath: r.ouPath,
  kind: r.kind,
  stage: r.stage,
  inAudit: r.inAudit,
  policyHash: r.policyHash,
  controls: r.controls,
  since: r.since.toISOString(),
  until: r.until.toISOString(),
  computedAt: r.computedAt.toISOString(),
  computedBy: r.computedBy,
  headline: headline(r.findings, r.since),
  findings: r.findings,
});

/** Preventive guardrail rollouts per OU. Thin: validate, one use case, present. */
export function guardrailRoutes(deps: GuardrailDeps): RouteModule {
  return (app: OpenAPIHono) => {
    const tags = ['guardrails'];
    const base = '/api/guardrails/targets/{ou}';

    app.openapi(
      createRoute({ method: 'get', path: '/api/guardrails/targets', tags, summary: 'Every OU with its preventive rollout: stage and selected controls', responses: { 200: json(GuardrailTargetList, 'The OUs by path') } }),
      async (c) => c.json({ items: (await listTargets(deps)).map(presentTarget) }, 200),
    );

    app.openapi(
      createRoute({
        method: 'get', path: base, tags, summary: "One OU's rollout, its history (newest first) and its latest impact report",
        request: { params: OuParam, query: KindQuery },
        responses: { 200: json(GuardrailTargetDetail, 'The rollout'), 404: problems[404] },
      }),
      async (c) => {
        const found = await getTarget(deps, { target: c.req.valid('param').ou, kind: c.req.valid('query').kind });
        return c.json({ target: presentTarget(found.target), history: found.history.map(presentChange), latestReport: found.latestReport === undefined ? null : presentReport(found.latestReport) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'put', path: `${base}/controls`, tags,
        summary: 'Select the preventive controls of an OU; while enforcing, the enforced version stays attached and the new one goes into audit',
        request: { params: OuParam, body: jsonBody(ControlsBody) },
        responses: { 200: json(SelectionResult, 'The rollout and the policies the selection generates'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await inBody(() =>
          selectTargetControls(deps, { target: c.req.valid('param').ou, kind: body.kind, controls: body.controls, reason: body.reason, actor: actorOf(c) }),
        );
        return c.json({ target: presentTarget(result.target), preview: presentPreview(body.kind, result.proposal) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: `${base}/preview`, tags, summary: 'The policies the selected (or given) controls generate: sizes, lint warnings, content hash',
        request: { params: OuParam, body: jsonBody(PreviewBody) },
        responses: { 200: json(PolicyPreview, 'The generated policies'), 404: problems[404], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await inBody(() => previewTarget(deps, { target: c.req.valid('param').ou, kind: body.kind, controls: body.controls }));
        return c.json(presentPreview(body.kind, result.proposal), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: `${base}/impact`, tags,
        summary: 'Replay the activity log of the OU subtree against the proposed policies and store the impact report',
        request: { params: OuParam, body: jsonBody(ImpactBody) },
        responses: { 201: json(ImpactReport, 'The report'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const report = await inBody(() =>
          computeImpact(deps, { target: c.req.valid('param').ou, kind: body.kind, since: body.since === undefined ? undefined : new Date(body.since), actor: actorOf(c) }),
        );
        return c.json(presentReport(report), 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: `${base}/impact/{reportId}`, tags, summary: 'One impact report of the OU',
        request: { params: ReportParam, query: KindQuery },
        responses: { 200: json(ImpactReport, 'The report'), 404: problems[404] },
      }),
      async (c) => {
        const { ou, reportId } = c.req.valid('param');
        return c.json(presentReport(await getImpact(deps, { target: ou, kind: c.req.valid('query').kind, reportId })), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: `${base}/stage`, tags,
        summary: 'Move the OU to off, audit or enforce (enforce needs the id of an impact report computed in audit for exactly the proposed content)',
        request: { params: OuParam, body: jsonBody(StageBody) },
        responses: { 200: json(StageResult, 'The rollout; changed is false when it already was in that stage'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await inBody(() =>
          setStage(deps, {
            target: c.req.valid('param').ou, kind: body.kind, stage: body.stage, reportId: body.impactReportId, acceptEmptyReport: body.acceptEmptyReport, reason: body.reason, actor: actorOf(c),
          }),
        );
        return c.json({ target: presentTarget(result.target), changed: result.changed, policyIds: result.policyIds }, 200);
      },
    );
  };
}
