import type { LocaleProfile } from '../localeProfile';
import { en } from './en';
import { he } from './he';
import { hu } from './hu';
import { ro } from './ro';

/** The built-in profiles. Add a locale by adding a profile file and listing it here. */
export const builtInProfiles: readonly LocaleProfile[] = Object.freeze([en, he, ro, hu]);

/** Locales without a profile still work: Unicode folding and tokenising, no stemming. */
export const genericProfile = (locale: string): LocaleProfile =>
  Object.freeze({
    locale,
    stemmer: 'none',
    stemBeforeFolding: false,
    stopWords: [],
    clitics: [],
    minLengthAfterClitic: 0,
    maxClitics: 0,
    suffixes: [],
  });
