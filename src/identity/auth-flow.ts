import type { Label } from '../domain/registry/labels.js';
import { ProviderUnavailable, SignInFailure, type RelyingParty } from './oidc.js';
import { errorPage, notConfiguredPage, providerUnavailablePage, refusalPage, type Page } from './pages.js';
import type { Sessions, StartedSession } from './sessions.js';
import { signIn, type SignInDeps, type SignInRefusal } from './sign-in.js';

/**
 * The browser's sign-in, start to end, without HTTP: the routes (src/api/routes/auth.ts) only move
 * cookies and answers. Begin keeps the checks server-side and sends the browser to the provider; the
 * callback takes them back once, exchanges the code, decides, and issues a new session.
 */
export type SignInEvent =
  | { kind: 'signed_in'; email: string; personId: string; tenantCode: string | null; how: 'subject' | 'email' | 'rules'; acr: string | undefined; amr: readonly string[] }
  | { kind: 'refused'; email: string | undefined; refusal: SignInRefusal['kind'] }
  | { kind: 'signed_out'; email: string | undefined; personId: string | undefined };

/** Where the browser's request came from, for the audit trail (as the HTTP layer saw it). */
export type RequestSource = { ip: string | null; forwardedFor: string | null; userAgent: string | null };

export type AuthFlowDeps = {
  /** Undefined when no provider is configured: sign-in answers a page that says so. Asked at each use, as it may be made lazily. */
  rp: () => RelyingParty | undefined;
  sessions: Sessions;
  signIn: SignInDeps;
  /** Told of every sign-in, refusal and sign-out (the audit trail); never given a secret. */
  onEvent?: (event: SignInEvent, source: RequestSource) => Promise<void> | void;
  /** Where an unexpected failure is reported (the log); never given a secret. */
  warn?: (line: string) => void;
};

export type Answer = { kind: 'page'; page: Page } | { kind: 'redirect'; location: string };

/** A relative path of this site, or `/`: never `//host`, `/\host`, a scheme, or control characters. */
export function safeReturnTo(value: string | undefined | null): string {
  if (value === undefined || value === null || !value.startsWith('/')) return '/';
  if (value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.length > 2000) return '/';
  return value;
}

const EXPIRED: Label = {
  ja: 'サインインの手続きが見つからないか、期限が切れています。同じブラウザで最初からやり直してください。',
  en: 'The sign-in was not found or has expired. Start again in the same browser.',
};

export function createAuthFlow(deps: AuthFlowDeps) {
  const warn = deps.warn ?? ((line: string) => console.error(line));
  const tell = async (event: SignInEvent, source: RequestSource) => {
    try {
      await deps.onEvent?.(event, source);
    } catch (error) {
      warn(`sign-in: the event could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    async begin(returnTo: string | undefined, prompt: string | undefined): Promise<Answer & { transactionCookie?: string }> {
      const rp = deps.rp();
      if (rp === undefined) return { kind: 'page', page: notConfiguredPage() };
      const checks = rp.newChecks();
      let location: URL;
      try {
        location = await rp.authorizationUrl(checks, prompt === 'login' ? { prompt: 'login' } : {});
      } catch (error) {
        if (error instanceof ProviderUnavailable) {
          warn(`sign-in: ${error.message}`);
          return { kind: 'page', page: providerUnavailablePage() };
        }
        throw error;
      }
      const transactionCookie = await deps.sessions.beginSignIn({ ...checks, returnTo: safeReturnTo(returnTo) });
      return { kind: 'redirect', location: location.href, transactionCookie };
    },

    /** The provider sent the browser back. `previousSession` is whatever session cookie it brought: never kept. */
    async complete(
      transactionCookie: string | undefined,
      query: URLSearchParams,
      previousSession: string | undefined,
      source: RequestSource,
    ): Promise<{ kind: 'signed_in'; session: StartedSession; returnTo: string } | { kind: 'page'; page: Page }> {
      const rp = deps.rp();
      if (rp === undefined) return { kind: 'page', page: notConfiguredPage() };
      const transaction = transactionCookie === undefined ? undefined : await deps.sessions.takeSignIn(transactionCookie);
      if (transaction === undefined) return { kind: 'page', page: errorPage(EXPIRED) };
      const returnTo = safeReturnTo(transaction.returnTo);
      let exchanged;
      try {
        exchanged = await rp.exchange(query, transaction);
      } catch (error) {
        if (error instanceof ProviderUnavailable) return { kind: 'page', page: providerUnavailablePage() };
        if (error instanceof SignInFailure) {
          warn(`sign-in: failed: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`);
          return { kind: 'page', page: errorPage(error.reason, returnTo) };
        }
        throw error;
      }
      const { identity, idToken } = exchanged;
      const outcome = await signIn(deps.signIn, identity);
      if (!outcome.ok) {
        await tell({ kind: 'refused', email: identity.email, refusal: outcome.refusal.kind }, source);
        return { kind: 'page', page: refusalPage(outcome.refusal, returnTo) };
      }
      const session = await deps.sessions.start(outcome.person.id, { acr: identity.acr, amr: identity.amr, idToken }, previousSession);
      await tell({ kind: 'signed_in', email: outcome.person.email, personId: outcome.person.id, tenantCode: outcome.person.tenant?.code ?? null, how: outcome.how, acr: identity.acr, amr: identity.amr }, source);
      return { kind: 'signed_in', session, returnTo };
    },

    /** Ends the session and says where the browser goes: the provider's end-session endpoint when it has one. */
    async signOut(sessionCookie: string | undefined, who: { email: string; personId: string } | undefined, source: RequestSource): Promise<{ location: string }> {
      const ended = sessionCookie === undefined ? undefined : await deps.sessions.end(sessionCookie);
      if (ended !== undefined) await tell({ kind: 'signed_out', email: who?.email, personId: who?.personId }, source);
      const rp = deps.rp();
      if (ended === undefined || rp === undefined) return { location: '/' };
      const endSession = await rp.endSessionUrl(ended.idToken);
      return { location: endSession?.href ?? '/' };
    },
  };
}

export type AuthFlow = ReturnType<typeof createAuthFlow>;
