import type {
  BrokenGoldenQuestion,
  FaqEntry,
  GoldenQuestionStatus,
  MatchResult,
  Overlap,
  SynonymVersion,
  UnansweredGroup,
} from '../../types';

export type { FaqEntry, MatchCandidate, MatchResult, Overlap } from '../../types';
export type { BrokenGoldenQuestion, GoldenQuestionStatus, SynonymVersion } from '../../types';

/** As `KnowledgeBase.simulateThresholds` reports it (shares 0..1). */
export interface ThresholdSimulation {
  answerThreshold: number;
  golden: number;
  logged: number;
  rows: {
    answerThreshold: number;
    goldenAnswerRate: number;
    goldenAnsweredRight: number;
    goldenWrong: number;
    loggedAnswered: number;
  }[];
}
export type { UnansweredGroup, UnansweredQuestion } from '../../types';

/** One located problem, as the API reports it in `details` (line 0 when there are no lines). */
export interface FieldProblem {
  line: number;
  field: string;
  message: string;
}

export interface EntryVersion {
  id: string;
  locale: string;
  version: number;
  action: 'create' | 'update' | 'delete' | 'restore';
  actor: string;
  /** ISO-8601. */
  at: string;
  before: FaqEntry | null;
  after: FaqEntry | null;
}

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
}

/**
 * The API said no: `status` 401/403 means the token is wrong or may not edit; `code`
 * "golden_broken" (409) lists in `broken` the golden questions the write would break (it is
 * refused; writing again with `force` goes ahead).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly FieldProblem[] = [],
    readonly code?: string,
    readonly broken: readonly BrokenGoldenQuestion[] = [],
  ) {
    super(message);
  }
}

/** `force`: write although golden questions break (the editor asks first). */
export interface WriteOptions {
  force?: boolean;
}

const forceQuery = (options: WriteOptions): string => (options.force ? '?force=true' : '');

const entryPath = (locale: string, id: string): string =>
  `/api/kb/entries/${encodeURIComponent(locale)}/${encodeURIComponent(id)}`;

/**
 * The editor API (/api/kb) as the page uses it. The token travels only in the Authorization
 * header: never in a URL, so it stays out of server logs and browser history.
 */
export class KbApi {
  constructor(private readonly token: string) {}

