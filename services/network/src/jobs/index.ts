import type { QueueJob } from "@rhizome/kit";
import type { NetworkConfig } from "../config.js";

/**
 * Network runs no queue or cycle jobs: it is where memberships start, and other services learn them
 * from its event log. The one thing it learns back is in sister-exchanges.ts. A job it needs later
 * goes here, one file each.
 */
export const networkJobs: Array<QueueJob<NetworkConfig>> = [];
