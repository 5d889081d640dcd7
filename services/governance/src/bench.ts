/**
 * The one entry benchmarks may use beside the GraphQL API (`@rhizome/governance/bench`): the jobs and
 * store functions a benchmark drives directly to compare the queue with a plain loop, and the names
 * it needs to seed and observe them. Nothing else imports it.
 */
export type { GovernanceConfig } from "./config.js";
export { roleDrawPurpose } from "./domain/draws.js";
export { closeAllDueProposals } from "./jobs/closing.js";
export { closingJobId, deadlinesQueueName } from "./jobs/deadlines.js";
export { rotateRoles } from "./jobs/role-rotation.js";
export { appendEntries, lockLogHeads, verifyLog } from "./store/decision-log.js";
