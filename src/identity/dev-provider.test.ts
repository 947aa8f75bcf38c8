import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevProvider } from './dev-provider.js';

describe('the bundled provider’s headers', () => {
  let server: Server;
  let origin = '';

  before(async () => {
    const provider = createDevProvider({
      issuer: 'http://localhost:1/idp',
      clientId: 'hatoba',
      clientSecret: 'a-test-secret-a-test-secret-a-test-secret',
      redirectUri: 'http://localhost:1/auth/callback',
      postLogoutRedirectUri: 'http://localhost:1/',
      people: [],
      warn: () => undefined,
    });
    server = createServer((req, res) => void provider.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('forbids framing, sniffing and the referrer on the provider’s own answers, with no policy that would block its sign-out script', async () => {
    const response = await fetch(`${origin}/idp/.well-known/openid-configuration`);
    await response.text();
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('content-security-policy'), null);
  });

  it('describes a provider error in Japanese as well as English', async () => {
    const response = await fetch(`${origin}/idp/auth?client_id=nobody&response_type=code&scope=openid`);
    assert.equal(response.status, 400);
    const [ja, en] = (await response.text()).split('<section lang="en">');
    assert.match(ja ?? '', /ID プロバイダがエラーを返しました \(invalid_client/);
    assert.match(en ?? '', /The identity provider reported an error \(invalid_client/);
  });

  it('serves its login pages with the sign-in pages’ full policy', async () => {
    const response = await fetch(`${origin}/idp/interaction/unknown-uid`);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /サインインの手続きが見つかりません/);
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
  });
});
