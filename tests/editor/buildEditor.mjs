// Builds only the knowledge editor into dist/web, with the options of scripts/buildWeb.mjs. The
// editor tests run it when buildWeb.mjs does not (yet) produce editor.js. A separate process,
// because esbuild refuses to run inside jest's sandboxed globals.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist', 'web');

async function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, contents);
  await fs.rename(temporary, file);
}

await fs.mkdir(out, { recursive: true });
const result = await build({
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  format: 'iife',
  legalComments: 'linked',
  logLevel: 'warning',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryPoints: [path.join(root, 'knowledge/web/editor.tsx')],
  outfile: path.join(out, 'editor.js'),
  write: false,
});
await Promise.all(result.outputFiles.map((o) => writeAtomically(o.path, o.contents)));
for (const file of ['editor.html', 'editor.css']) {
  await writeAtomically(
    path.join(out, file),
    await fs.readFile(path.join(root, 'knowledge/web', file)),
  );
}
