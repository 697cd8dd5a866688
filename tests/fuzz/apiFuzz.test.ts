import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { startAppHarness, type AppHarness } from '../helpers/appHarness';
import { FakeConnector } from '../helpers/fakeConnector';
import { rawRequest, type RawResponse } from '../helpers/rawHttp';

/**
 * Property-based fuzzing of every HTTP surface that accepts input, against the real server on a
 * real SQLite file. For every generated request: never a 5xx, the server keeps answering
 * /healthz, and a rejected (4xx) write leaves the tables it could touch exactly as they were.
 * FUZZ_RUNS scales the cases per property; FUZZ_SEED replays a run.
 */
const runs = Math.max(1, Number(process.env.FUZZ_RUNS ?? 500));
const seed = Number(process.env.FUZZ_SEED ?? 20261202);
/** Imports parse whole files and re-index the knowledge base, so they run a share of the cases. */
const share = { messages: 1, directline: 1, handoff: 1, editor: 1, import: 0.6 };
const settingsFor = (property: keyof typeof share) => ({
  seed,
  numRuns: Math.max(1, Math.round(runs * share[property])),
  endOnFailure: true,
});

const json = { 'Content-Type': 'application/json' };

/** Strings that tend to break things: long, Hebrew, control characters, prototype keys. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'מה שעות הפתיחה שלכם?',
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    '%00',
    '=cmd|"/c calc"!A1',
    'a'.repeat(70_000),
    'שלום'.repeat(5_000),
    '\ud800',
    'null',
    '{}',
  ),
);
const weird = fc.oneof(
  nasty,
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, -0, 2 ** 53 + 1),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A field that is usually well typed and sometimes anything at all. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, weird);
const protoKeys = fc.dictionary(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
  fc.jsonValue({ maxDepth: 2 }),
);
/** A JSON body: a mostly well-formed record, arbitrary JSON, or a record with prototype keys. */
const bodyFrom = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 4, arbitrary: record.map((r) => JSON.stringify(r)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.tuple(record, protoKeys).map(([r, p]) =>
        JSON.stringify(r)
          .replace(/^\{/, `{${JSON.stringify(p).slice(1, -1)},`)
          .replace(/,}$/, '}'),
      ),
    },
    { weight: 1, arbitrary: fc.string() },
  );
/** Percent-encodes a path segment; a lone surrogate becomes its invalid UTF-8 bytes. */
const encodeSegment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
const rawBytes = fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b));

