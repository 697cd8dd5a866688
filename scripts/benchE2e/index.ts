/**
 * `npm run bench:e2e`: Askdesk end to end under load, against a bare Bot Framework EchoBot in
 * the same run. Both run as child processes; this process plays the customers (POST
 * /api/messages, one conversation waiting for each reply before its next message), the channel
 * (an HTTP server at the activities' serviceUrl that receives the replies) and, with agents,
 * the team (claim, reply, resolve over the agent API). Rounds alternate A/B so that both sides
 * see the same machine. Prints msg/s, p50/p99 reply latency, lost and duplicated replies, the
 * ratios, and where a turn's time goes (from each instance's /metrics).
 *
 *   npm run bench:e2e                       every scenario at the default sizes
 *   npm run bench:e2e -- --quick            small sizes, one round (a smoke run)
 *   npm run bench:e2e -- --scenarios sqlite,scale --rounds 3 --encoder off
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import knex from 'knex';
import { createDb, migrateLatest } from '../../bot/infrastructure/db';
import { createUser } from '../../bot/users/userStore';
import { KnexKbStore, parseFaqFile, parseQueriesJsonl, seededRandom } from '../../knowledge';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'eval', 'clinc150');

const scenarioNames = ['sqlite', 'postgres', 'agents-sqlite', 'agents-postgres', 'scale'] as const;
type ScenarioName = (typeof scenarioNames)[number];

interface Options {
  conversations: number;
  messages: number;
  agentConversations: number;
  agents: number;
  rounds: number;
  seed: number;
  timeoutMs: number;
  encoder: 'on' | 'off';
  scenarios: ScenarioName[];
  databaseUrl: string;
  json: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      conversations: { type: 'string' },
      messages: { type: 'string' },
      'agent-conversations': { type: 'string' },
      agents: { type: 'string' },
      rounds: { type: 'string' },
      seed: { type: 'string', default: '16' },
      'timeout-ms': { type: 'string', default: '5000' },
      encoder: { type: 'string', default: 'on' },
      scenarios: { type: 'string', default: scenarioNames.join(',') },
      'database-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const int = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
    return n;
  };
  const scenarios = (values.scenarios ?? '').split(',').filter(Boolean);
  for (const s of scenarios) {
    if (!(scenarioNames as readonly string[]).includes(s)) {
      throw new Error(`--scenarios: "${s}" is unknown; use ${scenarioNames.join(', ')}`);
    }
  }
  if (values.encoder !== 'on' && values.encoder !== 'off') {
    throw new Error('--encoder must be on or off');
  }
  return {
    conversations: int('conversations', values.conversations, quick ? 10 : 50),
    messages: int('messages', values.messages, quick ? 5 : 20),
    agentConversations: int('agent-conversations', values['agent-conversations'], quick ? 20 : 200),
    agents: int('agents', values.agents, 4),
    rounds: int('rounds', values.rounds, quick ? 1 : 2),
    seed: int('seed', values.seed, 16),
    timeoutMs: int('timeout-ms', values['timeout-ms'], 5000),
    encoder: values.encoder,
    scenarios: scenarios as ScenarioName[],
    databaseUrl:
      values['database-url'] ??
      process.env.BENCH_DATABASE_URL ??
      process.env.TEST_DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/test',
    json: values.json,
  };
}

// ---------------------------------------------------------------- the channel (connector)

interface Reply {
  text: string;
  at: number;
}

/** Receives what the bots send; resolves each turn's wait on the reply to its activity. */
class Connector {
  url = '';
  private server?: http.Server;
  /** Replies by the activity id they answer (`replyToId`). */
  readonly byActivity = new Map<string, Reply[]>();
  /** Messages without a turn of ours to answer (proactive: agents, notices), by conversation. */
  readonly proactive = new Map<string, Reply[]>();
  private readonly waiters = new Map<string, () => void>();
  private readonly conversationWaiters = new Map<string, () => void>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end();
          return;
        }
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          type?: string;
          text?: string;
          replyToId?: string;
        };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: crypto.randomUUID() }));
        if (activity.type !== 'message') return;
        const reply = { text: activity.text ?? '', at: performance.now() };
        const replyTo = activity.replyToId;
        if (replyTo && this.waiters.has(replyTo)) {
          this.push(this.byActivity, replyTo, reply);
          this.waiters.get(replyTo)?.();
          return;
        }
        if (replyTo && this.byActivity.has(replyTo)) {
          this.push(this.byActivity, replyTo, reply);
          return;
        }
        const conversationId = decodeURIComponent(match[1] as string);
        this.push(this.proactive, conversationId, reply);
        this.conversationWaiters.get(conversationId)?.();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  private push(map: Map<string, Reply[]>, key: string, reply: Reply): void {
    const list = map.get(key);
    if (list) list.push(reply);
    else map.set(key, [reply]);
  }

  /** The first reply to `activityId`, or null after `timeoutMs`. */
  replyTo(activityId: string, timeoutMs: number): Promise<Reply | null> {
    this.byActivity.set(activityId, []);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(activityId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(activityId, () => {
        clearTimeout(timer);
        this.waiters.delete(activityId);
        resolve(this.byActivity.get(activityId)?.[0] ?? null);
      });
    });
  }

  /** Waits for a proactive message to the conversation whose text matches; null on timeout. */
  async proactiveMatching(
    conversationId: string,
    pattern: RegExp,
    timeoutMs: number,
  ): Promise<Reply | null> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.proactive.get(conversationId)?.find((r) => pattern.test(r.text));
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.conversationWaiters.set(conversationId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.conversationWaiters.delete(conversationId);
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

// ---------------------------------------------------------------- processes

interface Instance {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `node --require tsx/cjs <entry>` on a free port; resolves when healthy (and `readyLine` seen). */
async function startProcess(
  entry: string,
  env: Record<string, string>,
  readyLine?: RegExp,
): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', '--require', 'tsx/cjs', entry], {
    cwd: repoRoot,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited:\n${output.slice(-3000)}`);
    let healthy = false;
    try {
      healthy = (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      // not listening yet
    }
    if (healthy && (!readyLine || readyLine.test(output))) break;
    if (Date.now() > deadline) throw new Error(`${entry} not ready:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, child, output: () => output };
}

