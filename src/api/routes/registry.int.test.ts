import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createRegistryStore } from '../../store/registry-store.js';
import { createApi } from '../app.js';
import { registryRoutes } from './registry.js';
import { registryDeps } from '../../app/registry/fixtures/deps.js';
import { organisationCsvLines } from '../../app/registry/fixtures/organisation-csv.js';
import { basicRules } from '../../app/registry/fixtures/registry-data.js';
import { AccountPage, PlacementChange, PlacementRules, SystemPage, SystemResult, Tenant, TenantImportResult, TenantPage, TenantResult } from '../../contracts/registry.js';
import { Problem } from '../../contracts/common.js';

type App = ReturnType<typeof createApi>;
const OpenApiDoc = z.object({ paths: z.record(z.string(), z.unknown()), components: z.object({ schemas: z.record(z.string(), z.unknown()) }) });

const send = (app: App, method: string, path: string, body?: unknown, contentType = 'application/json') =>
  app.request(path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const chiyoda = { code: '131016', kind: 'special_ward', nameJa: '千代田区', nameEn: 'Chiyoda City', billingEmail: 'billing@chiyoda.example' };
const tokyo = { code: '１３０００１', kind: 'prefecture', nameJa: '東京都', nameEn: 'Tokyo', billingEmail: 'billing@tokyo.example' };

for (const backend of backends()) {
  describe(`registry API on ${backend.name}`, () => {
    let handle: TestDatabase;
    let app: App;
    let deps: ReturnType<typeof registryDeps>;
    before(async () => {
      handle = await backend.open();
      deps = registryDeps(createRegistryStore(handle.db));
      app = createApi([registryRoutes(deps)], { version: 'test', access: 'unrestricted' });
    });
    after(async () => handle.dispose());

    it('answers a dry run with the tenant it would create, and creates nothing', async () => {
      const response = await send(app, 'POST', '/api/tenants?dryRun=true', tokyo);
      assert.equal(response.status, 200);
      const result = TenantResult.parse(await response.json());
      assert.deepEqual([result.dryRun, result.tenant.code, result.tenant.kindLabel.ja], [true, '130001', '都道府県']);
      assert.equal((await send(app, 'GET', '/api/tenants/130001')).status, 404);
    });

    it('refuses a child whose parent is not registered, at the location of the field', async () => {
      const response = await send(app, 'POST', '/api/tenants', chiyoda);
      assert.equal(response.status, 422);
      const problem = Problem.parse(await response.json());
      assert.deepEqual(problem.issues.map((i) => i.path.join('.')), ['body.parentCode']);
    });

    it('registers tenants and finds one by code or id', async () => {
      assert.equal((await send(app, 'POST', '/api/tenants', tokyo)).status, 201);
      const created = TenantResult.parse(await (await send(app, 'POST', '/api/tenants', chiyoda)).json());
      assert.equal(created.tenant.parentCode, '130001');
      const byId = Tenant.parse(await (await send(app, 'GET', `/api/tenants/${created.tenant.id}`)).json());
      assert.equal(byId.code, '131016');
      const conflict = await send(app, 'POST', '/api/tenants', chiyoda);
      assert.equal(conflict.status, 409);
      assert.deepEqual(Problem.parse(await conflict.json()).issues.map((i) => i.path.join('.')), ['body.code']);
    });

    it('lists every problem of a request body with its location', async () => {
      const response = await send(app, 'POST', '/api/tenants', { ...chiyoda, code: '131017', kind: 'ward', billingEmail: 'nope' });
      assert.equal(response.status, 422);
      const paths = Problem.parse(await response.json()).issues.map((i) => i.path.join('.'));
      assert.deepEqual(paths.sort(), ['body.billingEmail', 'body.code', 'body.kind']);
    });

    it('imports a CSV in a dry run, then for real, and pages through the tenants', async () => {
      const csv = organisationCsvLines(120).lines.filter((line) => !line.startsWith('130001')).join('\n');
      const dry = TenantImportResult.parse(await (await send(app, 'POST', '/api/tenants/import?dryRun=true', csv, 'text/csv')).json());
      assert.deepEqual([dry.dryRun, dry.created], [true, 119]);
      const done = TenantImportResult.parse(await (await send(app, 'POST', '/api/tenants/import', csv, 'text/csv')).json());
      assert.equal(done.created, 119);
      const first = TenantPage.parse(await (await send(app, 'GET', '/api/tenants?kind=prefecture&limit=40')).json());
      assert.equal(first.items.length, 40);
      const rest = TenantPage.parse(await (await send(app, 'GET', `/api/tenants?kind=prefecture&limit=40&cursor=${first.nextCursor ?? ''}`)).json());
      assert.equal(rest.items.length, 7);
      assert.equal(rest.nextCursor, undefined);
    });

    it('answers a bad CSV with every bad row and column', async () => {
      const csv = 'code,kind,name_ja,name_en,billing_email\n131016,special_ward,千代田区,Chiyoda,a@b.example\n999999,municipality,x,x,bad\n';
      const response = await send(app, 'POST', '/api/tenants/import', csv, 'text/csv');
      assert.equal(response.status, 422);
      const paths = Problem.parse(await response.json()).issues.map((i) => i.path.join('.'));
      assert.deepEqual(paths, ['row.2.code', 'row.3.code', 'row.3.billing_email']);
    });

    it('refuses a CSV file larger than 5 MiB with 413 and a Problem, importing nothing', async () => {
      const before = TenantPage.parse(await (await send(app, 'GET', '/api/tenants?limit=500')).json()).items.length;
      const csv = `code,kind,name_ja,name_en,billing_email\n${'x'.repeat(5 * 1024 * 1024)}`;
      const response = await send(app, 'POST', '/api/tenants/import', csv, 'text/csv');
      assert.equal(response.status, 413);
      const problem = Problem.parse(await response.json());
      assert.deepEqual([problem.code, problem.issues], ['body_too_large', []]);
      assert.equal(TenantPage.parse(await (await send(app, 'GET', '/api/tenants?limit=500')).json()).items.length, before);
    });

    it('creates a system for a tenant named by code and refuses its slug twice', async () => {
      const input = { slug: 'juki', nameJa: '住民基本台帳', nameEn: 'Basic Resident Register', provider: 'simulated', attributes: { classification: 'confidential' } };
      const created = SystemResult.parse(await (await send(app, 'POST', '/api/tenants/131016/systems', input)).json());
      assert.equal(created.system.providerLabel.en, 'Simulated (digital twin)');
      assert.equal((await send(app, 'POST', '/api/tenants/131016/systems?dryRun=true', input)).status, 409);
      assert.equal((await send(app, 'GET', `/api/systems/${created.system.id}`)).status, 200);
      const page = SystemPage.parse(await (await send(app, 'GET', '/api/tenants/131016/systems')).json());
      assert.deepEqual(page.items.map((s) => s.slug), ['juki']);
    });

    it('replaces placement rules with a dry run first, and refuses a set without a catch-all', async () => {
      const dry = PlacementChange.parse(await (await send(app, 'PUT', '/api/placement-rules?dryRun=true', { rules: basicRules })).json());
      assert.equal(dry.dryRun, true);
      assert.deepEqual(PlacementRules.parse(await (await send(app, 'GET', '/api/placement-rules')).json()).rules, []);
      const applied = PlacementChange.parse(await (await send(app, 'PUT', '/api/placement-rules', { rules: basicRules })).json());
      assert.equal(applied.rules.length, 4);
      const bad = await send(app, 'PUT', '/api/placement-rules', { rules: basicRules.slice(0, 2) });
      assert.equal(bad.status, 422);
      assert.deepEqual(Problem.parse(await bad.json()).issues.map((i) => i.path.join('.')), ['body.rules']);
    });

    it('lists accounts with filters and answers one by id', async () => {
      const system = (await deps.store.listSystems((await deps.store.getOrganisationByCode('131016'))?.id ?? '', { limit: 1 })).items[0];
      assert.ok(system);
      await deps.store.reserveAccount({ id: 'acc_api_1', systemId: system.id, environment: 'prod', name: 'chiyoda-juki-prod', email: 'juki@chiyoda.example', status: 'provisioning' });
      const page = AccountPage.parse(await (await send(app, 'GET', '/api/accounts?tenant=131016&status=provisioning')).json());
      assert.deepEqual(page.items.map((a) => [a.name, a.tenant.code, a.system.slug, a.statusLabel.ja]), [['chiyoda-juki-prod', '131016', 'juki', '作成中']]);
      assert.equal(AccountPage.parse(await (await send(app, 'GET', '/api/accounts?status=ready')).json()).items.length, 0);
      assert.equal((await send(app, 'GET', '/api/accounts/acc_api_1')).status, 200);
      assert.equal((await send(app, 'GET', '/api/accounts/acc_none')).status, 404);
      assert.equal((await send(app, 'GET', '/api/accounts?status=unknown')).status, 422);
    });

    it('documents every registry route in the OpenAPI document', async () => {
      const doc = OpenApiDoc.parse(await (await send(app, 'GET', '/api/openapi.json')).json());
      for (const path of ['/api/tenants', '/api/tenants/import', '/api/tenants/{tenant}', '/api/tenants/{tenant}/systems', '/api/systems/{id}', '/api/placement-rules', '/api/accounts', '/api/accounts/{id}']) {
        assert.ok(doc.paths[path], path);
      }
      assert.ok(doc.components.schemas.TenantInput);
      assert.match(JSON.stringify(doc.paths['/api/tenants/import']), /text\/csv/);
    });
  });
}
