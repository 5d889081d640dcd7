import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { deliverEvents, type DeliveryOutcome, type EventPayload, type EventTopic } from "@rhizome/kit";
import { sovereigntySubscriptions } from "../../src/jobs/events.js";

/** An event as a producer's log would serve it. */
export function hubEvent<Topic extends EventTopic>(topic: Topic, payload: EventPayload<Topic>, occurredAt: Date) {
  return { id: randomUUID(), topic, circleId: payload.circleId, payload, occurredAt: occurredAt.toISOString() };
}

/** Plays the producers: delivers events through sovereignty's own handlers, with the kit's dedupe, in one transaction. */
export function deliver(
  db: DataSource,
  events: ReadonlyArray<ReturnType<typeof hubEvent>>,
): Promise<DeliveryOutcome[]> {
  return deliverEvents(db, sovereigntySubscriptions, events);
}

export function exchange(circleId: string, cycle: string, minutes: number, memberIds: string[], at: Date) {
  return hubEvent("exchange.confirmed", { circleId, exchangeId: randomUUID(), cycle, minutes, memberIds }, at);
}
export function loan(circleId: string, cycle: string, memberIds: string[], at: Date) {
  return hubEvent("loan.completed", { circleId, loanId: randomUUID(), toolId: randomUUID(), cycle, memberIds }, at);
}
/** A dispute mediated; its opener is a fresh person unless `openerKey` names one (null: an event from before openers were sent). */
export function mediation(circleId: string, cycle: string, at: Date, openerKey: string | null = randomUUID()) {
  return hubEvent(
    "dispute.mediated",
    { circleId, disputeId: randomUUID(), cycle, ...(openerKey ? { openerKey } : {}) },
    at,
  );
}
export function crisis(circleId: string, cycle: string, at: Date, helpedKey?: string) {
  return hubEvent(
    "crisis.buffered",
    { circleId, caseId: randomUUID(), cycle, via: "FUND", ...(helpedKey ? { helpedKey } : {}) },
    at,
  );
}
export function commandReplaced(circleId: string, cycle: string, count: number, at: Date) {
  return hubEvent("command.replaced", { circleId, recordId: randomUUID(), cycle, count }, at);
}
export function cycleExpired(
  circleId: string,
  cycle: string,
  debtsAnnulledMinutes: number,
  at: Date,
  accountsWithDebtsAnnulled?: number,
) {
  return hubEvent(
    "cycle.expired",
    { circleId, cycle, creditsExpiredMinutes: debtsAnnulledMinutes, debtsAnnulledMinutes, accountsWithDebtsAnnulled },
    at,
  );
}

export function reservationQueued(circleId: string, memberId: string, category: string, at: Date) {
  return hubEvent("reservation.queued", { circleId, reservationId: randomUUID(), memberId, category }, at);
}
export function reservationClosed(circleId: string, reservationId: string, at: Date) {
  return hubEvent("reservation.closed", { circleId, reservationId }, at);
}

export const members = (count: number) => Array.from({ length: count }, () => randomUUID());
