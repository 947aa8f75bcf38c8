import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { RouteModule } from '../app.js';
import { AUTH_COOKIE, COOKIE_PREFIX, SESSION_COOKIE } from '../authentication.js';
import { principalOf, requirePrincipal, SIGN_IN_REQUIRED } from '../access-context.js';
import { requestSource } from '../audit-trail.js';
import { invalidRequest, json, jsonBody, problem } from '../responses.js';
import { AUTH_PATHS, Me } from '../../contracts/session.js';
import { ApiTokenList, ApiTokenParams, IssuedApiToken, NewApiToken } from '../../contracts/tokens.js';
import { DomainError } from '../../domain/errors.js';
import type { RegistryStore } from '../../app/ports/registry-store.js';
import type { StoredApiToken } from '../../app/ports/session-store.js';
import type { AuthFlow } from '../../identity/auth-flow.js';
import { PAGE_HEADERS } from '../../identity/pages.js';
import type { ApiTokens } from '../../identity/tokens.js';

/**
 * Sign-in for the browser (ADR 0011): `/auth/sign-in` sends it to the provider, `/auth/callback`
 * brings it back with a new session, `/auth/sign-out` ends it; `/auth/me` tells the portal who is
 * signed in. And API tokens for the signed-in person (`/api/tokens`), for the CLI.
 */
export type AuthRouteDeps = {
  flow: Pick<AuthFlow, 'begin' | 'complete' | 'signOut'>;
  tokens: Pick<ApiTokens, 'issue' | 'list' | 'revoke'>;
  tenants: Pick<RegistryStore, 'getOrganisation'>;
  /** The public origin; see `Authenticators.origin`. */
  origin: () => string;
};

const AUTH_COOKIE_SECONDS = 10 * 60;
const NO_STORE = { 'cache-control': 'no-store' };

const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);
/**
 * The same server reached by loopback address instead of the configured `localhost` name: the
 * cookies set now must be for the host the provider will send the browser back to.
 */
function canonicalLoopbackUrl(requestUrl: string, origin: string): string | undefined {
  const here = new URL(requestUrl);
  const there = new URL(origin);
  if (here.origin === there.origin || there.hostname !== 'localhost' || !LOOPBACK_IPS.has(here.hostname) || here.port !== there.port) return undefined;
  return `${there.origin}${here.pathname}${here.search}`;
}

const presentToken = (t: StoredApiToken) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(), lastUsedAt: t.lastUsedAt === null ? null : t.lastUsedAt.toISOString() });

