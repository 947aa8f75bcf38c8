import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { mountPortal, PORTAL_CSP } from './web.js';

const PAGE = '<!doctype html><html lang="ja"><body><div id="root"></div><script type="module" src="/assets/index-abc.js"></script></body></html>';

/** An app with an API route and the server's not-found answer, as the real one has, and the portal mounted after them. */
function appWith(dir: string): Hono {
  const app = new Hono();
  app.notFound((c) => c.json({ code: 'not_found', message: 'no route', issues: [] }, 404));
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.get('/idp/.well-known/openid-configuration', (c) => c.json({ issuer: 'x' }));
  mountPortal(app, { dir });
  return app;
}

describe('the portal served by the server', () => {
  let dir: string;
  let app: Hono;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hatoba-portal-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), PAGE);
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    app = appWith(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('serves the page at / with a CSP that allows no inline script, no framing, and nosniff', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await res.text(), PAGE);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.equal(csp, PORTAL_CSP);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
  });

  it('answers every other page address with the page, so the portal routes in the browser', async () => {
    for (const path of ['/requests', '/accounts/acc_123', '/audit?tenant=131016']) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), PAGE, path);
    }
  });

  it('serves hashed assets with their type, cached for good, and a missing asset as 404 rather than the page', async () => {
    const res = await app.request('/assets/index-abc.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await app.request('/assets/gone-123.js')).status, 404);
    assert.equal((await app.request('/favicon.ico')).status, 404);
  });

  it('leaves /api, /auth and /idp to the server, and serves no page to other methods', async () => {
    assert.deepEqual(await (await app.request('/api/health')).json(), { status: 'ok' });
    const missing = await app.request('/api/nothing');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'not_found');
    assert.equal((await app.request('/auth/me')).status, 404);
    assert.deepEqual(await (await app.request('/idp/.well-known/openid-configuration')).json(), { issuer: 'x' });
    assert.equal((await app.request('/requests', { method: 'POST' })).status, 404);
  });

  it('never serves a file outside its folder', async () => {
    await writeFile(join(dir, '..', 'hatoba-portal-secret.txt'), 'secret');
    try {
      for (const path of ['/..%2fhatoba-portal-secret.txt', '/%2e%2e/hatoba-portal-secret.txt', '/assets/..%2f..%2fhatoba-portal-secret.txt', '/assets/%2e%2e/%2e%2e/hatoba-portal-secret.txt']) {
        const res = await app.request(path);
        assert.doesNotMatch(await res.text(), /secret/, path);
      }
    } finally {
      await rm(join(dir, '..', 'hatoba-portal-secret.txt'), { force: true });
    }
  });

  it('says how to build the portal when it is not built', async () => {
    const bare = appWith(join(dir, 'nowhere'));
    const res = await bare.request('/');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:web/);
    assert.equal((await bare.request('/api/health')).status, 200);
  });
});
