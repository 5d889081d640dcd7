/*
 * A defense worker in a process of its own, for tests that need two real worker processes on one
 * database and Redis. The test passes the environment (CLOCK_FILE for the clock) and the queue
 * prefix to share; the process writes "ready" on stdout once its workers run and stops on SIGTERM.
 */
import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { defenseService } from "../../src/service.js";

runAsMain(async () => {
  const started = await startService(defenseService, { queuePrefix: process.env.TEST_QUEUE_PREFIX });
  process.stdout.write("ready\n");
  return started;
}, createLogger("defense-test-worker"));