export function authRoutes(deps: AuthRouteDeps): RouteModule {
  return (app: OpenAPIHono) => {
    // The pages the sign-in flow answers with itself get the same protection as the portal's (src/main/web.ts).
    app.use('/auth/*', async (c, next) => {
      await next();
      for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
    });

    app.get(AUTH_PATHS.signIn, async (c) => {
      const canonical = canonicalLoopbackUrl(c.req.url, deps.origin());
      if (canonical !== undefined) return c.redirect(canonical, 302);
      const answer = await deps.flow.begin(c.req.query('returnTo'), c.req.query('prompt'));
      if (answer.kind === 'page') return c.html(answer.page.html, answer.page.status, NO_STORE);
      if (answer.transactionCookie !== undefined) {
        setCookie(c, AUTH_COOKIE, answer.transactionCookie, { prefix: COOKIE_PREFIX, httpOnly: true, sameSite: 'Lax', maxAge: AUTH_COOKIE_SECONDS });
      }
      c.header('cache-control', 'no-store');
      return c.redirect(answer.location, 302);
    });

    app.get(AUTH_PATHS.callback, async (c) => {
      const transaction = getCookie(c, AUTH_COOKIE, COOKIE_PREFIX);
      const previous = getCookie(c, SESSION_COOKIE, COOKIE_PREFIX);
      const result = await deps.flow.complete(transaction, new URL(c.req.url).searchParams, previous === '' ? undefined : previous, requestSource(c));
      deleteCookie(c, AUTH_COOKIE, { prefix: COOKIE_PREFIX });
      c.header('cache-control', 'no-store');
      if (result.kind === 'page') return c.html(result.page.html, result.page.status);
      // A session cookie for the browser's session only; the server ends it at its expiry anyway.
      setCookie(c, SESSION_COOKIE, result.session.cookie, { prefix: COOKIE_PREFIX, httpOnly: true, sameSite: 'Lax' });
      return c.redirect(result.returnTo, 303);
    });

    // CSRF-checked by the authentication middleware, like every state change that rides on the cookie.
    app.post(AUTH_PATHS.signOut, async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE, COOKIE_PREFIX);
      const principal = principalOf(c);
      const who = principal === undefined ? undefined : { email: principal.email, personId: principal.personId };
      const { location } = await deps.flow.signOut(cookie === '' ? undefined : cookie, who, requestSource(c));
      deleteCookie(c, SESSION_COOKIE, { prefix: COOKIE_PREFIX });
      c.header('cache-control', 'no-store');
      // The portal signs out with fetch and then goes where it is told; a plain form follows the redirect.
      if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ redirectTo: location }, 200);
      return c.redirect(location, 303);
    });

    app.openapi(
      createRoute({
        method: 'get', path: AUTH_PATHS.me, tags: ['sign-in'], summary: 'Who is signed in, with the CSRF token state-changing requests must send',
        responses: { 200: json(Me, 'The signed-in person'), 401: problem('Nobody is signed in') },
      }),
      async (c) => {
        const principal = principalOf(c);
        const session = c.get('authSession');
        if (principal === undefined || session === undefined) throw SIGN_IN_REQUIRED();
        let tenant = null;
        if (principal.kind === 'tenant') {
          const org = await deps.tenants.getOrganisation(principal.tenantId);
          tenant = { id: principal.tenantId, code: principal.tenantCode, nameJa: org?.nameJa ?? principal.tenantCode, nameEn: org?.nameEn ?? principal.tenantCode };
        }
        const me: Me = {
          personId: principal.personId,
          email: principal.email,
          name: principal.name,
          kind: principal.kind,
          roles: principal.kind === 'central' ? principal.roles : [principal.role],
          tenant,
          acr: session.acr,
          amr: session.amr,
          // A bearer token needs none: it is not sent by the browser on its own.
          csrfToken: c.get('csrfToken') ?? '',
          expiresAt: session.expiresAt.toISOString(),
        };
        return c.json(me, 200, NO_STORE);
      },
    );

    const tags = ['API tokens'];
    app.openapi(
      createRoute({
        method: 'post', path: '/api/tokens', tags, summary: 'Issue an API token for yourself (from a browser session); the token is answered only here',
        request: { body: jsonBody(NewApiToken) },
        responses: { 201: json(IssuedApiToken, 'The new token'), 401: problem('Not signed in'), 403: problem('Not from a browser session, or CSRF'), 422: invalidRequest },
      }),
      async (c) => {
        const principal = requirePrincipal(c);
        // A token cannot mint tokens: a stolen one does not outlive its own expiry.
        if (principal.via !== 'session') throw new DomainError('forbidden', 'API トークンはブラウザのセッションから発行します / API tokens are issued from a browser session');
        const body = c.req.valid('json');
        const { token, record } = await deps.tokens.issue(principal.personId, { name: body.name, days: body.days });
        return c.json({ ...presentToken(record), token }, 201, NO_STORE);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/tokens', tags, summary: 'Your API tokens that are not revoked (never the tokens themselves)',
        responses: { 200: json(ApiTokenList, 'Newest first'), 401: problem('Not signed in') },
      }),
      async (c) => c.json({ items: (await deps.tokens.list(requirePrincipal(c).personId)).map(presentToken) }, 200),
    );

    app.openapi(
      createRoute({
        method: 'delete', path: '/api/tokens/{id}', tags, summary: 'Revoke one of your API tokens',
        request: { params: ApiTokenParams },
        responses: { 204: { description: 'Revoked' }, 401: problem('Not signed in'), 404: problem('You have no such token') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        if (!(await deps.tokens.revoke(requirePrincipal(c).personId, id))) throw new DomainError('not_found', `API トークン ${id} はありません / you have no API token ${id}`);
        return c.body(null, 204);
      },
    );
  };
}

