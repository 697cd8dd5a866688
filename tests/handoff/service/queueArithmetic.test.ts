import { pickAgent, type AgentSlot } from '../../../handoff/worker/autoAssigner';
import { estimateWait, isMeaningfulChange, median, quantile } from '../../../handoff/service/eta';
import { backoffSeconds } from '../../../handoff/worker/noticeOutbox';
import type { AgentPresence } from '../../../handoff/store/agentStore';

describe('median and quantile', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it.each([
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.5, 50],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 90],
    [[7], 0.9, 7],
    [[], 0.5, null],
  ])('quantile of %j at %s is %s (nearest rank)', (values, q, expected) => {
    expect(quantile(values, q)).toBe(expected);
  });
});

describe('estimateWait', () => {
  const stats = (medianSeconds: number, samples: number) => ({ medianSeconds, samples });
  it.each([
    // position, median, samples, capacity, closed → eta, range
    [4, 360, 10, 2, 0, 720, null],
    [1, 360, 10, 2, 0, 180, null],
    [3, 600, 10, 0, 0, null, null], // nobody present while open: no number to promise
    [3, 600, 10, 0, 3600, 5400, null], // closed: someone comes at opening
    [2, 360, 2, 1, 0, 720, [360, 1440]],
    [1, 360, 10, 1, 3600, 3960, null],
    [0, 360, 10, 1, 0, 360, null], // a position below 1 is treated as first
  ] as const)(
    'position %s, median %s s, %s samples, capacity %s, closed %s s → %s s',
    (position, medianSeconds, samples, capacity, closed, eta, range) => {
      expect(
        estimateWait({
          position,
          stats: stats(medianSeconds, samples),
          onlineCapacity: capacity,
          minSamples: 5,
          closedSeconds: closed,
        }),
      ).toEqual({ etaSeconds: eta, etaRange: range });
    },
  );
});

describe('isMeaningfulChange', () => {
  it.each([
    [{ position: 3, etaSeconds: 600 }, { position: 2, etaSeconds: 600 }, true],
    [{ position: 3, etaSeconds: 600 }, { position: 3, etaSeconds: 590 }, false],
    [{ position: 3, etaSeconds: 600 }, { position: 3, etaSeconds: 400 }, true],
    [{ position: 3, etaSeconds: 100 }, { position: 3, etaSeconds: 60 }, false], // < 1 minute
    [{ position: null, etaSeconds: null }, { position: 1, etaSeconds: 60 }, true],
  ])('%j → %j is news: %s', (last, next, expected) => {
    expect(isMeaningfulChange(last, next, 0.25)).toBe(expected);
  });
});

describe('backoffSeconds', () => {
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [10, 600],
  ])('after %s failures waits %s s (base 5, cap 600)', (failures, seconds) => {
    expect(backoffSeconds(failures, 5, 600)).toBe(seconds);
  });
});

describe('pickAgent', () => {
  const agent = (id: string, over: Partial<AgentPresence> = {}): AgentPresence => ({
    id,
    name: id,
    role: 'agent',
    status: 'online',
    capacity: 2,
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...over,
  });
  const slot = (a: AgentPresence, load: number, lastAssignedAt = ''): AgentSlot => ({
    agent: a,
    load,
    lastAssignedAt,
  });
  const anyone = () => true;

  it('prefers the lowest load share, then who waited longest for a ticket', () => {
    const picked = pickAgent(
      [
        slot(agent('a'), 1, '2026-11-23T09:00:00Z'),
        slot(agent('b', { capacity: 4 }), 1),
        slot(agent('c'), 0, '2026-11-23T09:30:00Z'),
        slot(agent('d'), 0, '2026-11-23T09:10:00Z'),
      ],
      anyone,
    );
    expect(picked?.agent.id).toBe('d');
  });

  it('skips agents who are away, offline, full or not allowed', () => {
    const slots = [
      slot(agent('away', { status: 'away' }), 0),
      slot(agent('off', { status: 'offline' }), 0),
      slot(agent('full', { capacity: 1 }), 1),
      slot(agent('plain'), 0),
    ];
    expect(pickAgent(slots, anyone)?.agent.id).toBe('plain');
    expect(pickAgent(slots, (a) => a.role === 'supervisor')).toBeNull();
  });
});
