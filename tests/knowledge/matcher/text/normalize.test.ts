import { he } from '../../../../knowledge/matcher/text/localeProfiles/he';
import { builtInProfiles } from '../../../../knowledge/matcher/text/localeProfiles/index';
import {
  foldDiacritics,
  stripClitics,
  TextPipeline,
  tokenize,
} from '../../../../knowledge/matcher/text/normalize';

const limits = { maxChars: 1000, maxTokens: 64, ngramSizes: [3, 4] };
const pipeline = (locale: string): TextPipeline => {
  const profile = builtInProfiles.find((p) => p.locale === locale);
  if (!profile) throw new Error(`no profile ${locale}`);
  return new TextPipeline(profile, limits);
};
const stems = (locale: string, text: string): string[] =>
  pipeline(locale)
    .analyze(text)
    .map((t) => t.stem);

describe('foldDiacritics', () => {
  it.each([
    ['ș ş ț ţ ă â î', 's s t t a a i'],
    ['őrült ügyintéző árvíztűrő', 'orult ugyintezo arvizturo'],
    ['שָׁלוֹם', 'שלום'],
    ['Crème brûlée', 'Creme brulee'],
    ['', ''],
  ])('folds %j to %j', (input, expected) => {
    expect(foldDiacritics(input)).toBe(expected);
  });
});

describe('tokenize', () => {
  it.each([
    ['How do I reset my PIN?', ['how', 'do', 'i', 'reset', 'my', 'pin']],
    ["I can't log in", ['i', 'cant', 'log', 'in']],
    ['   ', []],
    ['🙂🙂👍', []],
    ['agent 🙂 נציג', ['agent', 'נציג']],
    ["'; DROP TABLE faq; --", ['drop', 'table', 'faq']],
    ['<script>alert(1)</script>', ['script', 'alert', '1', 'script']],
  ])('splits %j into words', (input, expected) => {
    expect(tokenize(input, limits)).toEqual(expected);
  });

  it('keeps niqqud inside a Hebrew word instead of splitting it', () => {
    expect(tokenize('שָׁלוֹם עוֹלָם', limits)).toHaveLength(2);
  });

  it('bounds the work on a 10,000-character text', () => {
    expect(tokenize('card '.repeat(2000), { maxChars: 1000, maxTokens: 64 })).toHaveLength(64);
  });
});

describe('stripClitics (Hebrew)', () => {
  it.each([
    ['והחשבון', 'חשבון'], // ו + ה stacked
    ['בבנק', 'בנק'],
    ['לחשבון', 'חשבון'],
    ['שהחשבון', 'חשבון'],
    ['מה', 'מה'], // too short to strip
    ['של', 'של'],
    ['הבנק', 'בנק'],
    ['בנק', 'בנק'],
  ])('%s → %s', (word, expected) => {
    expect(stripClitics(word, he)).toBe(expected);
  });
});

describe('TextPipeline stems in all four languages', () => {
  it.each([
    ['en', 'cancellations', 'cancelled'],
    ['en', 'refunds', 'refunded'],
    ['ro', 'contul', 'cont'],
    ['ro', 'plățile', 'plata'],
    ['hu', 'utalásom', 'utalás'],
    ['hu', 'számlát', 'számla'],
    ['he', 'והחשבון', 'חשבון'],
    ['he', 'בכרטיס', 'כרטיס'], // כ of כרטיס is stripped too, consistently
    ['he', 'שהחשבון', 'חשבון'],
  ])('%s: %s and %s share a stem', (locale, a, b) => {
    expect(stems(locale, a)).toEqual(stems(locale, b));
  });

  it('treats Romanian cedilla and comma-below letters and missing diacritics alike', () => {
    expect(stems('ro', 'ştergere')).toEqual(stems('ro', 'ștergere'));
    expect(stems('ro', 'țară')).toEqual(stems('ro', 'tara'));
  });

  it('removes Hebrew niqqud before matching', () => {
    expect(stems('he', 'חֶשְׁבּוֹן')).toEqual(stems('he', 'חשבון'));
  });

  it.each([
    ['en', 'the', true],
    ['en', 'refund', false],
    ['ro', 'și', true],
    ['ro', 'si', true],
    ['hu', 'és', true],
    ['he', 'של', true],
  ])('%s: marks %j as stop word = %s', (locale, word, isStop) => {
    expect(pipeline(locale).analyze(word)[0]?.isStop).toBe(isStop);
  });

  it('gives no tokens for empty, whitespace-only and emoji-only text', () => {
    for (const text of ['', '  \n\t', '🙂👍🔥']) expect(pipeline('en').analyze(text)).toEqual([]);
  });
});
