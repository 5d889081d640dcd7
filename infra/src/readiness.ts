import { describeUnexpectedExit, type ManagedProcess } from "./child-processes.js";
import { sleep, throwIfAborted } from "./timing.js";

/** Generous: on two cores, tsx compiles a service's whole import graph before it can listen. */
export const READY_TIMEOUT_MS = 90_000;
export const READY_POLL_INTERVAL_MS = 100;
export const READY_REQUEST_TIMEOUT_MS = 2_000;
const MAX_REPORTED_BODY_CHARS = 500;

export class NotReadyError extends Error {
  override name = "NotReadyError";
}

async function askReady(readyUrl: string): Promise<{ isReady: boolean; answer: string }> {
  try {
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(READY_REQUEST_TIMEOUT_MS) });
    const body = await response.text();
    return { isReady: response.status === 200, answer: `${response.status} ${body.slice(0, MAX_REPORTED_BODY_CHARS)}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { isReady: false, answer: cause?.code ?? (error as Error).message };
  }
}

/**
 * The gateway's /ready waits for every subgraph of the supergraph, which a hub of some services
 * never has: a launcher waits for the gateway itself here, and for each service's own /ready.
 */
export const GATEWAY_STARTED_PATH = "/health";

/**
 * Polls `GET <baseUrl>/ready` (or `path`) until it answers 200. Fails at once if the process exits, and after
 * timeoutMs with the last answer and the tail of the process's output.
 */
export async function waitUntilReady(
  process: ManagedProcess,
  baseUrl: string,
  options: { timeoutMs?: number; signal?: AbortSignal; path?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? READY_TIMEOUT_MS;
  const readyUrl = `${baseUrl}${options.path ?? "/ready"}`;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    throwIfAborted(options.signal);
    if (process.hasExited)
      throw new NotReadyError(describeUnexpectedExit(process, `exited before it was ready at ${readyUrl}`));
    const { isReady, answer } = await askReady(readyUrl);
    if (isReady) return;
    if (performance.now() > deadline) {
      throw new NotReadyError(
        `${process.name} did not become ready within ${timeoutMs / 1000} s (last answer from ${readyUrl}: ${answer}). ` +
          `Last lines of its output:\n${process.outputTail()}`,
      );
    }
    await Promise.race([sleep(READY_POLL_INTERVAL_MS), process.exited]);
  }
}
