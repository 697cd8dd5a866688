import { FaqMatcher } from '../../../knowledge/faqMatcher';
import { encoderSimilarity, loadSentenceEncoder } from '../../../knowledge/sentenceEncoder';
import type { FaqEntry } from '../../../knowledge/types';
import { faqEntry as entry } from './indexFixtures';

// The real model (Universal Sentence Encoder lite from its npm package): loading takes a
// fraction of a second, each sentence a few milliseconds.
jest.setTimeout(60_000);

const kb: FaqEntry[] = [
  entry('lost-card', 'en', 'I lost my card', ['my card was stolen', 'block my card']),
  entry('card-arrival', 'en', 'When will my card arrive?', ['card delivery time']),
  entry('opening-hours', 'en', 'When are you open?', ['opening hours']),
  entry('opening-hours', 'he', 'מתי אתם פתוחים?', ['שעות פתיחה']),
];

const unit = (values: number[]): Float32Array => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
};

describe('encoderSimilarity', () => {
  it('averages the cosine with the phrasings’ mean and the best single phrasing', () => {
    const query = unit([1, 0]);
    const phrasings = [unit([1, 0]), unit([0, 1])];
    // Mean direction (1,1)/√2: cosine 0.707; best phrasing: 1.
    expect(encoderSimilarity(query, phrasings)).toBeCloseTo((Math.SQRT1_2 + 1) / 2, 6);
    expect(encoderSimilarity(query, [unit([-1, 0])])).toBe(0);
    expect(encoderSimilarity(query, [])).toBe(0);
  });
});

describe('sentence encoder (USE lite)', () => {
  it('places a paraphrase nearer than an unrelated sentence, and caches by text', async () => {
    const encoder = await loadSentenceEncoder('use-lite-en');
    expect(encoder).toBeDefined();
    const [lost, gone, hours] = await encoder!.embed([
      'I lost my card',
      "I can't find my card, it's gone",
      'When are you open on Sundays?',
    ]);
    expect(lost).toHaveLength(512);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(lost!, lost!)).toBeCloseTo(1, 4);
    expect(dot(lost!, gone!)).toBeGreaterThan(dot(lost!, hours!) + 0.2);
    expect(encoder!.cached('I lost my card')).toBe(lost);
    expect(await loadSentenceEncoder('use-lite-en')).toBe(encoder); // one model per process
  });
});

describe('FaqMatcher.matchAsync with the sentence encoder', () => {
  const query = "I can't find my card anywhere, it's gone";

  it('answers like match() until the phrasings are encoded, then adds the encoder score', async () => {
    const matcher = new FaqMatcher();
    matcher.load(kb);
    expect(await matcher.matchAsync(query, 'en')).toEqual(matcher.match(query, 'en'));
    expect(matcher.sentenceEncoderStatus).toEqual([{ locale: 'en', ready: false }]);
    await matcher.warmEncoders();
    expect(matcher.sentenceEncoderStatus).toEqual([{ locale: 'en', ready: true }]);
    const encoded = await matcher.matchAsync(query, 'en');
    expect(encoded.candidates[0]?.id).toBe('lost-card');
    expect(encoded.candidates[0]?.scores.encoder).toBeGreaterThan(0.4);
    expect(matcher.match(query, 'en').candidates[0]?.scores.encoder).toBeUndefined();
  });

  it('leaves locales without an encoder, large locales and the switched-off matcher alone', async () => {
    const large = new FaqMatcher({ sentenceEncoderMaxPhrasings: 3 });
    const off = new FaqMatcher({ sentenceEncoder: false });
    const plain = new FaqMatcher();
    for (const m of [large, off, plain]) {
      m.load(kb);
      await m.warmEncoders();
    }
    expect(await large.matchAsync(query, 'en')).toEqual(large.match(query, 'en'));
    expect(await off.matchAsync(query, 'en')).toEqual(off.match(query, 'en'));
    expect(await plain.matchAsync('מתי אתם פתוחים', 'he')).toEqual(
      plain.match('מתי אתם פתוחים', 'he'),
    );
  });

  it('brings in the nearest entries by meaning, even when they share no word with the query', async () => {
    const matcher = new FaqMatcher();
    matcher.load(kb);
    await matcher.warmEncoders();
    const paraphrase = 'somebody took the wallet with everything inside';
    expect(matcher.match(paraphrase, 'en').candidates.map((c) => c.id)).not.toContain('lost-card');
    const result = await matcher.matchAsync(paraphrase, 'en');
    const lost = result.candidates.find((c) => c.id === 'lost-card');
    expect(lost?.scores.encoder).toBeGreaterThan(0.4);
    // Nothing in the KB is about this: no entry is close enough to be brought in.
    expect(
      (await matcher.matchAsync('purple elephants juggling on the moon', 'en')).candidates,
    ).toEqual([]);
    const without = new FaqMatcher({ encoderCandidates: 0 });
    without.load(kb);
    await without.warmEncoders();
    expect((await without.matchAsync(paraphrase, 'en')).candidates).toEqual([]);
  });

  it('encodes an entry added after the warm-up when it first leads a query', async () => {
    const matcher = new FaqMatcher();
    matcher.load(kb);
    await matcher.warmEncoders();
    matcher.upsert(entry('pin', 'en', 'How do I reset my PIN?', ['forgot my PIN code']));
    const result = await matcher.matchAsync('I forgot the secret code of my card', 'en');
    const pin = result.candidates.find((c) => c.id === 'pin');
    expect(pin?.scores.encoder).toBeGreaterThan(0);
  });
});
