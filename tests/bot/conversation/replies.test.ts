import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { availableLocales, describeWait, t, type TextKey } from '../../../bot/conversation/replies';
import { renderNotice } from '../../../bot/adapters/userNotifier';

const localesDir = path.join(__dirname, '..', '..', '..', 'bot', 'conversation', 'locales');
const load = (locale: string) =>
  JSON.parse(fs.readFileSync(path.join(localesDir, `${locale}.json`), 'utf8')) as Record<
    string,
    string
  >;

/** Argument names a message uses (plural/select arguments and the ones inside their options). */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]): void => {
    for (const el of elements) {
      if ('value' in el && typeof el.value === 'string' && el.type !== TYPE.literal) {
        names.add(el.value);
      }
      if ('options' in el) {
        for (const option of Object.values(el.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...names].filter((n) => !n.endsWith('Article')).sort();
}

/** Sample values for every argument any message uses. */
const samples: Record<string, string | number> = {
  reference: 'AD-000123',
  position: 2,
  wait: '…',
  backAt: 'Monday 09:00',
  hours: 24,
  agent: 'Dana',
  outcome: 'Refund approved',
  queue: 'supervisor',
  rating: 4,
  min: 5,
  max: 12,
};

describe('message catalogues', () => {
  const english = load('en');
  it.each(['he', 'ro', 'hu'])(
    '%s has every English key, non-empty, with the same arguments',
    (locale) => {
      const catalogue = load(locale);
      for (const [key, text] of Object.entries(english)) {
        expect(catalogue[key]).toBeTruthy();
        expect({ key, args: argumentsOf(catalogue[key]!) }).toEqual({
          key,
          args: argumentsOf(text),
        });
      }
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(english).sort());
    },
  );

  it.each(['en', 'he', 'ro', 'hu'])(
    'renders every %s message with sample values: no raw placeholder, no article guess',
    (locale) => {
      for (const key of Object.keys(english) as TextKey[]) {
        const text = t(locale, key, samples);
        expect({ key, text }).toEqual({ key, text: expect.not.stringMatching(/[{}]|a\(z\)/i) });
        for (const n of [0, 1, 2, 5, 25]) {
          const counted = t(locale, key, { ...samples, position: n, hours: n, min: n, max: n });
          expect({ key, n, counted }).toEqual({
            key,
            n,
            counted: expect.not.stringMatching(/[{}#]/),
          });
        }
      }
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

  it('throws when a text needs a value the caller did not give', () => {
    expect(() => t('en', 'statusAssigned', { agent: 'Dana' })).toThrow(/reference/);
  });
});

describe('plurals read naturally', () => {
  const minutes = (locale: string, min: number) => t(locale, 'waitMinutes', { min });
  const hours = (locale: string, hours: number) =>
    t(locale, 'afterHours', { backAt: 'x', hours, reference: 'AD-000001' });
  it.each([
    ['en', 0, 'about 0 minutes'],
    ['en', 1, 'about 1 minute'],
    ['en', 2, 'about 2 minutes'],
    ['en', 5, 'about 5 minutes'],
    ['en', 25, 'about 25 minutes'],
    ['ro', 1, 'aproximativ 1 minut'],
    ['ro', 2, 'aproximativ 2 minute'],
    ['ro', 5, 'aproximativ 5 minute'],
    ['ro', 25, 'aproximativ 25 de minute'],
    ['he', 1, 'כדקה'],
    ['he', 2, 'כשתי דקות'],
    ['he', 5, 'כ-5 דקות'],
    ['he', 25, 'כ-25 דקות'],
    ['hu', 1, 'kb. 1 perc'],
    ['hu', 5, 'kb. 5 perc'],
    ['hu', 25, 'kb. 25 perc'],
  ] as const)('%s, %s minutes → %s', (locale, n, text) => {
    expect(minutes(locale, n)).toBe(text);
  });

  it.each([
    ['en', 1, 'within 1 hour.'],
    ['en', 24, 'within 24 hours.'],
    ['he', 1, 'תוך שעה.'],
    ['he', 2, 'תוך שעתיים.'],
    ['he', 24, 'תוך 24 שעות.'],
    ['ro', 1, 'cel mult 1 oră.'],
    ['ro', 2, 'cel mult 2 ore.'],
    ['ro', 24, 'cel mult 24 de ore.'],
    ['hu', 1, '1 órán belül'],
    ['hu', 24, '24 órán belül'],
  ] as const)('%s, promise of %s hours → "%s"', (locale, n, needle) => {
    expect(hours(locale, n)).toContain(needle);
  });

  it('Romanian says "primul" for the first place and "al 5-lea" after', () => {
    const queued = (position: number) =>
      t('ro', 'queued', { reference: 'AD-000001', position, wait: 'x' });
    expect(queued(1)).toContain('Ești primul la rând');
    expect(queued(5)).toContain('Ești al 5-lea la rând');
  });

  it('Hungarian picks a/az by how the next word sounds', () => {
    const ack = (position: number) => t('hu', 'waitingAck', { position });
    expect(ack(1)).toContain('az 1. helyen');
    expect(ack(2)).toContain('a 2. helyen');
    expect(ack(5)).toContain('az 5. helyen');
    expect(ack(10)).toContain('a 10. helyen');
    expect(t('hu', 'cancelled', { reference: 'AD-000123' })).toMatch(/^Az AD-000123 /);
  });

  it("names queues in the customer's language, never by their id", () => {
    expect(t('he', 'transferredToQueue', { queue: 'supervisor' })).not.toContain('supervisor');
    expect(t('hu', 'transferredToQueue', { queue: 'supervisor' })).toContain('a felettesekhez');
    expect(t('en', 'transferredToQueue', { queue: 'vip-escalations' })).not.toContain('vip');
  });
});

describe('describeWait', () => {
  it.each([
    [720, null, 'about 12 minutes'],
    [30, null, 'less than a minute'],
    [
      null,
      null,
      'not known, because nobody from our team is online right now; a person will answer here as soon as someone is back',
    ],
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
