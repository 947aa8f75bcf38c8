import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteModule } from '../app.js';
import { TenantParam, DryRunQuery } from '../../contracts/registry.js';
import {
  CentralPersonBody,
  PeopleListQuery,
  PeoplePage,
  PersonDetailView,
  PersonIdParam,
  PersonPatchBody,
  PersonResult,
  TenantPersonBody,
  type AccessView,
  type PersonView,
} from '../../contracts/people.js';
import { ROLE_LABELS } from '../../domain/access/roles.js';
import { ACCESS_STATUS_LABELS, PERMISSION_SET_LABELS } from '../../domain/people/person.js';
import type { PeopleDeps } from '../../app/people/deps.js';
import type { Person } from '../../app/ports/people-store.js';
import type { AccessRow, PersonDetail } from '../../app/people/present.js';
import { addCentralPerson, addTenantPerson } from '../../app/people/add.js';
import { changePersonRole, removePerson } from '../../app/people/change.js';
import { getPerson, listCentralPeople, listTenantPeople } from '../../app/people/read.js';
import { requirePrincipal } from '../access-context.js';
import { setAuditTenants } from '../audit-trail.js';
import { inBody, invalidRequest, isoOrNull, json, jsonBody, pageJson, problem } from '../responses.js';

const tags = ['people'];
const problems = {
  403: problem('Your role does not allow this'),
  404: problem('Not found (or another tenant’s)'),
  409: problem('Conflict: the e-mail address is taken, or the person was removed'),
  422: invalidRequest,
};

const presentPersonView = (p: Person): PersonView => ({
  id: p.id,
  email: p.email,
  name: p.name,
  kind: p.kind,
  centralRoles: p.centralRoles,
  tenant: p.tenant,
  tenantRole: p.tenantRole,
  roleLabels: (p.kind === 'central' ? p.centralRoles : p.tenantRole === null ? [] : [p.tenantRole]).map((r) => ROLE_LABELS[r]),
  status: p.status,
  signedIn: p.subject !== null,
  createdAt: p.createdAt.toISOString(),
  createdBy: p.createdBy,
  removedAt: isoOrNull(p.removedAt),
  removedBy: p.removedBy,
});

const presentAccess = (r: AccessRow): AccessView => ({
  accountId: r.accountId,
  accountName: r.account.name,
  environment: r.account.environment,
  provider: r.account.provider,
  providerAccountId: r.account.providerAccountId,
  permissionSet: r.permissionSet,
  permissionSetLabel: PERMISSION_SET_LABELS[r.permissionSet],
  replacing: r.replacing,
  status: r.status,
  statusLabel: ACCESS_STATUS_LABELS[r.status],
  requestedAt: r.requestedAt.toISOString(),
  readyAt: isoOrNull(r.readyAt),
  removedAt: isoOrNull(r.removedAt),
  timeToAccessMs: r.timeToAccessMs,
  failure: r.failure,
});

export const presentPersonDetail = (d: PersonDetail) => ({
  person: presentPersonView(d.person),
  access: d.access.map(presentAccess),
  summary: { ...d.summary, firstReadyAt: isoOrNull(d.summary.firstReadyAt) },
});

const tenantOf = (d: PersonDetail): string[] => (d.person.tenant === null ? [] : [d.person.tenant.code]);

