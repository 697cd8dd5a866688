import { LocaleIndex, type IndexedEntry } from './index/localeIndex';
import type { LocaleProfile } from './text/localeProfile';
import { builtInProfiles, genericProfile } from './text/localeProfiles/index';
import { matcherDefaults, type Calibration, type MatcherOptions } from './matcherDefaults';
import { TextPipeline, type AnalyzedToken } from './text/normalize';
import { analyzeQuery } from './scoring/queryAnalysis';
import { findOverlaps, type Overlap } from './overlaps';
import { combineFeatures, rankCandidates, type RankedCandidate } from './scoring/ranker';
import {
  encodeEntry,
  entrySimilarity,
  loadSentenceEncoder,
  onnxEncoderName,
  type EncodedEntry,
  type SentenceEncoder,
  type SentenceEncoderName,
} from './encoder/sentenceEncoder';
import { calibratedConfidence, logEntriesFeature } from './scoring/score';
import { SemanticSpace, type SemanticSettings } from './semantic/semantic';
import { loadWordVectors } from './semantic/wordVectorCache';
import type { WordVectors } from './semantic/wordVectors';
import { SynonymTable } from './text/synonyms';
import {
  entryKey as keyOf,
  type FaqEntry,
  type MatchBand,
  type MatchCandidate,
  type MatchResult,
} from '../types';

interface LocaleState {
  pipeline: TextPipeline;
  synonyms: SynonymTable;
  index: LocaleIndex;
  /**
   * The sentence encoder, once loaded and the locale's phrasings encoded (`warmEncoders`):
   * until then `matchAsync` answers like `match` rather than keep a customer waiting.
   */
  encoder?: SentenceEncoder;
  /**
   * Entries' phrasing vectors with their sums, once all are encoded (an edit replaces the
   * IndexedEntry, so a stale encoding is never found).
   */
  encoded: WeakMap<IndexedEntry, EncodedEntry>;
}

/**
 * The FAQ index: ranked candidates for a question in one locale, with a calibrated confidence
 * and a band (answer / clarify / none). Locales are independent; an entry only ever matches
 * queries of its own locale. Everything is synchronous and in memory.
 *
 * System intents (talk to a human, ticket status, cancel) are ordinary entries, e.g. id
 * `__human` tagged `system`, with short phrasings per locale; short queries such as "agent"
 * match them with high confidence like any other entry.
 */
export class FaqMatcher {
  private readonly options: MatcherOptions;
  private readonly profiles = new Map<string, LocaleProfile>();
  private readonly entries = new Map<string, FaqEntry>();
  private readonly locales = new Map<string, LocaleState>();
  private readonly synonymGroups = new Map<string, readonly (readonly string[])[]>();
  /** Sentence-encoder warm-ups under way (see `warmEncoders`). */
  private readonly warming = new Set<Promise<void>>();
  /** Locales changed entry by entry (upsert/remove) since their last full model fit. */
  private readonly edited = new Set<string>();

  /**
   * @param loadEncoder how a sentence encoder is obtained by name: the process-wide model by
   *   default (`loadSentenceEncoder`); tests give their own.
   */
  constructor(
    options: Partial<MatcherOptions> = {},
    private readonly loadEncoder: (
      name: SentenceEncoderName,
    ) => Promise<SentenceEncoder | undefined> = (name) => loadSentenceEncoder(name),
  ) {
    this.options = { ...matcherDefaults, ...options };
    for (const profile of [...builtInProfiles, ...this.options.localeProfiles]) {
      this.profiles.set(profile.locale, profile);
    }
    for (const [locale, source] of Object.entries(this.options.localeWordVectors)) {
      const profile = this.profiles.get(locale) ?? genericProfile(locale);
      const { wordVectors: _replaced, ...rest } = profile;
      this.profiles.set(locale, source === 'none' ? rest : { ...rest, wordVectors: source });
    }
  }

  /** Locales whose word vectors are loaded (so far: a locale loads them with its first entry). */
  get semanticLocales(): string[] {
    return [...this.locales].filter(([, state]) => state.index.semantic).map(([locale]) => locale);
  }

