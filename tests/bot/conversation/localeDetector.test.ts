import { detectLocale, supportedLocaleOf } from '../../../bot/conversation/localeDetector';

const all = ['en', 'he', 'ro', 'hu'];

describe('detectLocale', () => {
  it.each([
    ['מתי אתם פתוחים?', 'he'],
    ['אני רוצה לדבר עם נציג', 'he'],
    ['Care este programul de lucru și cât durează un răspuns?', 'ro'],
    ['Mikor vagytok nyitva és mennyi ideig tart a válasz?', 'hu'],
    ['What are your opening hours and how long does it take?', 'en'],
  ])('reads %s as %s', (text, locale) => {
    expect(detectLocale(text, all)).toBe(locale);
  });

  it.each([[''], ['12345'], ['ok'], ['😀😀'], ['agent']])('gives no verdict for %j', (text) => {
    expect(detectLocale(text, all)).toBeNull();
  });

  it('never answers a locale that is not supported', () => {
    expect(detectLocale('מתי אתם פתוחים?', ['en', 'ro'])).toBeNull();
  });
});

describe('supportedLocaleOf', () => {
  it.each([
    ['he-IL', 'he'],
    ['en_US', 'en'],
    ['HU', 'hu'],
    ['de-DE', null],
    [undefined, null],
  ])('%s → %s', (tag, expected) => {
    expect(supportedLocaleOf(tag, all)).toBe(expected);
  });
});
