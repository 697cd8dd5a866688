import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import {
  buildWeb,
  describeInBrowser,
  launchBrowser,
  openConsole,
  sayInWebChat,
  seeInWebChat,
  watchPage,
} from './browserKit';

jest.setTimeout(90_000);

/** A customer talking over plain Direct Line REST, as any Web Chat would. */
async function directLineCustomer(baseUrl: string) {
  const grant = (await (
    await fetch(`${baseUrl}/api/directline/token`, { method: 'POST' })
  ).json()) as {
    token: string;
    conversationId: string;
  };
  const headers = { Authorization: `Bearer ${grant.token}`, 'Content-Type': 'application/json' };
  const conversation = `${baseUrl}/v3/directline/conversations/${grant.conversationId}`;
  await fetch(`${baseUrl}/v3/directline/conversations`, { method: 'POST', headers, body: '{}' });
  return {
    say: async (text: string, locale = 'en') => {
      const res = await fetch(`${conversation}/activities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'message', from: { id: 'attacker' }, text, locale }),
      });
      expect(res.status).toBe(200);
    },
  };
}

describeInBrowser('the agent console with hostile and right-to-left customer text', () => {
  let harness: AppHarness;
  let browser: Browser;
  let console_: Page;
  let token: string;

  beforeAll(async () => {
    buildWeb();
    harness = await startAppHarness();
    token = (await harness.addUser('Noa Cohen', 'agent')).token;
    browser = await launchBrowser();
    console_ = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('shows <img onerror> and <script> from a customer as text and runs none of it', async () => {
    const seen = watchPage(console_);
    await openConsole(console_, harness.app.url, token);
    const customer = await directLineCustomer(harness.app.url);
    const image = '<img src=x onerror="window.__xss=1;alert(1)">';
    const script = '<script>window.__xss=2;alert(2)</script>';
    await customer.say(image);
    await customer.say(script);
    await customer.say('<b onmouseover="window.__xss=3">hover me</b>');
    await customer.say('human');

    const ticket = console_.getByTestId('ticket').first();
    await ticket.waitFor({ timeout: 3000 });
    // The waiting time ticks in the page itself, with no request behind it.
    const waited = ticket.getByTestId('waiting-time');
    const before = await waited.innerText();
    await console_.waitForFunction(
      (text) => document.querySelector('[data-testid="waiting-time"]')?.textContent !== text,
      before,
      { timeout: 3000 },
    );
    await ticket.hover();
    await ticket.click();
    const transcript = console_.getByTestId('transcript');
    await transcript.getByText(image, { exact: true }).waitFor();
    await transcript.getByText(script, { exact: true }).waitFor();
    await console_.getByTestId('claim').click();
    await console_.getByTestId('compose').waitFor();
    await transcript
      .getByText(/<b onmouseover=/)
      .first()
      .hover();

    expect(await transcript.locator('img, script, b').count()).toBe(0);
    expect(
      await console_.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('shows Hebrew right to left, in Web Chat and in the console', async () => {
    const customer = await browser.newPage();
    await customer.goto(`${harness.app.url}/`);
    await seeInWebChat(customer, /Askdesk assistant/);
    await customer.getByTestId('locale').selectOption('he');
    expect(await customer.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await customer.evaluate(() => document.documentElement.lang)).toBe('he');
    await sayInWebChat(customer, 'אני רוצה לדבר עם נציג');
    await seeInWebChat(customer, /AD-\d+/, 8000);

    const item = console_.getByTestId('ticket').filter({ hasText: 'נציג' }).first();
    await item.waitFor({ timeout: 3000 });
    await item.click();
    const line = console_.getByTestId('transcript').getByText('אני רוצה לדבר עם נציג');
    await line.waitFor();
    expect(await line.getAttribute('dir')).toBe('auto');
    expect(await line.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await console_.locator('.facts').innerText()).toContain('he');
  });
});
