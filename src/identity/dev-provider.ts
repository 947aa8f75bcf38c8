import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Label } from '../domain/registry/labels.js';
import { escapeHtml, PAGE_HEADERS, renderPage, type Block } from './pages.js';

/**
 * The bundled OpenID provider of the demo (ADR 0011): oidc-provider 9, mounted in Hatoba's own server
 * at /idp, with a login form that lists the demo people instead of asking for a password. Each demo
 * person signs in with the assurance they are described with (acr, amr), so the relying party's
 * checks run for real. Demo only: keys and cookie secrets are made at start, state lives in memory.
 */
import { DEV_PROVIDER_PATH } from './dev-provider-path.js';

export { DEV_PROVIDER_PATH };

export type DevPerson = {
  /** The subject the provider gives them. */
  sub: string;
  email: string;
  name: string;
  acr: string;
  amr: string[];
  /** The claims Hatoba's people rules read: `hatoba_roles` and `tenant_code`. */
  hatobaRoles: string[];
  tenantCode?: string;
  /** Who they are, for the login form. */
  description: Label;
};

export type DevProviderOptions = {
  /** `<public origin>/idp`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  people: readonly DevPerson[];
  warn?: (line: string) => void;
};

export type DevProvider = { handle(req: IncomingMessage, res: ServerResponse): Promise<void> };

const SCOPE = 'openid email profile';
const CLAIMS = ['acr', 'amr', 'auth_time', 'email', 'email_verified', 'name', 'hatoba_roles', 'tenant_code'];
const MAX_FORM_BYTES = 8 * 1024;

function html(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('the form is too large');
  }
  return new URLSearchParams(body);
}

function loginForm(uid: string, people: readonly DevPerson[]): string {
  const options = (lang: 'ja' | 'en') =>
    people
      .map((p, i) => {
        const id = `person-${lang}-${i}`;
        const checked = i === 0 ? ' checked' : '';
        return `<label for="${id}"><input type="radio" id="${id}" name="person" value="${escapeHtml(p.sub)}"${checked}> <strong>${escapeHtml(p.name)}</strong> (${escapeHtml(p.email)}): ${escapeHtml(p.description[lang])}<br><span class="note">acr ${escapeHtml(p.acr)} / amr ${escapeHtml(p.amr.join(', '))}</span></label>`;
      })
      .join('');
  const action = `${DEV_PROVIDER_PATH}/interaction/${encodeURIComponent(uid)}/login`;
  const form = (lang: 'ja' | 'en') => {
    const t = lang === 'ja' ? { legend: 'デモの利用者', go: 'サインイン', cancel: 'キャンセル' } : { legend: 'Demo people', go: 'Sign in', cancel: 'Cancel' };
    return `<form method="post" action="${escapeHtml(action)}"><fieldset><legend>${t.legend}</legend>${options(lang)}</fieldset><p><button type="submit" name="action" value="login">${t.go}</button> <button type="submit" name="action" value="cancel">${t.cancel}</button></p></form>`;
  };
  const blocks: Block[] = [
    { p: { ja: 'これはデモ用の ID プロバイダです。パスワードは不要です。サインインする利用者を選んでください。', en: 'This is the demo identity provider: no password. Choose who signs in.' } },
    { html: { ja: form('ja'), en: form('en') } },
  ];
  return renderPage({ ja: 'Hatoba デモ ID プロバイダ', en: 'Hatoba demo identity provider' }, blocks);
}

function logoutPage(form: string): string {
  // The provider's confirmation form, submitted at once: Hatoba's sign-out was already confirmed by a POST.
  const submit = `<p><button type="submit" form="op.logoutForm" name="logout" value="yes">サインアウト / Sign out</button></p>`;
  const script = `<script>var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>`;
  return renderPage({ ja: 'サインアウトしています', en: 'Signing out' }, [{ html: { ja: `${form}${submit}`, en: '' } }]).replace('</main>', `</main>${script}`);
}

/**
 * oidc-provider sets no protective headers of its own (only `cache-control`, and it edits a CSP it is
 * given). Its pages (the sign-out form with its script) get those that cannot break them; the login
 * pages, which are ours, get the full set of the sign-in pages.
 */
const PROVIDER_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' };

export function createDevProvider(options: DevProviderOptions): DevProvider {
  const warn = options.warn ?? ((line: string) => console.error(line));
  const people = new Map(options.people.map((p) => [p.sub, p]));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        response_types: ['code'],
        grant_types: ['authorization_code'],
        id_token_signed_response_alg: 'ES256',
        require_auth_time: true,
      },
    ],
    jwks: { keys: [{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, alg: 'ES256', use: 'sig', kid: `hatoba-demo-${randomBytes(4).toString('hex')}` }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    acrValues: [...new Set(options.people.map((p) => p.acr))],
    // Overriding claims drops the defaults (acr, auth_time, sid, iss), so they are listed again.
    claims: { acr: null, amr: null, auth_time: null, sid: null, iss: null, openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'hatoba_roles', 'tenant_code'] },
    scopes: ['openid', 'email', 'profile'],
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = renderPage({ ja: 'サインアウトしました', en: 'Signed out' }, [{ link: { href: '/', text: { ja: 'Hatoba へ戻る', en: 'Back to Hatoba' } } }]);
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${DEV_PROVIDER_PATH}/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      // The provider's own description is English only; the Japanese section says what happened around it.
      const detail = `${out.error}: ${out.error_description ?? ''}`;
      ctx.body = renderPage({ ja: 'ID プロバイダのエラー', en: 'Identity provider error' }, [
        { p: { ja: `ID プロバイダがエラーを返しました (${detail})。最初からサインインし直してください。`, en: `The identity provider reported an error (${detail}). Start the sign-in again.` } },
      ]);
    },
    // First-party client: no consent screen; the grant covers what Hatoba asks for.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (clientId === undefined || accountId === undefined) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      const found = existing === undefined ? undefined : await ctx.oidc.provider.Grant.find(existing);
      if (found !== undefined) return found;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(SCOPE);
      grant.addOIDCClaims(CLAIMS);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, id) {
      const p = people.get(id);
      if (p === undefined) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: p.email, email_verified: true, name: p.name, hatoba_roles: p.hatobaRoles, ...(p.tenantCode === undefined ? {} : { tenant_code: p.tenantCode }) }),
      };
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.on('server_error', (_ctx, error) => warn(`demo identity provider: ${error.message}`));
  const callback = provider.callback();
  const interactionPath = new RegExp(`^${DEV_PROVIDER_PATH}/interaction/([A-Za-z0-9_-]+)(/login)?$`);

  async function interaction(req: IncomingMessage, res: ServerResponse, login: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET' && !login) return html(res, 200, loginForm(details.uid, options.people));
    if (req.method !== 'POST' || !login) return html(res, 405, renderPage({ ja: '許可されていない操作です', en: 'Method not allowed' }, []));
    const form = await readForm(req);
    if (form.get('action') === 'cancel') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person cancelled the sign-in' }, { mergeWithLastSubmission: false });
    }
    const person = people.get(form.get('person') ?? '');
    if (person === undefined) return html(res, 400, loginForm(details.uid, options.people));
    await provider.interactionFinished(req, res, { login: { accountId: person.sub, acr: person.acr, amr: person.amr } }, { mergeWithLastSubmission: false });
  }

  return {
    async handle(req, res) {
      const url = req.url ?? '/';
      const match = interactionPath.exec(new URL(url, 'http://x').pathname);
      for (const [name, value] of Object.entries(match === null ? PROVIDER_HEADERS : PAGE_HEADERS)) res.setHeader(name, value);
      if (match !== null) {
        try {
          await interaction(req, res, match[2] !== undefined);
        } catch (error) {
          warn(`demo identity provider: ${error instanceof Error ? error.message : String(error)}`);
          if (!res.headersSent) html(res, 400, renderPage({ ja: 'サインインの手続きが見つかりません', en: 'The sign-in was not found' }, [{ link: { href: '/auth/sign-in', text: { ja: '最初からやり直す', en: 'Start again' } } }]));
        }
        return;
      }
      // Mounted the way Express mounts: the provider takes its mount path from originalUrl.
      Object.assign(req, { originalUrl: url });
      req.url = url.slice(DEV_PROVIDER_PATH.length) || '/';
      const finished = new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
      });
      await callback(req, res);
      await finished;
    },
  };
}
