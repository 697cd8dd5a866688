import { parseFaqValue } from '../store/faqFile';
import type { FaqEntry } from '../types';
import sampleKb from './sampleKb.json';

/**
 * The sample multilingual KB (customer service about customer service) that `npm start` seeds
 * into an empty database: the same ids in en, he, ro and hu. Validated on every load, so a
 * broken edit of the JSON fails loudly instead of seeding half a KB.
 */
export function loadSampleKb(): FaqEntry[] {
  return parseFaqValue(sampleKb, { source: 'knowledge/sampleKb/sampleKb.json' });
}
