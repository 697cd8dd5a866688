import { en } from '../../../knowledge/localeProfiles/en';
import { TextPipeline } from '../../../knowledge/normalize';
import { SynonymTable } from '../../../knowledge/synonyms';
import { TypoCorrector } from '../../../knowledge/typoCorrector';

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