  /**
   * Locales that should use a sentence encoder (profile, options, size), and whether theirs
   * is ready (loaded, phrasings encoded); `false` after `whenReady` means it failed to load.
   */
  get sentenceEncoderStatus(): { locale: string; ready: boolean }[] {
    return [...this.locales]
      .filter(([, state]) => this.encoderFits(state))
      .map(([locale, state]) => ({ locale, ready: state.encoder !== undefined }));
  }

  /** The word-vector source each locale is configured with (loaded or not). */
  get wordVectorSources(): Record<string, string> {
    const sources: Record<string, string> = {};
    for (const [locale, profile] of this.profiles) {
      if (profile.wordVectors) sources[locale] = profile.wordVectors;
    }
    return sources;
  }

  /** Number of stored entries, disabled ones included. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry stored under (id, locale), disabled ones included; undefined when none is. */
  entry(id: string, locale: string): FaqEntry | undefined {
    return this.entries.get(keyOf(id, locale));
  }

  /**
   * What the index holds of an entry: each phrasing's stems after normalisation, stop words
   * and synonyms (how the matcher reads it); undefined when the entry is not indexed
   * (unknown or disabled).
   */
  indexedPhrasings(id: string, locale: string): string[][] | undefined {
    const indexed = this.locales.get(locale)?.index.entries.get(keyOf(id, locale));
    return indexed?.phrasings.map((p) => p.tokens.map((t) => t.stem));
  }

  /**
   * The content words of `text` as the locale's pipeline reads them (stems, no stop words);
   * a locale without entries splits on letters.
   */
  contentWords(text: string, locale: string): string[] {
    const state = this.locales.get(locale);
    if (!state) return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return state.pipeline
      .analyze(text.slice(0, this.options.maxQueryChars))
      .filter((t) => !t.isStop)
      .map((t) => t.stem);
  }

  /**
   * Phrasings of the locale's entries (or of the entries `ids` only) that overlap another
   * entry: the same wording, or ranked first or nearly as high for them by the words (see
   * overlaps.ts). One `match` per phrasing checked, about a millisecond each.
   */
  overlaps(locale: string, ids?: readonly string[]): Overlap[] {
    const state = this.locales.get(locale);
    if (!state) return [];
    const all = [...state.index.entries.values()];
    const checked = ids
      ? ids.flatMap((id) => state.index.entries.get(keyOf(id, locale)) ?? [])
      : all;
    return findOverlaps(locale, all, checked, (text) => this.match(text, locale, 3).candidates);
  }

  /** Replaces every entry (synonyms are kept). */
  load(entries: readonly FaqEntry[]): void {
    this.entries.clear();
    for (const state of this.locales.values()) state.index.dispose();
    this.locales.clear();
    for (const entry of entries) this.upsert(entry);
    for (const state of this.locales.values()) this.fitDiscriminative(state);
    this.edited.clear();
  }

  /** Adds or replaces one entry; the index is live at once. Disabled entries never match. */
  upsert(entry: FaqEntry): void {
    const key = keyOf(entry.id, entry.locale);
    this.entries.set(key, entry);
    this.edited.add(entry.locale);
    const state = this.stateFor(entry.locale);
    if (!entry.enabled) {
      state.index.remove(key);
      return;
    }
    const phrasings = [entry.question, ...entry.alternates].map((text) =>
      this.analyze(state, text),
    );
    state.index.add(key, entry, phrasings);
  }

  /** Removes one entry; unknown ids are ignored. */
  remove(id: string, locale: string): void {
    const key = keyOf(id, locale);
    this.entries.delete(key);
    this.edited.add(locale);
    this.locales.get(locale)?.index.remove(key);
  }

  /**
   * Refits, in the background, the discriminative model of every locale edited entry by
   * entry since its last full fit (see `LocaleIndex.refitDiscriminative`): afterwards the
   * locale scores exactly as a fresh `load()` of its current entries would. Queries and edits
   * are served meanwhile with the current model. Settles when the refits are done.
   */
  async refitEdited(): Promise<void> {
    const locales = [...this.edited];
    this.edited.clear();
    if (this.options.weights.discriminative === 0) return;
    const indexes = locales.flatMap((l) => this.locales.get(l)?.index ?? []);
    await Promise.all(indexes.map((index) => index.refitDiscriminative()));
  }

