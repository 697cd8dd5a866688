import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** stdout + stderr so far, for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown hooks, no flush; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (clean shutdown), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal and returns at once (e.g. SIGTERM to watch the shutdown). */
  signal(name: NodeJS.Signals): void;
  /** Settles when the process has exited, with its exit code or the signal that killed it. */
  exited: Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const running = new Set<ChildProcess>();

/** A TCP port that was free a moment ago (the server is then started on it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The real server (`bot/main.ts`) as a child process. It runs under `node --require tsx/cjs`
 * rather than the `tsx` CLI, because the CLI forks a second node process: a `kill -9` of the
 * CLI's pid would leave the actual server alive. Resolves once GET /healthz answers 200.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'bot/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // E2E_SERVER_LOG_LEVEL=error shows the servers' logs via output() when debugging.
      LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'silent',
      DOTENV_CONFIG_QUIET: 'true',
      DATABASE_URL: '',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const server: ServerProcess = {
    url,
    port,
    pid: child.pid ?? -1,
    output: () => output,
    kill9: () => kill('SIGKILL'),
    stop: async (graceMs = 5000) => {
      const timer = setTimeout(() => void kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
    signal: (name) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
    },
    exited,
  };
  try {
    await waitForHealth(url, () => child.exitCode !== null, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await server.kill9();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output.slice(-3000)}`);
  }
  return server;
}

async function waitForHealth(
  url: string,
  hasExited: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited()) throw new Error(`server at ${url} exited before it was healthy`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`server at ${url} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILLs every server this helper started that is still running (for afterAll). */
export async function killAllServers(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

// Last resort if a test file dies without its afterAll: never leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
