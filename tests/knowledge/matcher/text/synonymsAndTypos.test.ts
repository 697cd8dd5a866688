import fc from 'fast-check';
import { FaqMatcher } from '../../../../knowledge/matcher/faqMatcher';
import { en } from '../../../../knowledge/matcher/text/localeProfiles/en';
import { TextPipeline } from '../../../../knowledge/matcher/text/normalize';
import { SynonymTable } from '../../../../knowledge/matcher/text/synonyms';
import { TypoCorrector } from '../../../../knowledge/matcher/text/typoCorrector';
import { faqEntry } from '../indexFixtures';

const pipeline = new TextPipeline(en, { maxChars: 1000, maxTokens: 64, ngramSizes: [3, 4] });
const analyze = (text: string) => pipeline.analyze(text);

describe('SynonymTable', () => {
  const table = new SynonymTable(
    [
      ['refund', 'money back', 'reimbursement'],
      ['card', 'plastic'],
    ],
    analyze,
  );

  it('rewrites phrases and words to the group canonical form and reports it', () => {
    const result = table.apply(analyze('I want my money back for the plastic'));
    expect(result.tokens.map((t) => t.stem)).toEqual(
      analyze('I want my refund for the card').map((t) => t.stem),
    );
    expect(result.applied).toEqual(['money back→refund', 'plastic→card']);
  });

  it('matches inflected forms through stems', () => {
    expect(table.apply(analyze('reimbursements')).applied).toEqual(['reimbursements→refund']);
  });

  it('leaves text without synonyms untouched', () => {
    expect(table.apply(analyze('reset my pin')).applied).toEqual([]);
    expect(new SynonymTable([], analyze).isEmpty).toBe(true);
  });

  it('ignores empty groups and members', () => {
    expect(new SynonymTable([[], [''], ['🙂', 'x']], analyze).isEmpty).toBe(true);
  });
});

describe('SynonymTable.stemsAffected', () => {
  // A small vocabulary, so that random groups overlap, nest and chain.
  const words = ['money', 'back', 'refund', 'card', 'now', 'get', 'lost', 'plastic', 'fee'];
  const phrase = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 });
  const groups = fc.array(
    fc.array(phrase, { minLength: 2, maxLength: 3 }).map((g) => g.map((w) => w.join(' '))),
    { maxLength: 4 },
  );
  const text = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 });
  const stems = (tokens: { stem: string }[]) => tokens.map((t) => t.stem);

  it('finds every text that the new groups rewrite differently', () => {
    fc.assert(
      fc.property(groups, groups, fc.array(text, { maxLength: 20 }), (before, after, texts) => {
        const old = new SynonymTable(before, analyze);
        const next = new SynonymTable(after, analyze);
        const affected = SynonymTable.stemsAffected(old, next);
        for (const words of texts) {
          const tokens = analyze(words.join(' '));
          const indexed = old.apply(tokens).tokens;
          const changed = stems(next.apply(tokens).tokens).join(' ') !== stems(indexed).join(' ');
          if (changed) expect(indexed.some((t) => affected.has(t.stem))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is empty when nothing changed, whatever the order of groups', () => {
    const groups = [
      ['refund', 'money back'],
      ['card', 'plastic'],
    ];
    const a = new SynonymTable(groups, analyze);
    const b = new SynonymTable([...groups].reverse(), analyze);
    expect(SynonymTable.stemsAffected(a, b).size).toBe(0);
  });

  it('lets the matcher index a synonym edit as a fresh load would', () => {
    const entries = fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(groups, groups, entries, (before, after, texts) => {
        const kb = texts.map(([q, alt], i) =>
          faqEntry(`e${i}`, 'en', q.join(' '), [alt.join(' ')]),
        );
        // Share 1: never rebuild, so the incremental path is what is checked.
        const live = new FaqMatcher({ synonymRebuildShare: 1 });
        live.setSynonyms('en', before);
        live.load(kb);
        live.setSynonyms('en', after);
        const fresh = new FaqMatcher();
        fresh.setSynonyms('en', after);
        fresh.load(kb);
        for (const e of kb) {
          expect(live.indexedPhrasings(e.id, 'en')).toEqual(fresh.indexedPhrasings(e.id, 'en'));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('TypoCorrector', () => {
  const typos = new TypoCorrector(4);
  for (const term of ['cancel', 'transfer', 'card', 'card']) typos.add(term);

  it.each([
    ['cancl', ['cancel']], // deletion
    ['canscel', ['cancel']], // insertion
    ['trnasfer', ['transfer']], // adjacent swap: both sides share a deletion
    ['tranzfer', ['transfer']], // substitution
    ['cancel', []], // known
    ['crd', []], // too short
  ])('corrects %s to %j', (term, expected) => {
    expect(typos.correct(term)).toEqual(expected);
  });

  it('forgets a term once every owner deleted it', () => {
    const local = new TypoCorrector(4);
    local.add('refund');
    local.add('refund');
    local.delete('refund');
    expect(local.correct('refnd')).toEqual(['refund']);
    local.delete('refund');
    expect(local.correct('refnd')).toEqual([]);
    expect(local.has('refund')).toBe(false);
  });
});