async function stopProcess(instance: Instance): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Askdesk's readiness: the encoder has encoded the KB (or is off / unavailable). */
const encoderSettled = /sentence encoder (ready|unavailable)/;

// ---------------------------------------------------------------- databases

interface BenchDb {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh database with the CLINC150 KB imported and `agents` agent users. */
async function prepareDb(
  dialect: 'sqlite' | 'postgres',
  options: Options,
): Promise<BenchDb & { agentTokens: string[] }> {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let db;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askdesk-bench-'));
    const sqliteFile = path.join(dir, 'bench.sqlite');
    db = createDb({ sqliteFile });
    env = { SQLITE_FILE: sqliteFile, DATABASE_URL: '' };
    drop = () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true }));
  } else {
    const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
    const admin = knex({ client: 'pg', connection: options.databaseUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE SCHEMA ${schema}`);
    const url = new URL(options.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    db = createDb({ sqliteFile: ':memory:', databaseUrl: url.toString() });
    env = { DATABASE_URL: url.toString() };
    drop = async () => {
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    };
  }
  await migrateLatest(db);
  const store = new KnexKbStore(db);
  const kbFile = path.join(fixtures, 'kb.json');
  const entries = parseFaqFile(fs.readFileSync(kbFile, 'utf8'), { source: kbFile, existing: [] });
  await store.importEntries(entries, 'bench');
  const agentTokens: string[] = [];
  for (let i = 0; i < options.agents; i += 1) {
    agentTokens.push((await createUser(db, { name: `Bench agent ${i + 1}`, role: 'agent' })).token);
  }
  await db.destroy();
  return { env, drop, agentTokens };
}

// ---------------------------------------------------------------- load

interface RoundResult {
  label: string;
  turns: number;
  seconds: number;
  latenciesMs: number[];
  lost: number;
  /** Replies that came after the timeout (their latency is in `latenciesMs`). */
  late: number;
  duplicated: number;
  httpErrors: number;
  handoffs: number;
  handoffsUnresolved: number;
  breakdown?: Breakdown;
}

interface LoadPlan {
  label: string;
  targets: string[];
  conversations: number;
  messages: number;
  /** With agents: every 4th conversation asks for a person at its 5th message. */
  agentTokens?: string[];
}

const queriesFile = path.join(fixtures, 'queries.jsonl');
const texts = parseQueriesJsonl(fs.readFileSync(queriesFile, 'utf8'), queriesFile)
  .filter((q) => q.locale === 'en')
  .map((q) => q.q);
const askForPerson = 'I want to talk to a person';
let roundSeq = 0;

async function runLoad(
  plan: LoadPlan,
  connector: Connector,
  options: Options,
  random: () => number,
): Promise<RoundResult> {
  roundSeq += 1;
  const run = `${process.pid}-${roundSeq}`;
  const latencies: number[] = [];
  const turnIds: string[] = [];
  let lost = 0;
  let late = 0;
  let httpErrors = 0;
  let handoffs = 0;
  let handoffsUnresolved = 0;
  /** Conversations whose customer asked for a person and now waits for the team. */
  const readyForAgent = new Set<string>();
  const scripts = Array.from({ length: plan.conversations }, () =>
    Array.from(
      { length: plan.messages },
      () => texts[Math.floor(random() * texts.length)] as string,
    ),
  );
  let done = false;

  const customer = async (c: number): Promise<void> => {
    const conversationId = `bench-${run}-${c}`;
    const target = plan.targets[c % plan.targets.length] as string;
    const handsOff = plan.agentTokens !== undefined && c % 4 === 0 && plan.messages >= 5;
    for (let i = 0; i < plan.messages; i += 1) {
      const asksForPerson = handsOff && i === 4;
      const text = asksForPerson ? askForPerson : (scripts[c]?.[i] as string);
      const id = `${conversationId}-${i}`;
      turnIds.push(id);
      const started = performance.now();
      const reply = connector.replyTo(id, options.timeoutMs);
      const posted = fetch(`${target}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id,
          text,
          channelId: 'emulator',
          serviceUrl: connector.url,
          conversation: { id: conversationId },
          from: { id: `user-${c}`, name: 'Customer' },
          recipient: { id: 'bot', name: 'Bot' },
          locale: 'en-US',
        }),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (!response.ok) httpErrors += 1;
        },
        () => {
          httpErrors += 1;
        },
      );
      const [inTime] = await Promise.all([reply, posted]);
      // The adapter answers the POST after the turn's replies went out, so a reply that missed
      // the timeout has arrived by now if it ever will: it counts as late, not lost.
      const got = inTime ?? connector.byActivity.get(id)?.[0] ?? null;
      if (got) latencies.push(got.at - started);
      else lost += 1;
      if (!inTime && got) late += 1;
      if (asksForPerson && got) {
        handoffs += 1;
        readyForAgent.add(conversationId);
        const resolved = await connector.proactiveMatching(conversationId, /is resolved/, 60_000);
        if (!resolved) handoffsUnresolved += 1;
      }
    }
  };

  const agent = async (token: string, k: number): Promise<void> => {
    const base = plan.targets[k % plan.targets.length] as string;
    const call = (method: string, route: string, body?: unknown) =>
      fetch(`${base}${route}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    while (!done) {
      const listed = await call('GET', '/api/handoff/tickets?status=waiting&limit=1000');
      const { tickets } = (await listed.json()) as {
        tickets: { id: string; conversationId: string }[];
      };
      const mine = tickets.filter((t) => readyForAgent.has(t.conversationId));
      const ticket = mine[k % Math.max(1, mine.length)];
      if (!ticket) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const claim = await call('POST', `/api/handoff/tickets/${ticket.id}/claim`);
      await claim.arrayBuffer();
      if (claim.status !== 200) continue;
      readyForAgent.delete(ticket.conversationId);
      await (
        await call('POST', `/api/handoff/tickets/${ticket.id}/messages`, {
          text: 'Hello, I can help you with that.',
        })
      ).arrayBuffer();
      await (
        await call('POST', `/api/handoff/tickets/${ticket.id}/resolve`, {
          outcome: 'answered by the bench agent',
        })
      ).arrayBuffer();
    }
  };

  const started = performance.now();
  const agents = (plan.agentTokens ?? []).map((token, k) => agent(token, k));
  await Promise.all(Array.from({ length: plan.conversations }, (_, c) => customer(c)));
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await Promise.all(agents);
  let duplicated = 0;
  for (const id of turnIds)
    duplicated += Math.max(0, (connector.byActivity.get(id)?.length ?? 0) - 1);
  return {
    label: plan.label,
    turns: turnIds.length,
    seconds,
    latenciesMs: latencies,
    lost,
    late,
    duplicated,
    httpErrors,
    handoffs,
    handoffsUnresolved,
  };
}

// ---------------------------------------------------------------- /metrics breakdown

interface Scrape {
  [series: string]: number;
}

/** The sums and counts the breakdown needs, from one instance's Prometheus text. */
async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Scrape = {};
  for (const line of text.split('\n')) {
    const m =
      /^(askdesk_turn_seconds_(?:sum|count)\{phase="(?:turn|match)"\}|askdesk_db_query_seconds_(?:sum|count)|askdesk_encoder_question(?:_seconds|s)_total) ([0-9.e+-]+)$/.exec(
        line,
      );
    if (m) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

async function scrapeAll(urls: string[]): Promise<Scrape> {
  const total: Scrape = {};
  for (const s of await Promise.all(urls.map(scrape))) {
    for (const [k, v] of Object.entries(s)) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}

interface Breakdown {
  turnMs: number;
  matchMs: number;
  encoderMs: number;
  dbMs: number;
  queriesPerTurn: number;
  /** turn − match − database: the adapter, the bot's own code, sending the replies. */
  adapterMs: number;
}

function breakdownOf(before: Scrape, after: Scrape): Breakdown {
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const turns = Math.max(1, d('askdesk_turn_seconds_count{phase="turn"}'));
  const perTurn = (k: string) => (d(k) / turns) * 1000;
  const turnMs = perTurn('askdesk_turn_seconds_sum{phase="turn"}');
  const matchMs = perTurn('askdesk_turn_seconds_sum{phase="match"}');
  const dbMs = perTurn('askdesk_db_query_seconds_sum');
  return {
    turnMs,
    matchMs,
    encoderMs: perTurn('askdesk_encoder_question_seconds_total'),
    dbMs,
    queriesPerTurn: d('askdesk_db_query_seconds_count') / turns,
    adapterMs: Math.max(0, turnMs - matchMs - dbMs),
  };
}

// ---------------------------------------------------------------- scenarios

interface ScenarioReport {
  name: string;
  description: string;
  rounds: RoundResult[];
  ratio?: { label: string; value: number };
}

async function productInstances(count: number, db: BenchDb, options: Options): Promise<Instance[]> {
  const env = {
    ...db.env,
    SEED_SAMPLE_KB: 'false',
    LOG_LEVEL: 'info',
    MATCH_SENTENCE_ENCODER: options.encoder,
  };
  const ready = options.encoder === 'on' ? encoderSettled : undefined;
  const instances: Instance[] = [];
  // One after the other: two encoders warming up at once would only slow both.
  for (let i = 0; i < count; i += 1) instances.push(await startProcess('bot/main.ts', env, ready));
  return instances;
}

async function warmUp(
  targets: string[],
  connector: Connector,
  options: Options,
  random: () => number,
): Promise<void> {
  await runLoad(
    { label: 'warm-up', targets, conversations: 10, messages: 3 },
    connector,
    options,
    random,
  );
}

async function measured(
  plan: LoadPlan,
  connector: Connector,
  options: Options,
  random: () => number,
  metricsOf?: string[],
): Promise<RoundResult> {
  const before = metricsOf ? await scrapeAll(metricsOf) : undefined;
  const result = await runLoad(plan, connector, options, random);
  if (metricsOf && before) result.breakdown = breakdownOf(before, await scrapeAll(metricsOf));
  return result;
}

const rate = (r: RoundResult) => r.turns / r.seconds;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function versusEcho(
  name: ScenarioName,
  dialect: 'sqlite' | 'postgres',
  connector: Connector,
  options: Options,
  random: () => number,
): Promise<ScenarioReport> {
  const db = await prepareDb(dialect, options);
  let echo: Instance | undefined;
  let product: Instance | undefined;
  try {
    echo = await startProcess('scripts/benchE2e/echoBot.ts', {});
    [product] = await productInstances(1, db, options);
    const askdesk = [(product as Instance).url];
    await warmUp(askdesk, connector, options, random);
    await warmUp([echo.url], connector, options, random);
    const rounds: RoundResult[] = [];
    const size = { conversations: options.conversations, messages: options.messages };
    for (let r = 0; r < options.rounds; r += 1) {
      const plan = { label: 'Askdesk', targets: askdesk, ...size };
      rounds.push(await measured(plan, connector, options, random, askdesk));
      rounds.push(
        await measured(
          { label: 'EchoBot', targets: [echo.url], ...size },
          connector,
          options,
          random,
        ),
      );
    }
    const a = mean(rounds.filter((r) => r.label === 'Askdesk').map(rate));
    const e = mean(rounds.filter((r) => r.label === 'EchoBot').map(rate));
    return {
      name,
      description: `${size.conversations} conversations × ${size.messages} messages, ${dialect}, vs EchoBot`,
      rounds,
      ratio: { label: 'Askdesk / EchoBot msg/s', value: a / e },
    };
  } finally {
    if (echo) await stopProcess(echo);
    if (product) await stopProcess(product);
    await db.drop();
  }
}

async function withAgents(
  name: ScenarioName,
  dialect: 'sqlite' | 'postgres',
  connector: Connector,
  options: Options,
  random: () => number,
): Promise<ScenarioReport> {
  const db = await prepareDb(dialect, options);
  let product: Instance | undefined;
  try {
    [product] = await productInstances(1, db, options);
    const targets = [(product as Instance).url];
    await warmUp(targets, connector, options, random);
    const rounds: RoundResult[] = [];
    for (let r = 0; r < options.rounds; r += 1) {
      const plan = {
        label: 'Askdesk + agents',
        targets,
        conversations: options.agentConversations,
        messages: options.messages,
        agentTokens: db.agentTokens,
      };
      rounds.push(await measured(plan, connector, options, random, targets));
    }
    return {
      name,
      description: `${options.agentConversations} conversations × ${options.messages} messages, ${dialect}, ${options.agents} agents claiming, replying and resolving (every 4th conversation asks for a person)`,
      rounds,
    };
  } finally {
    if (product) await stopProcess(product);
    await db.drop();
  }
}

async function scaleOut(
  connector: Connector,
  options: Options,
  random: () => number,
): Promise<ScenarioReport> {
  const db = await prepareDb('postgres', options);
  const instances: Instance[] = [];
  try {
    instances.push(...(await productInstances(2, db, options)));
    const urls = instances.map((i) => i.url);
    await warmUp(urls, connector, options, random);
    const rounds: RoundResult[] = [];
    const size = { conversations: options.agentConversations, messages: options.messages };
    for (let r = 0; r < options.rounds; r += 1) {
      const one = { label: 'one instance', targets: [urls[0] as string], ...size };
      rounds.push(await measured(one, connector, options, random, [urls[0] as string]));
      const two = { label: 'two instances', targets: urls, ...size };
      rounds.push(await measured(two, connector, options, random, urls));
    }
    const one = mean(rounds.filter((r) => r.label === 'one instance').map(rate));
    const two = mean(rounds.filter((r) => r.label === 'two instances').map(rate));
    return {
      name: 'scale',
      description: `${size.conversations} conversations × ${size.messages} messages on PostgreSQL: one instance vs two sharing the database (conversations split between them)`,
      rounds,
      ratio: { label: 'two / one instance msg/s', value: two / one },
    };
  } finally {
    for (const instance of instances) await stopProcess(instance);
    await db.drop();
  }
}

// ---------------------------------------------------------------- report

function percentileOf(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

function printScenario(report: ScenarioReport): void {
  console.log(`\n## ${report.name}: ${report.description}\n`);
  console.log(
    '| round | msg/s | p50 ms | p99 ms | lost | late | duplicated | http errors | turn ms | match | encoder | database (queries) | adapter |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of report.rounds) {
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    const b = r.breakdown;
    const f = (n: number) => n.toFixed(1);
    const parts = b
      ? [
          f(b.turnMs),
          f(b.matchMs),
          f(b.encoderMs),
          `${f(b.dbMs)} (${b.queriesPerTurn.toFixed(1)})`,
          f(b.adapterMs),
        ]
      : ['–', '–', '–', '–', '–'];
    console.log(
      `| ${r.label} | ${rate(r).toFixed(1)} | ${percentileOf(sorted, 50).toFixed(0)} | ${percentileOf(sorted, 99).toFixed(0)} | ${r.lost} | ${r.late} | ${r.duplicated} | ${r.httpErrors} | ${parts.join(' | ')} |`,
    );
    if (r.handoffs > 0) {
      console.log(
        `|   handoffs resolved by agents: ${r.handoffs - r.handoffsUnresolved}/${r.handoffs} | | | | | | | | | | | |`,
      );
    }
  }
  if (report.ratio) console.log(`\n${report.ratio.label}: ${report.ratio.value.toFixed(2)}`);
}

export async function run(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  const random = seededRandom(options.seed);
  const connector = new Connector();
  await connector.start();
  console.log(
    `bench:e2e — CLINC150 KB, sentence encoder ${options.encoder}, seed ${options.seed}, ${os.cpus().length} cores, reply timeout ${options.timeoutMs} ms, ${options.rounds} round(s) each`,
  );
  console.log(
    'Per turn (from /metrics): turn = the activity through the adapter; match = KB lookups (encoder included); database = query time (background work included) and queries; adapter = turn − match − database.',
  );
  const reports: ScenarioReport[] = [];
  try {
    for (const name of options.scenarios) {
      const report =
        name === 'sqlite'
          ? await versusEcho(name, 'sqlite', connector, options, random)
          : name === 'postgres'
            ? await versusEcho(name, 'postgres', connector, options, random)
            : name === 'agents-sqlite'
              ? await withAgents(name, 'sqlite', connector, options, random)
              : name === 'agents-postgres'
                ? await withAgents(name, 'postgres', connector, options, random)
                : await scaleOut(connector, options, random);
      reports.push(report);
      if (!options.json) printScenario(report);
    }
  } finally {
    await connector.stop();
  }
  if (options.json) console.log(JSON.stringify({ options, reports }, null, 1));
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
