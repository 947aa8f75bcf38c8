import { secretsEqual } from '../identity/secrets.js';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Principal } from '../domain/access/principal.js';
import type { Issue } from '../domain/errors.js';
import { CSRF_HEADER } from '../contracts/session.js';

/**
 * Who is calling (ADR 0011): a session cookie (`__Host-hatoba_session`, the portal) or a bearer token
 * (`Authorization: Bearer`, the CLI). Sets the principal and, for a session, its CSRF token; an
 * unknown, expired or revoked credential is simply anonymous. It decides nothing about what the
 * caller may do (src/api/authorize.ts does), except refusing a state-changing request that rides on
 * the cookie without proof it comes from our own pages.
 */
export const SESSION_COOKIE = 'hatoba_session';
export const AUTH_COOKIE = 'hatoba_auth';
/** Cookie names carry the `__Host-` prefix: Secure, Path=/, no Domain. */
export const COOKIE_PREFIX = 'host';

export type SessionInfo = { acr: string | null; amr: string[]; expiresAt: Date };

declare module 'hono' {
  interface ContextVariableMap {
    /** How the caller signed in and until when (set with the principal). */
    authSession?: SessionInfo;
  }
}

export type Authenticators = {
  session: (cookie: string) => Promise<(SessionInfo & { principal: Principal; csrfToken: string }) | undefined>;
  token: (token: string) => Promise<{ principal: Principal; expiresAt: Date } | undefined>;
  /** The public origin (`https://hatoba.example.jp`); a function, as the port may be known only once the server listens. */
  origin: () => string;
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Every reason a cookie-authenticated state change is not ours, at once. */
export function csrfIssues(c: Context, expectedOrigin: string, csrfToken: string): Issue[] {
  const issues: Issue[] = [];
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (origin !== expectedOrigin) issues.push({ path: ['header', 'origin'], message: `${expectedOrigin} である必要があります / must be ${expectedOrigin}` });
  } else if (c.req.header('sec-fetch-site') !== 'same-origin') {
    issues.push({
      path: ['header', 'origin'],
      message: `ありません: Origin ${expectedOrigin}(または Sec-Fetch-Site: same-origin)を送ってください / missing: send Origin ${expectedOrigin} (or Sec-Fetch-Site: same-origin)`,
    });
  }
  const sent = c.req.header(CSRF_HEADER);
  if (sent === undefined || !secretsEqual(sent, csrfToken)) {
    issues.push({ path: ['header', CSRF_HEADER], message: 'GET /auth/me の csrfToken である必要があります / must be the csrfToken of GET /auth/me' });
  }
  return issues;
}

export function authentication(auth: Authenticators): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      // A bearer token carries no ambient authority: no CSRF check. A bad one is anonymous, never the cookie's person.
      const token = BEARER.exec(header)?.[1];
      const found = token === undefined ? undefined : await auth.token(token);
      if (found !== undefined) {
        c.set('principal', found.principal);
        c.set('authSession', { acr: null, amr: [], expiresAt: found.expiresAt });
      }
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE, COOKIE_PREFIX);
    const session = cookie === undefined || cookie === '' ? undefined : await auth.session(cookie);
    if (session === undefined) return next();
    if (UNSAFE.has(c.req.method)) {
      const issues = csrfIssues(c, auth.origin(), session.csrfToken);
      if (issues.length > 0) {
        return c.json({ code: 'csrf_failed', message: 'リクエストの送信元を確認できません (CSRF) / the request’s origin could not be confirmed (CSRF)', issues }, 403);
      }
    }
    c.set('principal', session.principal);
    c.set('csrfToken', session.csrfToken);
    c.set('authSession', { acr: session.acr, amr: session.amr, expiresAt: session.expiresAt });
    return next();
  };
}
