import type { Request, Server } from 'restify';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../errors';
import {
  faqEntrySchema,
  parseFaqCsv,
  parseFaqJson,
  parseFaqValue,
  problemsOf,
  serialiseFaqCsv,
  serialiseFaqJson,
} from '../store/faqFile';
import { MAX_GOLDEN_CHARS } from '../golden/golden';
import type { KnowledgeBase } from '../service/knowledgeBase';
import type { FaqEntry } from '../types';

export type Role = 'agent' | 'supervisor' | 'editor' | 'admin';

export interface Principal {
  id: string;
  name: string;
  role: Role;
}

/**
 * Port: who is calling. Throws an error whose `code` is 'unauthorized' (→ 401) or
 * 'forbidden' (→ 403) when the caller may not proceed.
 */
export interface RouteAuth {
  require(req: Request, roles: Role[]): Promise<Principal>;
}

export interface KnowledgeRouteDeps {
  kb: KnowledgeBase;
  auth: RouteAuth;
  /** The languages the bot speaks; imports of entries in others are refused (400). */
  locales?: readonly string[];
  /** Gets one line per import (counts and who, never entry text). */
  logger?: { info(fields: object, message: string): void };
}

const READERS: Role[] = ['agent', 'supervisor', 'editor', 'admin'];
const WRITERS: Role[] = ['editor', 'admin'];

const Locale = z
  .string()
  .regex(
    /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
    'is not a language code — use e.g. "en", "he", "ro" or "hu"',
  );
const LocaleParams = z.object({ locale: Locale });
const SynonymVersionParams = LocaleParams.extend({
  version: z.coerce
    .number({ error: 'must be a version number such as 3' })
    .int('must be a whole number')
    .positive('must be 1 or more'),
});
const EntryKey = z.object({
  locale: Locale,
  id: z.string().min(1, 'is empty — name an entry id').max(200, 'is longer than 200 characters'),
});
const VersionParams = EntryKey.extend({
  version: z.coerce
    .number({ error: 'must be a version number such as 3' })
    .int('must be a whole number')
    .positive('must be 1 or more'),
});
const MatchQuery = z.object({
  q: z
    .string({ error: 'is missing — pass the question as ?q=' })
    .max(4000, 'is longer than 4000 characters — shorten it'),
  locale: Locale.default('en'),
  limit: z.coerce.number().int().min(1).max(20, 'must be 20 or less').optional(),
});
const ListQuery = z.object({
  locale: Locale.optional(),
  enabled: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});
const UnansweredQuery = z.object({ locale: Locale.optional() });
const GoldenQuery = z.object({ locale: Locale.optional() });
const GoldenBody = z.object({
  locale: Locale,
  q: z
    .string({ error: 'is missing — write the question as a customer would' })
    .trim()
    .min(1, 'is empty — write the question as a customer would')
    .max(MAX_GOLDEN_CHARS, `is longer than ${MAX_GOLDEN_CHARS} characters — shorten it`),
  expected: z
    .string({ error: 'must be an entry id, or null for "no direct answer"' })
    .min(1, 'is empty — name an entry id, or send null for "no direct answer"')
    .max(200, 'is longer than 200 characters')
    .nullable(),
});
const GoldenParams = z.object({
  id: z.coerce
    .number({ error: 'must be a golden question id such as 3' })
    .int('must be a whole number')
    .positive('must be 1 or more'),
});
/** `?force=true`: write although golden questions break (see KnowledgeBase WriteOptions). */
const WriteQuery = z.object({
  force: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});
const DismissBody = z.object({
  ids: z
    .array(z.number({ error: 'must be numbers' }).int().positive(), {
      error: 'is missing — send {"ids": [1, 2]}',
    })
    .min(1, 'is empty — name the questions to dismiss')
    .max(10_000, 'lists more than 10,000 questions — dismiss fewer at once'),
});
const ExportQuery = z.object({
  locale: Locale.optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});
const ImportQuery = WriteQuery.extend({
  dryRun: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});
const SynonymsBody = z.object({
  groups: z
    .array(
      z
        .array(z.string().trim().min(1, 'is empty — remove it'), {
          error: 'must be a list of words',
        })
        .min(2, 'needs at least two words that mean the same'),
      { error: 'is missing — send {"groups": [["word", "synonym"], …]}' },
    )
    .max(1000, 'has more than 1000 groups'),
});

/** zod at the edge: the 400 message names the field ("query parameter "q" is missing …"). */
function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = problemsOf(result.error, 0);
  throw new InvalidInputError(problems.map((p) => `${where} ${p.message}`).join('; '), problems);
}

