import type { QueueJob } from "@rhizome/kit";
import type { NetworkConfig } from "../config.js";
import { endedSessionPruneJob } from "./prune-ended-sessions.js";

/**
 * Network's queue jobs, one file each. It runs no cycle jobs: it is where memberships start, and
 * other services learn them from its event log. The one thing it learns back is in sister-exchanges.ts.
 */
export const networkJobs: Array<QueueJob<NetworkConfig>> = [endedSessionPruneJob];
