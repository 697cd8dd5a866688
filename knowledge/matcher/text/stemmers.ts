// By path: natural's index loads all of natural (~115 MB RSS), see naturalModules.d.ts.
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { newStemmer } from 'snowball-stemmers';

/** A pure word → stem function. */
export type Stem = (word: string) => string;

const identity: Stem = (word) => word;

/**
 * Resolves a profile's stemmer name. Unknown names throw at configuration time rather than
 * silently matching without stemming.
 */
export function resolveStemmer(name: string): Stem {
  if (name === 'none') return identity;
  if (name === 'porter') return (word) => PorterStemmer.stem(word);
  if (name.startsWith('snowball:')) {
    const stemmer = newStemmer(name.slice('snowball:'.length));
    return (word) => stemmer.stem(word);
  }
  throw new Error(`Unknown stemmer "${name}": use "porter", "snowball:<language>" or "none"`);
}
