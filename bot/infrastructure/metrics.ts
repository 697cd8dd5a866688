import type { Knex } from 'knex';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { encoderTime } from '../../knowledge';

/** Prometheus metrics of the bot side; handoff figures are collected on scrape (see main). */
export interface BotMetrics {
  registry: Registry;
  turns: Counter<'outcome' | 'locale'>;
  handoffs: Counter<'reason' | 'locale'>;
  feedback: Counter<'helpful' | 'locale'>;
  csat: Histogram<string>;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  /**
   * Where a turn's time goes: `turn` is the whole activity through the adapter (reading it,
   * the bot, sending the replies to the channel), `match` the KB lookups within it (sentence
   * encoder included); the encoder's and the database's own shares are separate series.
   */
  turnSeconds: Histogram<'phase'>;
  /** Every database query's time (turns and background workers alike). */
  dbQuerySeconds: Histogram<string>;
}

/** Sub-millisecond to seconds: turns, lookups and queries share the buckets. */
const timeBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  // prom-client's own names already say what they are (process_cpu_…, nodejs_heap_…): the
  // prefix only adds the product, e.g. askdesk_process_resident_memory_bytes.
  collectDefaultMetrics({ register: registry, prefix: 'askdesk_' });
  // The sentence encoder keeps its own tally (knowledge/ knows nothing of Prometheus).
  new Counter({
    name: 'askdesk_encoder_question_seconds_total',
    help: "Time customers' questions spent in the sentence encoder (queue and model)",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(encoderTime.seconds);
    },
  });
  new Counter({
    name: 'askdesk_encoder_questions_total',
    help: 'Customer questions that went through the sentence encoder',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(encoderTime.calls);
    },
  });
  return {
    registry,
    turns: new Counter({
      name: 'askdesk_bot_turns_total',
      help: 'Customer messages by what the bot did (answer, clarify, miss, handoff, status, cancel)',
      labelNames: ['outcome', 'locale'],
      registers: [registry],
    }),
    handoffs: new Counter({
      name: 'askdesk_handoffs_total',
      help: 'Tickets opened, by reason',
      labelNames: ['reason', 'locale'],
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'askdesk_answer_feedback_total',
      help: 'Was this helpful? clicks',
      labelNames: ['helpful', 'locale'],
      registers: [registry],
    }),
    csat: new Histogram({
      name: 'askdesk_csat_rating',
      help: 'Satisfaction ratings 1..5',
      buckets: [1, 2, 3, 4, 5],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'askdesk_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: 'askdesk_turn_seconds',
      help: 'Customer activities by phase: turn (through the adapter) and match (KB lookups)',
      labelNames: ['phase'],
      buckets: timeBuckets,
      registers: [registry],
    }),
    dbQuerySeconds: new Histogram({
      name: 'askdesk_db_query_seconds',
      help: 'Database queries (turns and background work)',
      buckets: timeBuckets,
      registers: [registry],
    }),
  };
}

/** Times every query of `db` into `histogram` (knex's query / query-response events). */
export function observeQueries(db: Knex, histogram: Histogram<string>): void {
  const started = new Map<string, number>();
  const finish = (query: { __knexQueryUid?: string }): void => {
    const uid = query.__knexQueryUid;
    const at = uid === undefined ? undefined : started.get(uid);
    if (uid === undefined || at === undefined) return;
    started.delete(uid);
    histogram.observe((performance.now() - at) / 1000);
  };
  db.on('query', (query: { __knexQueryUid?: string }) => {
    if (query.__knexQueryUid !== undefined) started.set(query.__knexQueryUid, performance.now());
  });
  db.on('query-response', (_response: unknown, query: { __knexQueryUid?: string }) =>
    finish(query),
  );
  db.on('query-error', (_error: unknown, query: { __knexQueryUid?: string }) => finish(query));
}
