import { localeOfPhrase, withoutSmallTalk } from '../../../bot/conversation/systemIntents';

describe('withoutSmallTalk', () => {
  it.each([
    ['en', 'Hi there!', ''],
    ['en', 'Thank you so much 🙏', ''],
    ['en', 'Good morning, where is my parcel?', 'where is my parcel'],
    ['en', 'thanks for nothing', 'nothing'],
    ['he', 'שלום, מה שעות הפעילות?', 'מה שעות הפעילות'],
    ['he', 'תודה רבה!', ''],
    ['ro', 'Bună ziua! Cum obțin o rambursare?', 'cum obțin o rambursare'],
    ['ro', 'Mulțumesc mult', ''],
    ['hu', 'Szia, mikor vagytok nyitva?', 'mikor vagytok nyitva'],
    ['hu', 'Köszönöm szépen!', ''],
  ])('[%s] "%s" leaves "%s"', (locale, text, rest) => {
    expect(withoutSmallTalk(text, locale)).toBe(rest);
  });

  it('leaves text in a locale without small talk phrasings as its words', () => {
    expect(withoutSmallTalk('Hello, World', 'xx')).toBe('hello world');
  });
});

describe('localeOfPhrase', () => {
  const all = ['en', 'he', 'ro', 'hu'];
  it.each([
    ['Szia!', 'hu'],
    ['köszi', 'hu'],
    ['Mulțumesc', 'ro'],
    ['salut', 'ro'],
    ['תודה', 'he'],
    ['Hello', 'en'],
  ])('knows "%s" is %s', (text, locale) => {
    expect(localeOfPhrase(text, all)).toBe(locale);
  });

  it('says nothing for phrasings of several locales, other text, or unsupported locales', () => {
    expect(localeOfPhrase('agent', all)).toBeNull(); // English and Romanian
    expect(localeOfPhrase('szia, mikor vagytok nyitva?', all)).toBeNull();
    expect(localeOfPhrase('szia', ['en', 'he'])).toBeNull();
  });
});
