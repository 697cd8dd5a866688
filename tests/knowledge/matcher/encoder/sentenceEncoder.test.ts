import { FaqMatcher } from '../../../../knowledge/matcher/faqMatcher';
import { matcherDefaults } from '../../../../knowledge/matcher/matcherDefaults';
import { ThreadEncoderModel } from '../../../../knowledge/matcher/encoder/encoderThread';
import {
  CachingEncoder,
  encoderSimilarity,
  loadEncoderModel,
  loadSentenceEncoder,
  MAX_BATCH,
  type EncoderModel,
} from '../../../../knowledge/matcher/encoder/sentenceEncoder';
import { loadSampleKb } from '../../../../knowledge/sampleKb';
import { calibratedConfidence } from '../../../../knowledge/matcher/scoring/score';
import type { FaqEntry, MatchCandidate } from '../../../../knowledge/types';
import { faqEntry as entry, hostileInputs, longQuestion, unreadableInputs } from '../indexFixtures';

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

/** A model double at our port: each text becomes (its length, 1); calls are recorded. */
class RecordingModel implements EncoderModel {
  readonly calls: string[][] = [];
  failNext = false;
  failAlways = false;
  async embed(input: string[]): Promise<number[][]> {
    this.calls.push([...input]);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the model takes time
    if (this.failAlways) throw new Error('model failed');
    if (this.failNext) {
      this.failNext = false;
      throw new Error('model failed');
    }
    return input.map((text) => [text.length, 1]);
  }
}

