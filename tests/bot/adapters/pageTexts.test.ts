import { pageTexts } from '../../../bot/adapters/directline/webChatPage';

describe('customer page texts', () => {
  const texts = pageTexts(['en', 'he', 'ro', 'hu']);

  it('names the page and the language picker in every language', () => {
    expect(texts.en).toMatchObject({ pageTitle: 'Askdesk – Help', languageLabel: 'Language' });
    expect(texts.he).toMatchObject({ pageTitle: 'Askdesk – עזרה', languageLabel: 'שפה' });
    expect(texts.ro).toMatchObject({ languageLabel: 'Limba' });
    expect(texts.hu).toMatchObject({ languageLabel: 'Nyelv' });
  });

  it("sets Web Chat's own strings to the bot's informal register", () => {
    expect(texts.hu?.webChat.ACTIVITY_YOU_SAID_ALT).toBe('Ezt írtad:');
    expect(texts.ro?.webChat.ACTIVITY_YOU_SAID_ALT).toBe('Ai spus:');
    for (const locale of ['hu', 'ro'] as const) {
      const all = Object.values(texts[locale]?.webChat ?? {}).join(' ');
      expect(all).not.toMatch(/\bÖn\b|\bAți\b|kattintson|Faceți/);
    }
  });
});
