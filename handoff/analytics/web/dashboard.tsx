import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import {
  AnalyticsApi,
  ApiError,
  type AnalyticsSummary,
  type AnalyticsTimeseries,
  type DashboardQuery,
  type UnansweredGroup,
} from './analyticsApi.browser';
import { ChartCanvas } from './chartCanvas';
import { average, bucketLabel, dash, duration, palette, percent } from './format.browser';

const TOKEN_KEY = 'askdesk.dashboard.token';
const REFRESH_MS = 30_000;

const periods = {
  '24h': { label: 'Last 24 hours', hours: 24, bucket: 'hour' },
  '7d': { label: 'Last 7 days', hours: 24 * 7, bucket: 'day' },
  '30d': { label: 'Last 30 days', hours: 24 * 30, bucket: 'day' },
  '90d': { label: 'Last 90 days', hours: 24 * 90, bucket: 'day' },
} as const;
type Period = keyof typeof periods;

const locales = ['', 'en', 'he', 'ro', 'hu'];

function queryOf(period: Period, locale: string, queue: string): DashboardQuery {
  const to = new Date();
  const from = new Date(to.getTime() - periods[period].hours * 3_600_000);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: periods[period].bucket,
    locale,
    queue,
  };
}

interface Figures {
  summary: AnalyticsSummary;
  series: AnalyticsTimeseries;
  unanswered: UnansweredGroup[];
}

function Kpi(props: { testId: string; label: string; value: string; definition: string }) {
  return (
    <section class="kpi" aria-label={props.label}>
      <h2>{props.label}</h2>
      <p class="figure" data-testid={props.testId}>
        {props.value}
      </p>
      <p class="definition">{props.definition}</p>
    </section>
  );
}

const axis = { beginAtZero: true, ticks: { precision: 0 } };

function volumeChart(series: AnalyticsTimeseries): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: series.points.map((p) => bucketLabel(p.start, series.bucket)),
      datasets: [
        {
          label: 'Conversations',
          data: series.points.map((p) => p.conversations),
          backgroundColor: palette[0],
          yAxisID: 'y',
        },
        {
          label: 'Tickets opened',
          data: series.points.map((p) => p.ticketsOpened),
          backgroundColor: palette[1],
          yAxisID: 'y',
        },
        {
          type: 'line',
          label: 'Deflection %',
          data: series.points.map((p) =>
            p.deflectionRate === null ? null : Math.round(p.deflectionRate * 100),
          ),
          borderColor: palette[2],
          backgroundColor: palette[2],
          yAxisID: 'rate',
        },
      ],
    },
    options: {
      scales: {
        y: axis,
        rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  };
}

function barChart(
  labels: string[],
  label: string,
  data: number[],
  color: string,
): ChartConfiguration {
  return {
    type: 'bar',
    data: { labels, datasets: [{ label, data, backgroundColor: color }] },
    options: { scales: { y: axis }, plugins: { legend: { display: false } } },
  };
}

function timesChart(series: AnalyticsTimeseries): ChartConfiguration {
  const line = (label: string, data: (number | null)[], color: string, dashed = false) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    spanGaps: true,
    ...(dashed && { borderDash: [6, 4] }),
  });
  const minutes = (s: number | null) => (s === null ? null : Math.round(s / 6) / 10);
  return {
    type: 'line',
    data: {
      labels: series.points.map((p) => bucketLabel(p.start, series.bucket)),
      datasets: [
        line(
          'Wait p50 (min)',
          series.points.map((p) => minutes(p.waitSeconds.p50)),
          palette[0],
        ),
        line(
          'Wait p90 (min)',
          series.points.map((p) => minutes(p.waitSeconds.p90)),
          palette[0],
          true,
        ),
        line(
          'First response p50 (min)',
          series.points.map((p) => minutes(p.firstResponseSeconds.p50)),
          palette[4],
        ),
        line(
          'First response p90 (min)',
          series.points.map((p) => minutes(p.firstResponseSeconds.p90)),
          palette[4],
          true,
        ),
      ],
    },
    options: { scales: { y: { beginAtZero: true } } },
  };
}

