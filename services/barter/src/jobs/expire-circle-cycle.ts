import type { DataSource, EntityManager } from "typeorm";
import { cycleByLabelOrThrow, type LunarCycle } from "@rhizome/kit";
import { EXPIRY_BATCH_SIZE } from "../domain/expiry.js";
import {
  commonsAccountIdOf,
  completeRun,
  expireBatch,
  ExpiryError,
  lockRun,
  openExpiryRun,
  type ExpiryOptions,
  type ExpiryOutcome,
} from "../store/expiry.js";

interface ExpiryStep {
  accountsInBatch: number;
  done?: ExpiryOutcome;
}

/**
 * One step of an expiry, in one transaction: the first also takes the barrier and opens the run
 * record, and the one whose batch is the last also completes the run. A circle of fewer accounts
 * than a batch (nearly all) expires in one transaction: some twenty round trips fewer per circle
 * than a transaction per step, which is what a new moon over thousands of circles waits on.
 */
async function expiryStep(
  tx: EntityManager,
  expiry: { circleId: string; cycle: LunarCycle; commonsAccountId: string; index: number },
  options: ExpiryOptions,
): Promise<ExpiryStep> {
  const { circleId, cycle, commonsAccountId, index } = expiry;
  const { now } = options;
  if (index === 0) await openExpiryRun(tx, circleId, cycle.label, now);
  const run = await lockRun(tx, circleId, cycle.label);
  if (run.finishedAt)
    return { accountsInBatch: 0, done: { ...run, finishedAt: run.finishedAt, wasAlreadyComplete: true } };
  const size = options.batchSize ?? EXPIRY_BATCH_SIZE;
  const { accountsInBatch, totals } = await expireBatch(tx, run, { commonsAccountId, size }, now);
  if (accountsInBatch > 0) await options.beforeCommit?.({ kind: "batch", index });
  if (accountsInBatch === size) return { accountsInBatch };
  const done = await completeRun(tx, totals, commonsAccountId, cycle, { now, finishedAt: options.clock?.() ?? now });
  await options.beforeCommit?.({ kind: "completion", index: 0 });
  return { accountsInBatch, done };
}

/**
 * Returns every balance the circle's accounts reached in the cycle that ended to zero: credits
 * expire and debts are annulled against the commons, recorded as entries of that cycle, never by
 * deleting anything. Balances are kept per cycle, so the next cycle already started every account
 * at zero; this writes the history and touches no balance row but the commons'. Pending proposals
 * of the cycle expire.
 *
 * Exactly once and resumable: each batch, in its own transaction, locks the run record, continues
 * from the cursor it holds, and advances the cursor and the totals before committing; the last
 * batch's transaction also completes the run. A run killed anywhere resumes after the last
 * committed batch; a rerun of a completed expiry writes nothing. Its first transaction holds the
 * circle's cycle barrier (store/cycle-barrier.ts), so no write can still land in the cycle.
 * Expiring an older cycle after a newer one is correct: each cycle's balances are its own.
 */
export async function expireCircleCycle(
  db: DataSource,
  circleId: string,
  cycleLabel: string,
  options: ExpiryOptions,
): Promise<ExpiryOutcome> {
  const cycle = cycleByLabelOrThrow(cycleLabel);
  const { now } = options;
  if (now.getTime() < cycle.endsAt.getTime()) {
    throw new ExpiryError(
      `Cycle ${cycle.label} ends at ${cycle.endsAt.toISOString()}; it cannot expire at ${now.toISOString()}.`,
    );
  }
  const commonsAccountId = await commonsAccountIdOf(db, circleId);
  if (!commonsAccountId) throw new ExpiryError(`Barter has no accounts in circle ${circleId}.`);
  for (let index = 0; ; index++) {
    const step = await db.transaction((tx) => expiryStep(tx, { circleId, cycle, commonsAccountId, index }, options));
    if (step.accountsInBatch > 0) await options.afterBatch?.({ index, accountsInBatch: step.accountsInBatch });
    if (step.done) return step.done;
  }
}
