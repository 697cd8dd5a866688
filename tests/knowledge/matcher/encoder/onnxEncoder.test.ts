import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaqMatcher } from '../../../../knowledge/matcher/faqMatcher';
import {
  EncoderFolderError,
  loadOnnxEncoderModel,
  MAX_TOKENS,
  type OnnxEncoderModel,
} from '../../../../knowledge/matcher/encoder/onnxEncoder';
import {
  CachingEncoder,
  onnxEncoderName,
  openSentenceEncoder,
} from '../../../../knowledge/matcher/encoder/sentenceEncoder';
import type { FaqEntry } from '../../../../knowledge/types';
import {
  tinyEncoderFolder,
  tinyVocabulary,
  writeTinyEncoder,
} from '../../../fixtures/tinyEncoder/buildTinyEncoder';
import { faqEntry as entry } from '../indexFixtures';

// The real path: onnxruntime-node runs the committed tiny model (tests/fixtures/tinyEncoder,
// an embedding lookup) and @huggingface/tokenizers reads its tokenizer.json.

const unit = (values: readonly number[]): number[] => {
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
};

/** The mean of the fixture's vectors for these pieces, at unit length. */
function expectedVector(pieces: string[]): number[] {
  const vocabulary = tinyVocabulary();
  const vectors = pieces.map((piece) => {
    const found = vocabulary.find((v) => v.piece === piece);
    if (!found) throw new Error(`no piece ${piece}`);
    return found.vector;
  });
  const d = vectors[0]!.length;
  return unit(
    Array.from({ length: d }, (_, i) => vectors.reduce((s, v) => s + v[i]!, 0) / vectors.length),
  );
}

const expectClose = (actual: ArrayLike<number>, expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, 5));
};

describe('ONNX sentence encoder (operator-supplied model)', () => {
  let here: OnnxEncoderModel;
  beforeAll(async () => {
    here = await loadOnnxEncoderModel(tinyEncoderFolder);
  });
  afterAll(() => here.close());

  it('tokenises with tokenizer.json (Unigram pieces) and averages the token vectors', async () => {
    expect(here.dimensions).toBe(12);
    const [ro, hu, he] = await here.embed([
      'Mi-am pierdut cardul',
      'Elvesztettem a kártyámat!',
      'כייס סחב לי את הארנק',
    ]);
    expectClose(unit(ro!), expectedVector(['<s>', '▁mi-am', '▁pierdut', '▁card', 'ul', '</s>']));
    expectClose(
      unit(hu!),
      expectedVector(['<s>', '▁elvesztettem', '▁a', '▁kártyá', 'mat', '!', '</s>']),
    );
    expectClose(
      unit(he!),
      expectedVector(['<s>', '▁כייס', '▁סחב', '▁לי', '▁את', '▁הארנק', '</s>']),
    );
  });

  it('batches concurrent questions into one model call on the worker, padding masked out', async () => {
    const encoder = await openSentenceEncoder(onnxEncoderName(tinyEncoderFolder));
    expect(encoder).toBeInstanceOf(CachingEncoder);
    expect(encoder.dimensions).toBe(12);
    const texts = [
      'I lost my card',
      'When are you open?',
      'a pickpocket took my purse with all my money',
      'Cât durează livrarea?',
      'nyitvatartás',
    ];
    const calls = (encoder as CachingEncoder).modelCalls;
    const vectors = await Promise.all(texts.map((t) => encoder.embed([t])));
    expect((encoder as CachingEncoder).modelCalls).toBe(calls + 1);
    // Each equals the text embedded alone by another model instance (no padding): the mask kept the padding out,
    // whose vector is large and on an axis of its own.
    for (const [i, text] of texts.entries()) {
      const [alone] = await here.embed([text]);
      expectClose(vectors[i]![0]!, unit(alone!));
    }
    expect(await openSentenceEncoder(onnxEncoderName(`${tinyEncoderFolder}/.`))).toBe(encoder);
  });

  it('cuts a very long text to MAX_TOKENS tokens', async () => {
    const long = 'card '.repeat(2_000);
    const [vector] = await here.embed([long]);
    // <s>, MAX_TOKENS − 2 × "▁card", </s>.
    const pieces = ['<s>', ...Array<string>(MAX_TOKENS - 2).fill('▁card'), '</s>'];
    expectClose(unit(vector!), expectedVector(pieces));
  });
});