/** /api/tenants/{tenant}/people, /api/people/{id}, /api/central/people. Thin: validate, call one use case, present. */
export const peopleRoutes =
  (deps: PeopleDeps): RouteModule =>
  (app: OpenAPIHono) => {
    app.openapi(
      createRoute({
        method: 'get', path: '/api/tenants/{tenant}/people', tags, summary: "A tenant's people by e-mail address, with their access and time to access",
        request: { params: TenantParam, query: PeopleListQuery },
        responses: { 200: json(PeoplePage, 'One page'), 403: problems[403], 404: problems[404], 422: problems[422] },
      }),
      async (c) => {
        const { limit, cursor, includeRemoved } = c.req.valid('query');
        const page = await listTenantPeople(deps, requirePrincipal(c), c.req.valid('param').tenant, { limit, cursor }, { includeRemoved: includeRemoved === 'true' });
        return c.json(pageJson(page, presentPersonDetail), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/tenants/{tenant}/people', tags,
        summary: 'Add a person to a tenant (its admin; a central operator only its first admin); their access is provisioned on every ready account',
        request: { params: TenantParam, query: DryRunQuery, body: jsonBody(TenantPersonBody) },
        responses: { 200: json(PersonResult, 'Dry run: what would be done'), 201: json(PersonResult, 'Added; provisioning started'), 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const dryRun = c.req.valid('query').dryRun === 'true';
        const result = await inBody(() => addTenantPerson(deps, requirePrincipal(c), c.req.valid('param').tenant, c.req.valid('json'), { dryRun }), ['validation_failed', 'conflict']);
        setAuditTenants(c, tenantOf(result.person));
        return c.json({ dryRun: result.dryRun, person: presentPersonDetail(result.person) }, dryRun ? 200 : 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/people/{id}', tags, summary: 'One person with their access and time to access',
        request: { params: PersonIdParam },
        responses: { 200: json(PersonDetailView, 'The person'), 403: problems[403], 404: problems[404] },
      }),
      async (c) => c.json(presentPersonDetail(await getPerson(deps, requirePrincipal(c), c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'patch', path: '/api/people/{id}', tags, summary: "Change a tenant person's role (swaps their permission set on every account)",
        request: { params: PersonIdParam, query: DryRunQuery, body: jsonBody(PersonPatchBody) },
        responses: { 200: json(PersonResult, 'Changed (or, dry run, what would be)'), 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const dryRun = c.req.valid('query').dryRun === 'true';
        const result = await inBody(() => changePersonRole(deps, requirePrincipal(c), c.req.valid('param').id, c.req.valid('json'), { dryRun }));
        setAuditTenants(c, tenantOf(result.person));
        return c.json({ dryRun: result.dryRun, person: presentPersonDetail(result.person) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'delete', path: '/api/people/{id}', tags, summary: 'Remove a person: their sessions end now; every assignment and their identity store user are removed',
        request: { params: PersonIdParam, query: DryRunQuery },
        responses: { 200: json(PersonResult, 'Removed (or, dry run, what would be)'), 403: problems[403], 404: problems[404], 409: problems[409] },
      }),
      async (c) => {
        const result = await removePerson(deps, requirePrincipal(c), c.req.valid('param').id, { dryRun: c.req.valid('query').dryRun === 'true' });
        setAuditTenants(c, tenantOf(result.person));
        return c.json({ dryRun: result.dryRun, person: presentPersonDetail(result.person) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/central/people', tags, summary: 'The central people (operators, security officers, auditors)',
        request: { query: PeopleListQuery },
        responses: { 200: json(PeoplePage, 'One page'), 403: problems[403], 422: problems[422] },
      }),
      async (c) => {
        const { limit, cursor, includeRemoved } = c.req.valid('query');
        return c.json(pageJson(await listCentralPeople(deps, requirePrincipal(c), { limit, cursor }, { includeRemoved: includeRemoved === 'true' }), presentPersonDetail), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/central/people', tags, summary: 'Add a central person (operators only)',
        request: { query: DryRunQuery, body: jsonBody(CentralPersonBody) },
        responses: { 200: json(PersonResult, 'Dry run: what would be done'), 201: json(PersonResult, 'Added'), 403: problems[403], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const dryRun = c.req.valid('query').dryRun === 'true';
        const result = await inBody(() => addCentralPerson(deps, requirePrincipal(c), c.req.valid('json'), { dryRun }), ['validation_failed', 'conflict']);
        return c.json({ dryRun: result.dryRun, person: presentPersonDetail(result.person) }, dryRun ? 200 : 201);
      },
    );
  };
