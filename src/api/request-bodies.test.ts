import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createApi } from './app.js';
import { MAX_JSON_BYTES, MAX_UPLOAD_BYTES } from './body-limit.js';
import { registryRoutes } from './routes/registry.js';
import { requestRoutes } from './routes/requests.js';
import { controlRoutes } from './routes/controls.js';
import { postureRoutes } from './routes/posture.js';
import { guardrailRoutes } from './routes/guardrails.js';
import { Problem } from '../contracts/common.js';
import { DomainError } from '../domain/errors.js';
import { fixtureCatalog } from '../guardrails/catalog/fixtures.js';
import type { RegistryDeps } from '../app/registry/deps.js';
import type { RequestDeps } from '../app/requests/use-cases.js';
import type { PostureDeps } from '../app/posture/deps.js';
import type { GuardrailDeps } from '../app/guardrails/deps.js';

/**
 * Every route of the API as served, with use cases that must never be reached (they answer 403 if
 * they are): a body refused for its size or for an unknown key never gets past the edge.
 */
const unreachable = new Proxy({}, { get: (_, key) => { throw new DomainError('forbidden', `the use case was reached (${String(key)})`); } });
const api = createApi(
  [
    registryRoutes(unreachable as RegistryDeps),
    requestRoutes(unreachable as RequestDeps),
    controlRoutes(fixtureCatalog(), { version: 'test', lastModified: '2030-04-01T00:00:00Z' }),
    postureRoutes(unreachable as PostureDeps),
    guardrailRoutes(unreachable as GuardrailDeps),
  ],
  { version: 'test', access: 'unrestricted' },
);

const Operation = z.object({
  requestBody: z.object({ content: z.record(z.string(), z.unknown()) }).optional(),
  responses: z.record(z.string(), z.unknown()),
});
const OpenApiDoc = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** [method, path with sample parameters, content types, response codes] of every operation that takes a body. */
async function bodyRoutes(): Promise<{ method: string; path: string; types: string[]; responses: string[] }[]> {
  const doc = OpenApiDoc.parse(await (await api.request('/api/openapi.json')).json());
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, raw]) => {
      const op = Operation.safeParse(raw);
      if (!op.success || op.data.requestBody === undefined) return [];
      return [{ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x1'), types: Object.keys(op.data.requestBody.content), responses: Object.keys(op.data.responses) }];
    }),
  );
}

const UPLOADS = new Set(['POST /api/tenants/import', 'POST /api/account-requests/import', 'POST /api/account-requests/batch', 'PUT /api/placement-rules']);

const send = (method: string, path: string, body: string, type = 'application/json') => api.request(path, { method, headers: { 'content-type': type }, body });

