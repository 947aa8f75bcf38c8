import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import type { RouteModule } from '../app.js';
import { tooLargeResponse, uploadLimit } from '../body-limit.js';
import {
  AccountListQuery,
  AccountPage,
  AccountView,
  DryRunQuery,
  IdParam,
  PlacementChange,
  PlacementRules,
  PlacementRulesBody,
  REGISTRY_VOCABULARY,
  SystemBody,
  SystemDetail,
  SystemPage,
  SystemResult,
  SystemView,
  Tenant,
  TenantBody,
  TenantImportQuery,
  TenantImportResult,
  TenantListQuery,
  TenantPage,
  TenantParam,
  TenantResult,
  Vocabulary,
} from '../../contracts/registry.js';
import { ACCOUNT_STATUS_LABELS } from '../../domain/registry/account.js';
import { ORGANISATION_KIND_LABELS, codeSchemeOf, type Organisation } from '../../domain/registry/organisation.js';
import { CLOUD_PROVIDER_LABELS, type System } from '../../domain/registry/system.js';
import type { AccountWithOwners } from '../../app/ports/registry-store.js';
import type { RegistryDeps } from '../../app/registry/deps.js';
import { getAccount, listAccounts } from '../../app/registry/accounts.js';
import { importOrganisations } from '../../app/registry/import-organisations.js';
import { listPlacementRules, replacePlacementRules } from '../../app/registry/placement.js';
import { createSystem, getSystem, listSystems } from '../../app/registry/systems.js';
import { createTenant, getTenant, listTenants } from '../../app/registry/tenants.js';
import { setAuditTenants } from '../audit-trail.js';
import { inBody, invalidRequest, isoOrNull, json, jsonBody, pageJson, problem } from '../responses.js';
import { scopeOf } from '../access-context.js';
import { isCentralScope, type TenantScope } from '../../app/scope.js';
import { CENTRAL_CONTACT_ROLES } from '../../domain/access/policy.js';

const problems = {
  404: problem('Not found'),
  409: problem('Conflict: the code, slug, name or e-mail is taken'),
  422: invalidRequest,
};
const iso = (date: Date): string => date.toISOString();

export const presentTenant = (o: Organisation): z.infer<typeof Tenant> => ({
  id: o.id,
  kind: o.kind,
  kindLabel: ORGANISATION_KIND_LABELS[o.kind],
  code: o.code,
  codeScheme: codeSchemeOf(o.kind),
  nameJa: o.nameJa,
  nameEn: o.nameEn,
  parentCode: o.parentCode,
  prefecture: o.prefecture,
  contacts: o.contacts,
  billingEmail: o.billingEmail,
  createdAt: iso(o.createdAt),
  updatedAt: iso(o.updatedAt),
});

/**
 * A tenant as the scope may see it: central roles see only the contacts the access policy grants them
 * (src/domain/access/policy.ts), the tenant itself sees all of its own.
 */
export const presentTenantTo =
  (scope: TenantScope) =>
  (o: Organisation): z.infer<typeof Tenant> => {
    const full = presentTenant(o);
    return isCentralScope(scope) ? { ...full, contacts: full.contacts.filter((x) => CENTRAL_CONTACT_ROLES.includes(x.role)) } : full;
  };

export const tenantRef = (o: Pick<Organisation, 'id' | 'code' | 'kind' | 'nameJa' | 'nameEn'>) => ({ id: o.id, code: o.code, kind: o.kind, nameJa: o.nameJa, nameEn: o.nameEn });

