import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createApi } from '../app.js';
import { authRoutes, type AuthRouteDeps } from './auth.js';
import { notConfiguredPage, refusalPage } from '../../identity/pages.js';

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};

const deps: AuthRouteDeps = {
  flow: {
    begin: async () => ({ kind: 'page', page: notConfiguredPage() }),
    complete: async () => ({ kind: 'page', page: refusalPage({ kind: 'removed', email: 'gone@example.jp' }, '/') }),
    signOut: async () => ({ location: '/' }),
  },
  tokens: { issue: unused, list: unused, revoke: unused },
  tenants: { getOrganisation: async () => undefined },
  origin: () => 'https://hatoba.example.jp',
};

const api = createApi([authRoutes(deps)], { version: 'test', access: 'unrestricted' });

describe('the sign-in pages served at /auth', () => {
  for (const path of ['/auth/sign-in', '/auth/callback?code=x&state=y']) {
    it(`answers ${path.split('?')[0] ?? path} with a policy that allows only its own inline style, no framing, no sniffing and no referrer`, async () => {
      const response = await api.request(path);
      const html = await response.text();
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      const style = /<style>(.*?)<\/style>/s.exec(html)?.[1] ?? '';
      assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`), 'the page’s own style is allowed by its hash');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    });
  }
});
