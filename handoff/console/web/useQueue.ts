import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { HandoffTicket } from '../../types';
import { type AgentApi, ApiError, type Suggestion } from './agentApi.browser';
import type { Announcer } from './announcer.browser';

interface HandoffEventData {
  ticketId?: string | null;
  line?: { role?: string };
}

export interface QueueState {
  waiting: HandoffTicket[];
  assigned: HandoffTicket[];
  selected: HandoffTicket | null;
  suggestions: Suggestion[];
  connected: boolean;
  select(id: string | null): void;
  /** Re-reads the lists and the open ticket, e.g. after an action. */
  reload(): Promise<void>;
}

/**
 * The live queue: reads the lists once, then re-reads only when the event stream says something
 * changed (no polling). Several events close together cause one read.
 */
export function useQueue(
  api: AgentApi,
  announcer: Announcer,
  onUnauthorized: () => void,
): QueueState {
  const [waiting, setWaiting] = useState<HandoffTicket[]>([]);
  const [assigned, setAssigned] = useState<HandoffTicket[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selected, setSelected] = useState<HandoffTicket | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [connected, setConnected] = useState(false);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selectedId;

  const loadLists = useCallback(async () => {
    const [w, a] = await Promise.all([api.tickets('waiting'), api.tickets('assigned')]);
    setWaiting(w);
    setAssigned(a);
  }, [api]);
  const loadSelected = useCallback(async () => {
    const id = selectedRef.current;
    if (!id) return setSelected(null);
    const ticket = await api.ticket(id);
    if (selectedRef.current === id) setSelected(ticket);
  }, [api]);
  const loadSuggestions = useCallback(async () => {
    const id = selectedRef.current;
    const list = id ? await api.suggestions(id).catch(() => []) : [];
    if (selectedRef.current === id) setSuggestions(list);
  }, [api]);

  const pending = useRef({ lists: false, selected: false, suggestions: false, timer: 0 });
  const schedule = useCallback(
    (what: { lists?: boolean; selected?: boolean; suggestions?: boolean }) => {
      const p = pending.current;
      p.lists ||= Boolean(what.lists);
      p.selected ||= Boolean(what.selected);
      p.suggestions ||= Boolean(what.suggestions);
      if (p.timer) return;
      p.timer = window.setTimeout(() => {
        const run = { ...p };
        Object.assign(p, { lists: false, selected: false, suggestions: false, timer: 0 });
        const jobs: Promise<void>[] = [];
        if (run.lists) jobs.push(loadLists());
        if (run.selected) jobs.push(loadSelected());
        if (run.suggestions) jobs.push(loadSuggestions());
        void Promise.all(jobs).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) onUnauthorized();
        });
      }, 15);
    },
    [loadLists, loadSelected, loadSuggestions, onUnauthorized],
  );

  // A new ticket is shown as soon as it can be read alone; the full lists follow.
  const showNewTicket = useCallback(
    (id: string) => {
      void api.ticket(id).then(
        (ticket) => {
          if (ticket.status !== 'waiting') return;
          setWaiting((list) => (list.some((t) => t.id === id) ? list : [...list, ticket]));
        },
        () => undefined,
      );
    },
    [api],
  );

  useEffect(() => {
    const controller = new AbortController();
    api
      .streamEvents(
        ({ event, data }) => {
          const payload = JSON.parse(data) as HandoffEventData;
          const forSelected = payload.ticketId != null && payload.ticketId === selectedRef.current;
          if (event === 'ticketCreated' && payload.ticketId) {
            announcer.newTicket();
            showNewTicket(payload.ticketId);
          }
          if (event === 'resync') schedule({ lists: true, selected: true, suggestions: true });
          else if (event === 'ticketCreated' || event === 'ticketUpdated')
            schedule({ lists: true, selected: forSelected });
          else if (event === 'transcriptLine' && forSelected) {
            schedule({ selected: true, suggestions: payload.line?.role === 'customer' });
          }
        },
        setConnected,
        controller.signal,
      )
      .catch((err: unknown) => {
        if (err instanceof ApiError) onUnauthorized();
      });
    return () => controller.abort();
  }, [api, announcer, schedule, showNewTicket, onUnauthorized]);

  const select = useCallback(
    (id: string | null) => {
      selectedRef.current = id;
      setSelectedId(id);
      setSelected(null);
      setSuggestions([]);
      schedule({ selected: true, suggestions: true });
    },
    [schedule],
  );
  const reload = useCallback(async () => {
    await Promise.all([loadLists(), loadSelected()]);
  }, [loadLists, loadSelected]);

  return { waiting, assigned, selected, suggestions, connected, select, reload };
}
