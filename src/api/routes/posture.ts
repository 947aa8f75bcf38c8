import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { RouteModule } from '../app.js';
import {
  AccountPostureView,
  EstatePostureView,
  FINDING_STATUS_LABELS,
  FindingListQuery,
  FindingPage,
  FindingParam,
  FindingView,
  PostureAccountParam,
  PostureScoreView,
  PostureTenantParam,
  SEVERITY_LABELS,
  SuppressBody,
  SweepResultView,
  TenantPostureView,
  suppressionExpiry,
} from '../../contracts/posture.js';
import type { PostureScore } from '../../guardrails/detective/score.js';
import type { AccountWithOwners } from '../../app/ports/registry-store.js';
import type { PostureDeps } from '../../app/posture/deps.js';
import { getFinding, listFindings, suppressFinding, unsuppressFinding, type FindingView as Finding } from '../../app/posture/findings.js';
import { accountPosture, estatePosture, tenantPosture } from '../../app/posture/posture.js';
import { sweep } from '../../app/posture/sweep.js';
import { inBody, invalidRequest, isoOrNull, json, jsonBody, pageJson, problem } from '../responses.js';
import { actorOf, scopeOf } from '../access-context.js';
import { tenantRef } from './registry.js';

const problems = {
  404: problem('Not found'),
  409: problem('The finding is not in a state that allows this'),
  422: invalidRequest,
};

export const presentFinding = (f: Finding): FindingView => ({
  id: f.id,
  controlId: f.controlId,
  controlTitle: f.controlTitle,
  severity: f.severity,
  severityLabel: SEVERITY_LABELS[f.severity],
  provider: f.provider,
  accountId: f.accountId,
  tenantId: f.tenantId,
  region: f.region,
  resourceType: f.resourceType,
  resourceId: f.resourceId,
  resourceArn: f.resourceArn,
  status: f.status,
  statusLabel: FINDING_STATUS_LABELS[f.status],
  message: f.message,
  suppression: f.suppression === null ? null : { reason: f.suppression.reason, by: f.suppression.by, at: f.suppression.at.toISOString(), until: f.suppression.until.toISOString() },
  firstSeen: f.firstSeen.toISOString(),
  lastSeen: f.lastSeen.toISOString(),
  resolvedAt: isoOrNull(f.resolvedAt),
});

const presentScore = (s: PostureScore): z.infer<typeof PostureScoreView> => s;
const accountRef = ({ account: a, system }: AccountWithOwners) => ({
  id: a.id,
  name: a.name,
  provider: a.provider,
  providerAccountId: a.providerAccountId,
  environment: a.environment,
  systemSlug: system.slug,
});

/**
 * Tells the audit trail the tenant of a finding just changed: a finding holds its tenant's id, the
 * trail is filtered by code. A finding of an account the registry does not know has no tenant.
 */
async function auditFindingTenant(c: Context, deps: PostureDeps, finding: Finding): Promise<void> {
  if (finding.tenantId === null) return;
  const tenant = await deps.registry.getOrganisation(finding.tenantId);
  if (tenant !== undefined) c.set('auditTenant', tenant.code);
}

/** Findings and posture, each within the caller's scope (`scopeOf(c)`). */
export function postureRoutes(deps: PostureDeps): RouteModule {
  return (app: OpenAPIHono) => {
    const tags = ['posture'];

    app.openapi(
      createRoute({
        method: 'get', path: '/api/findings', tags, summary: 'List findings, most severe first, then newest',
        request: { query: FindingListQuery }, responses: { 200: json(FindingPage, 'One page'), 404: problems[404], 422: problems[422] },
      }),
      async (c) => c.json(pageJson(await listFindings(deps, scopeOf(c), c.req.valid('query')), presentFinding), 200),
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/findings/{id}', tags, summary: 'One finding', request: { params: FindingParam }, responses: { 200: json(FindingView, 'The finding'), 404: problems[404] } }),
      async (c) => c.json(presentFinding(await getFinding(deps, scopeOf(c), c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/findings/{id}/suppress', tags, summary: 'Accept a finding’s risk until an expiry (at most a year), with a reason',
        request: { params: FindingParam, body: jsonBody(SuppressBody) },
        responses: { 200: json(FindingView, 'Suppressed'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const by = actorOf(c);
        const finding = await inBody(() => suppressFinding(deps, scopeOf(c), { id: c.req.valid('param').id, reason: body.reason, until: suppressionExpiry(body.until), by }));
        await auditFindingTenant(c, deps, finding);
        return c.json(presentFinding(finding), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/findings/{id}/unsuppress', tags, summary: 'End a suppression; the finding becomes active or resolved by its latest check',
        request: { params: FindingParam }, responses: { 200: json(FindingView, 'No longer suppressed'), 404: problems[404], 409: problems[409] },
      }),
      async (c) => {
        const finding = await unsuppressFinding(deps, scopeOf(c), c.req.valid('param').id);
        await auditFindingTenant(c, deps, finding);
        return c.json(presentFinding(finding), 200);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/posture', tags, summary: 'The estate’s score and every tenant’s, worst first', responses: { 200: json(EstatePostureView, 'Scores') } }),
      async (c) => {
        const estate = await estatePosture(deps, scopeOf(c));
        return c.json(
          { score: presentScore(estate.score), tenants: estate.tenants.map((t) => ({ tenantId: t.tenantId, tenant: t.tenant === null ? null : tenantRef(t.tenant), score: presentScore(t.score) })) },
          200,
        );
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/posture/accounts/{account}', tags, summary: 'One account’s score',
        request: { params: PostureAccountParam }, responses: { 200: json(AccountPostureView, 'Score'), 404: problems[404] },
      }),
      async (c) => {
        const posture = await accountPosture(deps, scopeOf(c), c.req.valid('param').account);
        return c.json({ account: accountRef(posture.account), tenant: tenantRef(posture.account.tenant), score: presentScore(posture.score) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/posture/tenants/{tenant}', tags, summary: 'One tenant’s score, with each of its accounts’',
        request: { params: PostureTenantParam }, responses: { 200: json(TenantPostureView, 'Score'), 404: problems[404] },
      }),
      async (c) => {
        const posture = await tenantPosture(deps, scopeOf(c), c.req.valid('param').tenant);
        return c.json(
          { tenant: tenantRef(posture.tenant), score: presentScore(posture.score), accounts: posture.accounts.map((a) => ({ account: accountRef(a.account), score: presentScore(a.score) })) },
          200,
        );
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/posture/sweep', tags, summary: 'Re-evaluate every account from its whole inventory (the incremental evaluation follows changes meanwhile)',
        responses: { 200: json(SweepResultView, 'Done') },
      }),
      async (c) => {
        const result = await sweep(deps);
        return c.json({ ...result, startedAt: result.startedAt.toISOString(), finishedAt: result.finishedAt.toISOString() }, 200);
      },
    );
  };
}
