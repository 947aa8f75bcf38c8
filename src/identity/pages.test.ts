import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorPage, escapeHtml, refusalPage, renderPage, signInAgainHref } from './pages.js';

describe('sign-in pages', () => {
  it('names the missing assurance in Japanese and English with a 403', () => {
    const page = refusalPage({ kind: 'assurance', reason: { ja: '必要: acr high', en: 'Required: acr high' } }, '/');
    assert.equal(page.status, 403);
    assert.match(page.html, /<section lang="ja"><h1>サインインできません/);
    assert.match(page.html, /<section lang="en"><h2>Sign-in refused/);
    assert.match(page.html, /必要: acr high/);
    assert.match(page.html, /Required: acr high/);
  });

  it('escapes everything the provider or the request put on a page', () => {
    const page = refusalPage({ kind: 'not_registered', email: '<script>alert(1)</script>@x.jp' }, '/"><script>');
    assert.doesNotMatch(page.html, /<script>/);
    assert.match(page.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;@x\.jp/);
    assert.match(page.html, /href="\/auth\/sign-in\?returnTo=%2F%22%3E%3Cscript%3E&amp;prompt=login"/);
    assert.equal(escapeHtml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('tells a person who is not registered whom to ask', () => {
    const page = refusalPage({ kind: 'not_registered', email: 'x@example.jp' }, '/');
    assert.match(page.html, /Hatoba に登録されていません/);
    assert.match(page.html, /Nobody with the e-mail address x@example\.jp is registered/);
    assert.match(page.html, /tenant admin/);
  });

  it('tells a removed person in Japanese and English that their registration was withdrawn and who can add them again', () => {
    const page = refusalPage({ kind: 'removed', email: 'gone@example.jp' }, '/');
    assert.equal(page.status, 403);
    assert.match(page.html, /<section lang="ja"><h1>サインインできません: 登録が取り消されています/);
    assert.match(page.html, /<section lang="en"><h2>Sign-in refused: you have been removed/);
    assert.match(page.html, /gone@example\.jp の利用者は Hatoba から削除されています/);
    assert.match(page.html, /ask your organisation’s tenant admin/);
  });

  it('says why the claims describe no role in each page’s own language', () => {
    const page = refusalPage({ kind: 'unknown_tenant', tenantCode: '999999' }, '/');
    const [ja, en] = page.html.split('<section lang="en">');
    assert.match(ja ?? '', /テナント 999999 は存在しません/);
    assert.doesNotMatch(ja ?? '', /does not exist/);
    assert.match(en ?? '', /tenant 999999 does not exist/);
    const conflict = refusalPage({ kind: 'rules_conflict', reason: { ja: '規則が複数のテナントを指しています', en: 'the rules name several tenants' } }, '/');
    assert.doesNotMatch(conflict.html.split('<section lang="en">')[0] ?? '', /the rules name/);
  });

  it('offers a fresh sign-in that asks the provider again', () => {
    assert.equal(signInAgainHref('/requests'), '/auth/sign-in?returnTo=%2Frequests&prompt=login');
    assert.equal(errorPage({ ja: '期限切れ', en: 'expired' }).status, 400);
  });

  it('marks up a page with a language, a title and headings in order', () => {
    const html = renderPage({ ja: '題', en: 'Title' }, [{ p: { ja: 'あ', en: 'a' } }]);
    assert.match(html, /^<!doctype html><html lang="ja">/);
    assert.match(html, /<title>題 \/ Title - Hatoba<\/title>/);
  });
});