/** Path id/locale win; a body naming different ones is a mistake worth a 400. */
function entryFromBody(req: Request, key: { id: string; locale: string }): FaqEntry {
  const body = bodyObjectOf(req);
  for (const field of ['id', 'locale'] as const) {
    if (body[field] !== undefined && body[field] !== key[field]) {
      throw new InvalidInputError(
        `body "${field}" is ${JSON.stringify(body[field])} but the path says "${key[field]}" — make them match or leave it out`,
        [{ line: 0, field, message: `differs from the path` }],
      );
    }
  }
  return parse(faqEntrySchema, { ...body, ...key }, 'body');
}

function bodyObjectOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return body as Record<string, unknown>;
  }
  throw new InvalidInputError('body must be a JSON object — send Content-Type: application/json', [
    { line: 0, field: 'body', message: 'must be a JSON object' },
  ]);
}

/** JSON keeps line numbers when we parse the raw text ourselves; CSV is accepted too. */
async function entriesFromImport(
  req: Request,
  kb: KnowledgeBase,
  locales: readonly string[] | undefined,
): Promise<FaqEntry[]> {
  const existing = await kb.list();
  const options = { source: 'body', existing, ...(locales && { locales }) };
  const raw: unknown = (req as Request & { rawBody?: unknown }).rawBody ?? req.body;
  const text =
    typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
  if (text === undefined) return parseFaqValue(req.body, options);
  if (/csv/i.test(req.contentType?.() ?? '')) return parseFaqCsv(text, options);
  return parseFaqJson(text, options);
}

