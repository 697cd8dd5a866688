/**
 * The Hungarian definite article before a word: "az" when the word is spoken with a vowel
 * first, else "a". Numbers are judged by how they are read ("az 1." egy, "az 5." öt, "a 10."
 * tíz, "az 1000." ezer), abbreviations by their letters' names ("az AD-000123" á-dé, "az SMS"
 * es), other words by their first letter.
 */
export function hungarianArticle(word: string): 'a' | 'az' {
  const text = word.trim();
  const digits = /^\d[\d\s.,]*/.exec(text)?.[0].replace(/\D/g, '');
  if (digits) return numberArticle(digits);
  const letters = /^\p{L}+/u.exec(text)?.[0] ?? '';
  if (letters.length === 0) return 'a';
  if (letters.length > 1 && letters === letters.toUpperCase()) {
    // Letter names starting with a vowel sound: á, e, ef, i, el, em, en, o, ö, er, es, u, ü, iksz, ipszilon.
    return /^[AÁEÉFIÍLMNOÓÖŐRSUÚÜŰXY]/u.test(letters) ? 'az' : 'a';
  }
  return /^[aáeéiíoóöőuúüű]/iu.test(letters) ? 'az' : 'a';
}

function numberArticle(digits: string): 'a' | 'az' {
  const significant = digits.replace(/^0+(?=\d)/, '');
  const lead = significant[0];
  if (lead === '5') return 'az'; // öt, ötven, ötszáz, ötezer…
  if (lead !== '1') return 'a'; // nulla, kettő, három, négy, hat, hét, nyolc, kilenc
  // 1 egy, 10 tíz, 100 száz, 1000 ezer, 10 000 tízezer, 100 000 százezer, 1 000 000 egymillió…
  return significant.length % 3 === 1 ? 'az' : 'a';
}
