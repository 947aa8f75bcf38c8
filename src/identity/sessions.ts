import type { Clock } from '../app/ports/clock.js';
import type { PeopleStore } from '../app/ports/people-store.js';
import type { SessionStore, StoredAuthTransaction } from '../app/ports/session-store.js';
import type { Principal } from '../domain/access/principal.js';
import { principalForPerson } from './principal.js';
import { newSecret, sha256Hex } from './secrets.js';

/**
 * Server-side sessions. The browser holds 256 random bits in a cookie; the store keeps their SHA-256.
 * A session ends at the first of: its idle expiry (pushed forward by activity), its absolute expiry,
 * sign-out, or its person's removal. Every request loads the person again, so a role change or a
 * removal takes effect on the next request.
 */
export type SessionSettings = { idleMinutes: number; maxHours: number };

export type SessionDeps = { store: SessionStore; people: PeopleStore; clock: Clock; settings: SessionSettings };

export type ResolvedSession = { principal: Principal; csrfToken: string; acr: string | null; amr: string[]; expiresAt: Date };

export type StartedSession = { cookie: string; csrfToken: string; expiresAt: Date };

/** How long a sign-in may take between leaving for the provider and coming back. */
export const AUTH_TRANSACTION_MINUTES = 10;
/**
 * Expired sign-ins deleted at each new one, at most: anyone may start a sign-in (anonymous GET
 * /auth/sign-in), so their rows must not wait for a completed sign-in to go, and one request's work is bounded.
 */
export const SIGN_IN_PURGE_BATCH = 100;
/** Activity is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

const plusMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * 60_000);
const earlier = (a: Date, b: Date): Date => (a <= b ? a : b);

export type Sessions = ReturnType<typeof createSessions>;

export function createSessions(deps: SessionDeps) {
  const { store, people, clock, settings } = deps;

  async function end(cookie: string): Promise<{ idToken: string | null } | undefined> {
    const ended = await store.deleteSession(sha256Hex(cookie));
    return ended === undefined ? undefined : { idToken: ended.idToken };
  }

  return {
    /**
     * A new session for a person who just signed in, under a new random id: whatever cookie the
     * browser brought (`previous`, perhaps planted by someone else) is ended, never promoted.
     */
    async start(personId: string, shown: { acr: string | undefined; amr: readonly string[]; idToken: string | undefined }, previous?: string): Promise<StartedSession> {
      if (previous !== undefined) await end(previous);
      const now = clock.now();
      await store.deleteExpired(now);
      const cookie = newSecret();
      const csrfToken = newSecret();
      const expiresAt = plusMinutes(now, settings.maxHours * 60);
      await store.createSession({
        idHash: sha256Hex(cookie),
        personId,
        csrfToken,
        acr: shown.acr ?? null,
        amr: [...shown.amr],
        idToken: shown.idToken ?? null,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: earlier(plusMinutes(now, settings.idleMinutes), expiresAt),
        expiresAt,
      });
      return { cookie, csrfToken, expiresAt };
    },

    /** The caller behind a session cookie, or undefined (unknown, expired, or the person is gone). */
    async resolve(cookie: string): Promise<ResolvedSession | undefined> {
      const idHash = sha256Hex(cookie);
      const session = await store.findSession(idHash);
      if (session === undefined) return undefined;
      const now = clock.now();
      if (now >= session.expiresAt || now >= session.idleExpiresAt) {
        await store.deleteSession(idHash);
        return undefined;
      }
      const person = await people.get(session.personId);
      const principal = person === undefined ? undefined : principalForPerson(person, 'session');
      if (principal === undefined) {
        await store.deleteSession(idHash);
        return undefined;
      }
      if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
        await store.touchSession(idHash, now, earlier(plusMinutes(now, settings.idleMinutes), session.expiresAt));
      }
      return { principal, csrfToken: session.csrfToken, acr: session.acr, amr: session.amr, expiresAt: session.expiresAt };
    },

    /** Ends a session; what it held for the provider's sign-out, or undefined when there was none. */
    end,

    /** Keeps a sign-in's state, nonce, PKCE verifier and destination; the cookie value to find them again. */
    async beginSignIn(t: Pick<StoredAuthTransaction, 'state' | 'nonce' | 'codeVerifier' | 'returnTo'>): Promise<string> {
      const now = clock.now();
      await store.deleteExpiredSignIns(now, SIGN_IN_PURGE_BATCH);
      const cookie = newSecret();
      await store.createAuthTransaction({ ...t, idHash: sha256Hex(cookie), createdAt: now, expiresAt: plusMinutes(now, AUTH_TRANSACTION_MINUTES) });
      return cookie;
    },

    /** The sign-in started with this cookie, once, if it has not expired. */
    async takeSignIn(cookie: string): Promise<StoredAuthTransaction | undefined> {
      const t = await store.takeAuthTransaction(sha256Hex(cookie));
      return t === undefined || clock.now() >= t.expiresAt ? undefined : t;
    },
  };
}
