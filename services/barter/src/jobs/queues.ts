import { queueName } from "@rhizome/kit";

export const SERVICE_NAME = "barter";
/** `member.joined` events relayed from network's outbox (see kit's eventRoutes). */
export const INBOX_QUEUE = queueName(SERVICE_NAME, "inbox");
/** New-moon boundaries and per-circle expiry runs. */
export const EXPIRY_QUEUE = queueName(SERVICE_NAME, "expiry");

export const INBOX_CONCURRENCY = 4;
export const EXPIRY_CONCURRENCY = 2;