function Charts({ figures }: { figures: Figures }) {
  const { summary, series } = figures;
  const reasons = Object.entries(summary.handoffsByReason).filter(([, n]) => n > 0);
  const queues = Object.entries(summary.slaByQueue);
  const scores = ['1', '2', '3', '4', '5'] as const;
  const configs = useMemo(
    () => ({
      volume: volumeChart(series),
      reasons: barChart(
        reasons.map(([r]) => r.replace(/_/g, ' ')),
        'Tickets',
        reasons.map(([, n]) => n),
        palette[1],
      ),
      times: timesChart(series),
      sla: barChart(
        queues.map(([q]) => q),
        'SLA met %',
        queues.map(([, f]) => Math.round((f.compliance ?? 0) * 100)),
        palette[2],
      ),
      csat: barChart(
        [...scores],
        'Ratings',
        scores.map((s) => summary.csat.distribution[s]),
        palette[3],
      ),
      hours: barChart(
        summary.conversationsByHour.map((_, h) => `${String(h).padStart(2, '0')}:00`),
        'Conversations',
        summary.conversationsByHour,
        palette[5],
      ),
    }),
    [summary, series],
  );
  const peak = summary.conversationsByHour.indexOf(Math.max(...summary.conversationsByHour));
  return (
    <div class="charts">
      <ChartCanvas
        testId="chart-volume"
        title="Volume and deflection"
        definition="Conversations with a customer message and tickets opened per bucket (UTC); deflection = share of conversations without a ticket."
        summary={`${summary.conversations} conversations, ${summary.ticketsOpened} tickets, deflection ${percent(summary.deflectionRate)}`}
        config={configs.volume}
      />
      <ChartCanvas
        testId="chart-reasons"
        title="Handoffs by reason"
        definition="Tickets opened in the period, by why the bot handed off."
        summary={reasons.map(([r, n]) => `${r} ${n}`).join(', ') || 'no handoffs'}
        config={configs.reasons}
      />
      <ChartCanvas
        testId="chart-times"
        title="Wait and first response"
        definition="Minutes from joining the queue to an agent taking the ticket (wait) and to the agent's first reply; p50 solid, p90 dashed."
        summary={`wait p50 ${duration(summary.waitSeconds.p50)}, first response p50 ${duration(summary.firstResponseSeconds.p50)}`}
        config={configs.times}
      />
      <ChartCanvas
        testId="chart-sla"
        title="SLA compliance per queue"
        definition="Tickets answered within the queue's first-response target ÷ tickets whose target is decided."
        summary={
          queues.map(([q, f]) => `${q} ${percent(f.compliance)}`).join(', ') || 'nothing decided'
        }
        config={configs.sla}
      />
      <ChartCanvas
        testId="chart-csat"
        title="Satisfaction ratings"
        definition="Customers' 1–5 ratings of tickets opened in the period."
        summary={scores.map((s) => `${s}: ${summary.csat.distribution[s]}`).join(', ')}
        config={configs.csat}
      />
      <ChartCanvas
        testId="chart-hours"
        title="Busiest hours (UTC)"
        definition="Conversations with a customer message in each hour of the day."
        summary={
          summary.conversations
            ? `busiest at ${String(peak).padStart(2, '0')}:00`
            : 'no conversations'
        }
        config={configs.hours}
      />
    </div>
  );
}

