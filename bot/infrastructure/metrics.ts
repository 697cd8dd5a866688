import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the bot side; handoff figures are collected on scrape (see main). */
export interface BotMetrics {
  registry: Registry;
  turns: Counter<'outcome' | 'locale'>;
  handoffs: Counter<'reason' | 'locale'>;
  feedback: Counter<'helpful' | 'locale'>;
  csat: Histogram<string>;
  httpRequests: Counter<'route' | 'method' | 'status'>;
}

export function createBotMetrics(): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'askdesk_process_' });
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
  };
}
