import type { EntityManager } from "typeorm";
import type { HubEvent, Subscriptions } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { cycleOfServiceEvent } from "../domain/recording.js";
import { forgetMember, recordServiceEvent } from "../store/events.js";

interface Recorded {
  kind: SovereigntyEventKind;
  cycle: string;
  count?: number;
  minutes?: number;
  memberIds?: readonly string[];
}

function record(manager: EntityManager, event: HubEvent, what: Recorded): Promise<boolean> {
  return recordServiceEvent(manager, {
    sourceEventId: event.id,
    circleId: event.circleId,
    cycle: cycleOfServiceEvent(what.cycle, event.occurredAt),
    kind: what.kind,
    count: what.count ?? 1,
    minutes: what.minutes ?? 0,
    memberIds: what.memberIds ?? [],
    occurredAt: event.occurredAt,
  });
}

/**
 * The ledger fills itself from the other services' logs (S1). Each handler runs in the transaction
 * that moves the kit's cursor and records the event id, so an event counts exactly once however
 * often it is delivered, and a producer that starts later is read from its beginning. Network's
 * topics come first: they are read first on every round.
 */
export const sovereigntySubscriptions: Subscriptions = {
  // The kit records every circle an event names in known_circles, which the scores job fans out over.
  "circle.founded": async () => {},
  "member.left": (manager, event) => forgetMember(manager, event.circleId, event.payload.memberId),

  "exchange.confirmed": async (manager, event) => {
    const { cycle, minutes, memberIds } = event.payload;
    await record(manager, event, { kind: "EXCHANGE", cycle, minutes, memberIds });
  },
  "cycle.expired": async (manager, event) => {
    const { cycle, debtsAnnulledMinutes } = event.payload;
    // Nobody owed anything: no debt was annulled.
    if (debtsAnnulledMinutes > 0) await record(manager, event, { kind: "DEBTS_ANNULLED", cycle, minutes: debtsAnnulledMinutes });
  },
  "loan.completed": async (manager, event) => {
    await record(manager, event, { kind: "LOAN", cycle: event.payload.cycle, memberIds: event.payload.memberIds });
  },
  "command.replaced": async (manager, event) => {
    await record(manager, event, { kind: "COMMAND_REPLACED", cycle: event.payload.cycle, count: event.payload.count });
  },
  "dispute.mediated": async (manager, event) => {
    await record(manager, event, { kind: "MEDIATION", cycle: event.payload.cycle });
  },
  "crisis.buffered": async (manager, event) => {
    await record(manager, event, { kind: "CRISIS_BUFFERED", cycle: event.payload.cycle });
  },
};
