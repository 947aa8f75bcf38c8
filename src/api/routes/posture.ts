import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { RouteModule } from '../app.js';
import { ACTOR_HEADER, ActorHeaders } from '../../contracts/common.js';
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
import type { Organisation } from '../../domain/registry/organisation.js';
import { DomainError } from '../../domain/errors.js';
import type { PostureScore } from '../../guardrails/detective/score.js';
import type { AccountWithOwners } from '../../app/ports/registry-store.js';
import type { PostureDeps } from '../../app/posture/deps.js';
import { getFinding, listFindings, suppressFinding, unsuppressFinding, type FindingView as Finding } from '../../app/posture/findings.js';
import { accountPosture, estatePosture, tenantPosture } from '../../app/posture/posture.js';
import { sweep } from '../../app/posture/sweep.js';
import { isoOrNull, json, jsonBody, pageJson, problem } from '../responses.js';

const problems = {
  404: problem('Not found'),
  409: problem('The finding is not in a state that allows this'),
  422: problem('Invalid request: every problem with its location'),
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
const tenantRef = (o: Pick<Organisation, 'id' | 'code' | 'kind' | 'nameJa' | 'nameEn'>) => ({ id: o.id, code: o.code, kind: o.kind, nameJa: o.nameJa, nameEn: o.nameEn });
const accountRef = ({ account: a, system }: AccountWithOwners) => ({
  id: a.id,
  name: a.name,
  provider: a.provider,
  providerAccountId: a.providerAccountId,
  environment: a.environment,
  systemSlug: system.slug,
});

/** The suppression's fields are in the request body. */
async function inBody<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed') {
      throw new DomainError(error.code, error.message, { issues: error.issues.map((i) => ({ ...i, path: ['body', ...i.path] })), cause: error });
    }
    throw error;
  }
}

/** Findings and posture. Tenant filters are explicit, so sign-in (issue 4) can enforce them here. */
export function postureRoutes(deps: PostureDeps): RouteModule {
  return (app: OpenAPIHono) => {
    const tags = ['posture'];

    app.openapi(
      createRoute({
        method: 'get', path: '/api/findings', tags, summary: 'List findings, most severe first, then newest',
        request: { query: FindingListQuery }, responses: { 200: json(FindingPage, 'One page'), 404: problems[404], 422: problems[422] },
      }),
      async (c) => c.json(pageJson(await listFindings(deps, c.req.valid('query')), presentFinding), 200),
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/findings/{id}', tags, summary: 'One finding', request: { params: FindingParam }, responses: { 200: json(FindingView, 'The finding'), 404: problems[404] } }),
      async (c) => c.json(presentFinding(await getFinding(deps, c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/findings/{id}/suppress', tags, summary: 'Accept a finding’s risk until an expiry (at most a year), with a reason',
        request: { params: FindingParam, headers: ActorHeaders, body: jsonBody(SuppressBody) },
        responses: { 200: json(FindingView, 'Suppressed'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const by = c.req.valid('header')[ACTOR_HEADER] ?? 'operator@hatoba.local';
        const finding = await inBody(() => suppressFinding(deps, { id: c.req.valid('param').id, reason: body.reason, until: suppressionExpiry(body.until), by }));
        return c.json(presentFinding(finding), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/findings/{id}/unsuppress', tags, summary: 'End a suppression; the finding becomes active or resolved by its latest check',
        request: { params: FindingParam }, responses: { 200: json(FindingView, 'No longer suppressed'), 404: problems[404], 409: problems[409] },
      }),
      async (c) => c.json(presentFinding(await unsuppressFinding(deps, c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/posture', tags, summary: 'The estate’s score and every tenant’s, worst first', responses: { 200: json(EstatePostureView, 'Scores') } }),
      async (c) => {
        const estate = await estatePosture(deps);
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
        const posture = await accountPosture(deps, c.req.valid('param').account);
        return c.json({ account: accountRef(posture.account), tenant: tenantRef(posture.account.tenant), score: presentScore(posture.score) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/posture/tenants/{tenant}', tags, summary: 'One tenant’s score, with each of its accounts’',
        request: { params: PostureTenantParam }, responses: { 200: json(TenantPostureView, 'Score'), 404: problems[404] },
      }),
      async (c) => {
        const posture = await tenantPosture(deps, c.req.valid('param').tenant);
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
