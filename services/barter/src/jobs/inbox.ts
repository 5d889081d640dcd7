import { UnrecoverableError } from "bullmq";
import type { DataSource } from "typeorm";
import { consumeOnce, createWorker, type Job, type Logger, type OutboxEvent, type Worker } from "@rhizome/kit";
import type { Redis } from "ioredis";
import { openMemberAccount } from "../store/accounts.js";
import { INBOX_CONCURRENCY, INBOX_QUEUE } from "./queues.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboxOutcome = "consumed" | "duplicate" | "ignored";

/**
 * Handles one event from network. `member.joined` opens the member's account (and, on first
 * sight of the circle, its settings and commons account), exactly once per event id.
 */
export async function consumeInboxEvent(db: DataSource, event: OutboxEvent): Promise<InboxOutcome> {
  if (event.topic !== "member.joined") return "ignored";
  const { memberId, circleId } = event.payload as { memberId?: unknown; circleId?: unknown };
  const isWellFormed =
    typeof memberId === "string" && UUID_PATTERN.test(memberId) && typeof circleId === "string" && circleId === event.circleId && UUID_PATTERN.test(event.id);
  // A malformed event will not improve with retries: fail it for an operator to look at.
  if (!isWellFormed) throw new UnrecoverableError(`Event ${event.id} is not a well-formed member.joined event.`);
  const joinedAt = new Date(event.occurredAt);
  const openedAt = Number.isNaN(joinedAt.getTime()) ? new Date() : joinedAt;
  const isFirstDelivery = await consumeOnce(db, event.id, (manager) => openMemberAccount(manager, circleId, memberId, openedAt));
  return isFirstDelivery ? "consumed" : "duplicate";
}

export function startInboxWorker(options: { db: DataSource; connection: Redis; logger: Logger; prefix?: string }): Worker<OutboxEvent, InboxOutcome> {
  const { db, logger } = options;
  const worker = createWorker<OutboxEvent, InboxOutcome>(
    INBOX_QUEUE,
    async (job: Job<OutboxEvent>) => {
      const outcome = await consumeInboxEvent(db, job.data);
      logger.debug({ eventId: job.data.id, topic: job.data.topic, outcome }, "inbox event handled");
      return outcome;
    },
    options.connection,
    { concurrency: INBOX_CONCURRENCY, ...(options.prefix ? { prefix: options.prefix } : {}) },
  );
  worker.on("failed", (job, error) => logger.warn({ err: error, eventId: job?.data.id }, "inbox event failed"));
  return worker;
}
