import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

const probes: Record<string, string> = {
  'knowledge/__probeBotbuilder.ts':
    "import { ActivityHandler } from 'botbuilder';\nexport const x = ActivityHandler;\n",
  'knowledge/__probeHandoff.ts':
    "import { HandoffService } from '../handoff/service/handoffService';\nexport type X = HandoffService;\n",
  'handoff/__probeKnowledge.ts':
    "import { FaqMatcher } from '../knowledge/matcher/faqMatcher';\nexport type X = FaqMatcher;\n",
  'handoff/__probeBot.ts':
    "import { loadConfig } from '../bot/composition/config';\nexport const x = loadConfig;\n",
  'bot/__probeAllowed.ts':
    "import { ActivityHandler } from 'botbuilder';\nimport { FaqMatcher } from '../knowledge';\n" +
    "import { createHandoff } from '../handoff/index';\nexport const x = [ActivityHandler, FaqMatcher, createHandoff];\n",
  'bot/conversation/__probeDeepKnowledge.ts':
    "import { FaqMatcher } from '../../knowledge/matcher/faqMatcher';\nexport const x = FaqMatcher;\n",
  'bot/__probeDeepHandoff.ts':
    "import type { HandoffService } from '../handoff/service/handoffService';\nexport type X = HandoffService;\n",
  'scripts/__probeDeepKnowledge.ts':
    "import { knowledgeMigrations } from '../knowledge/migrations';\nexport const x = knowledgeMigrations;\n",
  'scripts/__probeDeepHandoff.ts':
    "import { handoffMigrations } from '../handoff/migrations/index';\nexport const x = handoffMigrations;\n",
  'scripts/__probeAllowed.ts':
    "import { KnowledgeBase } from '../knowledge';\nimport { createHandoff } from '../handoff';\n" +
    'export const x = [KnowledgeBase, createHandoff];\n',
};

/**
 * Runs the project's real ESLint setup once over deliberately bad imports (in a child
 * process: ESLint loads its flat config as ESM, which jest's runtime cannot).
 */
function restrictedImportsByFile(): Record<string, string[]> {
  try {
    for (const [file, code] of Object.entries(probes))
      fs.writeFileSync(path.join(root, file), code);
    const run = spawnSync(
      path.join(root, 'node_modules', '.bin', 'eslint'),
      ['--format', 'json', ...Object.keys(probes)],
      { cwd: root, encoding: 'utf8' },
    );
    const results = JSON.parse(run.stdout) as LintResult[];
    return Object.fromEntries(
      results.map((r) => [
        path.relative(root, r.filePath),
        r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
      ]),
    );
  } finally {
    for (const file of Object.keys(probes)) fs.rmSync(path.join(root, file), { force: true });
  }
}

describe('module boundaries (eslint.config.mjs)', () => {
  let found: Record<string, string[]>;
  beforeAll(() => {
    found = restrictedImportsByFile();
  });

  it.each([
    ['knowledge/__probeBotbuilder.ts', 'Bot Framework'],
    ['knowledge/__probeHandoff.ts', 'must not import handoff'],
    ['handoff/__probeKnowledge.ts', 'must not import knowledge'],
    ['handoff/__probeBot.ts', 'Bot Framework or bot/'],
    ['bot/conversation/__probeDeepKnowledge.ts', 'through their index'],
    ['bot/__probeDeepHandoff.ts', 'through their index'],
    ['scripts/__probeDeepKnowledge.ts', 'through their index'],
    ['scripts/__probeDeepHandoff.ts', 'through their index'],
  ])('rejects the forbidden import in %s', (file, reason) => {
    expect(found[file]?.join('\n')).toContain(reason);
  });

  it('allows bot/ to use both modules through their front doors, and botbuilder', () => {
    expect(found['bot/__probeAllowed.ts']).toEqual([]);
  });

  it('allows scripts/ to use both modules through their front doors', () => {
    expect(found['scripts/__probeAllowed.ts']).toEqual([]);
  });
});
