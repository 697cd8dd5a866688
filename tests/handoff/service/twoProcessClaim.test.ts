import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDialects } from '../../helpers/testDb';
import { createHarness, openInput } from '../handoffHarness';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const child = path.join(__dirname, '..', 'fixtures', 'claimProcess.ts');

interface ChildResult {
  won: string[];
  lost: string[];
  errors: string[];
}

describe.each(testDialects())('two server processes on one %s database', (dialect) => {
  it('never double-assign: every ticket has exactly one winner', async () => {
    const h = await createHarness(dialect);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i += 1)
        ids.push((await h.handoff.openTicket(openInput(`two-${i}`))).ticket.id);
      const env = {
        ...process.env,
        SQLITE_FILE: h.testDb.settings.sqliteFile,
        DATABASE_URL: h.testDb.settings.databaseUrl ?? '',
        TICKET_IDS: ids.join(','),
        START_AT: String(Date.now() + 3000),
      };
      const outputs = await Promise.all(
        ['agent-a', 'agent-b'].map((agent) =>
          run(tsx, [child], { cwd: repoRoot, env: { ...env, AGENT_ID: agent }, timeout: 60_000 }),
        ),
      );
      const [a, b] = outputs.map(
        (o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!) as ChildResult,
      );
      expect(a!.errors).toEqual([]);
      expect(b!.errors).toEqual([]);
      expect(a!.won.length + b!.won.length).toBe(ids.length);
      expect(new Set([...a!.won, ...b!.won]).size).toBe(ids.length);
      expect([...a!.lost].sort()).toEqual([...b!.won].sort());
      const tickets = await h.agents.list({ status: 'assigned' });
      expect(tickets).toHaveLength(ids.length);
      for (const t of tickets) {
        const winner = a!.won.includes(t.id) ? 'agent-a' : 'agent-b';
        expect(t.assignedAgent?.id).toBe(winner);
        const claims = (await h.context.tickets.listEvents(t.id)).filter(
          (e) => e.event === 'claim',
        );
        expect(claims).toHaveLength(1);
      }
    } finally {
      await h.close();
    }
  }, 90_000);
});
