// `npm run docs:images`: copies the README's pictures from the browser tests' screenshots
// (artifacts/, written by `npm test` when Chromium is installed) into docs/img. Tests never
// write into the repository themselves, so a test run leaves the work tree clean.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const images = [
  'customer-webchat.png',
  'agent-console.png',
  'editor.png',
  'editor-unanswered.png',
  'editor-golden.png',
  'dashboard.png',
];
const missing = images.filter((name) => !existsSync(join(root, 'artifacts', name)));
if (missing.length > 0) {
  console.error(
    `missing in artifacts/: ${missing.join(', ')}; run the browser tests first ` +
      '(npm test -- tests/web tests/knowledge/editor tests/handoff/analytics, needs /usr/bin/chromium)',
  );
  process.exit(1);
}
mkdirSync(join(root, 'docs/img'), { recursive: true });
for (const name of images)
  copyFileSync(join(root, 'artifacts', name), join(root, 'docs/img', name));
console.log(`copied ${images.join(', ')} to docs/img`);