describe('request body limits', () => {
  it('refuses a 30 MiB JSON body on every command route with 413 body_too_large, before any use case', async () => {
    const routes = (await bodyRoutes()).filter((r) => !UPLOADS.has(`${r.method} ${r.path}`));
    assert.ok(routes.length >= 8, `${routes.length} command routes`);
    const huge = JSON.stringify({ reason: 'x'.repeat(30 * 1024 * 1024) });
    for (const r of routes) {
      const response = await send(r.method, r.path, huge);
      assert.equal(response.status, 413, `${r.method} ${r.path}`);
      const problem = Problem.parse(await response.json());
      assert.equal(problem.code, 'body_too_large');
      assert.match(problem.message, /64 KiB/);
      assert.match(problem.message, /[ぁ-んァ-ン]/, 'Japanese too');
    }
  });

  it('allows a command body up to 64 KiB', async () => {
    const body = JSON.stringify({ controls: ['HTB-S3-001'], reason: 'x'.repeat(MAX_JSON_BYTES - 100) });
    assert.ok(body.length <= MAX_JSON_BYTES);
    const response = await send('PUT', '/api/guardrails/targets/ou-x1/controls', body);
    // Past the size check: refused by the schema (the reason is longer than 1000 characters).
    assert.equal(response.status, 422);
  });

  it('lets the file and batch uploads take up to 5 MiB and no more', async () => {
    const under = await send('POST', '/api/tenants/import', 'x'.repeat(MAX_JSON_BYTES * 4), 'text/csv');
    assert.equal(under.status, 403, 'reached the use case');
    // 500 placement rules with their descriptions pass 64 KiB: the rule set is a document, replaced whole.
    const rules = JSON.stringify({ rules: Array.from({ length: 500 }, (_, i) => ({ priority: i, description: 'd'.repeat(200), ouPath: '/Workloads' })) });
    assert.ok(rules.length > MAX_JSON_BYTES);
    // Past the size check: the rule set's own checks (every rule here is a catch-all) refuse it.
    const placed = await send('PUT', '/api/placement-rules', rules);
    assert.equal(placed.status, 422);
    assert.ok(Problem.parse(await placed.json()).issues.some((i) => i.path[1] === 'rules'));
    const over = await send('POST', '/api/tenants/import', 'x'.repeat(MAX_UPLOAD_BYTES + 1), 'text/csv');
    assert.equal(over.status, 413);
    assert.match(Problem.parse(await over.json()).message, /5 MiB/);
  });

  it('documents the 413 answer on every route that takes a body', async () => {
    const routes = await bodyRoutes();
    assert.ok(routes.length >= 12, `${routes.length} routes with a body`);
    assert.deepEqual(routes.filter((r) => !r.responses.includes('413')).map((r) => `${r.method} ${r.path}`), []);
  });
});

describe('request bodies with keys the API does not know', () => {
  // A misspelt optional field (`impactReportID`, `resaon`) must not be dropped and the request done without it.
  const routes = [
    ['PUT', '/api/guardrails/targets/ou-x1/controls', { controls: [] }],
    ['POST', '/api/guardrails/targets/ou-x1/preview', {}],
    ['POST', '/api/guardrails/targets/ou-x1/impact', {}],
    ['POST', '/api/guardrails/targets/ou-x1/stage', { stage: 'audit', reason: 'why' }],
    ['POST', '/api/findings/HTB-S3-001.abc/suppress', { reason: 'accepted', until: '2030-05-01' }],
  ] as const;

  for (const [method, path, valid] of routes) {
    it(`answers 422 at the unknown key for ${method} ${path}`, async () => {
      const response = await send(method, path, JSON.stringify({ ...valid, resaon: 'typo', kindd: 'RCP' }));
      assert.equal(response.status, 422);
      const problem = Problem.parse(await response.json());
      assert.deepEqual(problem.issues.map((i) => i.path.join('.')), ['body.resaon', 'body.kindd']);
      assert.match(problem.issues[0]?.message ?? '', /不明な項目/);
      assert.match(problem.issues[0]?.message ?? '', /unknown field/);
    });
  }

  it('describes the bodies as closed (additionalProperties: false) in the OpenAPI document', async () => {
    const doc = z.object({ components: z.object({ schemas: z.record(z.string(), z.object({ additionalProperties: z.unknown().optional() })) }) })
      .parse(await (await api.request('/api/openapi.json')).json());
    for (const id of ['GuardrailControlsBody', 'GuardrailPreviewBody', 'GuardrailImpactBody', 'GuardrailStageBody', 'SuppressInput']) {
      assert.equal(doc.components.schemas[id]?.additionalProperties, false, id);
    }
  });
});

describe('the reasons the API asks for', () => {
  it('asks for the reason of a stage change and of a suppression in Japanese and English, at body.reason', async () => {
    for (const [path, body] of [
      ['/api/guardrails/targets/ou-x1/stage', { stage: 'audit', reason: '  ' }],
      ['/api/findings/HTB-S3-001.abc/suppress', { reason: '', until: '2030-05-01' }],
    ] as const) {
      const response = await send('POST', path, JSON.stringify(body));
      assert.equal(response.status, 422, path);
      const issues = Problem.parse(await response.json()).issues;
      assert.deepEqual(issues.map((i) => i.path.join('.')), ['body.reason'], path);
      assert.match(issues[0]?.message ?? '', /理由.* \/ say why/, path);
    }
  });
});