export const presentSystem = (s: System): z.infer<typeof SystemView> => ({
  id: s.id,
  tenantId: s.organisationId,
  slug: s.slug,
  nameJa: s.nameJa,
  nameEn: s.nameEn,
  provider: s.provider,
  providerLabel: CLOUD_PROVIDER_LABELS[s.provider],
  attributes: s.attributes,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const presentAccount = ({ account: a, tenant, system }: AccountWithOwners): z.infer<typeof AccountView> => ({
  id: a.id,
  name: a.name,
  email: a.email,
  environment: a.environment,
  status: a.status,
  statusLabel: ACCOUNT_STATUS_LABELS[a.status],
  provider: a.provider,
  providerAccountId: a.providerAccountId,
  ouPath: a.ouPath,
  requestId: a.requestId,
  tenant: tenantRef(tenant),
  system: { id: system.id, slug: system.slug, nameJa: system.nameJa, nameEn: system.nameEn },
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
  readyAt: isoOrNull(a.readyAt),
});

/** A conflict names the field that is taken (the code, the slug), in the request body too. */
const BODY_ISSUES = ['validation_failed', 'conflict'] as const;

/** Tenants, systems, placement rules and accounts. Thin: validate, one use case, present. */
export function registryRoutes(deps: RegistryDeps): RouteModule {
  return (app: OpenAPIHono) => {
    const tags = ['registry'];

    app.openapi(
      createRoute({ method: 'get', path: '/api/tenants', tags, summary: 'List tenants (organisations) by code', request: { query: TenantListQuery }, responses: { 200: json(TenantPage, 'One page'), 422: problems[422] } }),
      async (c) => c.json(pageJson(await listTenants(deps, scopeOf(c), c.req.valid('query')), presentTenantTo(scopeOf(c))), 200),
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/tenants', tags, summary: 'Register a tenant; its parent must be registered',
        request: { query: DryRunQuery, body: jsonBody(TenantBody) },
        responses: { 200: json(TenantResult, 'Dry run: what would be registered'), 201: json(TenantResult, 'Registered'), 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const dryRun = c.req.valid('query').dryRun === 'true';
        const input = c.req.valid('json');
        // The body passed the schema, so its code is a well-formed official code: a refusal (taken, no parent) still names it.
        c.set('auditTenant', input.code);
        const result = await inBody(() => createTenant(deps, { input, dryRun }), BODY_ISSUES);
        c.set('auditTenant', result.tenant.code);
        return c.json({ dryRun: result.dryRun, tenant: presentTenant(result.tenant) }, dryRun ? 200 : 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/tenants/import', tags,
        summary: 'Import tenants from CSV (header row; columns code, kind, name_ja, name_en, billing_email, parent_code, contact_name, contact_email, contact_role); all or nothing',
        middleware: uploadLimit(),
        request: { query: TenantImportQuery, body: { content: { 'text/csv': { schema: { type: 'string' } } }, required: true } },
        responses: { 200: json(TenantImportResult, 'Imported, or (dry run) what would be'), 413: tooLargeResponse, 422: problems[422] },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const result = await importOrganisations(deps, { csv: await c.req.text(), dryRun: query.dryRun === 'true', update: query.update === 'true' });
        setAuditTenants(c, result.rows.map((r) => r.code));
        return c.json(result, 200);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/tenants/{tenant}', tags, summary: 'One tenant, by id or official code', request: { params: TenantParam }, responses: { 200: json(Tenant, 'The tenant'), 404: problems[404] } }),
      async (c) => c.json(presentTenantTo(scopeOf(c))(await getTenant(deps, scopeOf(c), c.req.valid('param').tenant)), 200),
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/tenants/{tenant}/systems', tags, summary: "A tenant's systems by slug",
        request: { params: TenantParam, query: TenantListQuery.pick({ limit: true, cursor: true }) },
        responses: { 200: json(SystemPage, 'One page'), 404: problems[404], 422: problems[422] },
      }),
      async (c) => {
        const page = await listSystems(deps, scopeOf(c), { tenant: c.req.valid('param').tenant, ...c.req.valid('query') });
        return c.json(pageJson(page, presentSystem), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/tenants/{tenant}/systems', tags, summary: 'Register a system, bound to one provider',
        request: { params: TenantParam, query: DryRunQuery, body: jsonBody(SystemBody) },
        responses: { 200: json(SystemResult, 'Dry run: what would be registered'), 201: json(SystemResult, 'Registered'), 404: problems[404], 409: problems[409], 422: problems[422] },
      }),
      async (c) => {
        const dryRun = c.req.valid('query').dryRun === 'true';
        const result = await inBody(() => createSystem(deps, { tenant: c.req.valid('param').tenant, input: c.req.valid('json'), dryRun, scope: scopeOf(c) }), BODY_ISSUES);
        return c.json({ dryRun: result.dryRun, system: presentSystem(result.system) }, dryRun ? 200 : 201);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/systems/{id}', tags, summary: 'One system with its tenant', request: { params: IdParam }, responses: { 200: json(SystemDetail, 'The system'), 404: problems[404] } }),
      async (c) => {
        const { system, organisation } = await getSystem(deps, scopeOf(c), c.req.valid('param').id);
        return c.json({ ...presentSystem(system), tenant: tenantRef(organisation) }, 200);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/placement-rules', tags, summary: 'The placement rules, by priority', responses: { 200: json(PlacementRules, 'The rules') } }),
      async (c) => c.json({ rules: await listPlacementRules(deps) }, 200),
    );

    app.openapi(
      createRoute({
        method: 'put', path: '/api/placement-rules', tags,
        summary: 'Replace the placement rules and move the accounts whose place changes; dryRun=true lists the moves only',
        middleware: uploadLimit(),
        request: { query: DryRunQuery, body: jsonBody(PlacementRulesBody) },
        responses: { 200: json(PlacementChange, 'The rules and the moves (planned, moved or failed)'), 413: tooLargeResponse, 422: problems[422] },
      }),
      async (c) => {
        const result = await inBody(() => replacePlacementRules(deps, { rules: c.req.valid('json').rules, dryRun: c.req.valid('query').dryRun === 'true' }), BODY_ISSUES);
        return c.json(result, 200);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/accounts', tags, summary: 'List accounts, newest first', request: { query: AccountListQuery }, responses: { 200: json(AccountPage, 'One page'), 404: problems[404], 422: problems[422] } }),
      async (c) => {
        const { system, ...query } = c.req.valid('query');
        return c.json(pageJson(await listAccounts(deps, scopeOf(c), { ...query, systemId: system }), presentAccount), 200);
      },
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/accounts/{id}', tags, summary: 'One account with its tenant and system', request: { params: IdParam }, responses: { 200: json(AccountView, 'The account'), 404: problems[404] } }),
      async (c) => c.json(presentAccount(await getAccount(deps, scopeOf(c), c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({ method: 'get', path: '/api/registry/vocabulary', tags, summary: 'Kinds, roles, providers, environments and statuses with their labels (ja, en)', responses: { 200: json(Vocabulary, 'The vocabularies') } }),
      (c) => c.json(REGISTRY_VOCABULARY, 200),
    );
  };
}
