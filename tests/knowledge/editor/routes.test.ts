import type { Request, Server } from 'restify';
import pino from 'pino';
import { createHttpEdge } from '../../../bot/infrastructure/httpEdge';
import { KnowledgeBase } from '../../../knowledge/service/knowledgeBase';
import {
  registerKnowledgeRoutes,
  type Principal,
  type Role,
  type RouteAuth,
} from '../../../knowledge/editor/routes';
import type { Overlap } from '../../../knowledge/matcher/overlaps';
import type { UnansweredGroup } from '../../../knowledge/inbox/unanswered';
import type { FaqEntry, MatchCandidate } from '../../../knowledge/types';
import { createTestDb, type TestDb } from '../../helpers/testDb';

/** Test double at our own port: the bearer token is the role name. */
class FakeAuth implements RouteAuth {
  require(req: Request, roles: Role[]): Promise<Principal> {
    const token = /^Bearer (\w+)$/.exec(req.headers.authorization ?? '')?.[1];
    const known: Role[] = ['agent', 'supervisor', 'editor', 'admin'];
    const role = known.find((r) => r === token);
    if (!role)
      return Promise.reject(Object.assign(new Error('no token'), { code: 'unauthorized' }));
    if (role !== 'admin' && !roles.includes(role)) {
      return Promise.reject(
        Object.assign(new Error(`role ${role} may not`), { code: 'forbidden' }),
      );
    }
    return Promise.resolve({ id: `u-${role}`, name: `The ${role}`, role });
  }
}

const hours: FaqEntry = {
  id: 'hours',
  locale: 'en',
  question: 'When are you open?',
  alternates: ['opening hours', 'business hours'],
  answer: 'Mon–Fri 9–18',
  tags: ['hours'],
  followUps: [],
  enabled: true,
};

