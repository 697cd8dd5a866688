import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';
import {
  buildWeb,
  describeInBrowser,
  launchBrowser,
  screenshot,
  watchPage,
} from '../../web/browserKit';

jest.setTimeout(90_000);

/** Two conversations the bot answers, two handed off; one of those resolved and rated 4. */
async function fixtureTraffic(harness: AppHarness): Promise<void> {
  const { handoff, agents } = harness.app;
  const agent = await harness.addUser('Alice Agent', 'agent');
  const alice = { id: agent.id, name: agent.name, role: 'agent' as const };
  for (const c of ['d1', 'd2']) {
    await handoff.recordLine(c, { role: 'customer', text: 'opening hours?', locale: 'en' });
    await handoff.recordLine(c, { role: 'bot', text: '9 to 5', locale: 'en', outcome: 'answered' });
  }
  const tickets = [];
  for (const [c, locale] of [
    ['d3', 'en'],
    ['d4', 'he'],
  ] as const) {
    await handoff.recordLine(c, { role: 'customer', text: 'a person please', locale });
    const opened = await handoff.openTicket({
      conversationId: c,
      conversationRef: { conversation: { id: c }, channelId: 'test' },
      reason: 'requested',
      locale,
      question: 'a person please',
      candidates: [],
    });
    tickets.push(opened.ticket);
  }
  for (let i = 0; i < 2; i += 1) {
    await harness.app.kb.recordUnanswered({
      locale: 'en',
      text: 'xylophone marmalade',
      outcome: 'none',
      topId: null,
      confidence: 0,
    });
  }
  const first = tickets[0]!;
  await agents.claim(first.id, alice);
  await agents.postAgentMessage(first.id, alice, 'Hello, Alice here');
  await agents.resolve(first.id, alice);
  await handoff.rate(first.id, 4);
}

describeInBrowser('the analytics dashboard', () => {
  let harness: AppHarness;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;

  beforeAll(async () => {
    buildWeb();
    harness = await startAppHarness();
    await fixtureTraffic(harness);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    seen = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('turns away an agent token', async () => {
    // Its own page: the refused request is logged there, not on the dashboard under test.
    const agent = await harness.addUser('Bob Agent', 'agent');
    const other = await browser.newPage();
    await other.goto(`${harness.app.url}/dashboard`);
    await other.getByTestId('token').fill(agent.token);
    await other.getByTestId('login').click();
    await other.getByRole('alert').getByText('needs one of: supervisor, admin').waitFor();
    expect(other.url()).not.toContain(agent.token);
    await other.close();
  });

  it('shows the last 7 days: 4 conversations, 50% deflection, CSAT 4, and draws the charts', async () => {
    const supervisor = await harness.addUser('Sam Supervisor', 'supervisor');
    await page.goto(`${harness.app.url}/dashboard`);
    await page.getByTestId('token').fill(supervisor.token);
    await page.getByTestId('login').click();
    await page.getByTestId('kpi-conversations').waitFor();
    expect(await page.getByTestId('period').inputValue()).toBe('7d');
    expect(await page.getByTestId('kpi-conversations').innerText()).toBe('4');
    expect(await page.getByTestId('kpi-deflection').innerText()).toBe('50%');
    expect(await page.getByTestId('kpi-csat').innerText()).toBe('4');
    expect(await page.getByTestId('kpi-wait-p50').innerText()).toMatch(/^\d+ s$/);
    for (const chart of ['chart-volume', 'chart-reasons']) {
      const canvas = page.getByTestId(chart).locator('canvas');
      const drawn = await canvas.evaluate((el: HTMLCanvasElement) => {
        const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
        return el.width > 0 && data.some((value, i) => i % 4 === 3 && value > 0);
      });
      expect(drawn).toBe(true);
    }
    expect(
      await page.getByTestId('chart-reasons').locator('canvas').getAttribute('aria-label'),
    ).toBe('Handoffs by reason: requested 2');
    expect(await page.getByTestId('top-unanswered').innerText()).toContain(
      'xylophone marmalade ×2 (en)',
    );
    await screenshot(page, 'dashboard.png');
  });

  it('narrows to Hebrew: 1 conversation, handed off', async () => {
    await page.getByTestId('locale').selectOption('he');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="kpi-conversations"]')?.textContent === '1',
    );
    expect(await page.getByTestId('kpi-deflection').innerText()).toBe('0%');
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  });
});
