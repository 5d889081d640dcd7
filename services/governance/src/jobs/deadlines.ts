import type { QueueJob, ServiceRuntime } from "@rhizome/kit";
import type { GovernanceConfig } from "../config.js";
import { closeAllDueProposals } from "./closing.js";
import { lapseDuePacts, PACT_BATCH_SIZE } from "../store/pacts.js";

/**
 * Deadlines in real time: a proposal's closing and a pact's sunset. Each gets a delayed job with a
 * deterministic id when it is created; a sweep every DEADLINE_SWEEP_INTERVAL_MS closes whatever is
 * overdue, so a lost job or a crashed worker delays a closing by one sweep at most. Closing twice is
 * harmless: the store closes each proposal exactly once.
 */
export const DEADLINES_PURPOSE = "deadlines";
export const deadlinesQueueName = "governance.deadlines";
export const SWEEP_SCHEDULER_ID = "deadlines-sweep";
/** One job per circle and closing instant: proposals closing together are closed by one job, in one batch. */
export const closingJobId = (circleId: string, closesAt: Date) => `close-${circleId}-${closesAt.getTime()}`;
export const sunsetJobId = (pactId: string, sunsetAt: Date) => `sunset-${pactId}-${sunsetAt.getTime()}`;

export interface Deadlines {
  closeProposalAt(circleId: string, closesAt: Date, now: Date): Promise<void>;
  lapsePactAt(pactId: string, sunsetAt: Date, now: Date): Promise<void>;
}

export function deadlinesOf(runtime: ServiceRuntime<GovernanceConfig>): Deadlines {
  const queue = () => runtime.queue(deadlinesQueueName);
  const schedule = async (name: string, jobId: string, data: Record<string, string>, at: Date, now: Date) => {
    try {
      await queue().add(name, data, { jobId, delay: Math.max(0, at.getTime() - now.getTime()) });
    } catch (error) {
      // The sweep closes it anyway; a closing never depends on Redis alone.
      runtime.logger.warn({ err: error, jobId }, "could not schedule a deadline job; the sweep will handle it");
    }
  };
  return {
    closeProposalAt: (circleId, closesAt, now) =>
      schedule("close", closingJobId(circleId, closesAt), { circleId }, closesAt, now),
    lapsePactAt: (pactId, sunsetAt, now) =>
      schedule("sunset", sunsetJobId(pactId, sunsetAt), { pactId }, sunsetAt, now),
  };
}

/** Runs every sweep the service's workers need: called when a worker starts, idempotent. */
export async function ensureSweepSchedule(runtime: ServiceRuntime<GovernanceConfig>): Promise<void> {
  await runtime
    .queue(deadlinesQueueName)
    .upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: runtime.config.DEADLINE_SWEEP_INTERVAL_MS },
      { name: "sweep", data: {} },
    );
}

/** One pass over every deadline that has come: what the sweep and each delayed job run. */
export async function runDueDeadlines(
  runtime: Pick<ServiceRuntime<GovernanceConfig>, "db" | "clock" | "eventsEmitted">,
  scope: { circleId?: string } = {},
) {
  const now = runtime.clock();
  const proposalsClosed = await closeAllDueProposals(runtime.db, now, scope);
  const pacts = await lapseAllDuePacts(runtime.db, now);
  return { proposalsClosed, ...pacts };
}

/**
 * Reminds and lapses every due pact, batch after batch. One batch per sweep left a new moon that
 * ends thousands of pacts' sunsets at once (one pact a circle) lapsing a batch every sweep interval.
 */
export async function lapseAllDuePacts(
  db: ServiceRuntime<GovernanceConfig>["db"],
  now: Date,
): Promise<{ pactsReminded: number; pactsLapsed: number }> {
  const total = { pactsReminded: 0, pactsLapsed: 0 };
  for (;;) {
    const batch = await lapseDuePacts(db, now);
    total.pactsReminded += batch.pactsReminded;
    total.pactsLapsed += batch.pactsLapsed;
    if (batch.pactsReminded < PACT_BATCH_SIZE && batch.pactsLapsed < PACT_BATCH_SIZE) return total;
  }
}

export const deadlinesJob: QueueJob<GovernanceConfig> = {
  purpose: DEADLINES_PURPOSE,
  concurrency: 4,
  async process(job, runtime) {
    if (job.name === "close")
      return {
        proposalsClosed: await closeAllDueProposals(runtime.db, runtime.clock(), {
          circleId: (job.data as { circleId: string }).circleId,
        }),
      };
    if (job.name === "sunset") return lapseAllDuePacts(runtime.db, runtime.clock());
    return runDueDeadlines(runtime);
  },
};