describe('knowledge routes', () => {
  let testDb: TestDb;
  let server: Server;
  let base: string;
  let kbOf: () => KnowledgeBase;

  beforeAll(async () => {
    testDb = await createTestDb('sqlite');
    const kb = await KnowledgeBase.open(testDb.db);
    kbOf = () => kb;
    await kb.import([hours], 'seed');
    kb.registerSystemEntries([
      { ...hours, id: '__human', question: 'talk to a human', alternates: [] },
    ]);
    server = createHttpEdge({ logger: pino({ level: 'silent' }), maxBodyBytes: 1024 * 1024 });
    registerKnowledgeRoutes(server, { kb, auth: new FakeAuth() });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    base = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(async () => {
    server.close();
    await testDb.destroy();
  });

  async function call(
    method: string,
    path: string,
    role?: Role,
    body?: unknown,
    contentType = 'application/json',
  ) {
    const headers: Record<string, string> = {};
    if (role) headers.authorization = `Bearer ${role}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* CSV and empty bodies stay text */
    }
    return { status: res.status, body: json as Record<string, unknown> };
  }

  it('ranks candidates with the score breakdown for every role', async () => {
    for (const role of ['agent', 'supervisor', 'editor', 'admin'] as const) {
      const { status, body } = await call(
        'GET',
        '/api/kb/match?q=what%20are%20your%20opening%20hours&locale=en',
        role,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ locale: 'en', band: 'answer' });
      const hit = (body.candidates as MatchCandidate[]).find((c) => c.id === 'hours');
      expect(hit?.matchedPhrasing).toEqual(expect.any(String));
      expect(hit?.synonymsApplied).toEqual([]);
      expect(Object.keys(hit?.scores ?? {})).toEqual(expect.arrayContaining(['fuzzy', 'lexical']));
      expect(hit?.confidence).toBeGreaterThan(0.5);
    }
  });

  it('answers 401 without a token and 403 to an agent who writes', async () => {
    expect((await call('GET', '/api/kb/entries')).status).toBe(401);
    expect((await call('PUT', '/api/kb/entries/en/hours', 'agent', hours)).status).toBe(403);
    expect((await call('POST', '/api/kb/import', 'supervisor', [])).status).toBe(403);
  });

  it('names the field in a 400', async () => {
    const missing = await call('GET', '/api/kb/match?locale=en', 'agent');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('"q" is missing');
    const badLocale = await call('GET', '/api/kb/entries?locale=english!', 'editor');
    expect(badLocale.status).toBe(400);
    expect(badLocale.body.message).toContain('"locale"');
    const noAnswer = await call('POST', '/api/kb/entries', 'editor', {
      ...hours,
      id: 'x',
      answer: '',
    });
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.body).toMatchObject({
      code: 'invalid_input',
      details: [expect.objectContaining({ field: 'answer' })],
    });
    expect(noAnswer.body.message).toContain('"answer" is empty — every entry needs an answer');
  });

  it('creates, reads, edits, versions, restores and deletes an entry', async () => {
    const parking = { ...hours, id: 'parking', question: 'Where can I park?', alternates: [] };
    expect((await call('POST', '/api/kb/entries', 'editor', parking)).status).toBe(201);
    expect((await call('POST', '/api/kb/entries', 'editor', parking)).status).toBe(409);
    expect((await call('GET', '/api/kb/entries/en/parking', 'agent')).body).toEqual(parking);

    const edited = await call('PUT', '/api/kb/entries/en/parking', 'editor', {
      ...parking,
      id: undefined,
      answer: 'Level -2',
    });
    expect(edited).toMatchObject({ status: 200, body: { answer: 'Level -2' } });
    const mismatch = await call('PUT', '/api/kb/entries/en/parking', 'editor', {
      ...parking,
      locale: 'ro',
    });
    expect(mismatch.status).toBe(400);

    const versions = await call('GET', '/api/kb/entries/en/parking/versions', 'editor');
    expect(versions.body.versions).toEqual([
      expect.objectContaining({ version: 2, action: 'update', actor: 'The editor' }),
      expect.objectContaining({ version: 1, action: 'create' }),
    ]);
    const restored = await call('POST', '/api/kb/entries/en/parking/versions/1/restore', 'admin');
    expect(restored).toMatchObject({ status: 200, body: { answer: hours.answer } });
    expect(
      (await call('POST', '/api/kb/entries/en/parking/versions/99/restore', 'admin')).status,
    ).toBe(404);
    expect(
      (await call('POST', '/api/kb/entries/en/parking/versions/x/restore', 'admin')).status,
    ).toBe(400);

    expect((await call('DELETE', '/api/kb/entries/en/parking', 'editor')).status).toBe(204);
    expect((await call('GET', '/api/kb/entries/en/parking', 'editor')).status).toBe(404);
    expect((await call('DELETE', '/api/kb/entries/en/parking', 'editor')).status).toBe(404);
  });

  it('lists the phrasings of an entry that overlap other entries, system ones included', async () => {
    const contact = {
      ...hours,
      id: 'contact',
      question: 'How do I reach you?',
      alternates: ['when are you OPEN', 'talk to a human', 'phone number'],
    };
    expect((await call('PUT', '/api/kb/entries/en/contact', 'editor', contact)).status).toBe(201);
    const { status, body } = await call('GET', '/api/kb/entries/en/contact/overlaps', 'agent');
    expect(status).toBe(200);
    const overlaps = body.overlaps as Overlap[];
    expect(overlaps).toContainEqual(
      expect.objectContaining({
        id: 'contact',
        phrasing: 'when are you OPEN',
        kind: 'duplicate',
        otherId: 'hours',
        otherPhrasing: 'When are you open?',
      }),
    );
    expect(overlaps).toContainEqual(
      expect.objectContaining({ phrasing: 'talk to a human', otherId: '__human' }),
    );
    expect(overlaps.map((o) => o.phrasing)).not.toContain('phone number');
    expect((await call('GET', '/api/kb/entries/en/nope/overlaps', 'editor')).status).toBe(404);
    expect((await call('GET', '/api/kb/entries/en/contact/overlaps')).status).toBe(401);
    expect((await call('DELETE', '/api/kb/entries/en/contact', 'editor')).status).toBe(204);
  });

  it('groups the unanswered questions for editors, and dismisses them', async () => {
    const miss = { locale: 'en', outcome: 'none', topId: 'hours', confidence: 0.2 } as const;
    await kbOf().recordUnanswered({ ...miss, text: 'Do you take bitcoin?' });
    await kbOf().recordUnanswered({ ...miss, text: 'do you take BITCOIN' });
    await kbOf().recordUnanswered({ ...miss, text: 'Is there a dog-friendly café?' });
    await kbOf().recordUnanswered({ ...miss, locale: 'he', text: 'יש חניה?' });
    expect((await call('GET', '/api/kb/unanswered', 'agent')).status).toBe(403);
    const { status, body } = await call('GET', '/api/kb/unanswered?locale=en', 'editor');
    expect(status).toBe(200);
    const groups = body.groups as UnansweredGroup[];
    expect(groups.map((g) => [g.count, g.examples[0]?.text])).toEqual([
      [2, 'do you take BITCOIN'],
      [1, 'Is there a dog-friendly café?'],
    ]);
    expect(groups[0]).toMatchObject({ locale: 'en', topId: 'hours' });

    const bad = await call('POST', '/api/kb/unanswered/dismiss', 'editor', { ids: ['x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"ids');
    const dismissed = await call('POST', '/api/kb/unanswered/dismiss', 'editor', {
      ids: groups[0]!.ids,
    });
    expect(dismissed.body).toEqual({ dismissed: 2 });
    const after = await call('GET', '/api/kb/unanswered', 'admin');
    expect((after.body.groups as UnansweredGroup[]).map((g) => g.examples[0]?.text).sort()).toEqual(
      ['Is there a dog-friendly café?', 'יש חניה?'],
    );
  });

  it('creates with PUT (201) and finds ids with slashes and question marks', async () => {
    const odd = { ...hours, id: 'science/tech?', question: 'Odd id?' };
    const path = `/api/kb/entries/en/${encodeURIComponent(odd.id)}`;
    expect((await call('PUT', path, 'editor', odd)).status).toBe(201);
    expect((await call('GET', path, 'agent')).body).toMatchObject({ id: 'science/tech?' });
  });

  it('lists stored entries only, never system ones', async () => {
    const { body } = await call('GET', '/api/kb/entries?locale=en', 'agent');
    const ids = (body.entries as FaqEntry[]).map((e) => e.id);
    expect(ids).toContain('hours');
    expect(ids).not.toContain('__human');
    expect((await call('GET', '/api/kb/entries/en/__human', 'agent')).status).toBe(404);
  });

  it('imports all-or-nothing, listing every error with its line', async () => {
    const text = [
      '[',
      '  {"id": "a1", "locale": "en", "question": "Q1", "answer": "A1"},',
      '  {"id": "a2", "locale": "en", "question": "", "answer": "A2"},',
      '  {"id": "a3", "locale": "en", "question": "Q3", "answer": "A3", "followUps": ["nope"]}',
      ']',
    ].join('\n');
    const bad = await call('POST', '/api/kb/import', 'editor', text);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      expect.objectContaining({ line: 3, field: 'question' }),
      expect.objectContaining({ line: 4, field: 'followUps' }),
    ]);
    expect((await call('GET', '/api/kb/entries/en/a1', 'editor')).status).toBe(404);

    const good = [
      { id: 'a1', locale: 'en', question: 'Q1', answer: 'A1', followUps: ['hours'] },
      hours,
    ];
    expect((await call('POST', '/api/kb/import?dryRun=true', 'editor', good)).body).toEqual({
      added: 1,
      updated: 0,
      unchanged: 1,
      dryRun: true,
    });
    expect((await call('GET', '/api/kb/entries/en/a1', 'editor')).status).toBe(404);
    expect((await call('POST', '/api/kb/import', 'editor', good)).body).toMatchObject({
      added: 1,
      unchanged: 1,
    });
    expect((await call('GET', '/api/kb/entries/en/a1', 'editor')).status).toBe(200);
  });

  it('imports CSV and exports JSON or CSV', async () => {
    const csv =
      'id,locale,question,answer,alternates\ncsv1,ro,Întrebare?,Răspuns,alt unu|alt doi\n';
    const res = await call('POST', '/api/kb/import', 'editor', csv, 'text/csv');
    expect(res).toMatchObject({ status: 200, body: { added: 1 } });
    const exported = await call('GET', '/api/kb/export?format=csv&locale=ro', 'editor');
    expect(exported.body).toContain('csv1,ro,Întrebare?,alt unu|alt doi,Răspuns');
    const json = await call('GET', '/api/kb/export?locale=ro', 'editor');
    expect(json.body).toEqual([
      expect.objectContaining({ id: 'csv1', alternates: ['alt unu', 'alt doi'] }),
    ]);
  });

  it('reads and replaces synonyms per locale, and the matcher uses them', async () => {
    expect((await call('GET', '/api/kb/synonyms/en', 'agent')).body).toEqual({
      locale: 'en',
      groups: [],
    });
    const bad = await call('PUT', '/api/kb/synonyms/en', 'editor', { groups: [['alone']] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"groups" item 1');
    const groups = [['open', 'trading']];
    expect((await call('PUT', '/api/kb/synonyms/en', 'editor', { groups })).body).toEqual({
      locale: 'en',
      groups,
    });
    expect((await call('GET', '/api/kb/synonyms/en', 'agent')).body).toEqual({
      locale: 'en',
      groups,
    });
    const match = await call(
      'GET',
      '/api/kb/match?q=when%20are%20you%20trading&locale=en',
      'agent',
    );
    expect(
      (match.body.candidates as Array<{ synonymsApplied: string[] }>)[0]?.synonymsApplied,
    ).toEqual(['trading→open']);

    // Versioned, and any version can be restored.
    await call('PUT', '/api/kb/synonyms/en', 'editor', { groups: [] });
    const versions = await call('GET', '/api/kb/synonyms/en/versions', 'agent');
    expect(
      (versions.body.versions as Array<{ version: number; after: string[][]; actor: string }>).map(
        (v) => [v.version, v.after, v.actor],
      ),
    ).toEqual([
      [2, [], 'The editor'],
      [1, groups, 'The editor'],
    ]);
    const restore = '/api/kb/synonyms/en/versions/1/restore';
    expect((await call('POST', restore, 'agent')).status).toBe(403);
    expect((await call('POST', restore, 'editor')).body).toEqual({ locale: 'en', groups });
    expect((await call('GET', '/api/kb/synonyms/en', 'agent')).body).toEqual({
      locale: 'en',
      groups,
    });
    expect((await call('POST', '/api/kb/synonyms/en/versions/7/restore', 'editor')).status).toBe(
      404,
    );
    expect((await call('POST', '/api/kb/synonyms/en/versions/x/restore', 'editor')).status).toBe(
      400,
    );
  });

  it('keeps golden questions for editors, and refuses writes that break one (409) unless forced', async () => {
    // An entry of its own: earlier tests left entries that share the hours phrasings.
    const parking = {
      ...hours,
      id: 'parking',
      question: 'Where can I park?',
      alternates: ['parking spaces for visitors', 'where can I leave my car'],
    };
    expect((await call('PUT', '/api/kb/entries/en/parking', 'editor', parking)).status).toBe(201);
    await kbOf().whenReady();
    const q = 'where can I leave my car';
    expect((await call('GET', '/api/kb/golden', 'agent')).status).toBe(403);
    expect((await call('POST', '/api/kb/golden', undefined, { locale: 'en', q })).status).toBe(401);
    const missing = await call('POST', '/api/kb/golden', 'editor', { locale: 'en', q });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('"expected"');
    const unknown = await call('POST', '/api/kb/golden', 'editor', {
      locale: 'en',
      q,
      expected: 'garage',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('names no entry of locale "en"');
    const added = await call('POST', '/api/kb/golden', 'editor', {
      locale: 'en',
      q,
      expected: 'parking',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ q, expected: 'parking', answer: 'parking', right: true });
    expect(added.body.createdBy).toBe('The editor');
    const again = await call('POST', '/api/kb/golden', 'admin', {
      locale: 'en',
      q,
      expected: null,
    });
    expect(again.status).toBe(409);
    const listed = await call('GET', '/api/kb/golden?locale=en', 'editor');
    expect(listed.body.questions).toEqual([added.body]);

    const thief = { ...hours, id: 'garage', question: 'Is there a garage?', alternates: [q] };
    const path = '/api/kb/entries/en/garage';
    const refused = await call('PUT', path, 'editor', thief);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'golden_broken',
      // Two entries with the same phrasing: "Did you mean", no direct answer.
      broken: [{ locale: 'en', q, expected: 'parking', after: null }],
    });
    expect((await call('GET', path, 'agent')).status).toBe(404);
    expect((await call('PUT', `${path}?force=maybe`, 'editor', thief)).status).toBe(400);
    expect((await call('PUT', `${path}?force=true`, 'editor', thief)).status).toBe(201);
    const now = await call('GET', '/api/kb/golden', 'admin');
    expect(now.body.questions).toEqual([expect.objectContaining({ q, right: false })]);

    expect((await call('GET', '/api/kb/thresholds', 'agent')).status).toBe(403);
    const simulated = await call('GET', '/api/kb/thresholds?locale=en', 'editor');
    expect(simulated.status).toBe(200);
    expect(simulated.body).toMatchObject({ answerThreshold: 0.6, golden: 1 });
    expect(simulated.body.rows).toHaveLength(13);
    expect((await call('GET', '/api/kb/thresholds?locale=1', 'editor')).status).toBe(400);

    const id = (added.body as { id: number }).id;
    expect((await call('DELETE', `/api/kb/golden/${id}`, 'agent')).status).toBe(403);
    expect((await call('DELETE', `/api/kb/golden/${id}`, 'editor')).status).toBe(204);
    expect((await call('DELETE', `/api/kb/golden/${id}`, 'editor')).status).toBe(404);
    expect((await call('DELETE', '/api/kb/golden/first', 'editor')).status).toBe(400);
    expect((await call('DELETE', path, 'editor')).status).toBe(204);
    expect((await call('DELETE', '/api/kb/entries/en/parking', 'editor')).status).toBe(204);
  });
});
