import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { createApi } from '../app.js';
import { controlRoutes } from './controls.js';
import { ControlDetail, ControlSearchResult, CoverageView, FrameworkList, Trace } from '../../contracts/controls.js';
import { Problem } from '../../contracts/common.js';
import { fixtureCatalog, fixtureFiles } from '../../guardrails/catalog/fixtures.js';
import { loadCatalog } from '../../guardrails/catalog/loader.js';
import { validateCatalog, validateComponentDefinition } from '../../guardrails/oscal/testing.js';
import { readCatalog } from '../../main/catalog.js';
import { oscalExportOptions } from '../../main/api.js';

const OSCAL = { version: '0.1.0-test', lastModified: '2030-04-01T00:00:00Z' };
const app = createApi([controlRoutes(fixtureCatalog(), OSCAL)], { version: 'test', access: 'unrestricted' });
const get = async <T extends z.ZodType>(path: string, schema: T, status = 200): Promise<z.infer<T>> => {
  const response = await app.request(path);
  const body: unknown = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  return schema.parse(body);
};
const ids = (result: ControlSearchResult) => result.items.map((i) => i.id);

describe('controls API', () => {
  it('searches by text with ranking, and by every filter in the query', async () => {
    const byText = await get('/api/controls?text=iam', ControlSearchResult);
    assert.deepEqual(byText.items.map((i) => [i.id, i.matched[0]]), [['HTB-IAM-001', 'id'], ['HTB-LOG-001', 'title'], ['HTB-EBS-001', 'description']]);
    assert.deepEqual(ids(await get(`/api/controls?text=${encodeURIComponent('暗号化')}&type=detective&severity=high`, ControlSearchResult)), ['HTB-EBS-001']);
    assert.deepEqual(ids(await get('/api/controls?framework=jp-law-test', ControlSearchResult)), ['HTB-EBS-001']);
    assert.deepEqual(ids(await get('/api/controls?objective=identity-and-access&service=iam', ControlSearchResult)), ['HTB-IAM-001']);
    const all = await get('/api/controls', ControlSearchResult);
    assert.equal(all.total, 3);
    assert.deepEqual(all.items[1]?.types.map((t) => t.label.ja), ['予防的']);
  });

  it('answers 422 at the query parameter for a bad filter or an unknown framework, in Japanese and English', async () => {
    const bad = await get('/api/controls?severity=urgent&type=magic', Problem, 422);
    assert.deepEqual(bad.issues.map((i) => i.path.join('.')).sort(), ['query.severity', 'query.type']);
    const unknown = await get('/api/controls?framework=nist-sp-800-53-r5:AC-3(1)', Problem, 422);
    assert.deepEqual(unknown.issues, [{ path: ['query', 'framework'], message: 'AC-3(1) は廃止されました（移行先: AC-6） / AC-3(1) is withdrawn; moved to AC-6' }]);
    const notAnId = await get('/api/controls?framework=nist-sp-800-53-r5:AC-2x', Problem, 422);
    assert.match(notAnId.issues[0]?.message ?? '', /^「AC-2x」は nist-sp-800-53-r5 の要件 ID ではありません.* \/ "AC-2x" is not an id of nist-sp-800-53-r5 \(ids look like AC, AC-2 or AC-2\(1\)\)$/);
    const missing = await get('/api/controls?framework=nist-sp-800-53-r5:AC-99', Problem, 422);
    assert.deepEqual(missing.issues.map((i) => i.message), ['nist-sp-800-53-r5 に AC-99 という要件はありません / AC-99 is not a requirement of nist-sp-800-53-r5']);
  });

  it('reports an unknown framework together with every other bad filter, in one answer', async () => {
    const bad = await get('/api/controls?objective=nope&severity=urgent&framework=nist-sp-900', Problem, 422);
    assert.deepEqual(bad.issues.map((i) => i.path.join('.')).sort(), ['query.framework', 'query.objective', 'query.severity']);
    const framework = bad.issues.find((i) => i.path.join('.') === 'query.framework');
    assert.match(framework?.message ?? '', /^カタログにフレームワーク nist-sp-900 はありません（登録済み: .*nist-csf-2\.0.*） \/ no framework nist-sp-900 in the catalog \(known: .*nist-csf-2\.0.*\)$/);
  });

  it('says in Japanese and English that a control, a node or a framework does not exist', async () => {
    for (const path of ['/api/controls/HTB-NOPE-001', '/api/catalog/trace?node=control:HTB-NOPE-001', '/api/catalog/trace?node=nist-sp-800-53-r5:ZZ-9', '/api/frameworks/nope/coverage']) {
      const missing = await get(path, Problem, 404);
      assert.match(missing.message, /見つかりません.* \/ .*not found/, path);
    }
  });

  it('shows one control with its mappings and the chains up to the law, whatever the case of its id', async () => {
    const detail = await get('/api/controls/htb-ebs-001', ControlDetail);
    assert.equal(detail.id, 'HTB-EBS-001');
    assert.deepEqual(detail.mappings.map((m) => [m.relationship, m.node.ref]), [['implements', 'nist-sp-800-53-r5:SC-28(1)']]);
    assert.deepEqual(detail.reaches.map((r) => [r.framework.id, r.requirements.length]), [
      ['nist-csf-2.0', 3], ['nist-sp-800-53-r5', 3], ['jp-guideline-test', 2], ['jp-nisc-test', 1], ['jp-law-test', 1],
    ]);
    const toLaw = detail.trace.up.find((chain) => chain.at(-1)?.node.framework?.kind === 'law');
    assert.deepEqual(toLaw?.map((hop) => hop.via?.relationshipLabel.en ?? hop.node.id), [
      'HTB-EBS-001', 'implements', 'part of', 'part of', 'intersects', 'intersects', 'part of', 'derived from', 'superset of',
    ]);
    assert.ok(detail.implementations.rule?.expression);
  });

  it('answers 404 for a control that does not exist', async () => {
    const missing = await get('/api/controls/HTB-NOPE-001', Problem, 404);
    assert.equal(missing.code, 'not_found');
  });

  it('traces from any node, written in any spelling', async () => {
    const trace = await get(`/api/catalog/trace?node=${encodeURIComponent('nist-sp-800-53-r5:ac-2.1')}`, Trace);
    assert.deepEqual(trace.down.map((chain) => chain.map((h) => h.node.id)), [['AC-2(1)', 'HTB-IAM-001']]);
    assert.deepEqual(trace.up.map((chain) => chain.at(-1)?.node.ref), ['nist-csf-2.0:PR']);
    await get('/api/catalog/trace?node=nist-sp-800-53-r5:ZZ-9', Problem, 404);
  });

  it('lists the frameworks and their coverage', async () => {
    const list = await get('/api/frameworks', FrameworkList);
    const sp = list.items.find((f) => f.id === 'nist-sp-800-53-r5');
    assert.deepEqual([sp?.requirements, sp?.withdrawn, sp?.kindLabel.ja], [11, 2, 'フレームワーク']);
    const covered = await get('/api/frameworks/nist-sp-800-53-r5/coverage', CoverageView);
    assert.deepEqual([covered.total, covered.covered, covered.percentage, covered.uncovered], [11, 8, 72.7, ['AC-3', 'AC-6', 'SC-7']]);
    assert.deepEqual(covered.requirements.find((r) => r.id === 'SC-28(1)'), { id: 'SC-28(1)', title: { en: 'Cryptographic Protection' }, parent: 'SC-28', hasChildren: false, covered: true, controls: ['HTB-EBS-001'] });
    assert.equal((await get('/api/frameworks/nope/coverage', Problem, 404)).code, 'not_found');
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = z.object({ paths: z.record(z.string(), z.unknown()) }).parse(await (await app.request('/api/openapi.json')).json());
    for (const path of ['/api/controls', '/api/controls/export', '/api/controls/{id}', '/api/catalog/trace', '/api/frameworks', '/api/frameworks/{id}/coverage']) assert.ok(path in doc.paths, path);
  });
});