/** The editor API under /api/kb. Who acts always comes from `auth`, never the body. */
export function registerKnowledgeRoutes(server: Server, deps: KnowledgeRouteDeps): void {
  const { kb, auth } = deps;
  const keyOf = (req: Request) => parse(EntryKey, req.params, 'path parameter');
  const actorOf = async (req: Request) => (await auth.require(req, WRITERS)).name;
  const writeOptionsOf = (req: Request) => parse(WriteQuery, req.query ?? {}, 'query parameter');

  server.get('/api/kb/match', async (req, res) => {
    await auth.require(req, READERS);
    const query = parse(MatchQuery, req.query ?? {}, 'query parameter');
    res.send(200, await kb.match(query.q, query.locale, query.limit));
  });

  server.get('/api/kb/entries', async (req, res) => {
    await auth.require(req, READERS);
    res.send(200, {
      entries: await kb.list(parse(ListQuery, req.query ?? {}, 'query parameter')),
    });
  });

  server.post('/api/kb/entries', async (req, res) => {
    const actor = await actorOf(req);
    const entry = parse(faqEntrySchema, bodyObjectOf(req), 'body');
    res.send(201, await kb.create(entry, actor, writeOptionsOf(req)));
  });

  server.get('/api/kb/entries/:locale/:id', async (req, res) => {
    await auth.require(req, READERS);
    res.send(200, await getOrThrow(kb, keyOf(req)));
  });

  server.put('/api/kb/entries/:locale/:id', async (req, res) => {
    const actor = await actorOf(req);
    const entry = entryFromBody(req, keyOf(req));
    const change = await kb.upsert(entry, actor, writeOptionsOf(req));
    res.send(change === 'added' ? 201 : 200, entry);
  });

  server.del('/api/kb/entries/:locale/:id', async (req, res) => {
    const actor = await actorOf(req);
    const { id, locale } = keyOf(req);
    await kb.delete(id, locale, actor, writeOptionsOf(req));
    res.send(204);
  });

  server.get('/api/kb/entries/:locale/:id/versions', async (req, res) => {
    await auth.require(req, READERS);
    const { id, locale } = keyOf(req);
    const versions = await kb.listVersions(id, locale);
    if (versions.length === 0) throw notFound(id, locale);
    res.send(200, { versions });
  });

  // The unanswered inbox: what customers asked that the bot could not answer directly, grouped.
  // Customers' own words, so for editors only.
  server.get('/api/kb/unanswered', async (req, res) => {
    await auth.require(req, WRITERS);
    const { locale } = parse(UnansweredQuery, req.query ?? {}, 'query parameter');
    res.send(200, { groups: await kb.unansweredGroups(locale) });
  });

  server.post('/api/kb/unanswered/dismiss', async (req, res) => {
    await auth.require(req, WRITERS);
    const { ids } = parse(DismissBody, bodyObjectOf(req), 'body');
    res.send(200, { dismissed: await kb.dismissUnanswered(ids) });
  });

  // Golden questions: what the bot must keep answering; writes that break one are refused
  // (409 golden_broken) unless ?force=true.
  server.get('/api/kb/golden', async (req, res) => {
    await auth.require(req, WRITERS);
    const { locale } = parse(GoldenQuery, req.query ?? {}, 'query parameter');
    res.send(200, { questions: await kb.goldenQuestions(locale) });
  });

  // The threshold simulator: golden and logged questions replayed at answer thresholds.
  server.get('/api/kb/thresholds', async (req, res) => {
    await auth.require(req, WRITERS);
    const { locale } = parse(GoldenQuery, req.query ?? {}, 'query parameter');
    res.send(200, await kb.simulateThresholds(locale));
  });

  server.post('/api/kb/golden', async (req, res) => {
    const actor = await actorOf(req);
    const question = parse(GoldenBody, bodyObjectOf(req), 'body');
    res.send(201, await kb.addGoldenQuestion(question, actor));
  });

  server.del('/api/kb/golden/:id', async (req, res) => {
    await actorOf(req);
    const { id } = parse(GoldenParams, req.params, 'path parameter');
    await kb.removeGoldenQuestion(id);
    res.send(204);
  });

  // Phrasings of the entry that overlap another entry (same wording, or matched as well).
  server.get('/api/kb/entries/:locale/:id/overlaps', async (req, res) => {
    await auth.require(req, READERS);
    const { id, locale } = keyOf(req);
    res.send(200, { overlaps: kb.overlapsOf(id, locale) });
  });

  server.post('/api/kb/entries/:locale/:id/versions/:version/restore', async (req, res) => {
    const actor = await actorOf(req);
    const { id, locale, version } = parse(VersionParams, req.params, 'path parameter');
    res.send(200, await kb.restoreVersion(id, locale, version, actor, writeOptionsOf(req)));
  });

  server.post('/api/kb/import', async (req, res) => {
    const principal = await auth.require(req, WRITERS);
    const { dryRun = false, force } = parse(ImportQuery, req.query ?? {}, 'query parameter');
    const entries = await entriesFromImport(req, kb, deps.locales);
    const summary = await kb.import(entries, principal.name, { dryRun, force });
    if (!dryRun)
      deps.logger?.info(
        { userId: principal.id, entries: entries.length, ...summary, forced: Boolean(force) },
        'kb import',
      );
    res.send(200, { ...summary, dryRun });
  });

  server.get('/api/kb/export', async (req, res) => {
    await auth.require(req, WRITERS);
    const query = parse(ExportQuery, req.query ?? {}, 'query parameter');
    const entries = await kb.list({ locale: query.locale });
    const csv = query.format === 'csv';
    res.setHeader(
      'Content-Type',
      csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    );
    res.sendRaw(200, csv ? serialiseFaqCsv(entries) : serialiseFaqJson(entries));
  });

  server.get('/api/kb/synonyms/:locale', async (req, res) => {
    await auth.require(req, READERS);
    const { locale } = parse(LocaleParams, req.params, 'path parameter');
    res.send(200, { locale, groups: await kb.getSynonyms(locale) });
  });

  server.get('/api/kb/synonyms/:locale/versions', async (req, res) => {
    await auth.require(req, READERS);
    const { locale } = parse(LocaleParams, req.params, 'path parameter');
    res.send(200, { versions: await kb.listSynonymVersions(locale) });
  });

  server.post('/api/kb/synonyms/:locale/versions/:version/restore', async (req, res) => {
    const actor = await actorOf(req);
    const { locale, version } = parse(SynonymVersionParams, req.params, 'path parameter');
    const groups = await kb.restoreSynonymVersion(locale, version, actor, writeOptionsOf(req));
    res.send(200, { locale, groups });
  });

  server.put('/api/kb/synonyms/:locale', async (req, res) => {
    const actor = await actorOf(req);
    const { locale } = parse(LocaleParams, req.params, 'path parameter');
    const { groups } = parse(SynonymsBody, bodyObjectOf(req), 'body');
    await kb.setSynonyms(locale, groups, actor, writeOptionsOf(req));
    res.send(200, { locale, groups });
  });
}

async function getOrThrow(
  kb: KnowledgeBase,
  key: { id: string; locale: string },
): Promise<FaqEntry> {
  const entry = await kb.getStored(key.id, key.locale);
  if (!entry) throw notFound(key.id, key.locale);
  return entry;
}

const notFound = (id: string, locale: string): NotFoundError =>
  new NotFoundError(`No entry "${id}" in locale "${locale}" — check the id and the locale`);
