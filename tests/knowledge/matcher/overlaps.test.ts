import { FaqMatcher } from '../../../knowledge/matcher/faqMatcher';
import { OVERLAP_SCORE_SHARE } from '../../../knowledge/matcher/overlaps';
import { faqEntry as entry } from './indexFixtures';

describe('FaqMatcher.overlaps', () => {
  const matcher = new FaqMatcher();
  matcher.load([
    entry('card-lost', 'en', 'I lost my card', ['my card was stolen', 'block my card']),
    // Its second phrasing is another entry's wording; its third is that entry's topic.
    entry('card-fees', 'en', 'What fees does the card have?', [
      'I LOST my card!',
      'my card was stolen, please block my card',
    ]),
    entry('hours', 'en', 'When are you open?', ['opening hours']),
    entry('__human', 'en', 'talk to a person', ['opening hours of a person']),
    entry('hours', 'he', 'מתי אתם פתוחים?', ['שעות פתיחה']),
  ]);

  it('finds the same wording, a phrasing matched to another entry, and near ties', () => {
    const overlaps = matcher.overlaps('en');
    expect(overlaps).toContainEqual(
      expect.objectContaining({
        id: 'card-fees',
        phrasing: 'I LOST my card!',
        kind: 'duplicate',
        otherId: 'card-lost',
        otherPhrasing: 'I lost my card',
      }),
    );
    // And the other way round: each entry learns of it.
    expect(overlaps).toContainEqual(
      expect.objectContaining({ id: 'card-lost', kind: 'duplicate', otherId: 'card-fees' }),
    );
    const stolen = overlaps.find((o) => o.phrasing.startsWith('my card was stolen, please'));
    expect(stolen?.otherId).toBe('card-lost');
    expect(['closer', 'as-close']).toContain(stolen?.kind);
    expect(stolen?.scoreShare).toBeGreaterThanOrEqual(OVERLAP_SCORE_SHARE);
    // Distinct entries stay apart; system intents are reported as others, never checked.
    expect(overlaps.map((o) => o.phrasing)).not.toContain('What fees does the card have?');
    expect(overlaps.map((o) => o.id)).not.toContain('__human');
    // Most severe first.
    const kinds = overlaps.map((o) => o.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => order(a) - order(b)));
  });

  it('checks only the entries named, against the whole locale', () => {
    const forHours = matcher.overlaps('en', ['hours']);
    expect(forHours.every((o) => o.id === 'hours')).toBe(true);
    expect(matcher.overlaps('en', ['card-fees']).length).toBeGreaterThanOrEqual(2);
    expect(matcher.overlaps('en', ['no-such-entry'])).toEqual([]);
    expect(matcher.overlaps('he')).toEqual([]);
    expect(matcher.overlaps('xx')).toEqual([]);
  });
});

const order = (kind: string): number => ['duplicate', 'closer', 'as-close'].indexOf(kind);
