import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { backends, type TestDatabase } from '../store/testing.js';
import { provisioningHarness } from './testing/harness.js';
import type { Container } from './container.js';
import { buildApi } from './api.js';
import { createIdentity } from './identity.js';
import { loadConfig } from './config.js';
import { authenticateByTestHeader, TEST_PRINCIPAL_HEADER, tenantPrincipal } from '../api/testing.js';
import { ROUTE_POLICY } from '../domain/access/policy.js';
import type { Principal } from '../domain/access/principal.js';
import type { CentralRole } from '../domain/access/roles.js';
import { registerAccount, type RegisteredAccount } from '../app/posture/fixtures/accounts.js';
import { seedDemoResources } from '../app/posture/demo-resources.js';
import { submitAccountRequests } from '../app/requests/use-cases.js';
import { ALL_TENANTS } from '../app/scope.js';
import { sweep } from '../app/posture/sweep.js';
import { DEMO_SYSTEMS } from '../app/registry/demo-federation.js';
import { timeOrderedId } from '../app/registry/ids.js';
import { approveGrant, requestGrant } from '../app/break-glass/grants.js';
import { scanActivity } from '../app/break-glass/scan.js';

/**
 * Walks every API route × every role × the caller's own tenant and another tenant, and fails on any
 * leak: a tenant person must never receive another tenant's identifiers (its id, code, names, systems,
 * accounts, requests, findings, people, break-glass grants, alerts, API tokens), nor change anything of
 * it; central people must never receive what the policy keeps from them (non-critical findings, a
 * tenant's people, its alerts and what was done under a grant); an anonymous caller gets 401 on every
 * route that is not public. New routes join the walk by themselves (they come from the OpenAPI document), and a route
 * without a line in the policy table fails the first test.
 */

type App = ReturnType<typeof buildApi>;
const OpenApi = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });
const Page = z.object({ items: z.array(z.object({ id: z.string(), severity: z.string().optional() }).loose()) });
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Served outside the OpenAPI document. */
const PLAIN_ROUTES = ['GET /api/health', 'GET /api/openapi.json'];
/** Routes that name their tenant in the body, not the path. */
const BODY_ADDRESSED = new Set(['POST /api/account-requests', 'POST /api/account-requests/batch']);

const A_CODE = '131016';
const B_CODE = '131121';
const tenantIndex = (code: string) => Object.keys(DEMO_SYSTEMS).indexOf(code);

type Side = {
  code: string;
  tenantId: string;
  account: RegisteredAccount;
  systemId: string;
  systemSlug: string;
  requestId: string;
  batchId: string;
  findings: { id: string; severity: string }[];
  names: string[];
  /** A person of the tenant, a break-glass grant on its account (approved, with activity), an alert and an API token. */
  personId: string;
  personEmail: string;
  grantId: string;
  alertId: string;
  tokenId: string;
  /** The event of the call made under the grant: what was done in the tenant's account, the tenant's to see. */
  activityEventId: string;
};

const central = (role: CentralRole): Principal => ({ kind: 'central', personId: `per_${role}`, email: `${role}@central.test`, name: role, roles: [role], via: 'token' });

