import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRoute, z } from '@hono/zod-openapi';
import { createApi } from './app.js';
import { notFound } from '../domain/errors.js';

const api = createApi(
  [
    (app) =>
      app.openapi(
        createRoute({
          method: 'post',
          path: '/api/echo',
          request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().min(2), size: z.number() }) } }, required: true } },
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: z.object({ name: z.string() }) } } } },
        }),
        (c) => c.json({ name: c.req.valid('json').name }, 200),
      ),
    (app) => app.get('/api/missing', () => Promise.reject(notFound('thing', 'x1'))),
    (app) => app.get('/api/broken', () => Promise.reject(new Error('secret detail'))),
  ],
  { version: 'test', access: 'unrestricted' },
);

describe('the HTTP edge', () => {
  it('answers 422 with every invalid field and its location', async () => {
    const res = await api.request('/api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { message: string; issues: { path: unknown[] }[] };
    assert.deepEqual(body.issues.map((i) => i.path).sort(), [['body', 'name'], ['body', 'size']]);
    assert.equal(body.message, 'リクエストが正しくありません / the request is not valid');
  });

  it('answers 400, not 500, to a body that is not JSON', async () => {
    const res = await api.request('/api/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    assert.equal(res.status, 400);
  });

  it('maps a domain error to its status once, at the edge', async () => {
    const res = await api.request('/api/missing');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'not_found');
  });

  it('hides the detail of an unexpected error from the caller', async () => {
    const res = await api.request('/api/broken');
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /secret detail/);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const doc = (await (await api.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok('/api/echo' in doc.paths);
  });
});
