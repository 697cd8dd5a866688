import type { Server } from 'restify';

/**
 * Stops accepting connections and waits for the open ones: idle keep-alive connections close
 * at once, requests in flight get `graceMs` to finish, then every connection left is cut.
 * Long-lived streams (SSE, WebSockets) must be ended by their owners before this is called.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const http = server.server;
    const cutOff = setTimeout(() => http.closeAllConnections(), graceMs);
    cutOff.unref();
    server.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
    http.closeIdleConnections();
  });
}

export interface SignalHandlerOptions {
  /** Closes the application; resolves when everything is released. */
  close(): Promise<void>;
  exit(code: number): void;
  log(line: string): void;
  /** If closing takes longer than this, the process exits anyway with code 1. */
  deadlineMs: number;
}

/**
 * What SIGINT/SIGTERM do: the first one closes the app and exits 0 (1 if closing failed or
 * ran past the deadline); a second one exits at once with code 1, for an operator who does
 * not want to wait.
 */
export function signalHandler(options: SignalHandlerOptions): (signal: string) => void {
  let stopping = false;
  return (signal) => {
    if (stopping) {
      options.log(`${signal} received again, exiting now`);
      options.exit(1);
      return;
    }
    stopping = true;
    options.log(`${signal} received, shutting down (send it again to exit at once)`);
    const deadline = setTimeout(() => {
      options.log(`shutdown took longer than ${options.deadlineMs} ms, exiting now`);
      options.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    options.close().then(
      () => {
        clearTimeout(deadline);
        options.exit(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        options.log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        options.exit(1);
      },
    );
  };
}
