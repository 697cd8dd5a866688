import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const repoRoot = path.resolve(__dirname, '../..');
export const artifactsDir = path.join(repoRoot, 'artifacts');

/**
 * Browser suites run wherever Debian's chromium is installed. Without it they skip locally, but
 * under CI=true a missing browser is a failure (`.ci/run` installs it), never a silent skip.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (fs.existsSync(chromiumPath)) {
    describe(name, suite);
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(
      `CI=true but ${chromiumPath} is missing: install it with "apt-get install -y chromium"`,
    );
  }
  describe.skip(`${name} (skipped: ${chromiumPath} is not installed)`, suite);
}

/** The pages are served from dist/web: build them from the current sources first (~0.3 s). */
export function buildWeb(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/buildWeb.mjs')], { stdio: 'pipe' });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Collects page errors and dialogs, so a test can prove that nothing unexpected ran. */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (err) => seen.errors.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, name);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Web Chat's send box; Enter sends. */
export async function sayInWebChat(page: Page, text: string): Promise<void> {
  const box = page.locator('[data-id="webchat-sendbox-input"]');
  await box.fill(text);
  await box.press('Enter');
}

/** Resolves once the Web Chat transcript shows `text` (as text, not HTML). */
export async function seeInWebChat(
  page: Page,
  text: string | RegExp,
  timeoutMs = 5000,
): Promise<void> {
  await page
    .locator('.webchat__basic-transcript')
    .getByText(text)
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens the agent console and logs in with `token`. */
export async function openConsole(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('login').click();
  await page.getByTestId('me').waitFor({ state: 'visible' });
}