  private async request<T>(
    method: string,
    path: string,
    body?: { json: unknown } | { text: string; type: string },
  ): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    let payload: string | undefined;
    if (body && 'json' in body) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['Content-Type'] = body.type;
      payload = body.text;
    }
    const res = await fetch(path, { method, headers, body: payload });
    if (res.status === 204) return undefined as T;
    const answer = (await res.json().catch(() => ({}))) as {
      code?: string;
      message?: string;
      details?: FieldProblem[];
      broken?: BrokenGoldenQuestion[];
    };
    if (!res.ok) {
      throw new ApiError(
        res.status,
        answer.message ?? `HTTP ${res.status}`,
        answer.details ?? [],
        answer.code,
        answer.broken ?? [],
      );
    }
    return answer as T;
  }

  /**
   * Proves the token may edit. Export needs the editor or admin role; "und" (BCP 47 for an
   * undetermined language) never holds entries, so the answer stays tiny.
   */
  async checkEditor(): Promise<void> {
    await this.request<unknown>('GET', '/api/kb/export?locale=und');
  }

  async entries(): Promise<FaqEntry[]> {
    return (await this.request<{ entries: FaqEntry[] }>('GET', '/api/kb/entries')).entries;
  }

  create(entry: FaqEntry, options: WriteOptions = {}): Promise<FaqEntry> {
    return this.request('POST', `/api/kb/entries${forceQuery(options)}`, { json: entry });
  }

  save(entry: FaqEntry, options: WriteOptions = {}): Promise<FaqEntry> {
    const path = `${entryPath(entry.locale, entry.id)}${forceQuery(options)}`;
    return this.request('PUT', path, { json: entry });
  }

  remove(locale: string, id: string, options: WriteOptions = {}): Promise<void> {
    return this.request('DELETE', `${entryPath(locale, id)}${forceQuery(options)}`);
  }

  /** The golden questions, each with what the bot answers now. */
  async golden(): Promise<GoldenQuestionStatus[]> {
    const path = '/api/kb/golden';
    return (await this.request<{ questions: GoldenQuestionStatus[] }>('GET', path)).questions;
  }

  /** The threshold simulator over the golden and the logged (inbox) questions. */
  thresholds(): Promise<ThresholdSimulation> {
    return this.request('GET', '/api/kb/thresholds');
  }

  addGolden(q: string, locale: string, expected: string | null): Promise<GoldenQuestionStatus> {
    return this.request('POST', '/api/kb/golden', { json: { q, locale, expected } });
  }

  removeGolden(id: number): Promise<void> {
    return this.request('DELETE', `/api/kb/golden/${id}`);
  }

  async versions(locale: string, id: string): Promise<EntryVersion[]> {
    const path = `${entryPath(locale, id)}/versions`;
    return (await this.request<{ versions: EntryVersion[] }>('GET', path)).versions;
  }

  /** Phrasings of the entry that overlap other entries; [] for a disabled entry (not matched). */
  async overlaps(locale: string, id: string): Promise<Overlap[]> {
    try {
      const path = `${entryPath(locale, id)}/overlaps`;
      return (await this.request<{ overlaps: Overlap[] }>('GET', path)).overlaps;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }

  restore(locale: string, id: string, version: number): Promise<FaqEntry> {
    return this.request('POST', `${entryPath(locale, id)}/versions/${version}/restore`);
  }

  match(q: string, locale: string): Promise<MatchResult> {
    const query = new URLSearchParams({ q, locale, limit: '5' });
    return this.request('GET', `/api/kb/match?${query.toString()}`);
  }

  async synonyms(locale: string): Promise<string[][]> {
    const path = `/api/kb/synonyms/${encodeURIComponent(locale)}`;
    return (await this.request<{ groups: string[][] }>('GET', path)).groups;
  }

  async saveSynonyms(
    locale: string,
    groups: string[][],
    options: WriteOptions = {},
  ): Promise<string[][]> {
    const path = `/api/kb/synonyms/${encodeURIComponent(locale)}${forceQuery(options)}`;
    return (await this.request<{ groups: string[][] }>('PUT', path, { json: { groups } })).groups;
  }

  /** Every synonym edit of the locale, newest first. */
  async synonymVersions(locale: string): Promise<SynonymVersion[]> {
    const path = `/api/kb/synonyms/${encodeURIComponent(locale)}/versions`;
    return (await this.request<{ versions: SynonymVersion[] }>('GET', path)).versions;
  }

  async restoreSynonyms(
    locale: string,
    version: number,
    options: WriteOptions = {},
  ): Promise<string[][]> {
    const path = `/api/kb/synonyms/${encodeURIComponent(locale)}/versions/${version}/restore${forceQuery(options)}`;
    return (await this.request<{ groups: string[][] }>('POST', path)).groups;
  }

  /** The unanswered inbox, grouped, largest groups first. */
  async unanswered(): Promise<UnansweredGroup[]> {
    return (await this.request<{ groups: UnansweredGroup[] }>('GET', '/api/kb/unanswered')).groups;
  }

  async dismissUnanswered(ids: readonly number[]): Promise<number> {
    const path = '/api/kb/unanswered/dismiss';
    return (await this.request<{ dismissed: number }>('POST', path, { json: { ids } })).dismissed;
  }

  /** `text` is the file as pasted; JSON or CSV by its first character. */
  importText(text: string, dryRun: boolean): Promise<ImportReport> {
    const type = /^\s*[[{]/.test(text) ? 'application/json' : 'text/csv';
    return this.request('POST', `/api/kb/import?dryRun=${dryRun}`, { text, type });
  }
}