  /**
   * Sets the synonym groups of a locale (replacing earlier ones) and re-indexes the entries
   * they change: only those whose phrasings hold a stem of a changed group
   * (`SynonymTable.stemsAffected`), as live edits (~0.3 ms each, the model refitted later by
   * `refitEdited`), so a synonym edit costs milliseconds at 25,000 entries instead of a
   * locale rebuild (seconds). When more than `synonymRebuildShare` of the locale is
   * affected, the locale is rebuilt as a load would build it. Queries see the new groups at
   * once. Each group's first member is the canonical form; members may be short phrases.
   */
  setSynonyms(locale: string, groups: readonly (readonly string[])[]): void {
    this.synonymGroups.set(
      locale,
      groups.map((group) => [...group]),
    );
    const state = this.locales.get(locale);
    if (!state) return;
    const before = state.synonyms;
    state.synonyms = new SynonymTable(groups, (t) => state.pipeline.analyze(t));
    const stems = SynonymTable.stemsAffected(before, state.synonyms);
    const affected: FaqEntry[] = [];
    if (stems.size > 0) {
      for (const indexed of state.index.entries.values()) {
        const hit = indexed.phrasings.some((p) => p.tokens.some((t) => stems.has(t.stem)));
        if (hit) affected.push(indexed.entry);
      }
    }
    if (affected.length <= this.options.synonymRebuildShare * state.index.size) {
      for (const entry of affected) this.upsert(entry);
      return;
    }
    state.index.dispose();
    this.locales.delete(locale);
    for (const entry of this.entries.values()) if (entry.locale === locale) this.upsert(entry);
    const rebuilt = this.locales.get(locale);
    if (rebuilt) this.fitDiscriminative(rebuilt);
    this.edited.delete(locale);
  }

  /**
   * Fits the locale's discriminative model now (part of the build), not at the first query;
   * a locale above `discriminativeMaxPhrasings` is fitted in the background (`whenReady`).
   */
  private fitDiscriminative(state: LocaleState): void {
    if (this.options.weights.discriminative !== 0) void state.index.fitDiscriminative();
  }

  /**
   * Settles when every locale's background work (the discriminative fit of a large locale)
   * is done; until then such a locale scores without that component.
   */
  async whenReady(): Promise<void> {
    await Promise.all([
      ...[...this.locales.values()].map((s) => s.index.discriminativeReady()),
      ...this.warming,
    ]);
  }

  /**
   * Ranked candidates (best first, at most `limit`) for `query` in `locale`. Never throws on
   * text: empty, emoji-only or unknown-locale queries give no candidates and band 'none';
   * very long ones are cut to `maxQueryChars`/`maxQueryTokens` so the cost stays bounded.
   */
  match(query: string, locale: string, limit = this.options.limit): MatchResult {
    const state = this.locales.get(locale);
    if (!state || state.index.size === 0) return { query, locale, band: 'none', candidates: [] };
    return this.resultOf(query, locale, limit, this.rank(state, query, limit), false);
  }

  /**
   * `match` plus the sentence-encoder component for the candidates, in locales whose profile
   * has an encoder and with at most `sentenceEncoderMaxPhrasings` phrasings (English). The
   * query, and the phrasings of the `encoderPool` leaders not yet encoded, are encoded at
   * query time (cached by text; `warmEncoders` encodes a KB's phrasings ahead). Elsewhere it
   * is `match`.
   */
  async matchAsync(
    query: string,
    locale: string,
    limit = this.options.limit,
  ): Promise<MatchResult> {
    const state = this.locales.get(locale);
    const encoder = state?.encoder;
    if (!state || !encoder || state.index.size === 0 || !this.encoderFits(state)) {
      return this.match(query, locale, limit);
    }
    // Nothing to read (empty, emoji, punctuation): the encoder would still find "nearest"
    // entries for it, so such a query stays with the words, which find none.
    if (state.pipeline.analyze(query).length === 0) return this.match(query, locale, limit);
    try {
      return await this.rankWithEncoder(state, encoder, query, locale, limit);
    } catch {
      // The encoder is an addition: if its model fails, the words still answer.
      return this.match(query, locale, limit);
    }
  }