describe('controls API on the imported NIST frameworks', () => {
  it('serves SP 800-53 r5 and CSF 2.0 as imported, with nothing covered when there are no controls', async () => {
    const files = ['frameworks', 'mappings'].flatMap((folder) =>
      readdirSync(join('catalog', folder)).filter((n) => n.startsWith('nist-') || n.startsWith('csf-')).map((n) => ({ path: join('catalog', folder, n), text: readFileSync(join('catalog', folder, n), 'utf8') })),
    );
    const result = loadCatalog(files);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues.slice(0, 5)));
    const nist = createApi([controlRoutes(result.catalog, OSCAL)], { version: 'test', access: 'unrestricted' });
    const list = FrameworkList.parse(await (await nist.request('/api/frameworks')).json());
    assert.deepEqual(list.items.map((f) => [f.id, f.requirements, f.withdrawn]), [['nist-csf-2.0', 134, 91], ['nist-sp-800-53-r5', 1027, 182]]);
    const csf = CoverageView.parse(await (await nist.request('/api/frameworks/nist-csf-2.0/coverage')).json());
    assert.deepEqual([csf.total, csf.covered, csf.uncovered.length], [134, 0, 134]);
  });
});

const OscalCatalogDoc = z.object({ catalog: z.object({ uuid: z.string(), metadata: z.object({ version: z.string(), 'last-modified': z.string() }), groups: z.array(z.object({ controls: z.array(z.unknown()) })) }) });
const OscalComponentDoc = z.object({ 'component-definition': z.object({ metadata: z.object({ version: z.string(), 'last-modified': z.string() }), components: z.array(z.unknown()) }) });

