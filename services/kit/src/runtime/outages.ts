/**
 * What an outage of Postgres or Redis looks like from inside a service, and the circuit that
 * answers at once while one is known to be down. Both servers may go away and come back (a crash,
 * a restart, a failover) without the service restarting: pools and connections reconnect by
 * themselves, and meanwhile every request that needs the missing server is answered
 * SERVICE_UNAVAILABLE (retryable) instead of INTERNAL_SERVER_ERROR.
 */

/** How long a new Postgres connection may take before the attempt counts as an outage. */
export const DATABASE_CONNECT_TIMEOUT_MS = 2_000;
/** How long a Redis command on the request path may wait for an answer. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;
/** After a failed connection, requests fail at once for this long; then one attempt probes the server. */
export const CIRCUIT_OPEN_MS = 1_000;
/** What a client is told to wait before retrying (the HTTP Retry-After of an outage). */
export const OUTAGE_RETRY_AFTER_SECONDS = 2;

/** Thrown instead of trying, while the circuit of a server known to be down is open. */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
  constructor(readonly dependency: string) {
    super(`${dependency} is not reachable right now`);
  }
}

/** Socket-level failures: the server is not there, or went away mid-conversation. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);
/**
 * Postgres SQLSTATEs of a server that is unreachable, starting, stopping or recovering: class 08
 * (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now) and
 * 53300 (too many connections).
 */
const POSTGRES_UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
/** What pg, ioredis and BullMQ say when the server is gone (they give no code for these). */
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|is not queryable|Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request|Command timed out|Connection lost|not reachable right now|fetch failed/i;
/**
 * TypeORM releases a query runner whose connection broke; what the transaction then tries on it
 * fails with this instead of the connection's own error.
 */
const RELEASED_BY_A_BROKEN_CONNECTION = new Set([
  "QueryRunnerAlreadyReleasedError",
  "QueryRunnerProviderAlreadyReleasedError",
]);

const MAX_CAUSE_DEPTH = 6;

/** True when an error (or what caused it) says Postgres, Redis or another service could not be reached. */
export function isOutageError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < MAX_CAUSE_DEPTH; depth++) {
    if (current instanceof DependencyUnavailableError) return true;
    const { code, message, name, driverError, originalError, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      driverError?: unknown;
      originalError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || POSTGRES_UNAVAILABLE_STATES.test(code)))
      return true;
    if (name === "MaxRetriesPerRequestError" || (typeof name === "string" && RELEASED_BY_A_BROKEN_CONNECTION.has(name)))
      return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
    // An AggregateError (a connection tried on several addresses) is an outage when each try was.
    if (Array.isArray(errors) && errors.length > 0 && errors.every(isOutageError)) return true;
    current = driverError ?? originalError ?? cause;
  }
  return false;
}

/**
 * A circuit breaker for one server. Closed, every attempt goes through. A connection failure opens
 * it: for CIRCUIT_OPEN_MS every attempt fails at once, then one attempt at a time probes the
 * server (the others still fail at once) until one succeeds and closes it again. Without it, each
 * request would wait out its own connection timeout while a server hangs.
 */
export class Circuit {
  private openUntilMs = 0;
  private isOpen = false;
  private isProbing = false;

  constructor(
    readonly dependency: string,
    private readonly openMs = CIRCUIT_OPEN_MS,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Whether the server is known to be down right now. */
  get isKnownDown(): boolean {
    return this.isOpen;
  }

  /**
   * Runs an attempt to reach the server, or throws DependencyUnavailableError at once while the
   * circuit is open. A failure that is an outage opens the circuit; a success closes it.
   */
  async attempt<T>(work: () => Promise<T>): Promise<T> {
    const isProbe = this.isOpen && !this.isProbing && this.nowMs() >= this.openUntilMs;
    if (this.isOpen && !isProbe) throw new DependencyUnavailableError(this.dependency);
    if (isProbe) this.isProbing = true;
    try {
      const result = await work();
      this.isOpen = false;
      return result;
    } catch (error) {
      if (isOutageError(error)) {
        this.isOpen = true;
        this.openUntilMs = this.nowMs() + this.openMs;
      }
      throw error;
    } finally {
      if (isProbe) this.isProbing = false;
    }
  }
}