  private async rankWithEncoder(
    state: LocaleState,
    encoder: SentenceEncoder,
    query: string,
    locale: string,
    limit: number,
  ): Promise<MatchResult> {
    const [vector] = await encoder.embed([query.slice(0, this.options.maxQueryChars)]);
    const nearest = this.nearestByEncoder(state, encoder, vector as Float32Array);
    // Every pool entry whose phrasings are encoded gets the encoder before the leaders of the
    // late components are chosen (see rankCandidates).
    const encoderScore = (indexed: IndexedEntry): number => {
      const encoded = this.encodedOf(state, encoder, indexed);
      return encoded ? entrySimilarity(vector as Float32Array, encoded) : 0;
    };
    const ranking = this.rank(state, query, limit, nearest, encoderScore);
    // The words found nothing ("hi", "asdf qwer zxcv", another language): the encoder's
    // nearest entries are then no evidence either, so the words' answer stands (none).
    if (!ranking.ranked.some((c) => c.lexical > 0)) return this.match(query, locale, limit);
    // Leaders whose phrasings are not encoded yet (entries added since the warm-up; the
    // nearest entries brought in always are) are encoded now and re-scored. Their late
    // components stay those of their rank without the encoder: only until the first time.
    const missing = ranking.ranked
      .slice(0, this.options.encoderPool)
      .filter((c) => !this.encodedOf(state, encoder, c.indexed));
    if (missing.length > 0) {
      const texts = missing.map((c) => c.indexed.phrasings.map((p) => p.text));
      const vectors = await encoder.embed(texts.flat());
      let at = 0;
      for (const [i, candidate] of missing.entries()) {
        const encoded = encodeEntry(vectors.slice(at, (at += texts[i]?.length ?? 0)));
        state.encoded.set(candidate.indexed, encoded);
        candidate.encoder = entrySimilarity(vector as Float32Array, encoded);
        candidate.combined = combineFeatures(candidate, this.options);
      }
      ranking.ranked.sort((a, b) => b.combined - a.combined);
    }
    return this.resultOf(query, locale, limit, ranking, true);
  }

  /**
   * Loads the sentence encoder and encodes, in the background, every phrasing of the locales
   * that use it; each such locale then scores with it (`matchAsync`). Settles when done (also
   * awaited by `whenReady`). Entries added later are encoded when they first lead a query.
   */
  warmEncoders(): Promise<void> {
    const warming = Promise.all(
      [...this.locales.values()].map(async (state) => {
        if (state.encoder || !this.encoderFits(state)) return;
        const name = this.encoderName(state);
        const encoder = name && (await this.loadEncoder(name));
        if (!encoder) return;
        const texts = [...state.index.entries.values()].flatMap((e) =>
          e.phrasings.map((p) => p.text),
        );
        try {
          await encoder.embed(texts, 'background');
        } catch {
          return; // the model failed: the locale keeps matching without it (status: not ready)
        }
        state.encoder = encoder;
      }),
    ).then(() => undefined);
    this.warming.add(warming);
    void warming.finally(() => this.warming.delete(warming));
    return warming;
  }

