import type { Logger } from "./logger.js";

export interface Stoppable {
  stop(): Promise<void>;
}

export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Runs a service as the main program: starts it, and on SIGTERM/SIGINT stops taking
 * requests, lets in-flight work finish, closes pools, then exits.
 */
export function runAsMain(start: () => Promise<Stoppable>, logger: Logger): void {
  let service: Stoppable | undefined;
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, "shutting down");
    const forceExit = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    forceExit.unref();
    try {
      await service?.stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  start()
    .then((started) => {
      service = started;
    })
    .catch((error) => {
      logger.fatal({ err: error }, error?.name === "ConfigError" ? error.message : "failed to start");
      if (error?.name === "ConfigError") console.error(error.message);
      process.exit(1);
    });
}
