import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  collectSamples,
  fitCalibration,
  fitInputsHash,
  matcherDefaults,
  parseKbJson,
  parseQueriesJsonl,
  replay,
  smallKbSets,
  SMALLEST_CALIBRATED_KB,
  type Calibration,
  type CalibrationName,
  type CalibrationSample,
  type CalibrationSet,
  type FitSettings,
  type MatcherOptions,
} from '../knowledge';

/**
 * `npm run fit:calibration`: refits the confidence calibrations of the matcher on the dev sets
 * in tests/fixtures/eval (plus small FAQs drawn from the large English ones) and writes
 * knowledge/matcher/calibration.json with the data, settings and hash of its inputs.
 *   --cache FILE   reuse (or write) the collected samples, to try fit settings quickly
 *   --dry-run      print the fit and its figures without writing the file
 * The figures compare each set at the answer threshold with the fit and `before` it (the
 * calibration in use when the fit ran).
 */

const root = join(__dirname, '..');
const fixtures = join(root, 'tests', 'fixtures', 'eval');
export const calibrationFile = join(root, 'knowledge', 'matcher', 'calibration.json');

/** The dev sets each calibration is fitted on, and the large sets small FAQs are drawn from. */
export const fitData = {
  sets: ['banking77', 'banking77-oos', 'clinc150', 'hwu64', 'sib200', 'telecom-ml'],
  smallKbSources: ['banking77', 'clinc150', 'hwu64'],
} as const;

/** The fit's own settings (recorded in the file and hashed with its inputs). */
export const fitSettings: FitSettings = {
  features: {
    calibration: ['score', 'margin', 'lexical', 'ngram', 'learned', 'discriminative', 'logEntries'],
  },
  l2: 1e-3,
  iterations: 25,
  biasMargin: 0.15,
  smallKbs: { perSet: 4, entries: SMALLEST_CALIBRATED_KB, phrasings: 3, outOfScopeShare: 0.15 },
  seed: 15,
};

/**
 * How each calibration's samples are produced. `calibration` serves every locale without word
 * vectors (he, ro, hu and any other), so English is run without its vectors and encoder too.
 * English's own calibrations (word vectors, sentence encoder) are not refitted here.
 */
const runsOf: Record<CalibrationName, { options: Partial<MatcherOptions>; locales?: string[] }> = {
  calibration: { options: { localeWordVectors: { en: 'none' }, sentenceEncoder: false } },
};

export function dataFiles(): { name: string; text: string }[] {
  return fitData.sets.flatMap((set) =>
    ['kb.json', 'queries.jsonl'].map((file) => ({
      name: `${set}/${file}`,
      text: readFileSync(join(fixtures, set, file), 'utf8'),
    })),
  );
}

function loadSets(): CalibrationSet[] {
  return fitData.sets.map((name) => ({
    name,
    kb: parseKbJson(readFileSync(join(fixtures, name, 'kb.json'), 'utf8'), `${name}/kb.json`),
    queries: parseQueriesJsonl(
      readFileSync(join(fixtures, name, 'queries.jsonl'), 'utf8'),
      `${name}/queries.jsonl`,
    ),
  }));
}

const onlyLocales = (set: CalibrationSet, locales?: string[]): CalibrationSet =>
  locales
    ? {
        ...set,
        kb: set.kb.filter((e) => locales.includes(e.locale)),
        queries: set.queries.filter((q) => locales.includes(q.locale)),
      }
    : set;

async function collect(
  settings: FitSettings,
): Promise<Record<CalibrationName, CalibrationSample[]>> {
  const sets = loadSets();
  const small = sets
    .filter((s) => (fitData.smallKbSources as readonly string[]).includes(s.name))
    .flatMap((s, i) => smallKbSets(s, settings.smallKbs, settings.seed + i));
  const out = {} as Record<CalibrationName, CalibrationSample[]>;
  for (const [name, run] of Object.entries(runsOf) as [
    CalibrationName,
    (typeof runsOf)[CalibrationName],
  ][]) {
    const samples: CalibrationSample[] = [];
    for (const set of [...sets, ...small]) {
      const data = onlyLocales(set, run.locales);
      if (data.queries.length === 0) continue;
      process.stderr.write(`${name}: ${data.name} (${data.queries.length} queries)\n`);
      samples.push(...(await collectSamples(data, { ...matcherDefaults, ...run.options })));
    }
    out[name] = samples;
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cache: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const settings: FitSettings = {
    ...fitSettings,
    ...(process.env.FIT_SETTINGS
      ? (JSON.parse(process.env.FIT_SETTINGS) as Partial<FitSettings>)
      : {}),
  };
  const samples =
    values.cache && existsSync(values.cache)
      ? (JSON.parse(readFileSync(values.cache, 'utf8')) as Record<
          CalibrationName,
          CalibrationSample[]
        >)
      : await collect(settings);
  if (values.cache && !existsSync(values.cache))
    writeFileSync(values.cache, JSON.stringify(samples));
  const fitted = {} as Record<CalibrationName, Calibration>;
  const figures: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(runsOf) as CalibrationName[]) {
    const own = samples[name];
    fitted[name] = fitCalibration(own, settings.features[name], settings);
    figures[name] = {};
    for (const set of [...new Set(own.map((s) => s.set))]) {
      const ofSet = own.filter((s) => s.set === set);
      const before = replay(
        ofSet,
        matcherDefaults[name],
        matcherDefaults.answerThreshold,
        matcherDefaults.meaningOnlyConfidence,
      );
      const after = replay(
        ofSet,
        fitted[name],
        matcherDefaults.answerThreshold,
        matcherDefaults.meaningOnlyConfidence,
      );
      const share = (x: number): number => Math.round((1000 * x) / ofSet.length) / 1000;
      figures[name][set] = {
        queries: ofSet.length,
        answeredRight: share(after.answeredRight),
        wrong: share(after.wrong),
        before: { answeredRight: share(before.answeredRight), wrong: share(before.wrong) },
      };
    }
  }
  const file = {
    description:
      'Confidence calibrations fitted by `npm run fit:calibration` (scripts/fitCalibration.ts); do not edit by hand.',
    inputsHash: fitInputsHash(dataFiles(), settings, matcherDefaults),
    data: {
      sets: fitData.sets,
      smallKbSources: fitData.smallKbSources,
      samples: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.length])),
    },
    settings,
    calibrations: fitted,
    figuresAtAnswerThreshold: { answerThreshold: matcherDefaults.answerThreshold, ...figures },
  };
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (values['dry-run']) process.stdout.write(text);
  else writeFileSync(calibrationFile, text);
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
