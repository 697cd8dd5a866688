// Builds the browser front-ends into dist/web: the customer page (Web Chat from the npm
// package, no CDN), the embed widget, the agent console and the analytics dashboard (preact, Chart.js). Run by `npm run build`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  format: 'iife',
  legalComments: 'linked',
  logLevel: 'warning',
  jsx: 'automatic',
  jsxImportSource: 'preact',
};

const bundles = [
  ['bot/web/customer.browser.ts', 'customer.js'],
  ['bot/web/embed.browser.ts', 'embed.js'],
  ['handoff/console/web/console.tsx', 'agent.js'],
  ['knowledge/editor/web/editor.tsx', 'editor.js'],
  ['handoff/analytics/web/dashboard.tsx', 'dashboard.js'],
];

const copies = [
  ['node_modules/botframework-webchat/dist/webchat.js', 'webchat.js'],
  ['bot/web/customer.html', 'customer.html'],
  ['bot/web/customer.css', 'customer.css'],
  ['handoff/console/web/agent.html', 'agent.html'],
  ['handoff/console/web/agent.css', 'agent.css'],
  ['knowledge/editor/web/editor.html', 'editor.html'],
  ['knowledge/editor/web/editor.css', 'editor.css'],
  ['handoff/analytics/web/dashboard.html', 'dashboard.html'],
  ['handoff/analytics/web/dashboard.css', 'dashboard.css'],
];

// Each file is written beside its target and renamed into place, so a server (or a parallel
// test) reading dist/web never sees half a file.
async function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, contents);
  await fs.rename(temporary, file);
}

async function bundle([entry, file]) {
  const result = await build({
    ...common,
    entryPoints: [path.join(root, entry)],
    outfile: path.join(out, file),
    write: false,
  });
  await Promise.all(
    result.outputFiles.map((output) => writeAtomically(output.path, output.contents)),
  );
}

async function main() {
  const started = Date.now();
  await fs.mkdir(out, { recursive: true });
  await Promise.all(bundles.map(bundle));
  await Promise.all(
    copies.map(async ([from, to]) =>
      writeAtomically(path.join(out, to), await fs.readFile(path.join(root, from))),
    ),
  );
  console.log(`web: built ${bundles.length} bundles into dist/web in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
