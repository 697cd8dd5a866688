import fs from 'node:fs';
import path from 'node:path';
import { availableLocales, describeWait, t } from '../../../bot/conversation/replies';
import { renderNotice } from '../../../bot/adapters/userNotifier';

const localesDir = path.join(__dirname, '..', '..', '..', 'bot', 'conversation', 'locales');
const load = (locale: string) =>
  JSON.parse(fs.readFileSync(path.join(localesDir, `${locale}.json`), 'utf8')) as Record<
    string,
    string
  >;

describe('message catalogues', () => {
  const english = load('en');
  it.each(['he', 'ro', 'hu'])(
    '%s has every English key, non-empty, with the same placeholders',
    (locale) => {
      const catalogue = load(locale);
      for (const [key, text] of Object.entries(english)) {
        expect(catalogue[key]).toBeTruthy();
        const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect({ key, placeholders: placeholders(catalogue[key]!) }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(english).sort());
    },
  );

  it('lists the four shipped locales', () => {
    expect(availableLocales().sort()).toEqual(['en', 'he', 'hu', 'ro']);
  });

  it('fills placeholders and falls back to English for an unknown locale', () => {
    expect(t('xx', 'statusAssigned', { agent: 'Dana', reference: 'AD-1' })).toBe(
      'Dana is handling your request AD-1.',
    );
    expect(t('he', 'agentJoined', { agent: 'דנה' })).toContain('דנה');
  });
});

describe('describeWait', () => {
  it.each([
    [720, null, 'about 12 minutes'],
    [30, null, 'less than a minute'],
    [null, null, 'not known yet; we will keep you posted'],
    [600, [480, 960], 'between 8 and 16 minutes'],
  ] as const)('%s s, range %j → %s', (eta, range, text) => {
    expect(describeWait('en', eta, range ? [range[0], range[1]] : null)).toBe(text);
  });
});

describe('renderNotice', () => {
  it('sends the summary and then the 1–5 rating buttons on resolve', () => {
    const [summary, rating] = renderNotice('ro', 't1', {
      kind: 'resolved',
      reference: 'AD-000042',
      agentName: 'Ioana',
      outcome: 'Rambursare aprobată',
    });
    expect(summary?.text).toContain('AD-000042');
    expect(summary?.text).toContain('Ioana');
    const buttons = (rating?.attachments?.[0]?.content as { buttons: { value: unknown }[] })
      .buttons;
    expect(buttons.map((b) => b.value)).toEqual(
      [1, 2, 3, 4, 5].map((r) => ({ action: 'rate', ticketId: 't1', rating: r })),
    );
  });

  it.each([
    [{ kind: 'agentJoined', agentName: 'Dana' } as const, 'Dana'],
    [{ kind: 'agentMessage', agentName: 'Dana', text: 'Hello there' } as const, 'Hello there'],
    [{ kind: 'requeued', position: 3 } as const, '3'],
    [{ kind: 'transferred', toAgentName: 'Avi', toQueue: null } as const, 'Avi'],
    [{ kind: 'queueUpdate', position: 2, etaSeconds: 600, etaRange: null } as const, '2'],
    [{ kind: 'cancelled', reference: 'AD-7' } as const, 'AD-7'],
  ])('tells the customer about %j', (notice, needle) => {
    const [message] = renderNotice('en', 't1', notice);
    expect(message?.text).toContain(needle);
  });
});
