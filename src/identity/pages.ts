import { createHash } from 'node:crypto';
import type { Label } from '../domain/registry/labels.js';
import type { SignInRefusal } from './sign-in.js';

/**
 * The few pages the sign-in flow answers with itself (the portal is not involved when the provider
 * sends the browser back): refusals, "not registered", errors. Japanese first, then English, each
 * marked with its language; everything interpolated is escaped.
 */
export type Page = { status: 200 | 400 | 403 | 503; html: string };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);

/** A paragraph, a link or a raw (already escaped) fragment, per language. */
export type Block = { p: Label } | { link: { href: string; text: Label } } | { html: Label };

const STYLE = [
  'body{font-family:"Noto Sans JP",system-ui,sans-serif;line-height:1.7;margin:0;color:#1a1a1c;background:#f8f8fb}',
  'main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d8d8db;border-radius:.5rem}',
  'h1{font-size:1.5rem;margin-top:0}h2{font-size:1.25rem}section+section{border-top:1px solid #d8d8db;margin-top:1.5rem}',
  'a,button{font-size:1rem}a{color:#0017c1}a:focus,button:focus,input:focus{outline:3px solid #ffd43d;outline-offset:2px}',
  'button{padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#0017c1;color:#fff;cursor:pointer}',
  'fieldset{border:1px solid #d8d8db;border-radius:.4rem}label{display:block;padding:.4rem 0}.note{color:#626264}',
].join('');

/**
 * The headers every page here is served with: nothing but its own inline style (allowed by its hash,
 * so no 'unsafe-inline'), no script, no framing (clickjacking), forms only to this origin, no sniffing,
 * and no Referer (the callback's URL carries the code and state).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

function blockHtml(block: Block, lang: 'ja' | 'en'): string {
  if ('p' in block) return `<p>${escapeHtml(block.p[lang])}</p>`;
  if ('link' in block) return `<p><a href="${escapeHtml(block.link.href)}">${escapeHtml(block.link.text[lang])}</a></p>`;
  return block.html[lang];
}

/** A whole page: the Japanese section, then the English one. */
export function renderPage(title: Label, blocks: readonly Block[]): string {
  const section = (lang: 'ja' | 'en', heading: 'h1' | 'h2') =>
    `<section lang="${lang}"><${heading}>${escapeHtml(title[lang])}</${heading}>${blocks.map((b) => blockHtml(b, lang)).join('')}</section>`;
  return [
    '<!doctype html>',
    '<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${title.ja} / ${title.en}`)} - Hatoba</title><style>${STYLE}</style></head>`,
    `<body><main>${section('ja', 'h1')}${section('en', 'h2')}</main></body></html>`,
  ].join('');
}

/** Where "try again" goes: a fresh sign-in that makes the provider ask again (perhaps as someone else). */
export const signInAgainHref = (returnTo: string): string => `/auth/sign-in?${new URLSearchParams({ returnTo, prompt: 'login' }).toString()}`;

const again = (returnTo: string): Block => ({ link: { href: signInAgainHref(returnTo), text: { ja: 'もう一度サインインする(別の方法・別の利用者で)', en: 'Sign in again (another way or as someone else)' } } });
const ASK_ADMIN: Block = { p: { ja: '所属団体のテナント管理者、またはクラウド運用担当に連絡してください。', en: 'Ask your organisation’s tenant admin or the cloud operations team.' } };