  /**
   * The `encoderCandidates` entries nearest to the query by the encoder, over the whole locale
   * (at most `sentenceEncoderMaxPhrasings` phrasings, so a bounded scan: ~1 ms at 3,000), so
   * that a paraphrase sharing no word with its entry still becomes a candidate. Entries whose
   * phrasings are not encoded yet (added since the warm-up) are skipped.
   */
  private nearestByEncoder(
    state: LocaleState,
    encoder: SentenceEncoder,
    vector: Float32Array,
  ): IndexedEntry[] {
    const count = this.options.encoderCandidates;
    if (count <= 0) return [];
    const scored: [IndexedEntry, number][] = [];
    for (const indexed of state.index.entries.values()) {
      const encoded = this.encodedOf(state, encoder, indexed);
      if (!encoded) continue;
      const similarity = entrySimilarity(vector, encoded);
      if (similarity >= this.options.encoderCandidateSimilarity) scored.push([indexed, similarity]);
    }
    return scored
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([indexed]) => indexed);
  }

  /**
   * The entry's encoded phrasings, built once from the encoder's cache; undefined while some
   * phrasing is not encoded yet.
   */
  private encodedOf(
    state: LocaleState,
    encoder: SentenceEncoder,
    indexed: IndexedEntry,
  ): EncodedEntry | undefined {
    let encoded = state.encoded.get(indexed);
    if (!encoded) {
      const vectors = indexed.phrasings.map((p) => encoder.cached(p.text));
      if (vectors.some((v) => v === undefined)) return undefined;
      encoded = encodeEntry(vectors as Float32Array[]);
      state.encoded.set(indexed, encoded);
    }
    return encoded;
  }

  /** The locale's sentence encoder: the operator's model if there is one, else its profile's. */
  private encoderName(state: LocaleState): SentenceEncoderName | undefined {
    const folder = this.options.sentenceEncoderModel;
    return folder ? onnxEncoderName(folder) : state.pipeline.profile.sentenceEncoder;
  }

  /** Whether the locale should use its sentence encoder (options, size). */
  private encoderFits(state: LocaleState): boolean {
    const o = this.options;
    return (
      this.encoderName(state) !== undefined &&
      o.sentenceEncoder &&
      o.weights.encoder !== 0 &&
      state.index.phrasingCount <= o.sentenceEncoderMaxPhrasings
    );
  }

  private rank(
    state: LocaleState,
    query: string,
    limit: number,
    extra: readonly IndexedEntry[] = [],
    encoderScore?: (indexed: IndexedEntry) => number,
  ): Ranking {
    const { tokens, applied } = state.synonyms.apply(state.pipeline.analyze(query));
    const analysis = analyzeQuery(tokens, applied, state.index, this.options);
    const ranked = rankCandidates(analysis, state.index, this.options, limit, extra, encoderScore);
    const fitted =
      this.options.weights.discriminative !== 0 && state.index.discriminative().isActive;
    return {
      ranked,
      applied,
      corrections: analysis.corrections,
      fitted,
      entries: state.index.size,
    };
  }

  private resultOf(
    query: string,
    locale: string,
    limit: number,
    ranking: Ranking,
    encoded: boolean,
  ): MatchResult {
    const { ranked, applied, corrections, fitted, entries } = ranking;
    const candidates = ranked
      .slice(0, Math.max(1, limit))
      .map((candidate, i) =>
        this.toCandidate(candidate, ranked, i, applied, corrections, fitted, encoded, entries),
      );
    const band = this.bandOf(candidates[0]?.confidence ?? 0);
    return { query, locale, band, candidates };
  }

  private toCandidate(
    candidate: RankedCandidate,
    ranked: readonly RankedCandidate[],
    position: number,
    synonymsApplied: string[],
    corrections: string[],
    discriminativeFitted: boolean,
    encoded: boolean,
    entries: number,
  ): MatchCandidate {
    // With the encoder, an entry left out of the candidates can still score up to what one
    // at the encoder's join threshold would: a lone candidate's lead is measured against
    // that, not against 0 (which made near-gibberish look certain).
    const unlisted = encoded
      ? this.options.weights.encoder * this.options.encoderCandidateSimilarity
      : 0;
    const rival = Math.max(ranked[position === 0 ? 1 : 0]?.combined ?? 0, unlisted);
    const scores = {
      fuzzy: candidate.fuzzy,
      lexical: candidate.lexical,
      phrase: candidate.phrase,
      ngram: candidate.ngram,
      phraseKnn: candidate.phraseKnn,
      ngramKnn: candidate.ngramKnn,
      learned: candidate.learned,
      semantic: candidate.semantic,
      semanticWords: candidate.semanticWords,
      discriminative: candidate.discriminative,
      ...(encoded ? { encoder: candidate.encoder } : {}),
      combined: candidate.combined,
    };
    // The locale's size: in a small FAQ the same lead means more (few rivals to confuse).
    const features = {
      ...scores,
      score: candidate.combined,
      margin: candidate.combined - rival,
      logEntries: logEntriesFeature(entries),
    };
    const { entry } = candidate.indexed;
    const calibrated = calibratedConfidence(
      features,
      encoded
        ? this.options.encoderCalibration
        : this.calibrationOf(candidate.indexed.semantic !== undefined, discriminativeFitted),
    );
    // Meaning alone (no shared word, no fuzzy match) may be offered, never answered: such a
    // candidate led 8 of the 3,800 English dev queries, and the one answered was wrong.
    const wordless = candidate.lexical === 0 && candidate.phrase === 0 && candidate.fuzzy === 0;
    const confidence = wordless
      ? Math.min(calibrated, this.options.meaningOnlyConfidence)
      : calibrated;
    return {
      id: entry.id,
      locale: entry.locale,
      question: entry.question,
      answer: entry.answer,
      confidence,
      matchedPhrasing: candidate.bestPhrasing?.text ?? entry.question,
      scores,
      synonymsApplied,
      typoCorrections: corrections,
    };
  }

  /**
   * The calibration fitted for the components the candidate has: word vectors or not, the
   * discriminative model fitted or not (a large locale while it is fitted in the background).
   */
  private calibrationOf(semantic: boolean, discriminative: boolean): Calibration {
    const o = this.options;
    if (semantic) {
      return discriminative ? o.semanticCalibration : o.semanticCalibrationWithoutDiscriminative;
    }
    return discriminative ? o.calibration : o.calibrationWithoutDiscriminative;
  }

  private bandOf(confidence: number): MatchBand {
    if (confidence >= this.options.answerThreshold) return 'answer';
    if (confidence >= this.options.clarifyThreshold) return 'clarify';
    return 'none';
  }

  private analyze(state: LocaleState, text: string): AnalyzedToken[] {
    return state.synonyms.apply(state.pipeline.analyze(text)).tokens;
  }

  private stateFor(locale: string): LocaleState {
    let state = this.locales.get(locale);
    if (!state) {
      const pipeline = new TextPipeline(this.profiles.get(locale) ?? genericProfile(locale), {
        maxChars: this.options.maxQueryChars,
        maxTokens: this.options.maxQueryTokens,
        ngramSizes: this.options.ngramSizes,
      });
      const synonyms = new SynonymTable(this.synonymGroups.get(locale) ?? [], (t) =>
        pipeline.analyze(t),
      );
      const index = new LocaleIndex(this.options, this.semanticSpace(pipeline.profile));
      state = { pipeline, synonyms, index, encoded: new WeakMap() };
      this.locales.set(locale, state);
    }
    return state;
  }

  /** The locale's word-vector space, or undefined (no source, not installed, unreadable). */
  private semanticSpace(profile: LocaleProfile): SemanticSpace | undefined {
    const source = profile.wordVectors;
    const { semantic, semanticWords } = this.options.weights;
    const used = semantic + semanticWords > 0;
    if (!source || !used) return undefined;
    const { sifSmoothing, commonWords, commonComponents, maxEntryWords } = this.options;
    const vectors = loadWordVectors(this.options.wordVectorFiles[source] ?? source, {
      maxWords: this.options.wordVectorWords,
      cacheDir: this.options.wordVectorCacheDir,
    });
    return (
      vectors &&
      spaceFor(vectors, {
        sifSmoothing,
        commonWords,
        commonComponents,
        maxEntryWords,
      })
    );
  }
}

/** Spaces are shared by matchers with the same vectors and settings (they are immutable). */
const spaces = new WeakMap<WordVectors, Map<string, SemanticSpace>>();
function spaceFor(vectors: WordVectors, settings: SemanticSettings): SemanticSpace {
  const { sifSmoothing, commonWords, commonComponents, maxEntryWords } = settings;
  const key = `${sifSmoothing}/${commonWords}/${commonComponents ?? 1}/${maxEntryWords}`;
  let bySettings = spaces.get(vectors);
  if (!bySettings) spaces.set(vectors, (bySettings = new Map<string, SemanticSpace>()));
  let space = bySettings.get(key);
  if (!space) bySettings.set(key, (space = new SemanticSpace(vectors, settings)));
  return space;
}

/** A query's ranked candidates and what the explanation and calibration need. */
interface Ranking {
  ranked: RankedCandidate[];
  applied: string[];
  corrections: string[];
  fitted: boolean;
  /** Entries of the locale (a calibration feature). */
  entries: number;
}