/** The export as the server wires it (main/api.ts): the catalog from its files, the package version, the newest file's time. */
describe('OSCAL export of the controls catalog', () => {
  let dir: string | undefined;
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('exports the shipped catalog as an OSCAL catalog and a component definition that validate against the OSCAL schemas', async () => {
    const catalog = await readCatalog('catalog');
    const served = createApi([controlRoutes(catalog, oscalExportOptions(catalog))], { version: 'test', access: 'unrestricted' });
    const version = z.object({ version: z.string() }).parse(JSON.parse(readFileSync('package.json', 'utf8'))).version;

    const asCatalog = await served.request('/api/controls/export?format=oscal-catalog');
    assert.equal(asCatalog.status, 200);
    assert.equal(asCatalog.headers.get('content-disposition'), 'attachment; filename="hatoba-controls-catalog.json"');
    const document: unknown = await asCatalog.json();
    assert.deepEqual(validateCatalog(document), []);
    const parsed = OscalCatalogDoc.parse(document).catalog;
    assert.equal(parsed.metadata.version, version);
    assert.equal(parsed.groups.flatMap((g) => g.controls).length, catalog.controls.length);

    const asComponent = await served.request('/api/controls/export?format=oscal-component-definition');
    assert.equal(asComponent.headers.get('content-disposition'), 'attachment; filename="hatoba-component-definition.json"');
    const component: unknown = await asComponent.json();
    assert.deepEqual(validateComponentDefinition(component), []);
    assert.equal(OscalComponentDoc.parse(component)['component-definition'].metadata['last-modified'], parsed.metadata['last-modified']);
  });

  it('gives the same document for the same catalog files, dated by the newest of them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-oscal-'));
    const root = dir;
    const files = fixtureFiles();
    for (const [i, file] of files.entries()) {
      const path = join(root, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text);
      // The newest file sets the time; milliseconds are dropped.
      const at = new Date(Date.UTC(2030, 3, 1 + i, 9, 30, 15, 250));
      await utimes(path, at, at);
    }
    const newest = new Date(Date.UTC(2030, 3, files.length, 9, 30, 15)).toISOString().replace('.000Z', 'Z');
    const exportOnce = async () => {
      const catalog = await readCatalog(join(root, 'catalog'));
      const response = await createApi([controlRoutes(catalog, oscalExportOptions(catalog))], { version: 'test', access: 'unrestricted' }).request('/api/controls/export?format=oscal-catalog');
      return response.text();
    };
    const first = await exportOnce();
    assert.equal(await exportOnce(), first);
    assert.equal(OscalCatalogDoc.parse(JSON.parse(first)).catalog.metadata['last-modified'], newest);
  });

  it('answers 422 at the query parameter for a format it does not export', async () => {
    const bad = await get('/api/controls/export?format=oscal-profile', Problem, 422);
    assert.deepEqual(bad.issues.map((i) => i.path.join('.')), ['query.format']);
  });
});
