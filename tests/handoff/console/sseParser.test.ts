import { SseParser } from '../../../handoff/console/web/sseParser.browser';
import { formatDuration, waitingSecondsAt } from '../../../handoff/console/web/format.browser';
import type { HandoffTicket } from '../../../handoff/types';

describe('SseParser', () => {
  it('parses named events and ignores comments and retry lines', () => {
    const parser = new SseParser();
    const events = parser.push(
      'retry: 3000\n: connected\n\nevent: ticketCreated\ndata: {"ticketId":"t1"}\n\n',
    );
    expect(events).toEqual([{ event: 'ticketCreated', data: '{"ticketId":"t1"}' }]);
  });

  it.each([
    ['split inside a line', ['event: ticketUp', 'dated\ndata: {}\n\n']],
    ['split between CR and LF', ['event: ticketUpdated\r', '\ndata: {}\r\n\r\n']],
    ['one character at a time', [...'event: ticketUpdated\ndata: {}\n\n']],
  ])('reassembles events %s', (_name, chunks) => {
    const parser = new SseParser();
    const events = chunks.flatMap((chunk) => parser.push(chunk));
    expect(events).toEqual([{ event: 'ticketUpdated', data: '{}' }]);
  });

  it('joins multi-line data, defaults the name to "message" and drops events without data', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\ndata: b\n\nevent: empty\n\n')).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });
});

describe('formatDuration', () => {
  it.each([
    [-5, '0 s'],
    [42.9, '42 s'],
    [185, '3 min 05 s'],
    [3720, '1 h 02 min'],
  ])('formats %p seconds as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('counts a waiting ticket from waitingSince and keeps the API figure afterwards', () => {
    const ticket = {
      status: 'waiting',
      waitingSince: '2026-11-23T10:00:00.000Z',
      waitingSeconds: 1,
    } as HandoffTicket;
    expect(waitingSecondsAt(ticket, Date.parse('2026-11-23T10:01:30.000Z'))).toBe(90);
    expect(
      waitingSecondsAt({ ...ticket, status: 'assigned', waitingSeconds: 12 }, Date.now()),
    ).toBe(12);
  });
});