function Unanswered({ groups }: { groups: UnansweredGroup[] }) {
  return (
    <section class="unanswered" data-testid="top-unanswered">
      <h2>Top unanswered questions</h2>
      <p class="definition">
        What customers asked that the bot could not answer directly, grouped by wording; add them to
        the knowledge base from the <a href="/editor#unanswered">editor's inbox</a>.
      </p>
      {groups.length === 0 ? (
        <p>Nothing unanswered.</p>
      ) : (
        <ol>
          {groups.slice(0, 10).map((g) => (
            <li key={`${g.locale}:${g.text}`}>
              <a href="/editor#unanswered" dir="auto" lang={g.locale}>
                {g.text || dash}
              </a>{' '}
              <span class="count">
                ×{g.count} ({g.locale})
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Dashboard({ api, onSignOut }: { api: AnalyticsApi; onSignOut: (why?: string) => void }) {
  const [period, setPeriod] = useState<Period>('7d');
  const [locale, setLocale] = useState('');
  const [queue, setQueue] = useState('');
  const [figures, setFigures] = useState<Figures | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);

  const load = useCallback(async () => {
    const q = queryOf(period, locale, queue);
    try {
      const [summary, series, unanswered] = await Promise.all([
        api.summary(q),
        api.timeseries(q),
        api.unanswered(locale),
      ]);
      setFigures({ summary, series, unanswered });
      setProblem(null);
      setUpdatedAt(new Date().toLocaleTimeString('en-GB'));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        onSignOut(err.message);
        return;
      }
      setProblem(err instanceof Error ? err.message : String(err));
    }
  }, [api, period, locale, queue, onSignOut]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const exportCsv = async () => {
    const blob = await api.csv(queryOf(period, locale, queue));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `askdesk-analytics-${period}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const s = figures?.summary;
  const queues = Object.keys(s?.slaByQueue ?? {});
  if (queue && !queues.includes(queue)) queues.push(queue);
  return (
    <main>
      <header class="bar">
        <h1>Askdesk dashboard</h1>
        <label>
          Period{' '}
          <select
            data-testid="period"
            value={period}
            onChange={(e) => setPeriod(e.currentTarget.value as Period)}
          >
            {Object.entries(periods).map(([id, p]) => (
              <option key={id} value={id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language{' '}
          <select
            data-testid="locale"
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value)}
          >
            {locales.map((l) => (
              <option key={l} value={l}>
                {l || 'All'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Queue{' '}
          <select
            data-testid="queue"
            value={queue}
            onChange={(e) => setQueue(e.currentTarget.value)}
          >
            <option value="">All</option>
            {queues.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" data-testid="export-csv" onClick={() => void exportCsv()}>
          Export CSV
        </button>
        <span class="updated" aria-live="polite">
          {updatedAt ? `Updated ${updatedAt}, every 30 s` : 'Loading…'}
        </span>
        <button type="button" class="link" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {s && figures && (
        <>
          <div class="kpis">
            <Kpi
              testId="kpi-conversations"
              label="Conversations"
              value={String(s.conversations)}
              definition="Conversations with at least one customer message in the period."
            />
            <Kpi
              testId="kpi-deflection"
              label="Deflection"
              value={percent(s.deflectionRate)}
              definition="Share of those conversations that needed no ticket."
            />
            <Kpi
              testId="kpi-tickets"
              label="Tickets opened"
              value={String(s.ticketsOpened)}
              definition="Handoffs to the team in the period."
            />
            <Kpi
              testId="kpi-unanswered"
              label="Unanswered"
              value={percent(s.unansweredRate)}
              definition="FAQ questions without a direct answer (clarifying question, no match, handoff)."
            />
            <Kpi
              testId="kpi-wait-p50"
              label="Wait p50"
              value={duration(s.waitSeconds.p50)}
              definition={`Joining the queue → an agent takes it; half waited less. p90 ${duration(s.waitSeconds.p90)}.`}
            />
            <Kpi
              testId="kpi-first-response-p50"
              label="First response p50"
              value={duration(s.firstResponseSeconds.p50)}
              definition={`Joining the queue → the agent's first reply. p90 ${duration(s.firstResponseSeconds.p90)}.`}
            />
            <Kpi
              testId="kpi-sla"
              label="SLA compliance"
              value={percent(s.slaCompliance)}
              definition="First replies within the queue's target ÷ tickets whose target is decided."
            />
            <Kpi
              testId="kpi-csat"
              label="CSAT"
              value={average(s.csat.average)}
              definition={`Average 1–5 rating, from ${s.csat.count} rating${s.csat.count === 1 ? '' : 's'}.`}
            />
          </div>
          <Charts figures={figures} />
          <Unanswered groups={figures.unanswered} />
        </>
      )}
    </main>
  );
}

function LoginForm({ error, onLogin }: { error: string | null; onLogin: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <form
      class="login"
      onSubmit={(event) => {
        event.preventDefault();
        if (token.trim()) onLogin(token.trim());
      }}
    >
      <h1>Askdesk dashboard</h1>
      <label for="token">Supervisor or admin token</label>
      <input
        id="token"
        data-testid="token"
        type="password"
        autocomplete="off"
        value={token}
        onInput={(event) => setToken(event.currentTarget.value)}
      />
      <button type="submit" data-testid="login">
        Sign in
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [error, setError] = useState<string | null>(null);
  const api = useMemo(() => (token ? new AnalyticsApi(token) : null), [token]);
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setError(why ?? null);
  }, []);
  if (!api) {
    return (
      <LoginForm
        error={error}
        onLogin={(t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setError(null);
          setToken(t);
        }}
      />
    );
  }
  return <Dashboard api={api} onSignOut={signOut} />;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
