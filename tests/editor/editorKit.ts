import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { editorPage } from '../../knowledge/editorPage';
import { registerWebPage } from '../../bot/webPage';
import type { RunningApp } from '../../bot/main';
import { buildWeb, repoRoot } from '../web/browserKit';

export const webDir = path.join(repoRoot, 'dist', 'web');

/**
 * Builds dist/web from the current sources. Until scripts/buildWeb.mjs bundles the editor (its
 * editor.js is not rewritten by the run), the editor is built here with the same options.
 */
export function buildEditorWeb(): void {
  const startedMs = Date.now();
  buildWeb();
  const bundle = path.join(webDir, 'editor.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= startedMs - 1000) return;
  execFileSync(process.execPath, [path.join(__dirname, 'buildEditor.mjs')], { stdio: 'pipe' });
}

/** Serves /editor from `app` unless bot/main.ts already does. */
export async function ensureEditorPage(app: RunningApp): Promise<void> {
  const res = await fetch(`${app.url}/editor`);
  if (res.status === 404) registerWebPage(app.server, webDir, editorPage);
}

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