describe('CachingEncoder batching', () => {
  const expected = (text: string) => unit([text.length, 1]);

  it('serves concurrent callers from shared model calls, each text once', async () => {
    const model = new RecordingModel();
    const encoder = new CachingEncoder('test', 2, model);
    const questions = ['a', 'bb', 'ccc', 'bb', 'dddd'];
    const results = await Promise.all(questions.map((q) => encoder.embed([q])));
    expect(results.map(([v]) => v)).toEqual(questions.map(expected));
    expect(model.calls).toEqual([['a', 'bb', 'ccc', 'dddd']]);
    expect(encoder.cached('ccc')).toEqual(expected('ccc'));
    await encoder.embed(['a', 'bb']); // cached: no model call
    expect(model.calls).toHaveLength(1);
  });

  it('never puts more than MAX_BATCH texts in one call, and keeps each caller’s order', async () => {
    const model = new RecordingModel();
    const encoder = new CachingEncoder('test', 2, model);
    const texts = Array.from({ length: 20 }, (_, i) => 'x'.repeat(i + 1));
    expect(await encoder.embed(texts)).toEqual(texts.map(expected));
    expect(model.calls.map((c) => c.length)).toEqual([MAX_BATCH, MAX_BATCH, 4]);
  });

  it('runs a question before the rest of a warm-up, never in the same call', async () => {
    const model = new RecordingModel();
    const encoder = new CachingEncoder('test', 2, model);
    const warmUp = Array.from({ length: 24 }, (_, i) => `phrasing ${i}`);
    const warming = encoder.embed(warmUp, 'background');
    await new Promise((resolve) => setTimeout(resolve, 0)); // the first warm-up batch runs
    const question = encoder.embed(['where is my card?']);
    // The warm-up text asked again by a question jumps the queue too.
    const promoted = encoder.embed(['phrasing 23']);
    await Promise.all([warming, question, promoted]);
    const questionCall = model.calls.findIndex((c) => c.includes('where is my card?'));
    expect(questionCall).toBe(1);
    expect(model.calls[1]).toEqual(['where is my card?', 'phrasing 23']);
    expect(model.calls.flat().filter((t) => t === 'phrasing 23')).toHaveLength(1);
    expect(model.calls.flat()).toHaveLength(25);
  });

  it('rejects the callers of a failed call and keeps working afterwards', async () => {
    const model = new RecordingModel();
    const encoder = new CachingEncoder('test', 2, model);
    model.failNext = true;
    await expect(encoder.embed(['first'])).rejects.toThrow('model failed');
    expect(encoder.cached('first')).toBeUndefined();
    expect(await encoder.embed(['first'])).toEqual([expected('first')]);
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

describe('ThreadEncoderModel (the model on a worker thread)', () => {
  it('gives the vectors the model gives on this thread', async () => {
    const texts = ['I lost my card', 'When are you open?'];
    const here = await loadEncoderModel('use-lite-en', { thread: false });
    const there = await loadEncoderModel('use-lite-en');
    try {
      const [a, b] = [await here.embed(texts), await there.embed(texts)];
      expect(b).toHaveLength(2);
      b.forEach((vector, i) => {
        expect(vector).toHaveLength(512);
        vector.forEach((x, j) => expect(x).toBeCloseTo(a[i]![j]!, 5));
      });
    } finally {
      await (there as ThreadEncoderModel).close();
    }
    await expect(there.embed(['after close'])).rejects.toThrow(/exited/);
  });

  it('fails every request when the model cannot load, without crashing the process', async () => {
    const broken = new ThreadEncoderModel('/nonexistent/runtime.js', '/nonexistent/weights.js');
    await expect(broken.embed(['hello'])).rejects.toThrow(/Cannot find module/);
    await expect(broken.embed(['again'])).rejects.toThrow();
    await broken.close();
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
    // The question shares "inside" with another entry (in a real KB some word always does).
    const withSafe = [...kb, entry('safe-box', 'en', 'What can I keep inside a safe box?')];
    const matcher = new FaqMatcher();
    matcher.load(withSafe);
    await matcher.warmEncoders();
    const paraphrase = 'somebody took the wallet with everything inside';
    expect(matcher.match(paraphrase, 'en').candidates.map((c) => c.id)).toEqual(['safe-box']);
    const result = await matcher.matchAsync(paraphrase, 'en');
    const lost = result.candidates.find((c) => c.id === 'lost-card');
    expect(lost?.scores.encoder).toBeGreaterThan(0.4);
    // Nothing in the KB is about this: no entry is close enough to be brought in.
    expect(
      (await matcher.matchAsync('purple elephants juggling on the moon', 'en')).candidates,
    ).toEqual([]);
    // Meaning alone is offered, never answered (it would be at 0.55 without the cap).
    expect(result.candidates[0]).toMatchObject({ id: 'lost-card', scores: { lexical: 0 } });
    expect(result.candidates[0]?.confidence).toBe(matcherDefaults.meaningOnlyConfidence);
    expect(result.band).toBe('clarify');
    const uncapped = new FaqMatcher({ meaningOnlyConfidence: 1 });
    uncapped.load(withSafe);
    await uncapped.warmEncoders();
    const free = await uncapped.matchAsync(paraphrase, 'en');
    expect(free.candidates[0]?.confidence).toBeGreaterThan(matcherDefaults.meaningOnlyConfidence);
    const without = new FaqMatcher({ encoderCandidates: 0 });
    without.load(withSafe);
    await without.warmEncoders();
    expect((await without.matchAsync(paraphrase, 'en')).candidates.map((c) => c.id)).toEqual([
      'safe-box',
    ]);
  });

  it('measures a lone candidate’s lead against an entry at the encoder’s join threshold', async () => {
    const matcher = new FaqMatcher();
    matcher.load([...kb, entry('safe-box', 'en', 'What can I keep inside a safe box?')]);
    await matcher.warmEncoders();
    const { candidates } = await matcher.matchAsync('what', 'en');
    expect(candidates).toHaveLength(1);
    const [lone] = candidates as [MatchCandidate];
    const { weights, encoderCandidateSimilarity, encoderCalibration } = matcherDefaults;
    const withLead = (margin: number) =>
      calibratedConfidence(
        { ...lone.scores, score: lone.scores.combined!, margin },
        encoderCalibration,
      );
    const floor = weights.encoder * encoderCandidateSimilarity;
    expect(lone.confidence).toBeCloseTo(withLead(lone.scores.combined! - floor), 9);
    // Against 0, as before, the lone candidate looked far surer than it is.
    expect(withLead(lone.scores.combined!)).toBeGreaterThan(lone.confidence + 0.1);
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

  describe('bad input, with the encoder (the production path)', () => {
    const matcher = new FaqMatcher();
    beforeAll(async () => {
      matcher.load(loadSampleKb());
      await matcher.warmEncoders();
    });

    it.each<[string, string]>([
      ...unreadableInputs,
      ['a greeting', 'hi'],
      ['thanks', 'thanks'],
      ['gibberish', 'asdf qwer zxcv'],
      ['mixed unrelated scripts', 'שלום 你好 привет hello'],
    ])('finds nothing for %s input, as the words alone do', async (_name, query) => {
      const result = await matcher.matchAsync(query, 'en');
      expect(result.band).toBe('none');
      expect(result.candidates).toEqual([]);
    });

    it.each(hostileInputs)('never answers %s input', async (_name, query) => {
      expect((await matcher.matchAsync(query, 'en')).band).not.toBe('answer');
    });

    it('bounds the cost of a 10,000-character question', async () => {
      const result = await matcher.matchAsync(longQuestion, 'en');
      expect(['answer', 'clarify', 'none']).toContain(result.band);
    });
  });

  const payments: FaqEntry[] = [
    entry('declined', 'en', 'Why was my card payment declined?', ['card payment declined']),
    entry('pending', 'en', 'Why is my card payment still pending?', ['card payment pending']),
    entry('fee', 'en', 'Is there a fee for card payments?', ['card payment fee']),
    entry('refund', 'en', 'How do I get a card payment refunded?', ['refund a card payment']),
    entry('hours', 'en', 'When are you open?', ['opening hours']),
  ];
  const paymentQuery = 'card payment problem';
  /** A model for which `paymentQuery` means exactly `own`, and nothing else does. */
  const meaningOnly = (own: FaqEntry): EncoderModel => {
    const meant = new Set([paymentQuery, own.question, ...own.alternates]);
    return {
      embed: (texts) => Promise.resolve(texts.map((t) => (meant.has(t) ? [1, 0] : [0, 1]))),
    };
  };

  it('gives the late components (fuse.js) to the entries that lead with the encoder', async () => {
    const byWords = new FaqMatcher();
    byWords.load(payments);
    const fourth = byWords.match(paymentQuery, 'en').candidates[3];
    expect(fourth?.scores.fuzzy).toBe(0); // fuse.js scores the 3 leaders only
    // The question means exactly the 4th entry by words, and nothing else.
    const model = meaningOnly(payments.find((e) => e.id === fourth!.id)!);
    const matcher = new FaqMatcher({}, () => Promise.resolve(new CachingEncoder('test', 2, model)));
    matcher.load(payments);
    await matcher.warmEncoders();
    const [top] = (await matcher.matchAsync(paymentQuery, 'en')).candidates;
    expect(top).toMatchObject({ id: fourth!.id, scores: { encoder: 1 } });
    expect(top?.scores.fuzzy).toBeGreaterThan(0);
  });

  it('widens the pool for the encoder: an entry just below it by words can still lead', async () => {
    const withLimit = [...payments, entry('limit', 'en', 'What is my card limit?', ['card limit'])];
    // A pool of 3 by words, and no encoder-nearest entries: only the widening can bring in
    // the 4th entry by words, which the model says the question means.
    const small = { candidatePool: 3, encoderCandidates: 0 };
    const byWords = new FaqMatcher({ candidatePool: 10 });
    byWords.load(withLimit);
    const ranked = byWords.match(paymentQuery, 'en', 10).candidates.map((c) => c.id);
    const own = withLimit.find((e) => e.id === ranked[3])!;
    const encoder = new CachingEncoder('test', 2, meaningOnly(own));
    const leader = async (widened: number) => {
      const matcher = new FaqMatcher({ ...small, encoderWidenedPool: widened }, () =>
        Promise.resolve(encoder),
      );
      matcher.load(withLimit);
      await matcher.warmEncoders();
      return (await matcher.matchAsync(paymentQuery, 'en')).candidates.map((c) => c.id);
    };
    expect(await leader(0)).not.toContain(own.id);
    expect((await leader(2))[0]).toBe(own.id);
  });

  describe('when the model fails', () => {
    const failing = () => {
      const model = new RecordingModel();
      const encoder = new CachingEncoder('test', 2, model);
      const matcher = new FaqMatcher({}, () => Promise.resolve(encoder));
      matcher.load(kb);
      return { model, matcher };
    };

    it('answers with the words when a question cannot be encoded', async () => {
      const { model, matcher } = failing();
      await matcher.warmEncoders();
      expect(matcher.sentenceEncoderStatus).toEqual([{ locale: 'en', ready: true }]);
      model.failAlways = true;
      const query = 'I lost my card yesterday';
      expect(await matcher.matchAsync(query, 'en')).toEqual(matcher.match(query, 'en'));
    });

    it('stays without the encoder when the warm-up fails, and never rejects', async () => {
      const { model, matcher } = failing();
      model.failAlways = true;
      await expect(matcher.warmEncoders()).resolves.toBeUndefined();
      expect(matcher.sentenceEncoderStatus).toEqual([{ locale: 'en', ready: false }]);
      expect(await matcher.matchAsync('I lost my card', 'en')).toEqual(
        matcher.match('I lost my card', 'en'),
      );
    });
  });
});
