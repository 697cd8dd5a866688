import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { AgentApi, type AgentSummary, ApiError, type Me } from './agentApi.browser';
import { Announcer } from './announcer.browser';
import { LoginForm } from './loginForm';
import { QueueList } from './queueList';
import { TicketPanel } from './ticketPanel';
import { useQueue } from './useQueue';

const tokenKey = 'askdesk.agent.token';
const soundKey = 'askdesk.agent.sound';
const baseTitle = 'Askdesk agent console';

/** Logs in with a token, then shows the workspace. Preact escapes every text it renders. */
function App() {
  const [session, setSession] = useState<{ api: AgentApi; me: Me } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [badge, setBadge] = useState(0);
  const announcer = useMemo(() => new Announcer(baseTitle, setBadge), []);

  const login = useCallback(
    async (token: string) => {
      setBusy(true);
      setError(null);
      announcer.unlockAudio();
      try {
        const api = new AgentApi(token);
        const me = await api.goOnline();
        sessionStorage.setItem(tokenKey, token);
        setSession({ api, me });
      } catch (err) {
        sessionStorage.removeItem(tokenKey);
        setError(
          err instanceof ApiError && err.status < 500
            ? 'That token is not valid.'
            : 'Cannot reach Askdesk; try again.',
        );
      } finally {
        setBusy(false);
      }
    },
    [announcer],
  );
  const logout = useCallback(() => {
    sessionStorage.removeItem(tokenKey);
    setSession(null);
    announcer.clear();
  }, [announcer]);
  // Signing out on purpose also tells the queue not to assign this agent anything.
  const signOut = useCallback(() => {
    void session?.api.setPresence('offline').catch(() => undefined);
    logout();
  }, [session, logout]);

  useEffect(() => {
    const saved = sessionStorage.getItem(tokenKey);
    if (saved) void login(saved);
  }, [login]);

  if (!session) return <LoginForm error={error} busy={busy} onLogin={(t) => void login(t)} />;
  return (
    <Workspace
      api={session.api}
      me={session.me}
      announcer={announcer}
      badge={badge}
      onLogout={logout}
      onSignOut={signOut}
    />
  );
}

function Workspace(props: {
  api: AgentApi;
  me: Me;
  announcer: Announcer;
  badge: number;
  onLogout: () => void;
  onSignOut: () => void;
}) {
  const { api, me, announcer } = props;
  const queue = useQueue(api, announcer, props.onLogout);
  const [nowMs, setNowMs] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [agents, setAgents] = useState<AgentSummary[]>([]);
  const [soundOn, setSoundOn] = useState(sessionStorage.getItem(soundKey) === 'on');
  announcer.soundOn = soundOn;

  // Only the clock ticks; data changes arrive over the event stream.
  useEffect(() => {
    const timer = window.setInterval(() => setNowMs(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    void api.agents().then(setAgents, () => setAgents([]));
  }, [api, queue.selected?.id]);

  const act = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      await queue.reload();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) props.onLogout();
      setProblem(err instanceof Error ? err.message : 'That did not work');
      return false;
    } finally {
      setBusy(false);
    }
  };
  const ticket = queue.selected;

  return (
    <div class="workspace">
      <header class="topbar">
        <h1>
          Askdesk{' '}
          {props.badge > 0 && (
            <span class="badge" data-testid="badge" aria-label={`${props.badge} new tickets`}>
              {props.badge}
            </span>
          )}
        </h1>
        <span class={`conn ${queue.connected ? 'on' : 'off'}`}>
          {queue.connected ? 'live' : 'reconnecting…'}
        </span>
        <label class="sound">
          <input
            type="checkbox"
            checked={soundOn}
            onChange={(event) => {
              const on = event.currentTarget.checked;
              if (on) announcer.unlockAudio();
              sessionStorage.setItem(soundKey, on ? 'on' : 'off');
              setSoundOn(on);
            }}
          />{' '}
          Sound
        </label>
        <span class="me" data-testid="me">
          {me.name} ({me.role})
        </span>
        <select
          aria-label="Presence"
          data-testid="presence"
          onChange={(event) => {
            const status = event.currentTarget.value === 'away' ? 'away' : 'online';
            void act(() => api.setPresence(status));
          }}
        >
          <option value="online">Online</option>
          <option value="away">Away</option>
        </select>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="columns">
        <QueueList
          waiting={queue.waiting}
          assigned={queue.assigned}
          meId={me.id}
          selectedId={ticket?.id ?? null}
          nowMs={nowMs}
          onSelect={(id) => queue.select(id)}
        />
        {ticket ? (
          <TicketPanel
            ticket={ticket}
            meId={me.id}
            nowMs={nowMs}
            suggestions={queue.suggestions}
            agents={agents}
            busy={busy}
            onClaim={() => void act(() => api.claim(ticket.id))}
            onSend={(text) => act(() => api.send(ticket.id, text))}
            onNote={(text) => act(() => api.note(ticket.id, text))}
            onResolve={(outcome) => void act(() => api.resolve(ticket.id, outcome || undefined))}
            onHandBack={() => void act(() => api.handBack(ticket.id))}
            onTransfer={(target) => void act(() => api.transfer(ticket.id, target))}
          />
        ) : (
          <p class="placeholder">
            Select a ticket to see the customer's question, what the bot tried and the transcript.
          </p>
        )}
      </div>
    </div>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
