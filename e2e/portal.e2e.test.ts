/**
 * The portal in a real browser against a real `hatoba demo`: sign-in through the bundled identity
 * provider, the language switch, an account request checked, sent and followed until ready, a
 * tenant that cannot open another tenant's account, the request form by keyboard alone, the audit
 * log, and the pages at 200% zoom.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM, openBrowser, type Browser } from './support/browser.js';
import { ensurePortalBuilt } from './support/portal.js';
import { startDemo, type DemoServer } from './support/server.js';
import { person, signIn } from './support/sign-in.js';

const ADMIN = person('ito.chiyoda');
const OPERATOR = person('sato.operator');
const AUDITOR = person('takahashi.auditor');
const OWN_TENANT = '131016';

describe('the portal in a browser', { timeout: 300_000 }, () => {
  let server: DemoServer;
  const browsers: Browser[] = [];
  /** What the browsers reported against the content security policy: must stay empty. */
  const violations: string[] = [];
  const open = async (options: Parameters<typeof openBrowser>[0] = {}) => {
    const b = await openBrowser(options);
    browsers.push(b);
    const page = await b.context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };

  before(async () => {
    assert.ok(chromiumAvailable(), `chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`);
    await ensurePortalBuilt();
    server = await startDemo();
  });

  after(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  let admin: Page;

  it('signs a tenant admin in through the bundled provider, back to the page asked for, with name and role', async () => {
    admin = await open();
    await signIn(admin, server.url, ADMIN, '/systems');
    assert.equal(new URL(admin.url()).pathname, '/systems');
    const header = admin.getByTestId('signed-in');
    assert.match(await header.innerText(), /伊藤 管理/);
    assert.match(await header.innerText(), /テナント管理者/);
    assert.equal(await admin.getAttribute('html', 'lang'), 'ja');
    await admin.getByRole('heading', { level: 1, name: 'システムとアカウント' }).waitFor();
    const menu = admin.getByRole('navigation', { name: 'メインメニュー' });
    assert.deepEqual(await menu.getByRole('link').allInnerTexts(), ['組織情報', 'システムとアカウント', 'アカウント申請', '利用者とアクセス', '緊急アクセス']);
  });

  it('switches to English, updates <html lang>, and remembers the choice after a reload', async () => {
    await admin.getByRole('button', { name: 'English' }).click();
    assert.equal(await admin.getAttribute('html', 'lang'), 'en');
    await admin.getByRole('heading', { level: 1, name: 'Systems and accounts' }).waitFor();
    await admin.reload();
    await admin.getByRole('heading', { level: 1, name: 'Systems and accounts' }).waitFor();
    assert.equal(await admin.getAttribute('html', 'lang'), 'en');
    await admin.getByRole('button', { name: '日本語' }).click();
    await admin.getByRole('heading', { level: 1, name: 'システムとアカウント' }).waitFor();
  });

  it('shows a refused request at the field it names, then checks, sends and follows a request until the account is ready', async () => {
    await admin.getByRole('navigation').getByRole('link', { name: 'アカウント申請' }).click();
    await admin.getByRole('heading', { level: 1, name: 'アカウント申請' }).waitFor();
    const form = admin.locator('form');
    await form.getByLabel('システム').selectOption({ index: 1 });
    await form.getByLabel('環境').selectOption('dev');
    const name = form.getByLabel('アカウント名(任意)');
    await name.fill('日本語の名前');
    await form.getByRole('button', { name: '内容を確認する' }).click();
    await admin.locator('input[name="accountName"][aria-invalid="true"]').waitFor();
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    assert.match(describedBy, /error/, 'the error is tied to the field');

    const accountName = `e2e-${Date.now().toString(36)}`;
    await name.fill(accountName);
    await form.getByRole('button', { name: '内容を確認する' }).click();
    const plan = admin.getByTestId('request-plan');
    await plan.waitFor();
    assert.match(await plan.innerText(), new RegExp(accountName));
    await plan.getByRole('button', { name: 'この内容で申請する' }).click();

    const live = admin.locator('article[data-request]', { hasText: accountName });
    await live.waitFor();
    await admin.locator('article[data-request][data-status="succeeded"]', { hasText: accountName }).waitFor({ timeout: 90_000 });
    assert.equal(await live.getByTestId('request-status').innerText(), '完了');
    assert.equal(await live.locator('li[data-step="create-account"]').getAttribute('data-status'), 'succeeded');
    assert.equal(await live.locator('li[data-step="record-ready"]').getAttribute('data-status'), 'succeeded');
    await admin.getByTestId('announcer').filter({ hasText: accountName }).waitFor();

    await admin.getByRole('navigation').getByRole('link', { name: 'システムとアカウント' }).click();
    const row = admin.getByRole('row', { name: new RegExp(accountName) });
    await row.waitFor();
    assert.match(await row.innerText(), /利用可能/);
  });

  it("answers another tenant's account address with not found, and shows the tenant its own", async () => {
    const operator = await open();
    await signIn(operator, server.url, OPERATOR, '/overview');
    await operator.getByRole('heading', { level: 1, name: '全体概況' }).waitFor();
    const listed = await operator.request.get(`${server.url}/api/accounts?limit=200`);
    assert.equal(listed.status(), 200);
    const accounts = ((await listed.json()) as { items: { id: string; tenant: { code: string } }[] }).items;
    const other = accounts.find((a) => a.tenant.code !== OWN_TENANT);
    assert.ok(other !== undefined, 'the demo has accounts of other tenants');

    await admin.goto(`${server.url}/accounts/${other.id}`);
    await admin.getByRole('heading', { level: 1, name: 'ページが見つかりません' }).waitFor();
    assert.equal((await admin.request.get(`${server.url}/api/accounts/${other.id}`)).status(), 404);

    const own = admin.getByRole('link', { name: /e2e-/ });
    await admin.goto(`${server.url}/systems`);
    await own.first().click();
    await admin.getByRole('heading', { level: 1, name: /^アカウント e2e-/ }).waitFor();
  });

  it('lets the request form be used with the keyboard alone, every focus visible', async () => {
    await admin.goto(`${server.url}/requests`);
    await admin.getByRole('heading', { level: 1, name: 'アカウント申請' }).waitFor();
    await admin.keyboard.press('Tab');
    assert.equal(await focusedText(admin), '本文へ移動');
    await admin.keyboard.press('Enter');
    assert.equal(await admin.locator(':focus').getAttribute('id'), 'main');
    for (let i = 0; i < 10 && (await focusedName(admin)) !== 'systemId'; i += 1) await admin.keyboard.press('Tab');
    assert.equal(await focusedName(admin), 'systemId');
    assert.ok(await focusVisible(admin), 'the focused select shows its focus');
    await admin.keyboard.press('ArrowDown');
    await admin.keyboard.press('Tab');
    assert.equal(await focusedName(admin), 'environment');
    await admin.keyboard.press('ArrowDown');
    await admin.keyboard.press('Tab');
    assert.equal(await focusedName(admin), 'accountName');
    const accountName = `kbd-${Date.now().toString(36)}`;
    await admin.keyboard.type(accountName);
    await admin.keyboard.press('Tab');
    assert.equal(await focusedName(admin), 'email');
    await admin.keyboard.press('Tab');
    assert.equal(await focusedText(admin), '内容を確認する');
    assert.ok(await focusVisible(admin), 'the focused button shows its focus');
    await admin.keyboard.press('Enter');
    await admin.getByTestId('request-plan').waitFor();
    assert.equal(await focusedText(admin), '申請内容の確認', 'the plan takes the focus');
    await admin.keyboard.press('Tab');
    assert.equal(await focusedText(admin), 'この内容で申請する');
    await admin.keyboard.press('Enter');
    await admin.locator('article[data-request]', { hasText: accountName }).waitFor();
    await admin.getByTestId('announcer').filter({ hasText: accountName }).waitFor();
  });

  it('shows an auditor the audit trail with the requests made, and verifies the chain', async () => {
    const auditor = await open();
    await signIn(auditor, server.url, AUDITOR, '/audit');
    await auditor.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
    await auditor.getByRole('cell', { name: /POST \/api\/account-requests/ }).first().waitFor();
    await auditor.getByRole('button', { name: 'チェーンを検証する' }).click();
    assert.match(await auditor.getByTestId('audit-verification').innerText(), /改ざんされていません/);
  });

  it('reads at 200% zoom without sideways scrolling', async () => {
    const zoomed = await open({ viewport: { width: 640, height: 450 } });
    await signIn(zoomed, server.url, ADMIN, '/requests');
    for (const path of ['/requests', '/systems', '/organisation']) {
      await zoomed.goto(`${server.url}${path}`);
      await zoomed.getByRole('heading', { level: 1 }).waitFor();
      const overflow = Number(await zoomed.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    }
  });

  it('lets a tenant admin add a person, checked first, and shows their access becoming ready with the time it took', async () => {
    await admin.goto(`${server.url}/people`);
    await admin.getByRole('heading', { level: 1, name: '利用者とアクセス' }).waitFor();
    const form = admin.locator('form');
    const email = `e2e.${Date.now().toString(36)}@people.demo.hatoba.example`;
    await form.getByLabel('メールアドレス').fill(email);
    await form.getByLabel('氏名').fill('試験 太郎');
    await form.getByRole('button', { name: '内容を確認する' }).click();
    await admin.getByRole('button', { name: 'この内容で追加する' }).click();
    const added = admin.locator(`li[data-person="${email}"]`);
    await added.waitFor();
    await added.locator('tr[data-access-status="ready"]').first().waitFor({ timeout: 60_000 });
    assert.match(await added.innerText(), /利用者\(Non-admin、スイッチロールのみ\)/);
    await added.getByText(/追加からサインイン可能まで: \d+ 秒/).waitFor({ timeout: 60_000 });
  });

  it('lets an operator request break-glass access that the tenant admin approves', async () => {
    const operator = await open();
    await signIn(operator, server.url, OPERATOR, '/break-glass');
    await operator.getByLabel('組織コード').fill(OWN_TENANT);
    const account = operator.locator('select[name="accountId"]');
    await operator.locator('select[name="accountId"] option', { hasText: /e2e-/ }).first().waitFor({ state: 'attached' });
    const value = await operator.locator('select[name="accountId"] option', { hasText: /e2e-/ }).first().getAttribute('value');
    await account.selectOption(value ?? '');
    await operator.getByLabel('理由').fill('障害調査のため / incident investigation');
    await operator.getByRole('button', { name: 'アクセスを申請する' }).click();
    await operator.locator('li[data-grant][data-status="requested"]').first().waitFor();

    await admin.goto(`${server.url}/break-glass`);
    const pending = admin.locator('li[data-grant][data-status="requested"]').first();
    await pending.getByRole('button', { name: '承認する' }).click();
    await admin.locator('li[data-grant][data-status="approved"]').first().waitFor();
    await admin.getByTestId('announcer').filter({ hasText: '有効' }).waitFor();
  });

  it('ran every page above without breaking the content security policy', () => {
    assert.ok(browsers.length >= 4);
    assert.deepEqual(violations, []);
  });

  it('signs out with the CSRF token and is back at the sign-in page', async () => {
    await admin.getByRole('button', { name: 'サインアウト' }).click();
    await admin.getByRole('heading', { level: 1, name: 'サインイン' }).waitFor();
    assert.equal((await admin.request.get(`${server.url}/auth/me`)).status(), 401);
  });
});

// The browser side is written as expressions: this project's TypeScript has no DOM types outside web/.
const focusedText = async (page: Page) => (await page.locator(':focus').innerText()).trim();
const focusedName = async (page: Page) => (await page.locator(':focus').getAttribute('name')) ?? '';
/** Whether the focused element draws an outline or a ring. */
const focusVisible = async (page: Page) =>
  Boolean(
    await page.evaluate(`(() => {
      const style = getComputedStyle(document.activeElement);
      return (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
    })()`),
  );
