import { detectFrustration } from '../../../bot/conversation/frustration';

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

  it.each([
    ['thanks a lot, useless bot', 'en'],
    ["You don't understand me", 'en'],
    ['this is a waste of time', 'en'],
    ['הבוט המטומטם הזה', 'he'],
    ['אתה לא מֵבין מה אני שואל', 'he'],
    ['Nu mă ajuți deloc', 'ro'],
    ['eşti inutil', 'ro'],
    ['Hülye bot!', 'hu'],
    ['ez időpazarlás', 'hu'],
  ])('flags the complaint %j (%s)', (text, locale) => {
    expect(detectFrustration(text, locale, [])).toContain('complaint');
  });

  it.each([
    ["I don't understand the fee on my statement", 'en'],
    ['is the bot useful for opening an account?', 'en'],
    ['אני לא מבין את החשבון', 'he'],
    ['nu înțeleg factura', 'ro'],
    ['nem értem a számlát', 'hu'],
  ])('leaves %j (%s) alone: the customer’s own problem, not a complaint', (text, locale) => {
    expect(detectFrustration(text, locale, [])).toEqual([]);
  });

  it('needs the same question twice before, not once', () => {
    expect(detectFrustration('when are you open', 'en', ['when are you open'])).toEqual([]);
  });
});
