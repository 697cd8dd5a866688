import { signalHandler } from '../../bot/infrastructure/shutdown';

describe('signal handling', () => {
  const harness = (close: () => Promise<void>) => {
    const exits: number[] = [];
    const lines: string[] = [];
    const onSignal = signalHandler({
      close,
      exit: (code) => exits.push(code),
      log: (line) => lines.push(line),
      deadlineMs: 60_000,
    });
    return { onSignal, exits, lines };
  };

  it('closes once and exits 0 after the first signal', async () => {
    let closes = 0;
    const { onSignal, exits } = harness(() => {
      closes += 1;
      return Promise.resolve();
    });
    onSignal('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect({ closes, exits }).toEqual({ closes: 1, exits: [0] });
  });

  it('exits at once with code 1 on a second signal while closing hangs', () => {
    const { onSignal, exits, lines } = harness(() => new Promise<void>(() => undefined));
    onSignal('SIGINT');
    expect(exits).toEqual([]);
    onSignal('SIGINT');
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toBe('SIGINT received again, exiting now');
  });

  it('exits 1 when closing fails', async () => {
    const { onSignal, exits, lines } = harness(() => Promise.reject(new Error('pool stuck')));
    onSignal('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toBe('shutdown failed: pool stuck');
  });
});