describe('fuzzing the HTTP API (real server, real SQLite file)', () => {
  let h: AppHarness;
  const connector = new FakeConnector();
  const tokens: Record<'agent' | 'editor' | 'admin', string> = { agent: '', editor: '', admin: '' };
  let dlToken = '';
  let dlConversation = '';
  const counts: Record<string, Record<string, number>> = {};

  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer | string,
  ): Promise<RawResponse> => rawRequest(h.app.url, method, path, headers, body);

  async function snapshot(tables: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const rows = await h.app.db(table).select('*').orderByRaw('rowid');
      out[table] =
        `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return out;
  }

  /** Sends one request and checks the three invariants; counts statuses per property. */
  async function check(
    property: string,
    tables: readonly string[],
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer | string,
  ): Promise<void> {
    const before = await snapshot(tables);
    const res = await send(method, path, headers, body);
    const tally = (counts[property] ??= {});
    const bucket = `${Math.floor(res.status / 100)}xx`;
    tally[bucket] = (tally[bucket] ?? 0) + 1;
    if (res.status >= 500 || res.status < 200)
      throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    expect((await send('GET', '/healthz', {})).status).toBe(200);
    if (res.status >= 400 && method !== 'GET') expect(await snapshot(tables)).toEqual(before);
  }

  const pathSegment = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('1', '999999', 'en', 'he', 'x') },
    { weight: 3, arbitrary: nasty.filter((s) => s.length < 300).map(encodeSegment) },
    fc.constantFrom('%', '%ZZ', '%E0%A4%A', '..', '-1', '1e308', 'NaN', '__proto__'),
  );

  beforeAll(async () => {
    await connector.start();
    h = await startAppHarness();
    tokens.agent = (await h.addUser('Fuzz Agent', 'agent')).token;
    tokens.editor = (await h.addUser('Fuzz Editor', 'editor')).token;
    tokens.admin = (await h.addUser('Fuzz Admin', 'admin')).token;
    const grant = await send('POST', '/api/directline/token', json, '{}');
    dlToken = grant.json.token;
    dlConversation = grant.json.conversationId;
    console.log(
      `apiFuzz: seed ${seed}, cases ${JSON.stringify(Object.fromEntries(Object.keys(share).map((p) => [p, settingsFor(p as keyof typeof share).numRuns])))} (FUZZ_RUNS=${runs}, FUZZ_SEED)`,
    );
  }, 90_000);
  afterAll(async () => {
    console.log(`apiFuzz: statuses per property ${JSON.stringify(counts)}`);
    await h?.close();
    await connector.stop();
  });

  const botTables = ['bot_state', 'bot_activity_claims', 'handoff_tickets', 'kb_unanswered'];
  const activity = fc.record(
    {
      type: maybe(fc.constantFrom('message', 'conversationUpdate', 'invoke', 'event', 'typing')),
      id: maybe(fc.string({ maxLength: 20 })),
      text: maybe(nasty),
      channelId: maybe(fc.constantFrom('emulator', 'directline', 'webchat')),
      conversation: maybe(fc.record({ id: maybe(fc.string({ minLength: 1, maxLength: 30 })) })),
      from: maybe(fc.record({ id: maybe(fc.string()), name: maybe(nasty) }, { requiredKeys: [] })),
      recipient: maybe(fc.record({ id: maybe(fc.string()) })),
      locale: maybe(fc.constantFrom('en-US', 'he-IL', 'ro', 'hu', 'xx-YY', '')),
      value: weird,
      name: maybe(fc.constantFrom('handoff', 'adaptiveCard/action', 'x')),
      attachments: maybe(
        fc.array(fc.record({ contentType: weird, content: weird }), { maxLength: 3 }),
      ),
      membersAdded: maybe(fc.array(fc.record({ id: maybe(fc.string()) }), { maxLength: 3 })),
    },
    { requiredKeys: [] },
  );

  it('POST /api/messages: any activity, JSON or bytes', async () => {
    const body = fc.oneof(
      {
        weight: 6,
        arbitrary: bodyFrom(activity.map((a) => ({ ...a, serviceUrl: connector.url }))),
      },
      { weight: 1, arbitrary: rawBytes },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await check('messages', botTables, 'POST', '/api/messages', json, b);
      }),
      settingsFor('messages'),
    );
  }, 120_000);

  it('Direct Line: any body and conversation id on /v3/directline', async () => {
    const dlTables = ['directline_conversations', 'directline_activities'];
    const route = fc.oneof(
      fc.constant(`/v3/directline/conversations/${'{id}'}/activities`),
      fc.constantFrom(
        '/v3/directline/conversations',
        '/v3/directline/tokens/generate',
        '/v3/directline/tokens/refresh',
      ),
    );
    const id = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, pathSegment);
    const body = fc.oneof(
      { weight: 6, arbitrary: bodyFrom(activity) },
      { weight: 1, arbitrary: rawBytes },
    );
    const auth = fc.oneof(
      { weight: 4, arbitrary: fc.constant('good') },
      fc.constantFrom('none', 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'a'.repeat(5000)),
    );
    await fc.assert(
      fc.asyncProperty(route, id, body, auth, async (r, i, b, a) => {
        const path = r.replace('{id}', i || encodeURIComponent(dlConversation));
        const headers: Record<string, string> = { ...json };
        if (a === 'good') headers.Authorization = `Bearer ${dlToken}`;
        else if (a !== 'none') headers.Authorization = a;
        await check('directline', dlTables, 'POST', path, headers, b);
      }),
      settingsFor('directline'),
    );
  }, 120_000);

  it('agent API: any body and ticket id on /api/handoff', async () => {
    const handoffTables = [
      'handoff_tickets',
      'handoff_transcript_lines',
      'handoff_ticket_notes',
      'handoff_agent_message_keys',
      'handoff_outbox',
    ];
    const action = fc.constantFrom(
      'claim',
      'messages',
      'resolve',
      'handback',
      'transfer',
      'assign',
      'notes',
    );
    const record = fc.record(
      {
        text: maybe(nasty),
        note: maybe(nasty),
        agentId: maybe(fc.string()),
        to: maybe(fc.string()),
        reason: maybe(nasty),
        status: maybe(fc.constantFrom('available', 'away', 'offline')),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 6, arbitrary: bodyFrom(record) },
      { weight: 1, arbitrary: rawBytes },
    );
    const target = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(pathSegment, action)
          .map(([i, a]) => ['POST', `/api/handoff/tickets/${i}/${a}`]),
      },
      fc.constantFrom(
        ['PUT', '/api/handoff/agents/me/presence'],
        ['POST', '/api/handoff/agents/me/heartbeat'],
      ),
      pathSegment.map((i) => ['GET', `/api/handoff/tickets/${i}`]),
    );
    const key = fc.option(nasty.filter((s) => s.length < 200 && /^[\x20-\x7e]*$/.test(s)));
    await fc.assert(
      fc.asyncProperty(target, body, key, async ([method, path], b, k) => {
        const headers: Record<string, string> = {
          ...json,
          Authorization: `Bearer ${tokens.agent}`,
        };
        if (k !== null) headers['Idempotency-Key'] = k;
        await check(
          'handoff',
          handoffTables,
          method,
          path,
          headers,
          method === 'GET' ? undefined : b,
        );
      }),
      settingsFor('handoff'),
    );
  }, 120_000);

  const kbTables = [
    'kb_entries',
    'kb_entry_versions',
    'kb_synonyms',
    'kb_synonym_versions',
    'kb_revision',
    'kb_golden',
    'kb_unanswered',
  ];
  const entry = fc.record(
    {
      id: maybe(fc.string({ maxLength: 40 })),
      locale: maybe(fc.constantFrom('en', 'he', 'ro', 'hu', 'xx', 'EN', '')),
      question: maybe(nasty),
      questions: maybe(fc.array(nasty, { maxLength: 4 })),
      answer: maybe(nasty),
      tags: maybe(fc.array(nasty, { maxLength: 3 })),
      alternatives: maybe(fc.array(nasty, { maxLength: 3 })),
      expectedId: maybe(fc.string()),
      text: maybe(nasty),
      terms: maybe(fc.array(fc.array(nasty, { maxLength: 3 }), { maxLength: 3 })),
      synonyms: maybe(fc.array(fc.array(nasty, { maxLength: 3 }), { maxLength: 3 })),
      revision: maybe(fc.integer()),
    },
    { requiredKeys: [] },
  );

  it('editor API: any body and entry id on /api/kb', async () => {
    const target = fc.oneof(
      fc.constant(['POST', '/api/kb/entries']),
      fc.constant(['POST', '/api/kb/golden']),
      fc.constant(['POST', '/api/kb/unanswered/dismiss']),
      fc.tuple(pathSegment, pathSegment).map(([l, i]) => ['PUT', `/api/kb/entries/${l}/${i}`]),
      fc.tuple(pathSegment, pathSegment).map(([l, i]) => ['DELETE', `/api/kb/entries/${l}/${i}`]),
      fc
        .tuple(pathSegment, pathSegment, pathSegment)
        .map(([l, i, v]) => ['POST', `/api/kb/entries/${l}/${i}/versions/${v}/restore`]),
      pathSegment.map((l) => ['PUT', `/api/kb/synonyms/${l}`]),
      pathSegment.map((i) => ['DELETE', `/api/kb/golden/${i}`]),
    );
    const body = fc.oneof(
      { weight: 6, arbitrary: bodyFrom(entry) },
      { weight: 1, arbitrary: rawBytes },
    );
    await fc.assert(
      fc.asyncProperty(target, body, async ([method, path], b) => {
        const headers = { ...json, Authorization: `Bearer ${tokens.editor}` };
        await check('editor', kbTables, method, path, headers, method === 'DELETE' ? undefined : b);
      }),
      settingsFor('editor'),
    );
  }, 120_000);

  it('POST /api/kb/import: any JSON or CSV file', async () => {
    const csvCell = fc.oneof(nasty, fc.constantFrom('"', '""', ',', '\n', '\r\n', 'en', 'he'));
    const csv = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('id,locale,question,answer', 'locale,id,questions,answer,tags', 'x', ''),
          fc.array(fc.array(csvCell, { maxLength: 6 }), { maxLength: 5 }),
        )
        .map(([header, rows]) => [header, ...rows.map((r) => r.join(','))].join('\n')),
      fc.string(),
    );
    const jsonFile = bodyFrom(
      fc.record({ entries: maybe(fc.array(entry, { maxLength: 4 })) }, { requiredKeys: [] }),
    );
    const file = fc.oneof(
      { weight: 3, arbitrary: csv.map((text) => ['text/csv', text] as const) },
      { weight: 3, arbitrary: jsonFile.map((text) => ['application/json', text] as const) },
      {
        weight: 2,
        arbitrary: fc
          .array(entry, { maxLength: 4 })
          .map((e) => ['application/json', JSON.stringify(e)] as const),
      },
      { weight: 1, arbitrary: rawBytes.map((b) => ['text/csv', b] as const) },
    );
    const query = fc.constantFrom(
      '',
      '?dryRun=true',
      '?force=true',
      '?dryRun=maybe',
      '?force=1&dryRun=false',
    );
    await fc.assert(
      fc.asyncProperty(file, query, async ([type, content], q) => {
        const headers = { 'Content-Type': type, Authorization: `Bearer ${tokens.editor}` };
        await check('import', kbTables, 'POST', `/api/kb/import${q}`, headers, content);
      }),
      settingsFor('import'),
    );
  }, 120_000);
});
