import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness, waitForRuns } from '../../main/testing/harness.js';
import type { Container } from '../../main/container.js';
import { createApi } from '../app.js';
import { authenticateByTestHeader, tenantPrincipal, TEST_PRINCIPAL_HEADER } from '../testing.js';
import { peopleRoutes } from './people.js';
import { PeoplePage, PersonDetailView, PersonResult } from '../../contracts/people.js';
import { Problem } from '../../contracts/common.js';
import type { Principal } from '../../domain/access/principal.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import { submitAccountRequests } from '../../app/requests/use-cases.js';
import { ALL_TENANTS } from '../../app/scope.js';

const operator: Principal = { kind: 'central', roles: ['operator'], personId: 'per_op', email: 'operator@hatoba.test', name: 'Operator', via: 'session' };
const auditor: Principal = { kind: 'central', roles: ['auditor'], personId: 'per_aud', email: 'auditor@hatoba.test', name: 'Auditor', via: 'session' };

for (const backend of backends()) {
  describe(`people routes on ${backend.name}`, () => {
    let t: TestDatabase;
    let c: Container;
    let api: ReturnType<typeof createApi>;
    let chiyoda: Organisation;
    let setagaya: Organisation;

    const call = async (as: Principal, method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { [TEST_PRINCIPAL_HEADER]: JSON.stringify(as) };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await api.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: await response.json() };
    };
    const admin = () => tenantPrincipal(chiyoda, 'tenant_admin');

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      api = createApi([peopleRoutes(c.peopleDeps)], { version: 'test', access: { authenticate: authenticateByTestHeader() } });
      const a = await c.registry.getOrganisationByCode('131016');
      const b = await c.registry.getOrganisationByCode('131121');
      assert.ok(a && b);
      chiyoda = a;
      setagaya = b;
    });
    after(async () => t.dispose());

    it('adds a tenant’s first admin as an operator, then members as that admin; a dry run answers 200 in the same shape and adds nobody', async () => {
      const first = await call(operator, 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'Admin@Chiyoda.example.jp', name: '千代田 管理', role: 'tenant_admin' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const added = PersonResult.parse(first.body);
      assert.equal(added.person.person.email, 'admin@chiyoda.example.jp');
      assert.equal(added.person.person.createdBy, 'operator@hatoba.test');
      assert.deepEqual(added.person.person.roleLabels, [{ ja: 'テナント管理者', en: 'Tenant admin' }]);

      const dry = await call(admin(), 'POST', `/api/tenants/${chiyoda.id}/people?dryRun=true`, { email: 'dry@chiyoda.example.jp', name: 'Dry' });
      assert.equal(dry.status, 200);
      assert.equal(PersonResult.parse(dry.body).dryRun, true);
      assert.equal(await c.people.findActiveByEmail('dry@chiyoda.example.jp'), undefined);

      const member = await call(admin(), 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'member@chiyoda.example.jp', name: 'Member' });
      assert.equal(member.status, 201);
      assert.equal(PersonResult.parse(member.body).person.person.tenantRole, 'tenant_member');
      const again = await call(operator, 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'second@chiyoda.example.jp', name: 'Second', role: 'tenant_admin' });
      assert.equal(again.status, 403, 'an operator adds only the first admin');
    });

    it('answers 422 with every problem located in the body, and 409 at body.email for a taken address', async () => {
      const bad = await call(admin(), 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'nope', name: '', role: 'root', extra: 1 });
      assert.equal(bad.status, 422);
      const paths = Problem.parse(bad.body).issues.map((i) => i.path.join('.')).sort();
      assert.deepEqual(paths, ['body.email', 'body.extra', 'body.name', 'body.role']);
      const taken = await call(admin(), 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'MEMBER@chiyoda.example.jp', name: 'Twin' });
      assert.equal(taken.status, 409);
      assert.deepEqual(Problem.parse(taken.body).issues.map((i) => i.path.join('.')), ['body.email']);
    });

    it('answers a tenant admin about another tenant or its people with 404, and a member who tries to add with 403', async () => {
      const other = await call(operator, 'POST', `/api/tenants/${setagaya.code}/people`, { email: 'admin@setagaya.example.jp', name: 'Setagaya', role: 'tenant_admin' });
      const otherId = PersonResult.parse(other.body).person.person.id;
      assert.equal((await call(admin(), 'GET', `/api/tenants/${setagaya.code}/people`)).status, 404);
      assert.equal((await call(admin(), 'POST', `/api/tenants/${setagaya.code}/people`, { email: 'x@setagaya.example.jp', name: 'X' })).status, 404);
      for (const [method, body] of [['GET', undefined], ['PATCH', { role: 'tenant_member' }], ['DELETE', undefined]] as const) {
        assert.equal((await call(admin(), method, `/api/people/${otherId}`, body)).status, 404, method);
      }
      const member = tenantPrincipal(chiyoda, 'tenant_member', 'member@chiyoda.example.jp');
      assert.equal((await call(member, 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'y@chiyoda.example.jp', name: 'Y' })).status, 403);
      const list = await call(member, 'GET', `/api/tenants/${chiyoda.code}/people`);
      assert.equal(list.status, 200);
      assert.deepEqual(PeoplePage.parse(list.body).items.map((p) => p.person.email), ['admin@chiyoda.example.jp', 'member@chiyoda.example.jp']);
      assert.equal((await call(auditor, 'GET', `/api/tenants/${chiyoda.code}/people`)).status, 403);
    });

    it('keeps a tenant’s people from central roles: an operator gets 403 listing them or reading one, even the admin they added', async () => {
      const adminId = (await c.people.findActiveByEmail('admin@chiyoda.example.jp'))?.id ?? '';
      for (const as of [operator, auditor]) {
        const list = await call(as, 'GET', `/api/tenants/${chiyoda.code}/people`);
        assert.equal(list.status, 403);
        assert.doesNotMatch(JSON.stringify(list.body), /@chiyoda\.example\.jp/);
        const one = await call(as, 'GET', `/api/people/${adminId}`);
        assert.equal(one.status, 403);
        assert.doesNotMatch(JSON.stringify(one.body), /@chiyoda\.example\.jp/);
      }
    });

    it('shows a person’s access and time to access once provisioned, changes their role, and removes them', async () => {
      const submitted = await submitAccountRequests(c.requestDeps, {
        items: [{ tenantCode: chiyoda.code, systemName: 'juki', environment: 'dev', accountName: `people-api-${backend.name}` }],
        requestedBy: 'tester@hatoba.example', scope: ALL_TENANTS, dryRun: false, batch: false, locate: (i) => ['test', i],
      });
      const runner = c.createRunner({ concurrency: 4 });
      await runner.start();
      try {
        await waitForRuns(c, submitted.requests.map((r) => r.id));
        const added = PersonResult.parse((await call(admin(), 'POST', `/api/tenants/${chiyoda.code}/people`, { email: 'newcomer@chiyoda.example.jp', name: 'Newcomer' })).body);
        const id = added.person.person.id;
        await waitForRuns(c, [`provision-person:${id}:added`]);
        const shown = PersonDetailView.parse((await call(admin(), 'GET', `/api/people/${id}`)).body);
        assert.equal(shown.summary.status, 'ready');
        assert.equal(shown.access.length, 1);
        assert.equal(shown.access[0]?.permissionSet, 'non_admin');
        assert.deepEqual(shown.access[0]?.statusLabel, { ja: 'サインイン可能', en: 'Can sign in' });
        assert.equal(typeof shown.access[0]?.timeToAccessMs, 'number');
        assert.equal(typeof shown.summary.timeToAccessMs, 'number');

        const patched = await call(admin(), 'PATCH', `/api/people/${id}`, { role: 'tenant_admin' });
        assert.equal(patched.status, 200);
        assert.equal(PersonResult.parse(patched.body).person.person.tenantRole, 'tenant_admin');
        assert.equal((await call(admin(), 'PATCH', `/api/people/${id}`, { role: 'tenant_admin', name: 'x' })).status, 422);

        const removed = await call(admin(), 'DELETE', `/api/people/${id}`);
        assert.equal(removed.status, 200);
        assert.equal(PersonResult.parse(removed.body).person.person.status, 'removed');
        await waitForRuns(c, [`deprovision-person:${id}:removed`]);
        const gone = PersonDetailView.parse((await call(admin(), 'GET', `/api/people/${id}`)).body);
        assert.equal(gone.summary.status, 'removed');
        assert.equal((await call(admin(), 'DELETE', `/api/people/${id}`)).status, 409);
      } finally {
        await runner.stop();
      }
    });

    it('lets operators add central people and every central role list them, but no tenant person', async () => {
      const created = await call(operator, 'POST', '/api/central/people', { email: 'sec@hatoba.test', name: 'Security', roles: ['security_officer'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal((await call(auditor, 'POST', '/api/central/people', { email: 'a2@hatoba.test', name: 'A2', roles: ['auditor'] })).status, 403);
      const listed = await call(auditor, 'GET', '/api/central/people');
      assert.equal(listed.status, 200);
      assert.ok(PeoplePage.parse(listed.body).items.some((p) => p.person.email === 'sec@hatoba.test'));
      assert.equal((await call(admin(), 'GET', '/api/central/people')).status, 403);
      const id = PersonResult.parse(created.body).person.person.id;
      assert.equal(PersonDetailView.parse((await call(operator, 'GET', `/api/people/${id}`)).body).person.email, 'sec@hatoba.test');
    });
  });
}
