import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { RouteModule } from '../app.js';
import { requirePrincipal } from '../access-context.js';
import { inBody, invalidRequest, isoOrNull, json, jsonBody, pageJson, problem } from '../responses.js';
import {
  ACCESS_STATE_LABELS,
  AlertListQuery,
  AlertPage,
  AlertParam,
  AlertView,
  BreakGlassRequestBody,
  GRANT_STATUS_LABELS,
  GrantActivityView,
  GrantDecisionBody,
  GrantListQuery,
  GrantPage,
  GrantParam,
  GrantView,
  PRINCIPAL_KIND_LABELS,
  TenantAlertsParam,
  type ActivityEventView,
} from '../../contracts/break-glass.js';
import type { ActivityEvent } from '../../app/ports/cloud.js';
import type { BreakGlassDeps } from '../../app/break-glass/deps.js';
import type { Grant } from '../../app/break-glass/model.js';
import type { Alert } from '../../app/break-glass/store.js';
import { approveGrant, cancelGrant, denyGrant, getGrant, listGrants, requestGrant, revokeGrant } from '../../app/break-glass/grants.js';
import { grantActivity } from '../../app/break-glass/activity.js';
import { acknowledgeAlert, listAlerts } from '../../app/break-glass/alerts.js';

const tags = ['break-glass'];
const problems = {
  401: problem('Sign-in is required'),
  403: problem('Your role does not allow this'),
  404: problem('Not found (or not yours to see)'),
  409: problem('The grant is not in a state that allows this'),
  422: invalidRequest,
};

export const presentGrant = (g: Grant): GrantView => ({
  id: g.id,
  account: { id: g.accountId, provider: g.provider, providerAccountId: g.providerAccountId },
  tenantId: g.tenantId,
  requester: g.requestedBy,
  reason: g.reason,
  durationMinutes: g.durationMinutes,
  status: g.status,
  statusLabel: GRANT_STATUS_LABELS[g.status],
  requestedAt: g.requestedAt.toISOString(),
  decision: g.decidedAt === null || g.decidedBy === null ? null : { by: g.decidedBy, at: g.decidedAt.toISOString(), note: g.decisionNote },
  startsAt: isoOrNull(g.startsAt),
  expiresAt: isoOrNull(g.expiresAt),
  ended: g.endedAt === null ? null : { at: g.endedAt.toISOString(), by: g.endedBy, note: g.endNote },
  access: {
    state: g.access.state,
    stateLabel: ACCESS_STATE_LABELS[g.access.state],
    assignedAt: isoOrNull(g.access.assignedAt),
    removedAt: isoOrNull(g.access.removedAt),
    error: g.access.error,
  },
});

const presentEvent = (e: ActivityEvent): ActivityEventView => ({
  eventId: e.eventId,
  eventTime: e.eventTime.toISOString(),
  eventSource: e.eventSource,
  eventName: e.eventName,
  awsRegion: e.awsRegion,
  principal: e.userIdentity.arn,
  readOnly: e.readOnly ?? null,
  errorCode: e.errorCode ?? null,
  resources: (e.resources ?? []).map((r) => r.ARN),
});

const presentAlert = (a: Alert): AlertView => ({
  id: a.eventId,
  account: { id: a.accountId, provider: a.provider, providerAccountId: a.providerAccountId },
  principal: a.principalArn,
  principalKind: a.principalKind,
  principalKindLabel: PRINCIPAL_KIND_LABELS[a.principalKind],
  personId: a.personId,
  eventSource: a.eventSource,
  eventName: a.eventName,
  eventTime: a.eventTime.toISOString(),
  raisedAt: a.raisedAt.toISOString(),
  acknowledged: a.acknowledgedAt === null || a.acknowledgedBy === null ? null : { at: a.acknowledgedAt.toISOString(), by: a.acknowledgedBy },
});

/** Records the grant's tenant in the audit trail entry of a change to it. */
async function auditGrantTenant(c: Context, deps: BreakGlassDeps, grant: Grant): Promise<void> {
  const tenant = await deps.registry.getOrganisation(grant.tenantId);
  if (tenant !== undefined) c.set('auditTenant', tenant.code);
}

