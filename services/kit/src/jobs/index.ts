/**
 * Queues and the lunar cycle jobs: BullMQ queues and workers, queue names, the new moon's runs.
 */
export {
  CONNECTIONS_KEPT_FOR_REQUESTS,
  CYCLE_WATCHDOG_INTERVAL_MS,
  CycleJobError,
  DEFAULT_SCHEDULE_CHECK_INTERVAL_MS,
  MAX_CATCH_UP_CYCLES,
  MAX_CYCLE_PAGE_CIRCLES,
  MAX_DEFAULT_CYCLE_JOB_CONCURRENCY,
  boundaryJobId,
  cycleJobConcurrencyFor,
  cyclePageJobId,
  cyclePageSizeFor,
  cycleJobsQueueName,
  cycleRunJobId,
  cyclesDue,
  runCycleOnce,
  runCyclePage,
  runDueCycles,
  startCycleJobs,
  watchdogSchedulerId,
  type CycleJob,
  type CycleJobInput,
  type CycleJobs,
  type CycleJobsOptions,
  type CyclePageInput,
  type CyclePageOutcome,
  type CycleRunOutcome,
} from "./cycles.js";
export {
  DEFAULT_CYCLE_JOB_PACE,
  MAX_CYCLE_JOB_REST_MS,
  cycleJobPacer,
  cycleJobRestMs,
  type CycleJobPacer,
  type PacingTimer,
} from "./pacing.js";
export { mountQueueList, queueNamesOf } from "./queue-names.js";
export {
  DEFAULT_JOB_ATTEMPTS,
  type Job,
  Queue,
  REDIS_RECONNECT_MAX_DELAY_MS,
  Worker,
  connectRedis,
  connectRequestRedis,
  createQueue,
  createWorker,
  queueName,
  workerName,
  type WorkerOptions,
} from "./queues.js";
