/**
 * Signing in as a person does: the portal's sign-in button, the bundled provider's login form (its
 * Japanese section), back to the page asked for.
 */
import type { Page } from 'playwright-core';

export const person = (who: string): string => `${who}@people.demo.hatoba.example`;

export async function signIn(page: Page, base: string, email: string, path = '/'): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByRole('link', { name: 'サインインする' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/idp/'));
  await page.locator('section[lang="ja"] label', { hasText: email }).click();
  await page.locator('section[lang="ja"] button[value="login"]').click();
  await page.waitForURL((url) => url.origin === base && !url.pathname.startsWith('/idp/') && !url.pathname.startsWith('/auth/'));
  await page.getByTestId('signed-in').waitFor();
}
