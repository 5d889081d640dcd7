import type { QueueJob } from "@rhizome/kit";
import type { Queryable } from "@rhizome/kit";
import { MAX_ACCESS_TOKEN_TTL_SECONDS, type NetworkConfig } from "../config.js";
import { endedSessionsForgottenBefore } from "../domain/sessions.js";
import { deleteEndedSessionsBefore } from "../store/refresh-tokens.js";

/** How often network forgets the ended sessions no token can use any more. */
export const ENDED_SESSION_PRUNE_INTERVAL_MS = 15 * 60 * 1000;
/** Rows one statement deletes, so a backlog never holds many locks or one long transaction. */
export const ENDED_SESSION_PRUNE_BATCH = 1000;

/**
 * Deletes, a batch per statement, the ended sessions no access token can outlive at `now`; answers
 * how many. The longest lifetime the setting allows, not the current one: lowering
 * ACCESS_TOKEN_TTL_SECONDS never lets a token signed under the old one through.
 */
export async function pruneEndedSessions(db: Queryable, now: Date, batchSize = ENDED_SESSION_PRUNE_BATCH) {
  const before = endedSessionsForgottenBefore(now, MAX_ACCESS_TOKEN_TTL_SECONDS);
  let deleted = 0;
  for (;;) {
    const batch = await deleteEndedSessionsBefore(db, before, batchSize);
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}

export const endedSessionPruneJob: QueueJob<NetworkConfig> = {
  purpose: "ended-session-prune",
  concurrency: 1,
  everyMs: ENDED_SESSION_PRUNE_INTERVAL_MS,
  async process(_job, runtime) {
    const deleted = await pruneEndedSessions(runtime.db, runtime.clock());
    if (deleted > 0) runtime.logger.info({ deleted }, "forgot ended sessions no token can use any more");
    return { deleted };
  },
};
