// `npm start` runs this first: it builds when dist/ is missing or older than any source file,
// so a fresh clone needs only `npm ci && npm start`, and a second start skips the build.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const sourceDirs = ['bot', 'knowledge', 'handoff', 'scripts'];
const marker = path.join(root, 'dist', '.build-stamp');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
const sources = Math.max(
  ...sourceDirs.map((d) => newestSourceMtime(path.join(root, d))),
  fs.statSync(path.join(root, 'package-lock.json')).mtimeMs,
);
if (built < sources) {
  console.error('Building Askdesk (sources changed since the last build)…');
  execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(marker, new Date().toISOString());
}

// The English word vectors are converted once into a compact cache (about 20 s); do it here,
// with a message, rather than silently inside the first start.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);
const { loadWordVectors, hasWordVectorCache } = require(
  path.join(root, 'dist/knowledge/matcher/semantic/wordVectorCache.js'),
);
const { matcherDefaults } = require(path.join(root, 'dist/knowledge/matcher/matcherDefaults.js'));
const { en } = require(path.join(root, 'dist/knowledge/matcher/text/localeProfiles/en.js'));
const settings = {
  maxWords: matcherDefaults.wordVectorWords,
  cacheDir: matcherDefaults.wordVectorCacheDir,
};
if (en.wordVectors && !hasWordVectorCache(en.wordVectors, settings)) {
  console.error('Preparing the English word vectors (once, about 20 s)…');
  if (!loadWordVectors(en.wordVectors, settings)) {
    console.error(
      `Word vectors "${en.wordVectors}" are not installed: English matches on words only.`,
    );
  }
}
