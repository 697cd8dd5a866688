import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/**
 * `npm start` runs scripts/buildIfNeeded.mjs, which loads compiled modules from dist/ by path.
 * Building takes a minute, so instead of running it this checks that every dist/ file it names
 * is the output of a source file that exists: a move in the source tree fails here, not at a
 * customer's first start.
 */
describe('scripts/buildIfNeeded.mjs', () => {
  const script = fs.readFileSync(path.join(root, 'scripts', 'buildIfNeeded.mjs'), 'utf8');
  const compiled = [...script.matchAll(/'dist\/([^']+)\.js'/g)].map((m) => m[1]!);

  it('names compiled modules', () => {
    expect(compiled.length).toBeGreaterThan(0);
  });

  it.each(compiled)('loads dist/%s.js, which tsc builds from a source file', (module) => {
    expect(fs.existsSync(path.join(root, `${module}.ts`))).toBe(true);
  });
});
