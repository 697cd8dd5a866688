import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, importGraph, sourceFiles } from './importGraph';

const root = path.resolve(__dirname, '..', '..');

describe('import cycles', () => {
  it('the source tree has none', () => {
    const graph = importGraph(sourceFiles(root, ['knowledge', 'handoff', 'bot', 'scripts']));
    expect(graph.size).toBeGreaterThan(100);
    const cycles = importCycles(graph).map((c) => c.map((f) => path.relative(root, f)));
    expect(cycles).toEqual([]);
  });

  describe('the check', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-cycles-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (files: Record<string, string>): string[] =>
      Object.entries(files).map(([name, code]) => {
        const file = path.join(dir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, code);
        return file;
      });

    it('finds a cycle made of a type-only import and a re-export through an index', () => {
      write({
        'store/port.ts': "export interface Port { x: number }\nexport { Impl } from './impl';\n",
        'store/impl.ts': "import type { Port } from './port';\nexport class Impl { p?: Port }\n",
        'store/index.ts': "export * from './port';\n",
        'user.ts': "import { Impl } from './store';\nexport const u = Impl;\n",
      });
      const cycles = importCycles(importGraph(sourceFiles(dir, ['.'])));
      expect(cycles.map((c) => c.map((f) => path.relative(dir, f)))).toEqual([
        ['store/impl.ts', 'store/port.ts'],
      ]);
    });

    it('finds a cycle through a lazy require and passes a chain without one', () => {
      write({
        'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'b.ts': "import { c } from './c';\nexport const b = c;\n",
        'c.ts': 'export const c = 1;\n',
        'd.ts': "export const d = () => require('./e');\n",
        'e.ts': "import { d } from './d';\nexport const e = d;\n",
      });
      const cycles = importCycles(importGraph(sourceFiles(dir, ['.'])));
      expect(cycles.map((c) => c.map((f) => path.relative(dir, f)))).toEqual([['d.ts', 'e.ts']]);
    });
  });
});
