import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../../helpers/appHarness';
import { describeInBrowser, launchBrowser, screenshot, watchPage } from '../../web/browserKit';
import { buildEditorWeb, openEditor, testQuestion } from './editorKit';

jest.setTimeout(90_000);

const hostile = '<img src=x onerror=window.__xss=1>';

/** Preact renders after the event; wait for the list to settle rather than read it at once. */
const rowCountIs = (page: Page, count: number) =>
  page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="entry"]').length === n,
    count,
  );

describeInBrowser('the knowledge editor page', () => {
  let harness: AppHarness;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let token: string;

  beforeAll(async () => {
    buildEditorWeb();
    harness = await startAppHarness();
    token = (await harness.addUser('Eve Editor', 'editor')).token;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    seen = watchPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('turns away an agent token and lets an editor in to see the entries', async () => {
    const agent = await harness.addUser('Ann Agent', 'agent');
    await page.goto(`${harness.app.url}/editor`);
    await page.getByTestId('token').fill(agent.token);
    await page.getByTestId('login').click();
    await page.getByText('may not edit').waitFor();
    expect(page.url()).not.toContain(agent.token);

    await openEditor(page, harness.app.url, token);
    const rows = page.getByTestId('entry');
    expect(await rows.count()).toBe((await harness.app.kb.list()).length);
    const hours = rows.filter({ hasText: 'opening-hours' }).filter({ hasText: 'When is customer' });
    expect(await hours.innerText()).toMatch(
      /^opening-hours\s+en\s+enabled\s+When is customer service open\?\s+5 alternates\s+hours\s+contact$/,
    );
  });

  it('filters by locale and shows Hebrew right to left', async () => {
    const hebrew = (await harness.app.kb.list({ locale: 'he' })).length;
    await page.getByTestId('locale-filter').selectOption('he');
    await rowCountIs(page, hebrew);
    const question = page.getByTestId('entry').first().locator('.question');
    expect(await question.getAttribute('dir')).toBe('rtl');
    expect(await question.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await page.getByTestId('entry-filter').fill('opening');
    await rowCountIs(page, 1);
    await page.getByTestId('entry-filter').fill('');
    await page.getByTestId('locale-filter').selectOption('');
  });

  it('ranks opening-hours first for "What are your opening hours?" with its score breakdown', async () => {
    await testQuestion(page, 'What are your opening hours?');
    const first = page.getByTestId('candidate').first();
    expect(await first.getByTestId('candidate-id').innerText()).toBe('opening-hours');
    expect(await page.getByTestId('band').innerText()).toMatch(/^answer/);
    const text = await first.innerText();
    expect(text).toMatch(/fuzzy\s*\d\.\d\d/);
    expect(text).toMatch(/lexical\s*\d\.\d\d/);
    expect(text).toContain('What are your opening hours?');
    expect(text).toMatch(/synonyms: /);
  });

  it('saves an edited answer, which the next match returns without a restart', async () => {
    await page.getByTestId('entry').filter({ hasText: 'When is customer service open?' }).click();
    const answer = page.getByTestId('field-answer');
    await answer.fill('We are open **Monday to Saturday**, 08:00–20:00.');
    await page.getByTestId('save').click();
    // The test panel asks its last question again after every save.
    await page
      .getByTestId('candidate-answer')
      .first()
      .getByText('Monday to Saturday', { exact: false })
      .waitFor();
    await page.getByTestId('version').filter({ hasText: 'update' }).first().waitFor();
    // Into artifacts/ like every screenshot; `npm run docs:images` copies them to docs/img.
    await screenshot(page, 'editor.png');

    await page.getByTestId('restore').first().click();
    await page.getByTestId('candidate-answer').first().getByText('24/7').waitFor();
    // The form refills once the entry list has reloaded the restored entry.
    await page.waitForFunction(() =>
      document
        .querySelector<HTMLTextAreaElement>('[data-testid="field-answer"]')
        ?.value.includes('24/7'),
    );
  });

  it("shows the API's field errors next to the field", async () => {
    await page.getByTestId('field-question').fill('   ');
    await page.getByTestId('save').click();
    expect(await page.getByTestId('error-question').innerText()).toContain('"question" is empty');
  });

  it('creates an entry, showing a follow-up that leads nowhere next to its field first', async () => {
    await page.getByTestId('new-entry').click();
    await page.getByTestId('field-id').fill('gift-cards');
    await page.getByTestId('field-question').fill('Do you sell gift cards?');
    await page.getByTestId('field-alternates').fill('gift card\n\nvoucher');
    await page.getByTestId('field-answer').fill('Yes, from **10 €**.');
    await page.getByTestId('field-followUps').fill('no-such-entry');
    await page.getByTestId('save').click();
    expect(await page.getByTestId('error-followUps').innerText()).toContain(
      'follow-up "no-such-entry" is not an entry in locale "en"',
    );
    await page.getByTestId('field-followUps').fill('opening-hours');
    await page.getByTestId('save').click();
    await page.getByTestId('entry').filter({ hasText: 'Do you sell gift cards?' }).waitFor();
    expect(await harness.app.kb.getStored('gift-cards', 'en')).toMatchObject({
      alternates: ['gift card', 'voucher'],
      followUps: ['opening-hours'],
    });
  });

  it('shows the phrasings another entry also claims, and opens that entry', async () => {
    await page.getByTestId('entry').filter({ hasText: 'Am I talking to a bot?' }).click();
    const overlap = page.getByTestId('overlap').filter({ hasText: 'urgent-issue' });
    expect(await overlap.innerText()).toMatch(/“?help”? nearly as close to urgent-issue/);
    await overlap.getByRole('button', { name: 'urgent-issue' }).click();
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLInputElement>('[data-testid="field-question"]')?.value ===
        'My problem is urgent',
    );
    // A new alternate with another entry's wording shows up once saved.
    await page.getByTestId('field-alternates').fill('This is an emergency\nAre you a robot?');
    await page.getByTestId('save').click();
    await page
      .getByTestId('overlap')
      .filter({ hasText: 'same wording as' })
      .filter({ hasText: 'about-the-bot' })
      .waitFor();
  });

  it('turns unanswered questions into an alternate, or a new entry with the agent’s answer', async () => {
    const miss = {
      locale: 'en',
      outcome: 'none',
      topId: 'opening-hours',
      confidence: 0.2,
    } as const;
    await harness.app.kb.recordUnanswered({ ...miss, text: 'are you open on bank holidays' });
    await harness.app.kb.recordUnanswered({ ...miss, text: 'Are you open on bank holidays?' });
    await harness.app.kb.recordAgentAnswer({
      ticketId: 'ticket-gift-wrap',
      locale: 'en',
      question: 'Do you sell gift wrap?',
      answer: 'Yes, for 2 € at the counter.',
    });
    await page.getByRole('button', { name: 'Unanswered' }).click();
    const holidays = page.getByTestId('unanswered-group').filter({ hasText: 'bank holidays' });
    expect(await holidays.getByTestId('unanswered-count').innerText()).toBe('2×');
    expect(
      await page
        .getByTestId('unanswered-group')
        .filter({ hasText: 'gift wrap' })
        .getByTestId('unanswered-answer')
        .innerText(),
    ).toContain('Yes, for 2 € at the counter.');
    await screenshot(page, 'editor-unanswered.png');
    // The entry the bot offered is proposed.
    expect(await holidays.getByTestId('unanswered-target').inputValue()).toBe('opening-hours');
    await holidays.getByTestId('unanswered-add').click();
    await holidays.waitFor({ state: 'detached' });
    expect((await harness.app.kb.getStored('opening-hours', 'en'))?.alternates).toContain(
      'Are you open on bank holidays?',
    );

    await page
      .getByTestId('unanswered-group')
      .filter({ hasText: 'gift wrap' })
      .getByTestId('unanswered-new')
      .click();
    // The agent's answer is the draft.
    expect(await page.getByTestId('field-question').inputValue()).toBe('Do you sell gift wrap?');
    expect(await page.getByTestId('field-answer').inputValue()).toBe(
      'Yes, for 2 € at the counter.',
    );
    await page.getByTestId('field-id').fill('gift-wrap');
    await page.getByTestId('save').click();
    await page.getByTestId('entry').filter({ hasText: 'Do you sell gift wrap?' }).waitFor();
    // The group leaves the inbox once the entry is saved (the page dismisses it after the save).
    const inbox = () => harness.app.kb.unansweredGroups('en');
    for (let i = 0; i < 50 && (await inbox()).length > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await inbox()).toEqual([]);
  });

  it('refuses to delete an entry that another entry offers as a follow-up', async () => {
    await page.getByTestId('entry').filter({ hasText: 'What happens if I write outside' }).click();
    await page.getByTestId('delete').click();
    await page.getByTestId('confirm-delete').click();
    expect(await page.getByTestId('error-entry').innerText()).toMatch(/follow-up/i);
    expect(await harness.app.kb.getStored('after-hours', 'en')).toBeDefined();
  });

  it('dry-runs an import, then applies it', async () => {
    await page.getByRole('button', { name: 'Import' }).click();
    const csv = 'id,locale,question,answer\nparking,en,Where can I park?,In the **P1** garage.\n';
    await page.getByTestId('import-text').fill(csv);
    expect(await page.getByTestId('apply-import').isDisabled()).toBe(true);
    await page.getByTestId('dry-run').click();
    expect(await page.getByTestId('import-report').innerText()).toContain('1 added, 0 updated');
    expect(await harness.app.kb.getStored('parking', 'en')).toBeUndefined();
    await page.getByTestId('apply-import').click();
    await page.getByTestId('import-report').getByText('applied').waitFor();
    expect(await harness.app.kb.getStored('parking', 'en')).toMatchObject({
      answer: 'In the **P1** garage.',
    });

    await page.getByTestId('import-text').fill('id,locale,question,answer\nbad,en,,No question\n');
    await page.getByTestId('dry-run').click();
    expect(await page.getByTestId('import-problems').innerText()).toMatch(/line 2.*question/);
  });

  it('edits the synonyms of a locale', async () => {
    await page.getByRole('button', { name: 'Synonyms' }).click();
    await page.getByTestId('synonyms-locale').selectOption('en');
    await page.getByTestId('synonyms').fill('car, vehicle, auto');
    await page.getByTestId('save-synonyms').click();
    await page.getByText('Saved 1 groups for "en"').waitFor();
    expect(await harness.app.kb.getSynonyms('en')).toEqual([['car', 'vehicle', 'auto']]);

    // Versioned: the history shows each edit, and an older one comes back with one click.
    await page.getByTestId('synonyms').fill('car, vehicle, auto\nrefund, money back');
    await page.getByTestId('save-synonyms').click();
    await page.getByText('Saved 2 groups for "en"').waitFor();
    const versions = page.getByTestId('synonym-version');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="synonym-version"]').length >= 2,
    );
    expect(await versions.first().innerText()).toMatch(/Eve Editor[\s\S]*\+ refund, money back/);
    await versions.nth(1).getByTestId('restore-synonyms').click();
    await page.getByText('Restored version').waitFor();
    expect(await harness.app.kb.getSynonyms('en')).toEqual([['car', 'vehicle', 'auto']]);
    expect(await page.getByTestId('synonyms').inputValue()).toBe('car, vehicle, auto');
  });

  it('keeps a tested answer as a golden question, and a save that breaks it waits for "Save anyway"', async () => {
    await page.getByRole('button', { name: 'Entries', exact: true }).click();
    await testQuestion(page, 'What are your opening hours?');
    await page.getByTestId('keep-golden').click();
    expect(await page.getByTestId('golden-kept').innerText()).toContain('opening-hours');

    // An entry that claims the same question is refused, and nothing is written.
    await page.getByTestId('new-entry').click();
    await page.getByTestId('field-id').fill('holiday-hours');
    await page.getByTestId('field-question').fill('What are your opening hours on holidays?');
    await page.getByTestId('field-alternates').fill('What are your opening hours?');
    await page.getByTestId('field-answer').fill('Closed on public holidays.');
    await page.getByTestId('save').click();
    const broken = page.getByTestId('golden-broken');
    await broken.first().waitFor();
    expect(await broken.innerText()).toMatch(
      /What are your opening hours\?.*\(en\) must get opening-hours, would get/,
    );
    expect(await harness.app.kb.getStored('holiday-hours', 'en')).toBeUndefined();
    await page.getByTestId('golden-force').click();
    await page.getByTestId('entry').filter({ hasText: 'on holidays?' }).waitFor();
    expect(await harness.app.kb.getStored('holiday-hours', 'en')).toBeDefined();

    // The golden tab shows the damage, and takes another question in Hebrew.
    await page.getByRole('button', { name: 'Golden questions' }).click();
    const row = page.getByTestId('golden').filter({ hasText: 'What are your opening hours?' });
    await row.waitFor();
    expect(await row.getByTestId('golden-status').innerText()).toBe('✗');
    expect(await row.innerText()).toMatch(/must get opening-hours, gets now/);
    await page.getByTestId('golden-question').fill('מה שעות הפתיחה?');
    await page.getByTestId('golden-locale').selectOption('he');
    await page.getByTestId('golden-expected').selectOption('opening-hours');
    await page.getByTestId('golden-add').click();
    const hebrew = page.getByTestId('golden').filter({ hasText: 'מה שעות הפתיחה?' });
    await hebrew.waitFor();
    expect(await hebrew.getByTestId('golden-status').innerText()).toBe('✓');
    expect(await page.getByTestId('golden-summary').innerText()).toBe(
      '1 of 2 answered as they must be now.',
    );
    await page.getByTestId('simulate').click();
    const rows = page.getByTestId('threshold-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(13);
    expect(await rows.filter({ hasText: '(now)' }).innerText()).toMatch(/^0\.60 \(now\)/);
    await screenshot(page, 'editor-golden.png');

    // Clean up for the tests after this one.
    await harness.app.kb.delete('holiday-hours', 'en', 'test');
    for (const g of await harness.app.kb.goldenQuestions()) {
      await harness.app.kb.removeGoldenQuestion(g.id);
    }
  });

  it('shows an entry whose question is HTML as text and runs none of it', async () => {
    const created = await harness.call('POST', '/api/kb/entries', {
      token,
      body: {
        id: 'xss',
        locale: 'en',
        question: hostile,
        answer: '<script>window.__xss=2</script>',
      },
    });
    expect(created.status).toBe(201);
    await page.reload();
    await page.getByTestId('entry').first().waitFor();
    const row = page.getByTestId('entry').filter({ hasText: hostile });
    await row.click();
    expect(await page.getByTestId('field-question').inputValue()).toBe(hostile);
    await testQuestion(page, hostile);
    await page.getByTestId('candidate').filter({ hasText: hostile }).first().waitFor();

    expect(await page.locator('main img, aside img, section img, script:not([src])').count()).toBe(
      0,
    );
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
