import { hungarianArticle } from '../../../bot/conversation/hungarianArticle';

describe('hungarianArticle', () => {
  it.each([
    ['1', 'az'],
    ['2', 'a'],
    ['5', 'az'],
    ['10', 'a'],
    ['11', 'a'],
    ['50', 'az'],
    ['100', 'a'],
    ['1000', 'az'],
    ['10000', 'a'],
    ['1000000', 'az'],
    ['AD-000123', 'az'],
    ['SMS', 'az'],
    ['KB', 'a'],
    ['Dana', 'a'],
    ['Ádám', 'az'],
    ['Ödön', 'az'],
    ['ügyfélszolgálat', 'az'],
    ['csapat', 'a'],
  ] as const)('%s → %s', (word, article) => {
    expect(hungarianArticle(word)).toBe(article);
  });
});
