import fs from 'node:fs';
import path from 'node:path';
import { parseFaqJson } from '../../../knowledge/store/faqFile';
import { loadSampleKb } from '../../../knowledge/sampleKb';

const file = path.join(__dirname, '../../../knowledge/sampleKb/sampleKb.json');
const locales = ['en', 'he', 'ro', 'hu'];

describe('the sample KB', () => {
  // Parsing also checks that every follow-up resolves inside the file, per locale.
  const entries = parseFaqJson(fs.readFileSync(file, 'utf8'), { source: 'sampleKb.json' });
  const idsOf = (locale: string) =>
    entries
      .filter((e) => e.locale === locale)
      .map((e) => e.id)
      .sort();

  it('parses, and loadSampleKb returns the same entries', () => {
    expect(loadSampleKb()).toEqual(entries);
  });

  it.each(locales)('has at least 24 entries in %s', (locale) => {
    expect(idsOf(locale).length).toBeGreaterThanOrEqual(24);
  });

  it('has the same ids in every locale', () => {
    for (const locale of locales) expect(idsOf(locale)).toEqual(idsOf('en'));
  });

  it('gives every entry 3–6 alternates, tags and a Markdown answer', () => {
    for (const e of entries) {
      expect([e.id, e.locale, e.alternates.length >= 3 && e.alternates.length <= 6]).toEqual([
        e.id,
        e.locale,
        true,
      ]);
      expect(e.tags.length).toBeGreaterThan(0);
    }
    expect(entries.filter((e) => /\*\*|^- |^1\. /m.test(e.answer)).length).toBe(entries.length);
  });

  it('offers follow-ups on some entries', () => {
    expect(entries.filter((e) => e.followUps.length > 0).length).toBeGreaterThan(
      locales.length * 10,
    );
  });

  it('writes each locale in its own script, with proper diacritics', () => {
    const text = (locale: string) =>
      entries
        .filter((e) => e.locale === locale)
        .map((e) => `${e.question} ${e.answer}`)
        .join(' ');
    expect(text('he')).toMatch(/^[^a-zA-Z]*[\u05D0-\u05EA]/);
    expect(text('he')).not.toMatch(/[\u0591-\u05C7]/); // no niqqud
    expect(text('ro')).toMatch(/[șț]/);
    expect(text('ro')).not.toMatch(/[şţ]/); // comma-below, not cedilla
    expect(text('hu')).toMatch(/[őű]/);
  });
});