/** Break-glass grants and the uncovered-activity alerts; every rule of who may do what is the use cases'. */
export function breakGlassRoutes(deps: BreakGlassDeps): RouteModule {
  return (app: OpenAPIHono) => {
    app.openapi(
      createRoute({
        method: 'post', path: '/api/break-glass/requests', tags, summary: 'A central operator requests access to one tenant account, with a reason and a duration',
        request: { body: jsonBody(BreakGlassRequestBody) },
        responses: { 201: json(GrantView, 'Requested; the tenant admin decides'), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const grant = await inBody(() => requestGrant(deps, requirePrincipal(c), c.req.valid('json')));
        await auditGrantTenant(c, deps, grant);
        return c.json(presentGrant(grant), 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/break-glass/grants', tags, summary: 'The grants the caller may see, newest first: their tenant’s, or those they requested (operators: all)',
        request: { query: GrantListQuery }, responses: { 200: json(GrantPage, 'One page'), 401: problems[401], 404: problems[404], 422: problems[422] },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const filter = { ...(q.status === undefined ? {} : { status: q.status }), ...(q.account === undefined ? {} : { accountId: q.account }), ...(q.tenant === undefined ? {} : { tenant: q.tenant }) };
        return c.json(pageJson(await listGrants(deps, requirePrincipal(c), filter, { limit: q.limit, cursor: q.cursor }), presentGrant), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/break-glass/grants/{id}', tags, summary: 'One grant',
        request: { params: GrantParam }, responses: { 200: json(GrantView, 'The grant'), 401: problems[401], 404: problems[404] },
      }),
      async (c) => c.json(presentGrant(await getGrant(deps, requirePrincipal(c), c.req.valid('param').id)), 200),
    );

    const decision = (verb: 'approve' | 'deny' | 'revoke', summary: string, run: typeof approveGrant) =>
      app.openapi(
        createRoute({
          method: 'post', path: `/api/break-glass/grants/{id}/${verb}`, tags, summary,
          request: { params: GrantParam, body: jsonBody(GrantDecisionBody) },
          responses: { 200: json(GrantView, 'Done'), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
        }),
        async (c) => {
          const grant = await inBody(() => run(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json')));
          await auditGrantTenant(c, deps, grant);
          return c.json(presentGrant(grant), 200);
        },
      );
    decision('approve', 'The tenant admin approves: the window starts now and the requester is assigned the tenant admin permission set on the account', approveGrant);
    decision('deny', 'The tenant admin denies, saying why; nothing reaches the provider', denyGrant);
    decision('revoke', 'The tenant admin ends an active grant early, saying why; the assignment is deleted', revokeGrant);

    app.openapi(
      createRoute({
        method: 'post', path: '/api/break-glass/grants/{id}/cancel', tags, summary: 'The requester withdraws a pending request',
        request: { params: GrantParam }, responses: { 200: json(GrantView, 'Cancelled'), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409] },
      }),
      async (c) => {
        const grant = await cancelGrant(deps, requirePrincipal(c), c.req.valid('param').id);
        await auditGrantTenant(c, deps, grant);
        return c.json(presentGrant(grant), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/break-glass/grants/{id}/activity', tags, summary: 'For the tenant: what was done under the grant (activity-log events of the requester’s session in its window)',
        request: { params: GrantParam }, responses: { 200: json(GrantActivityView, 'The grant and its events, newest first'), 401: problems[401], 403: problems[403], 404: problems[404] },
      }),
      async (c) => {
        const activity = await grantActivity(deps, requirePrincipal(c), c.req.valid('param').id);
        return c.json(
          {
            grant: presentGrant(activity.grant),
            window: activity.window === null ? null : { from: activity.window.from.toISOString(), to: activity.window.to.toISOString() },
            events: activity.events.map(presentEvent),
            truncated: activity.truncated,
          },
          200,
        );
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/tenants/{tenant}/alerts', tags, summary: 'The tenant’s alerts: central-side activity in its accounts that no grant covered, newest first',
        request: { params: TenantAlertsParam, query: AlertListQuery },
        responses: { 200: json(AlertPage, 'One page'), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const filter = q.unacknowledged === undefined ? {} : { unacknowledged: q.unacknowledged === 'true' };
        const { page } = await listAlerts(deps, requirePrincipal(c), c.req.valid('param').tenant, filter, { limit: q.limit, cursor: q.cursor });
        return c.json(pageJson(page, presentAlert), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/tenants/{tenant}/alerts/{alert}/acknowledge', tags, summary: 'The tenant admin marks an alert seen (the alert stays)',
        request: { params: AlertParam }, responses: { 200: json(AlertView, 'Acknowledged'), 401: problems[401], 403: problems[403], 404: problems[404] },
      }),
      async (c) => {
        const { tenant, alert } = c.req.valid('param');
        return c.json(presentAlert(await acknowledgeAlert(deps, requirePrincipal(c), tenant, alert)), 200);
      },
    );
  };
}
