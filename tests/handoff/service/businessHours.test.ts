import {
  addBusinessMinutes,
  isOpenAt,
  nextOpening,
  secondsUntilOpen,
} from '../../../handoff/service/businessHours';
import {
  resolveHandoffSettings,
  type QueueSettings,
} from '../../../handoff/service/handoffSettings';

const weekdaysNineToFive = {
  mon: [{ open: '09:00', close: '17:00' }],
  tue: [{ open: '09:00', close: '17:00' }],
  wed: [{ open: '09:00', close: '17:00' }],
  thu: [{ open: '09:00', close: '17:00' }],
  fri: [{ open: '09:00', close: '17:00' }],
};

const bucharest: QueueSettings = resolveHandoffSettings({
  queues: {
    general: {
      timezone: 'Europe/Bucharest',
      schedule: weekdaysNineToFive,
      holidays: ['2026-12-25'],
    },
  },
}).queues.general!;

const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it.each([
    ['Monday 10:00 local', '2026-11-23T08:00:00Z', true],
    ['Monday 08:59 local', '2026-11-23T06:59:00Z', false],
    ['Monday 17:00 local (closing is exclusive)', '2026-11-23T15:00:00Z', false],
    ['Saturday noon', '2026-11-28T10:00:00Z', false],
    ['Christmas (holiday)', '2026-12-25T10:00:00Z', false],
  ])('%s → open %s', (_label, iso, open) => {
    expect(isOpenAt(bucharest, at(iso))).toBe(open);
  });

  it('names Monday 09:00 local as the opening after a Saturday', () => {
    expect(nextOpening(bucharest, at('2026-11-28T10:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T07:00:00.000Z',
    );
    expect(secondsUntilOpen(bucharest, at('2026-11-30T06:00:00Z'))).toBe(3600);
  });

  it('skips holidays', () => {
    expect(nextOpening(bucharest, at('2026-12-24T16:00:00Z'))?.toISOString()).toBe(
      '2026-12-28T07:00:00.000Z',
    );
  });

  it('follows daylight saving time changes of the zone', () => {
    // Bucharest is UTC+3 in summer: 09:00 local is 06:00Z.
    expect(nextOpening(bucharest, at('2026-07-04T10:00:00Z'))?.toISOString()).toBe(
      '2026-07-06T06:00:00.000Z',
    );
  });

  it('counts SLA minutes only while open', () => {
    // Friday 16:30 local + 60 min → 30 min on Friday, 30 on Monday → Monday 09:30 local.
    expect(addBusinessMinutes(bucharest, at('2026-11-27T14:30:00Z'), 60).toISOString()).toBe(
      '2026-11-30T07:30:00.000Z',
    );
    expect(addBusinessMinutes(bucharest, at('2026-11-28T10:00:00Z'), 60).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
  });

  it('is always open without a schedule', () => {
    const always = resolveHandoffSettings().queues.general!;
    const now = at('2026-11-28T03:00:00Z');
    expect(isOpenAt(always, now)).toBe(true);
    expect(secondsUntilOpen(always, now)).toBe(0);
    expect(addBusinessMinutes(always, now, 60).toISOString()).toBe('2026-11-28T04:00:00.000Z');
  });

  it('never opens with an empty schedule, and still gives a deadline', () => {
    const closed = {
      ...bucharest,
      schedule: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    };
    expect(nextOpening(closed, at('2026-11-23T08:00:00Z'))).toBeNull();
    expect(addBusinessMinutes(closed, at('2026-11-23T08:00:00Z'), 60).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('supports a span that closes at midnight', () => {
    const late = {
      ...bucharest,
      schedule: { ...bucharest.schedule!, sat: [{ open: '20:00', close: '24:00' }] },
    };
    expect(isOpenAt(late, at('2026-11-28T21:59:00Z'))).toBe(true);
    expect(isOpenAt(late, at('2026-11-28T22:00:00Z'))).toBe(false);
  });
});

describe('handoff settings', () => {
  it('fills SLA defaults from the industry table, 1 h for general', () => {
    const s = resolveHandoffSettings({ queues: { banking: {}, travel: {}, vip: {} } });
    expect(s.queues.general!.firstResponseSlaMinutes).toBe(60);
    expect(s.queues.banking!.firstResponseSlaMinutes).toBe(120);
    expect(s.queues.travel!.firstResponseSlaMinutes).toBe(180);
    expect(s.queues.vip!.firstResponseSlaMinutes).toBe(60);
    expect(s.queues.supervisor).toBeDefined();
    expect(s.promisedResponseHours).toBe(24);
    expect(s.missLimit).toBe(2);
  });

  it('rejects a malformed opening time, naming the path', () => {
    expect(() =>
      resolveHandoffSettings({
        queues: { general: { schedule: { mon: [{ open: '9am', close: '17:00' }] } } },
      }),
    ).toThrow(/HH:MM/);
  });
});
