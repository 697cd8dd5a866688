import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAppHarness } from '../../helpers/appHarness';
import { tinyEncoderFolder } from '../../fixtures/tinyEncoder/buildTinyEncoder';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('MATCH_SENTENCE_ENCODER naming an ONNX model folder', () => {
  it('serves every locale of the sample KB with the operator’s model', async () => {
    const harness = await startAppHarness({ env: { MATCH_SENTENCE_ENCODER: tinyEncoderFolder } });
    try {
      await harness.app.kb.whenReady();
      const status = harness.app.kb.sentenceEncoderStatus();
      expect(status.map((s) => s.locale).sort()).toEqual(['en', 'he', 'hu', 'ro']);
      expect(status.every((s) => s.ready)).toBe(true);
    } finally {
      await harness.close();
    }
  });

  it('stops the server with one line naming the missing file, exit code 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'askdesk-encoder-'));
    try {
      const child = spawn(
        process.execPath,
        ['--no-deprecation', '--require', 'tsx/cjs', 'bot/main.ts'],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            MATCH_SENTENCE_ENCODER: dir,
            SQLITE_FILE: path.join(dir, 'askdesk.sqlite'),
            DATABASE_URL: '',
            PORT: '0',
            LOG_LEVEL: 'silent',
            DOTENV_CONFIG_QUIET: 'true',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `MATCH_SENTENCE_ENCODER: ${dir} has no model.onnx (copy the model's ONNX export there as model.onnx; see "Bringing a sentence encoder" in the README)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