for (const backend of backends()) {
  describe(`no route leaks across tenants or past the centre's view on ${backend.name}`, () => {
    let t: TestDatabase | undefined;
    let c: Container;
    let app: App;
    let routes: { method: string; path: string }[] = [];
    let identity: ReturnType<typeof createIdentity>;
    let operatorId = '';
    const operator = central('operator');
    const sides: Record<'A' | 'B', Side> = { A: undefined as unknown as Side, B: undefined as unknown as Side };

    const call = (method: string, path: string, principal: Principal | undefined, body?: unknown) =>
      app.request(path, {
        method,
        headers: {
          ...(principal === undefined ? {} : { [TEST_PRINCIPAL_HEADER]: JSON.stringify(principal) }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    async function side(code: string, name: string): Promise<Side> {
      const account = await registerAccount(c, `leak-${name}-${code}`, tenantIndex(code));
      await seedDemoResources(c.cloud, account.providerAccountId, tenantIndex(code));
      const tenant = (await c.registry.getOrganisationByCode(code)) ?? assert.fail(`no tenant ${code}`);
      const slug = DEMO_SYSTEMS[code]?.[0]?.slug ?? assert.fail('no system');
      const system = (await c.registry.getSystemBySlug(tenant.id, slug)) ?? assert.fail('no system');
      const submitted = await submitAccountRequests(c.requestDeps, {
        items: [{ tenantCode: code, systemName: slug, environment: 'sandbox', accountName: `leak-req-${code}` }],
        requestedBy: 'seed@hatoba.test', scope: ALL_TENANTS, dryRun: false, batch: true, locate: (i) => ['seed', i],
      });
      const request = submitted.requests[0] ?? assert.fail('no request');
      const at = c.clock.now();
      const admin = await c.people.create({ id: timeOrderedId('per'), email: `admin@${code}.leak.test`, name: `Admin ${code}`, kind: 'tenant', tenantId: tenant.id, tenantRole: 'tenant_admin', createdAt: at, createdBy: 'seed' });
      const member = await c.people.create({ id: timeOrderedId('per'), email: `member@${code}.leak.test`, name: `Member ${code}`, kind: 'tenant', tenantId: tenant.id, tenantRole: 'tenant_member', createdAt: at, createdBy: 'seed' });
      const adminPrincipal = tenantPrincipal({ id: tenant.id, code }, 'tenant_admin', admin.email);
      const grant = await requestGrant(c.breakGlassDeps, { ...operator, personId: operatorId }, { accountId: account.accountId, reason: 'leak check', durationMinutes: 60 });
      await approveGrant(c.breakGlassDeps, { ...adminPrincipal, personId: admin.id }, grant.id, {});
      // A central call into the account under the grant (activity) and one by somebody no grant covers (an alert).
      const underGrant = await c.cloud.simulateCall({ accountId: account.providerAccountId, principal: { arn: `arn:aws:sts::${account.providerAccountId}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/${operator.email}`, type: 'AssumedRole' }, action: 's3:ListAllMyBuckets', region: 'ap-northeast-1' });
      await c.cloud.simulateCall({ accountId: account.providerAccountId, principal: { arn: `arn:aws:sts::${account.providerAccountId}:assumed-role/OrganizationAccountAccessRole/intruder`, type: 'AssumedRole' }, action: 's3:ListAllMyBuckets', region: 'ap-northeast-1' });
      await scanActivity(c.breakGlassDeps);
      const alerts = await c.breakGlassDeps.store.listAlerts(tenant.id, {}, { limit: 10 });
      const alert = alerts.items[0] ?? assert.fail(`no alert for ${code}`);
      const token = await identity.tokens.issue(member.id, { name: 'leak check', days: 1 });
      return {
        code, tenantId: tenant.id, account, systemId: system.id, systemSlug: slug, requestId: request.id, batchId: submitted.batchId ?? assert.fail('no batch'), findings: [], names: [tenant.nameJa, tenant.nameEn],
        personId: member.id, personEmail: member.email, grantId: grant.id, alertId: alert.eventId, tokenId: token.record.id, activityEventId: underGrant.eventId,
      };
    }

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      const op = await c.people.create({ id: timeOrderedId('per'), email: operator.email, name: 'Operator', kind: 'central', centralRoles: ['operator'], createdAt: c.clock.now(), createdBy: 'seed' });
      operatorId = op.id;
      // The routes of sign-in too (/api/tokens), without the bundled provider: callers are named by the test header.
      identity = createIdentity(loadConfig({}), c, { origin: () => 'http://localhost', devProvider: false });
      app = buildApi(c, { authenticate: authenticateByTestHeader() }, identity.modules);
      sides.A = await side(A_CODE, 'a');
      sides.B = await side(B_CODE, 'b');
      await sweep(c.postureDeps);
      for (const s of [sides.A, sides.B]) {
        const findings = await c.postureDeps.store.listFindings(ALL_TENANTS, { tenantId: s.tenantId }, { limit: 500 });
        s.findings = findings.items.map((f) => ({ id: f.id, severity: f.severity }));
        assert.ok(s.findings.length > 0, `the demo resources give ${s.code} findings`);
      }
      const doc = OpenApi.parse(await (await app.request('/api/openapi.json')).json());
      // /auth/* answers for itself (sign-in needs no session; /auth/me tells whether there is one); the policy covers /api.
      routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => ({ method: m.toUpperCase(), path })));
    });
    after(async () => t?.dispose());

    /** A concrete path for a route, with the parameters of one side. */
    function fill(path: string, s: Side): string {
      const id = (): string => {
        if (path.startsWith('/api/accounts/')) return s.account.accountId;
        if (path.startsWith('/api/systems/')) return s.systemId;
        if (path.startsWith('/api/findings/')) return s.findings[0]?.id ?? 'none';
        if (path.startsWith('/api/account-requests/')) return s.requestId;
        if (path.startsWith('/api/account-request-batches/')) return s.batchId;
        if (path.startsWith('/api/controls/')) return 'HTB-S3-001';
        if (path.startsWith('/api/people/')) return s.personId;
        if (path.startsWith('/api/break-glass/grants/')) return s.grantId;
        if (path.startsWith('/api/tokens/')) return s.tokenId;
        if (path.startsWith('/api/frameworks/')) return 'nist-sp-800-53-r5';
        return `${s.code}-unknown`;
      };
      return path
        .replaceAll('{tenant}', s.code)
        .replaceAll('{account}', s.account.accountId)
        .replaceAll('{ou}', encodeURIComponent('/Workloads'))
        .replaceAll('{reportId}', 'rpt_none')
        .replaceAll('{alert}', s.alertId)
        .replaceAll('{id}', id());
    }

    /** A body that would pass validation, so that scope (not the schema) decides. */
    function bodyFor(key: string, s: Side): unknown {
      const item = { tenantCode: s.code, systemName: s.systemSlug, environment: 'dev', accountName: `leak-${s.code}-${Math.random().toString(36).slice(2, 8)}` };
      switch (key) {
        case 'POST /api/account-requests': return item;
        case 'POST /api/account-requests/batch': return { requests: [item] };
        case 'POST /api/tenants/{tenant}/systems': return { slug: `leak-${Math.random().toString(36).slice(2, 8)}`, nameJa: '漏洩検査', nameEn: 'Leak check', provider: 'simulated' };
        case 'POST /api/findings/{id}/suppress': return { reason: 'leak check', until: new Date(Date.now() + 86_400_000).toISOString() };
        default: return {};
      }
    }

    /** Identifiers of a side that nobody outside it may receive. */
    const secretsOf = (s: Side): string[] => [
      s.tenantId, s.code, s.account.accountId, s.account.providerAccountId, s.systemId, s.requestId, s.batchId, ...s.findings.map((f) => f.id), ...s.names,
      s.personId, s.personEmail, s.grantId, s.alertId, s.tokenId,
    ];

    it('has exactly one policy line for every route the API serves, and none for a route it does not', () => {
      const served = new Set([...routes.map((r) => `${r.method} ${r.path}`), ...PLAIN_ROUTES]);
      assert.deepEqual([...served].filter((k) => ROUTE_POLICY[k] === undefined), [], 'routes without a line in src/domain/access/policy.ts');
      assert.deepEqual(Object.keys(ROUTE_POLICY).filter((k) => !served.has(k)), [], 'policy lines for routes the API does not serve');
    });

    it('answers 401 to an anonymous caller on every route that is not public', async () => {
      const wrong: string[] = [];
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        if (ROUTE_POLICY[key]?.kind === 'public') continue;
        const res = await call(r.method, fill(r.path, sides.B), undefined, r.method === 'GET' ? undefined : bodyFor(key, sides.B));
        if (res.status !== 401) wrong.push(`${key}: ${res.status}`);
      }
      assert.deepEqual(wrong, []);
    });

    for (const role of ['tenant_admin', 'tenant_member'] as const) {
      it(`gives a ${role} nothing of another tenant on any route, and changes nothing of it`, async () => {
        const me = tenantPrincipal({ id: sides.A.tenantId, code: sides.A.code }, role);
        const leaks: string[] = [];
        const beforeRequests = await c.requestDeps.requests.countByStatus({ organisationId: sides.B.tenantId });
        for (const r of routes) {
          const key = `${r.method} ${r.path}`;
          for (const target of [sides.A, sides.B]) {
            const path = fill(r.path, target);
            const body = r.method === 'GET' ? undefined : bodyFor(key, target);
            const res = await call(r.method, path, me, body);
            const text = await res.text();
            // What the caller sent may come back (a not-found names it); anything else of B is a leak.
            const sent = `${path} ${JSON.stringify(body ?? '')}`;
            const leaked = secretsOf(sides.B).filter((x) => text.includes(x) && !sent.includes(x));
            if (leaked.length > 0) leaks.push(`${key} (${target.code}) ${res.status}: ${leaked.join(', ')}`);
            // The request names B (by a path id or in its body): it must never succeed.
            const namesB = target === sides.B && (path !== fill(r.path, sides.A) || BODY_ADDRESSED.has(key));
            if (namesB && res.status < 400) leaks.push(`${key} naming B answered ${res.status}`);
          }
        }
        assert.deepEqual(leaks, []);
        assert.deepEqual(await c.requestDeps.requests.countByStatus({ organisationId: sides.B.tenantId }), beforeRequests, 'no request was queued for B');
      });
    }

    it("lets a tenant see its own organisation, systems, accounts, requests and findings", async () => {
      const me = tenantPrincipal({ id: sides.A.tenantId, code: sides.A.code }, 'tenant_member');
      const ids = async (path: string) => {
        const res = await call('GET', path, me);
        const text = await res.text();
        assert.equal(res.status, 200, `${path}: ${text}`);
        return Page.parse(JSON.parse(text)).items.map((i) => i.id);
      };
      assert.deepEqual(await ids('/api/tenants'), [sides.A.tenantId]);
      assert.ok((await ids(`/api/tenants/${A_CODE}/systems`)).includes(sides.A.systemId));
      assert.ok((await ids('/api/accounts')).includes(sides.A.account.accountId));
      assert.ok((await ids('/api/account-requests')).includes(sides.A.requestId));
      assert.deepEqual(new Set(await ids('/api/findings?limit=500')), new Set(sides.A.findings.map((f) => f.id)));
    });

    for (const role of ['operator', 'security_officer', 'auditor'] as const) {
      it(`gives the ${role} no tenant's findings but critical ones, and none of its people, alerts or activity, on any route`, async () => {
        const me = central(role);
        const hidden = [
          ...[...sides.A.findings, ...sides.B.findings].filter((f) => f.severity !== 'critical').map((f) => f.id),
          ...[sides.A, sides.B].flatMap((s) => [s.personEmail, s.alertId, s.activityEventId]),
        ];
        assert.ok(hidden.length > 0, 'the demo resources give non-critical findings');
        const leaks: string[] = [];
        // The audit trail names what each action touched (a suppressed finding's id, never its content): the policy grants it to auditors.
        for (const r of routes.filter((x) => x.method === 'GET' && !x.path.startsWith('/api/audit/'))) {
          for (const target of [sides.A, sides.B]) {
            const path = fill(r.path, target);
            const text = await (await call('GET', path, me)).text();
            const leaked = hidden.filter((x) => text.includes(x) && !path.includes(x));
            if (leaked.length > 0) leaks.push(`GET ${r.path} (${target.code}): ${leaked.join(', ')}`);
          }
        }
        for (const id of hidden.slice(0, 3)) {
          const res = await call('GET', `/api/findings/${id}`, me);
          if (res.status !== 404) leaks.push(`GET /api/findings/${id}: ${res.status}`);
        }
        assert.deepEqual(leaks, []);
        // The registry stays the centre's: every tenant's accounts are listed.
        const accounts = Page.parse(await (await call('GET', '/api/accounts?limit=500', me)).json()).items.map((i) => i.id);
        assert.ok(accounts.includes(sides.A.account.accountId) && accounts.includes(sides.B.account.accountId));
      });
    }

    it("refuses a central role a tenant's decision on its findings", async () => {
      const finding = sides.B.findings[0] ?? assert.fail('no finding');
      const res = await call('POST', `/api/findings/${finding.id}/suppress`, central('security_officer'), bodyFor('POST /api/findings/{id}/suppress', sides.B));
      assert.equal(res.status, 403);
    });

    it('shows central roles only the primary and security contacts of a tenant; the tenant sees all of its own', async () => {
      const operator = central('operator');
      const code = '131130'; // 渋谷区
      const contacts = [
        { name: '主担当', email: 'primary@shibuya.test', role: 'primary' },
        { name: '技術担当', email: 'technical@shibuya.test', role: 'technical' },
        { name: '請求担当', email: 'billing-contact@shibuya.test', role: 'billing' },
        { name: 'セキュリティ担当', email: 'security@shibuya.test', role: 'security' },
      ];
      const created = await call('POST', '/api/tenants', operator, { code, kind: 'special_ward', nameJa: '渋谷区', nameEn: 'Shibuya City', billingEmail: 'billing@shibuya.test', contacts });
      assert.equal(created.status, 201);
      const seen = (await (await call('GET', `/api/tenants/${code}`, operator)).text());
      assert.ok(seen.includes('primary@shibuya.test') && seen.includes('security@shibuya.test'));
      assert.ok(!seen.includes('technical@shibuya.test') && !seen.includes('billing-contact@shibuya.test'));
      const listed = await (await call('GET', '/api/tenants?q=Shibuya', operator)).text();
      assert.ok(!listed.includes('technical@shibuya.test'));
      const tenant = (await c.registry.getOrganisationByCode(code)) ?? assert.fail('no tenant');
      const own = await (await call('GET', `/api/tenants/${code}`, tenantPrincipal({ id: tenant.id, code }, 'tenant_member'))).text();
      assert.ok(own.includes('technical@shibuya.test'));
    });
  });
}
