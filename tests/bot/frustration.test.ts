import { detectFrustration } from '../../bot/frustration';

describe('detectFrustration', () => {
  it.each([
    ['this is useless and terrible, I hate it', 'en', [], 'negative_sentiment'],
    ['WHY DOES NOTHING WORK HERE', 'en', [], 'shouting'],
    ['DE CE NU MERGE NIMIC AICI', 'ro', [], 'shouting'],
    ['where is my answer???', 'en', [], 'punctuation'],
    ['hol a válasz?!?!', 'hu', [], 'punctuation'],
    ['when are you open', 'en', ['When are you open?', 'when are you open!'], 'repetition'],
  ] as const)('flags %j', (text, locale, previous, signal) => {
    expect(detectFrustration(text, locale, [...previous])).toContain(signal);
  });

  it.each([
    ['When are you open?', 'en'],
    ['Thanks, that was great help!', 'en'],
    ['מתי אתם פתוחים?', 'he'],
    ['OK', 'en'],
    ['', 'en'],
  ])('leaves a calm %j alone', (text, locale) => {
    expect(detectFrustration(text, locale, [])).toEqual([]);
  });

  it('needs the same question twice before, not once', () => {
    expect(detectFrustration('when are you open', 'en', ['when are you open'])).toEqual([]);
  });
});
