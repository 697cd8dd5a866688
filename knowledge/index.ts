/**
 * The knowledge module's front door: everything bot/ and scripts/ may use. Anything not
 * exported here is an internal detail (tests may still reach in).
 */

// The service: one KB per process, with its store, matcher, golden questions and inbox.
export { KnowledgeBase } from './service/knowledgeBase';
export { knowledgeMigrations } from './migrations';
export { loadSampleKb } from './sampleKb';
export { UnansweredStore } from './inbox/unanswered';

// The editor's HTTP surface.
export { registerKnowledgeRoutes, type KnowledgeRouteDeps } from './editor/routes';
export { editorPage } from './editor/editorPage';

// Shapes and errors callers see.
export type {
  FaqEntry,
  MatchBand,
  MatchCandidate,
  MatchResult,
  UnansweredOutcome,
  GoldenQuestion,
} from './types';
export { GoldenQuestionsBrokenError, InvalidInputError, KnowledgeError } from './errors';

// Text helpers other modules share.
export { foldDiacritics } from './matcher/text/normalize';

// Files, golden questions and evaluation (the kb CLI and the benchmarks).
export { parseFaqFile, serialiseFaqCsv, serialiseFaqJson } from './store/faqFile';
export { KnexKbStore } from './store/knexKbStore';
export type { ImportSummary } from './store/kbStore';
export { checkGoldenQuestions, GoldenStore, MAX_GOLDEN_CHARS, withChanges } from './golden/golden';
export { EvalFileError, parseKbJson, parseQueriesJsonl, type EvalQuery } from './eval/evalFiles';
export {
  evaluateMatcher,
  percentile,
  SWEPT_THRESHOLDS,
  type EvalMetrics,
  type EvalMiss,
  type EvalReport,
  type ThresholdPoint,
} from './eval/evaluate';

export {
  collectSamples,
  fitCalibration,
  fitInputsHash,
  replay,
  smallKbSets,
  type CalibrationName,
  type CalibrationSample,
  type CalibrationSet,
  type FitSettings,
} from './eval/calibrationFit';

// The matcher itself, for offline evaluation and benchmarks.
export { FaqMatcher } from './matcher/faqMatcher';
export { matcherDefaults, type Calibration, type MatcherOptions } from './matcher/matcherDefaults';
export { SMALLEST_CALIBRATED_KB } from './matcher/scoring/score';
export { seededRandom } from './matcher/models/seededRandom';
export {
  CachingEncoder,
  encoderTime,
  loadEncoderModel,
  onnxEncoderName,
  openSentenceEncoder,
  type EncoderModel,
} from './matcher/encoder/sentenceEncoder';
export { EncoderFolderError, loadOnnxEncoderModel } from './matcher/encoder/onnxEncoder';
export { ThreadEncoderModel } from './matcher/encoder/encoderThread';
