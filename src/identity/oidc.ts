import * as client from 'openid-client';
import { z } from 'zod';
import type { Label } from '../domain/registry/labels.js';
import type { ProviderIdentity } from './sign-in.js';

/**
 * The relying party (ADR 0011): the authorization code flow with PKCE S256, state and nonce, against
 * any OpenID Connect provider, with openid-client 6. The provider is discovered on first use, not at
 * start, so a server starts while its provider is down (and the bundled one, mounted in this very
 * server, is reached the same way as any other, after the server listens).
 */
export type RelyingPartyOptions = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Configured, never derived from a request. */
  redirectUri: string;
  postLogoutRedirectUri: string;
  scope: string;
  /** Sent as `acr_values` (a request the provider may ignore; the ID token is checked after). */
  acrValues: readonly string[];
};

export type SignInChecks = { state: string; nonce: string; codeVerifier: string };

/** The sign-in cannot be completed; `reason` is safe to show (no secrets, no tokens). */
export class SignInFailure extends Error {
  constructor(
    readonly reason: Label,
    options?: { cause?: unknown },
  ) {
    super(reason.en, options);
    this.name = 'SignInFailure';
  }
}

/** The provider could not be reached or discovered. */
export class ProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the OpenID provider cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProviderUnavailable';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Plain http is allowed only to a provider on this machine (the bundled one, or a test's). */
export const isLoopbackHttp = (url: string): boolean => {
  const u = new URL(url);
  return u.protocol === 'http:' && (LOOPBACK.has(u.hostname) || u.hostname.endsWith('.localhost'));
};

const Verified = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const IdentityClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional().catch(undefined),
  email_verified: Verified.optional().catch(undefined),
  name: z.string().optional().catch(undefined),
});
const Assurance = z.object({ acr: z.string().optional().catch(undefined), amr: z.array(z.string()).optional().catch(undefined) });

export type RelyingParty = ReturnType<typeof createRelyingParty>;

export function createRelyingParty(options: RelyingPartyOptions) {
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(options.issuer),
        options.clientId,
        { client_secret: options.clientSecret },
        client.ClientSecretBasic(options.clientSecret),
        isLoopbackHttp(options.issuer) ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((error: unknown) => {
        // The next sign-in tries again.
        discovered = undefined;
        throw new ProviderUnavailable(error);
      });
    return discovered;
  }

  return {
    newChecks: (): SignInChecks => ({ state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() }),

    /** Where to send the browser; `prompt: 'login'` makes the provider ask again even with a session of its own. */
    async authorizationUrl(checks: SignInChecks, extra: { prompt?: 'login' } = {}): Promise<URL> {
      const config = await configuration();
      const params: Record<string, string> = {
        redirect_uri: options.redirectUri,
        scope: options.scope,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      };
      if (options.acrValues.length > 0) params.acr_values = options.acrValues.join(' ');
      // A provider releases amr only when asked; the claims parameter is the standard way to ask.
      if (config.serverMetadata().claims_parameter_supported === true) params.claims = JSON.stringify({ id_token: { amr: { essential: true } } });
      if (extra.prompt !== undefined) params.prompt = extra.prompt;
      return client.buildAuthorizationUrl(config, params);
    },

    /**
     * Exchanges the code (checking state, PKCE, and the ID token's signature, issuer, audience,
     * expiry and nonce) and reads who signed in. acr and amr come from the ID token only.
     */
    async exchange(query: URLSearchParams, checks: SignInChecks): Promise<{ identity: ProviderIdentity; idToken: string | undefined }> {
      const config = await configuration();
      const current = new URL(options.redirectUri);
      current.search = query.toString();
      let tokens;
      try {
        tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true });
      } catch (error) {
        if (error instanceof client.AuthorizationResponseError) {
          throw new SignInFailure({ ja: `ID プロバイダがサインインを完了しませんでした (${error.error})。`, en: `The identity provider did not complete the sign-in (${error.error}).` }, { cause: error });
        }
        throw new SignInFailure({ ja: 'ID プロバイダの応答を検証できませんでした。', en: 'The identity provider’s answer could not be validated.' }, { cause: error });
      }
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new SignInFailure({ ja: 'ID トークンがありません。', en: 'The provider sent no ID token.' });
      const userinfo = config.serverMetadata().userinfo_endpoint === undefined ? {} : await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      const claims: Record<string, unknown> = { ...userinfo, ...idClaims };
      const who = IdentityClaims.parse(claims);
      const shown = Assurance.parse(idClaims);
      return {
        identity: {
          issuer: idClaims.iss,
          subject: who.sub,
          acr: shown.acr,
          amr: shown.amr ?? [],
          email: who.email,
          emailVerified: who.email_verified === true,
          name: who.name,
          claims,
        },
        idToken: tokens.id_token,
      };
    },

    /** The provider's end-session URL when it advertises one (RP-initiated logout), else undefined. */
    async endSessionUrl(idToken: string | null): Promise<URL | undefined> {
      let config;
      try {
        config = await configuration();
      } catch {
        return undefined;
      }
      if (config.serverMetadata().end_session_endpoint === undefined) return undefined;
      const params: Record<string, string> = { post_logout_redirect_uri: options.postLogoutRedirectUri, client_id: options.clientId };
      if (idToken !== null) params.id_token_hint = idToken;
      return client.buildEndSessionUrl(config, params);
    },
  };
}
