import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import {
  buildWeb,
  describeInBrowser,
  launchBrowser,
  openConsole,
  sayInWebChat,
  screenshot,
  seeInWebChat,
  watchPage,
} from './browserKit';

jest.setTimeout(90_000);

describeInBrowser('Web Chat and the agent console in a real browser', () => {
  let harness: AppHarness;
  let browser: Browser;
  let customer: Page;
  let agentPage: Page;
  let agent: { id: string; name: string; token: string };

  beforeAll(async () => {
    buildWeb();
    harness = await startAppHarness();
    agent = await harness.addUser('Dana Levi', 'agent');
    browser = await launchBrowser();
    customer = await (
      await browser.newContext({ viewport: { width: 900, height: 760 } })
    ).newPage();
    agentPage = await (
      await browser.newContext({ viewport: { width: 1280, height: 1000 } })
    ).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('serves both pages with a strict Content-Security-Policy', async () => {
    for (const route of ['/', '/agent']) {
      const res = await fetch(`${harness.app.url}${route}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(await res.text()).not.toMatch(/<script>(?!<\/script>)/);
    }
  });

  it('embeds the chat in another site with the one-line snippet', async () => {
    // The host page needs a real origin of its own: CSP's frame-ancestors * matches http(s)
    // sites, not about:blank.
    const snippet = `<script src="${harness.app.url}/web/embed.js" data-locale="he" data-title="Help" defer></script>`;
    const site = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><h1>Shop</h1>${snippet}`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const { port } = site.address() as AddressInfo;
    const page = await browser.newPage();
    try {
      await page.goto(`http://localhost:${port}/`);
      await page.getByRole('button', { name: 'Help' }).click();
      const frame = page.frameLocator('iframe[title="Help"]');
      await frame.locator('.webchat__basic-transcript .webchat__bubble').first().waitFor();
      expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await frame.locator('html').getAttribute('lang')).toBe('he');
      // The page's own words follow the language, and so do Web Chat's.
      expect(await frame.locator('.language-label').textContent()).toBe('שפה');
      expect(await frame.locator('#locale').getAttribute('aria-label')).toBe('שפה');
    } finally {
      await page.close();
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });

  it("runs a site's own Web Chat against the Direct Line endpoint, as the README shows", async () => {
    const askdesk = harness.app.url;
    const html = `<!doctype html><div id="webchat" style="height:500px"></div>
      <script src="${askdesk}/web/webchat.js"></script>
      <script>
        fetch('${askdesk}/api/directline/token', { method: 'POST' })
          .then((res) => res.json())
          .then(({ token }) => window.WebChat.renderWebChat({
            directLine: window.WebChat.createDirectLine({ token, domain: '${askdesk}/v3/directline' }),
            locale: 'en',
          }, document.getElementById('webchat')));
      </script>`;
    const site = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(html);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const { port } = site.address() as AddressInfo;
    const page = await browser.newPage();
    try {
      const seen = watchPage(page);
      await page.goto(`http://localhost:${port}/`);
      await seeInWebChat(page, /Askdesk assistant/);
      await sayInWebChat(page, 'When is customer service open?');
      await seeInWebChat(page, /24\/7/);
      expect(seen.errors).toEqual([]);
    } finally {
      await page.close();
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });

  it('takes a customer from a KB answer through a human agent to a stored rating', async () => {
    const customerSeen = watchPage(customer);
    const agentSeen = watchPage(agentPage);
    await customer.goto(`${harness.app.url}/`);
    await seeInWebChat(customer, /Askdesk assistant/);
    await openConsole(agentPage, harness.app.url, agent.token);

    await sayInWebChat(customer, 'When is customer service open?');
    await seeInWebChat(customer, /24\/7/);

    const askedAt = Date.now();
    await sayInWebChat(customer, 'I want to talk to a human');
    const ticketItem = agentPage.getByTestId('ticket').first();
    await ticketItem.waitFor({ state: 'visible' });
    const appearedMs = Date.now() - askedAt;
    console.info(`ticket appeared in the console ${appearedMs} ms after the customer asked`);
    await agentPage.getByTestId('badge').waitFor({ state: 'visible' });
    expect(await agentPage.title()).toMatch(/^\(1\) Askdesk agent console$/);
    const ticketId = (await ticketItem.getAttribute('data-ticket-id')) ?? '';
    expect(ticketId).not.toBe('');

    await ticketItem.click();
    await agentPage.getByTestId('transcript').getByText('When is customer service open?').waitFor();
    await screenshot(agentPage, 'agent-console-waiting.png');
    await agentPage.getByTestId('claim').click();
    await agentPage.getByTestId('compose').waitFor({ state: 'visible' });
    await seeInWebChat(customer, /Dana Levi from our team has joined/);

    await agentPage.getByTestId('compose').fill('Hello, I can help you with the opening hours.');
    await agentPage.getByTestId('send').click();
    await seeInWebChat(customer, 'Hello, I can help you with the opening hours.', 5000);
    // Sent as the agent (Direct Line `from`), not prefixed with a bold name under the bot's.
    expect(
      await customer
        .locator('.webchat__basic-transcript')
        .getByText(/Dana Levi:/)
        .count(),
    ).toBe(0);

    await sayInWebChat(customer, 'Thanks! Are you open on Sunday?');
    await agentPage
      .getByTestId('transcript')
      .getByText('Are you open on Sunday?')
      .waitFor({ timeout: 3000 });
    const suggestion = agentPage
      .getByTestId('suggestion')
      .filter({ hasText: 'When is customer service open?' });
    await suggestion.click();
    expect(await agentPage.getByTestId('compose').inputValue()).toContain('Monday to Friday');
    await agentPage.locator('.panel').evaluate((panel) => panel.scrollTo(0, 0));
    await screenshot(agentPage, 'agent-console.png');
    await agentPage.getByTestId('send').click();
    // The agent's copy of the KB answer: a second bubble saying 24/7, after the bot's.
    await customer
      .locator('.webchat__basic-transcript')
      .getByText(/24\/7/)
      .nth(1)
      .waitFor({ state: 'visible', timeout: 5000 });

    await agentPage.getByTestId('note').fill('Customer asks about Sunday opening hours.');
    await agentPage.getByRole('button', { name: 'Add note' }).click();
    await agentPage
      .locator('.notes')
      .getByText('Customer asks about Sunday opening hours.')
      .waitFor();

    await agentPage.getByTestId('resolve').click();
    await seeInWebChat(customer, /is resolved/);
    const fiveStars = customer.getByRole('button', { name: /5$/ }).last();
    await fiveStars.waitFor({ state: 'visible' });
    await fiveStars.click();
    await seeInWebChat(customer, /Thank you for rating us 5 out of 5/);
    // Web Chat re-renders its transcript as activities arrive, which can detach the element
    // between finding and scrolling it: find it again then.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await customer
          .getByText(/is resolved/)
          .first()
          .scrollIntoViewIfNeeded();
        break;
      } catch (err) {
        if (attempt >= 5 || !/not attached/.test(String(err))) throw err;
      }
    }
    await screenshot(customer, 'customer-webchat.png');

    const stored = await harness.call('GET', `/api/handoff/tickets/${ticketId}`, {
      token: agent.token,
    });
    expect(stored.status).toBe(200);
    const resolved = stored.body as { status: string; csat: number | null };
    expect(resolved.status).toBe('resolved');
    expect(resolved.csat).toBe(5);
    expect(customerSeen.errors).toEqual([]);
    expect(agentSeen.errors).toEqual([]);
    expect([...customerSeen.dialogs, ...agentSeen.dialogs]).toEqual([]);
  });
});
