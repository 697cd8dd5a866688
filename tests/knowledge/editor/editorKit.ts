import type { Page } from 'playwright-core';
import { buildWeb } from '../../web/browserKit';

/** Builds dist/web (the editor included) from the current sources. */
export const buildEditorWeb = buildWeb;

/** Opens the editor and logs in with `token`. */
export async function openEditor(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/editor`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('login').click();
  await page.getByTestId('entry').first().waitFor({ state: 'visible' });
}

/** Asks the test panel a question; resolves once the first candidate shows. */
export async function testQuestion(page: Page, question: string, locale = 'en'): Promise<void> {
  await page.getByTestId('test-question').fill(question);
  await page.getByTestId('test-locale').selectOption(locale);
  await page.getByTestId('test-run').click();
  await page.getByTestId('candidate').first().waitFor({ state: 'visible' });
}
