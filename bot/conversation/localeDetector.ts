import * as stopwords from 'stopword';

/** What tells a language apart in a short message: its script, its letters, its stop words. */
export interface LocaleProfile {
  locale: string;
  /** Letters only this language (among the supported ones) uses. */
  distinctiveLetters: RegExp;
  stopWords: ReadonlySet<string>;
}

const list = (words: readonly string[] | undefined): ReadonlySet<string> =>
  new Set((words ?? []).map((w) => w.normalize('NFC').toLowerCase()));

/** Built-in profiles; a new locale adds one here or falls back to stop words alone. */
export const localeProfiles: readonly LocaleProfile[] = [
  { locale: 'he', distinctiveLetters: /[\u0590-\u05FF]/u, stopWords: list(stopwords.heb) },
  { locale: 'ro', distinctiveLetters: /[ășşțţâîĂȘŞȚŢÂÎ]/u, stopWords: list(stopwords.ron) },
  {
    locale: 'hu',
    distinctiveLetters: /[őűŐŰ]|[áéíóúöü].*[áéíóúöü]/iu,
    stopWords: list(stopwords.hun),
  },
  { locale: 'en', distinctiveLetters: /(?!)/u, stopWords: list(stopwords.eng) },
];

/**
 * The supported locale that `text` is most evidently written in, or null when the text gives
 * no clear sign (short, numeric, or ambiguous) — then the caller keeps the locale it had.
 * Hebrew script decides alone; otherwise distinctive letters count 2 and each stop word 1,
 * and a winner needs 2 points more than the runner-up.
 */
export function detectLocale(text: string, supported: readonly string[]): string | null {
  const sample = text.slice(0, 500).normalize('NFC');
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  const scores = localeProfiles
    .filter((p) => supported.includes(p.locale))
    .map((p) => {
      if (p.locale === 'he' && p.distinctiveLetters.test(sample))
        return { locale: p.locale, score: 100 };
      const letters = p.distinctiveLetters.test(sample) ? 2 : 0;
      const hits = words.filter((w) => p.stopWords.has(w)).length;
      return { locale: p.locale, score: letters + hits };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score < 2) return null;
  return best.score - (second?.score ?? 0) >= 2 ? best.locale : null;
}

/** "he-IL" → "he" when supported; null otherwise. */
export function supportedLocaleOf(
  tag: string | undefined,
  supported: readonly string[],
): string | null {
  if (!tag) return null;
  const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
  return supported.includes(base) ? base : null;
}
