/**
 * An operator adds a tenant's first admin in the portal, by keyboard alone: checked with a dry run,
 * then added and confirmed; a second admin for the same tenant is refused with the API's reason at
 * the tenant field. 東京都 (130001) has no admin in the demo (src/main/demo-people.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM, openBrowser, type Browser } from './support/browser.js';
import { ensurePortalBuilt } from './support/portal.js';
import { startDemo, type DemoServer } from './support/server.js';
import { person, signIn } from './support/sign-in.js';

const OPERATOR = person('sato.operator');
const TOKYO = '130001';
const REFUSED = '運用担当が追加できるのはテナントの最初の管理者だけです';

describe("an operator adding a tenant's first admin in the portal", { timeout: 240_000 }, () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];

  before(async () => {
    assert.ok(chromiumAvailable(), `chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`);
    await ensurePortalBuilt();
    server = await startDemo();
    browser = await openBrowser();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const form = () => page.getByRole('region', { name: 'テナントの最初の管理者を追加する' });

  it('checks, adds and confirms the first admin of a tenant without one, with the keyboard alone', async () => {
    await signIn(page, server.url, OPERATOR, '/people');
    await page.getByRole('heading', { level: 1, name: '利用者とアクセス' }).waitFor();
    await form().getByLabel('組織コード').focus();
    await page.keyboard.type(TOKYO);
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(page), 'email');
    await page.keyboard.type('first.admin@tokyo.demo.hatoba.example');
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(page), 'name');
    await page.keyboard.type('東京 最初の管理者');
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(page), '内容を確認する');
    await page.keyboard.press('Enter');

    const plan = page.getByTestId('first-admin-plan');
    await plan.waitFor();
    assert.equal(await focusedText(page), '追加内容の確認', 'the plan takes the focus');
    assert.match(await plan.innerText(), new RegExp(`${TOKYO} の最初のテナント管理者`));
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(page), 'この内容で追加する');
    await page.keyboard.press('Enter');

    const added = page.getByTestId('first-admin-added');
    await added.waitFor();
    assert.match(await added.innerText(), /東京 最初の管理者 さんを 130001 の最初のテナント管理者として追加しました/);
    assert.match(await added.innerText(), /first\.admin@tokyo\.demo\.hatoba\.example/);
    assert.match(await added.innerText(), /テナント管理者/);
    assert.match(await focusedText(page), /最初のテナント管理者として追加しました/, 'the confirmation takes the focus');
    await page.getByTestId('announcer').filter({ hasText: '東京 最初の管理者 さんを 130001' }).waitFor();
    assert.equal(await form().getByLabel('組織コード').inputValue(), '', 'the form is empty for the next one');
  });

  it("refuses a second admin for the same tenant, with the API's reason at the tenant field", async () => {
    const tenant = form().getByLabel('組織コード');
    await tenant.fill(TOKYO);
    await form().getByLabel('メールアドレス').fill('second.admin@tokyo.demo.hatoba.example');
    await form().getByLabel('氏名').fill('東京 二人目');
    await form().getByRole('button', { name: '内容を確認する' }).click();

    await page.locator('input[name="tenant"][aria-invalid="true"]').waitFor();
    const errorIds = ((await tenant.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.includes('error'));
    assert.equal(errorIds.length, 1, 'the reason is tied to the field');
    assert.match(await page.locator(`[id="${errorIds[0] ?? ''}"]`).innerText(), new RegExp(REFUSED));
    await form().getByRole('alert').waitFor();
    assert.equal(await page.getByTestId('first-admin-plan').count(), 0, 'nothing to add');
  });

  it('ran without breaking the content security policy', () => {
    assert.deepEqual(violations, []);
  });
});

// The browser side is written as expressions: this project's TypeScript has no DOM types outside web/.
const focusedText = async (page: Page) => (await page.locator(':focus').innerText()).trim();
const focusedName = async (page: Page) => (await page.locator(':focus').getAttribute('name')) ?? '';
