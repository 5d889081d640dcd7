import { RESTART_RESET_AFTER_MS, restartDelayMs } from "./restart-backoff.js";

/** A server the launcher runs (the embedded Postgres, the local Redis) that can be started again on the same data and port. */
export interface RestartableServer {
  name: string;
  /** Resolves, with how it ended (`killed by SIGKILL`), when the server's process has ended. */
  exited(): Promise<string>;
  /** Starts the server again; resolves once it accepts connections, rejects when it does not come up. */
  restart(): Promise<void>;
}

export interface ServerSupervisionHooks {
  /** The server ended on its own (or failed to come back); `description` says how. */
  onCrash?: (name: string, description: string) => void;
  /** It will be started again after delayMs. */
  onRestart?: (name: string, delayMs: number) => void;
  /** It is back and accepts connections. */
  onRestarted?: (name: string) => void;
}

export interface ServerSupervision {
  /** Stops watching: an exit from now on is expected, and a pending restart is dropped. */
  stop(): void;
}

/**
 * Watches a server and starts it again whenever it ends on its own, with the services' backoff
 * (1 s, 2 s, 4 s ... at most 30 s; back to 1 s once it ran for a minute). A restart that fails
 * (e.g. Postgres still finding the shared memory of its killed predecessor) counts as one more
 * crash in a row and is tried again after the next delay.
 */
export function superviseServer(server: RestartableServer, hooks: ServerSupervisionHooks = {}): ServerSupervision {
  let isStopped = false;
  let pending: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  const pause = (delayMs: number) =>
    new Promise<void>((resolve) => {
      pending = { timer: setTimeout(resolve, delayMs), resolve };
    }).finally(() => {
      pending = undefined;
    });

  const watch = async (crashesBefore: number): Promise<void> => {
    const startedAtMs = performance.now();
    const description = await server.exited();
    if (isStopped) return;
    hooks.onCrash?.(server.name, description);
    let crashesInARow = performance.now() - startedAtMs > RESTART_RESET_AFTER_MS ? 1 : crashesBefore + 1;
    for (;;) {
      const delayMs = restartDelayMs(crashesInARow);
      hooks.onRestart?.(server.name, delayMs);
      await pause(delayMs);
      if (isStopped) return;
      try {
        await server.restart();
        break;
      } catch (error) {
        if (isStopped) return;
        hooks.onCrash?.(server.name, `could not start again: ${(error as Error).message}`);
        crashesInARow++;
      }
    }
    if (isStopped) return;
    hooks.onRestarted?.(server.name);
    void watch(crashesInARow);
  };
  void watch(0);

  return {
    stop() {
      isStopped = true;
      if (pending) {
        clearTimeout(pending.timer);
        pending.resolve();
      }
    },
  };
}