describe('FaqMatcher with an operator-supplied ONNX encoder', () => {
  // Four small KBs; in each, the question shares no word with the lost-card entry but a
  // word ("money", "הכסף", "banii", "pénz…") with the refund entry.
  const kb: FaqEntry[] = [
    entry('lost-card', 'en', 'I lost my card', ['my card was stolen']),
    entry('hours', 'en', 'When are you open?', ['opening hours']),
    entry('delivery', 'en', 'How long does shipping take?', ['when will my order arrive']),
    entry('refund', 'en', 'How do I get a refund?', ['I want my money back']),
    entry('lost-card', 'he', 'איבדתי את הכרטיס', ['הכרטיס שלי נגנב']),
    entry('hours', 'he', 'מתי אתם פתוחים?', ['שעות פתיחה']),
    entry('delivery', 'he', 'כמה זמן לוקח המשלוח?', ['מתי תגיע ההזמנה שלי']),
    entry('refund', 'he', 'איך מקבלים החזר?', ['אני רוצה את הכסף שלי בחזרה']),
    entry('lost-card', 'ro', 'Mi-am pierdut cardul', ['cardul meu a fost furat']),
    entry('hours', 'ro', 'Când sunteți deschiși?', ['program de lucru']),
    entry('delivery', 'ro', 'Cât durează livrarea?', ['când ajunge comanda mea']),
    entry('refund', 'ro', 'Cum primesc o rambursare?', ['vreau banii înapoi']),
    entry('lost-card', 'hu', 'Elvesztettem a kártyámat', ['ellopták a kártyámat']),
    entry('hours', 'hu', 'Mikor vagytok nyitva?', ['nyitvatartás']),
    entry('delivery', 'hu', 'Mennyi ideig tart a szállítás?', ['mikor érkezik a rendelésem']),
    entry('refund', 'hu', 'Hogyan kérhetek visszatérítést?', ['vissza akarom kapni a pénzem']),
  ];
  const questions: Record<string, string> = {
    en: 'a pickpocket took my purse with all my money',
    he: 'כייס סחב לי את הארנק עם כל הכסף',
    ro: 'un hoț mi-a luat portofelul cu toți banii',
    hu: 'egy zsebtolvaj elvitte a tárcámat az összes pénzemmel',
  };

  let matcher: FaqMatcher;
  beforeAll(async () => {
    matcher = new FaqMatcher({ sentenceEncoderModel: tinyEncoderFolder });
    matcher.load(kb);
    await matcher.warmEncoders();
  });

  it('serves every locale, not only English', () => {
    expect(matcher.sentenceEncoderStatus).toEqual(
      ['en', 'he', 'ro', 'hu'].map((locale) => ({ locale, ready: true })),
    );
  });

  it.each(['en', 'he', 'ro', 'hu'])(
    'ranks the right entry for a paraphrase sharing no word with it (%s)',
    async (locale) => {
      const question = questions[locale]!;
      const byWords = matcher.match(question, locale);
      expect(byWords.candidates[0]?.id).toBe('refund'); // the shared word wins alone
      const result = await matcher.matchAsync(question, locale);
      expect(result.candidates[0]?.id).toBe('lost-card');
      expect(result.candidates[0]?.scores.encoder).toBeGreaterThan(0.6);
    },
  );

  it('brings in no entry for a question about nothing in the KB', async () => {
    const result = await matcher.matchAsync('purple elephants juggling on the moon', 'en');
    expect(result.candidates.map((c) => c.id)).not.toContain('lost-card');
    expect(result.band).toBe('none');
  });
});

describe('an ONNX encoder folder that cannot serve', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'askdesk-onnx-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The one-line message of the load's failure. */
  async function failure(folder: string): Promise<string> {
    const error = await loadOnnxEncoderModel(folder).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EncoderFolderError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }

  it('names the missing folder or file and what to copy', async () => {
    expect(await failure(join(dir, 'nowhere'))).toMatch(/nowhere does not exist/);
    expect(await failure(dir)).toMatch(/has no model\.onnx \(copy the model's ONNX export/);
    cpSync(join(tinyEncoderFolder, 'model.onnx'), join(dir, 'model.onnx'));
    expect(await failure(dir)).toMatch(/has no tokenizer\.json/);
    writeFileSync(join(dir, 'tokenizer.json'), '{ not json');
    expect(await failure(dir)).toMatch(/tokenizer\.json is not valid JSON/);
  });

  it('rejects a model whose output is not token or sentence vectors', async () => {
    writeTinyEncoder(dir, { output: 'scalar' });
    expect(await failure(dir)).toMatch(
      /gives output "total" of shape \[1, 1, 1\] for 2 texts of \d+ tokens; expected \[texts, tokens, dimensions\]/,
    );
  });

  it('rejects a model that needs inputs it cannot be given', async () => {
    writeTinyEncoder(dir, { extraInput: 'pixel_values' });
    expect(await failure(dir)).toMatch(/takes inputs input_ids, attention_mask, pixel_values/);
  });

  it('rejects a file that is not an ONNX model', async () => {
    writeTinyEncoder(dir);
    writeFileSync(join(dir, 'model.onnx'), 'not a model');
    expect(await failure(dir)).toMatch(/model\.onnx cannot be run: /);
  });

  it('reads a query prefix (e5) and the ONNX file where Hugging Face keeps it', async () => {
    writeTinyEncoder(join(dir, 'onnx'));
    cpSync(join(dir, 'onnx', 'tokenizer.json'), join(dir, 'tokenizer.json'));
    unlinkSync(join(dir, 'onnx', 'tokenizer.json'));
    writeFileSync(
      join(dir, 'config_sentence_transformers.json'),
      JSON.stringify({ prompts: { query: 'query: ', passage: 'passage: ' } }),
    );
    const model = await loadOnnxEncoderModel(dir);
    try {
      expect(model.prefix).toBe('query: ');
      const [vector] = await model.embed(['lost card']);
      // "query:" is not in the tiny vocabulary: one unknown piece before the text.
      expectClose(unit(vector!), expectedVector(['<s>', '<unk>', '▁lost', '▁card', '</s>']));
    } finally {
      await model.close();
    }
  });
});