export function refusalPage(refusal: SignInRefusal, returnTo: string): Page {
  switch (refusal.kind) {
    case 'assurance':
      return {
        status: 403,
        html: renderPage({ ja: 'サインインできません: 認証の強さが足りません', en: 'Sign-in refused: not strong enough' }, [
          { p: refusal.reason },
          { p: { ja: '多要素認証やマイナンバーカードなど、より強い方法でサインインしてください。', en: 'Sign in with a stronger method, such as multi-factor authentication or an eID card.' } },
          again(returnTo),
        ]),
      };
    case 'not_registered':
    case 'email_unverified': {
      const email = refusal.email ?? '—';
      const unverified = refusal.kind === 'email_unverified';
      return {
        status: 403,
        html: renderPage({ ja: 'Hatoba に登録されていません', en: 'You are not registered in Hatoba' }, [
          {
            p: unverified
              ? { ja: `ID プロバイダがメールアドレス ${email} を確認済みとしていないため、利用者を特定できません。`, en: `The identity provider has not verified the e-mail address ${email}, so you cannot be identified.` }
              : { ja: `メールアドレス ${email} の利用者は登録されていません。`, en: `Nobody with the e-mail address ${email} is registered.` },
          },
          ASK_ADMIN,
          again(returnTo),
        ]),
      };
    }
    case 'removed':
      return {
        status: 403,
        html: renderPage({ ja: 'サインインできません: 登録が取り消されています', en: 'Sign-in refused: you have been removed' }, [
          { p: { ja: `${refusal.email} の利用者は Hatoba から削除されています。`, en: `The person ${refusal.email} has been removed from Hatoba.` } },
          { p: { ja: '再び利用するには、所属団体のテナント管理者(中央の利用者はクラウド運用担当)にもう一度追加してもらってください。', en: 'To use Hatoba again, ask your organisation’s tenant admin (central people: the cloud operations team) to add you again.' } },
          again(returnTo),
        ]),
      };
    case 'subject_mismatch':
      return {
        status: 403,
        html: renderPage({ ja: 'サインインできません: 別のアカウントが登録済みです', en: 'Sign-in refused: another account is bound' }, [
          { p: { ja: `${refusal.email} の利用者には、別の ID プロバイダのアカウントが結び付けられています。`, en: `The person ${refusal.email} is bound to a different account at the identity provider.` } },
          ASK_ADMIN,
        ]),
      };
    case 'rules_conflict':
    case 'unknown_tenant': {
      const detail: Label =
        refusal.kind === 'unknown_tenant' ? { ja: `テナント ${refusal.tenantCode} は存在しません`, en: `tenant ${refusal.tenantCode} does not exist` } : refusal.reason;
      return {
        status: 403,
        html: renderPage({ ja: 'Hatoba に登録できません', en: 'You cannot be registered in Hatoba' }, [
          { p: { ja: `ID プロバイダの属性から利用者を作成できませんでした (${detail.ja})。`, en: `Your identity provider’s claims do not describe one Hatoba role (${detail.en}).` } },
          ASK_ADMIN,
        ]),
      };
    }
  }
}

/** A sign-in that failed for a reason the person cannot fix by being someone else (expired, tampered, provider error). */
export function errorPage(reason: Label, returnTo = '/'): Page {
  return {
    status: 400,
    html: renderPage({ ja: 'サインインに失敗しました', en: 'Sign-in failed' }, [
      { p: reason },
      { link: { href: `/auth/sign-in?${new URLSearchParams({ returnTo }).toString()}`, text: { ja: 'もう一度サインインする', en: 'Sign in again' } } },
    ]),
  };
}

export function notConfiguredPage(): Page {
  return {
    status: 503,
    html: renderPage({ ja: 'サインインは設定されていません', en: 'Sign-in is not configured' }, [
      { p: { ja: 'このサーバには ID プロバイダが設定されていません (HATOBA_OIDC_ISSUER)。', en: 'No identity provider is configured on this server (HATOBA_OIDC_ISSUER).' } },
      { p: { ja: 'CLI は API トークンで利用できます。', en: 'The CLI works with an API token.' } },
    ]),
  };
}

export function providerUnavailablePage(): Page {
  return {
    status: 503,
    html: renderPage({ ja: 'ID プロバイダに接続できません', en: 'The identity provider cannot be reached' }, [
      { p: { ja: 'しばらくしてからもう一度お試しください。', en: 'Please try again in a moment.' } },
      { link: { href: '/auth/sign-in', text: { ja: 'もう一度サインインする', en: 'Sign in again' } } },
    ]),
  };
}
