import { followingCycle, type HubEvent, type Queryable, type Subscriptions } from "@rhizome/kit";
import type { SovereigntyEventKind } from "../domain/kinds.js";
import { categoriesOfNeed, type WaitingNeedSource } from "../domain/needs.js";
import { cycleOfServiceEvent } from "../domain/recording.js";
import { forgetMember, recordServiceEvent } from "../store/events.js";
import { closeWaitingNeed, forgetWaitingNeedsOf, openWaitingNeed } from "../store/needs.js";

interface Recorded {
  kind: SovereigntyEventKind;
  cycle: string;
  count?: number;
  minutes?: number;
  memberIds?: readonly string[];
  /** Pseudonyms of the people behind the event, for kinds that count people by them (see kindRules). */
  personKeys?: ReadonlyArray<string | undefined>;
}

function record(tx: Queryable, event: HubEvent, what: Recorded): Promise<boolean> {
  return recordServiceEvent(tx, {
    sourceEventId: event.id,
    circleId: event.circleId,
    cycle: cycleOfServiceEvent(what.cycle, event.occurredAt),
    kind: what.kind,
    count: what.count ?? 1,
    minutes: what.minutes ?? 0,
    memberIds: what.memberIds ?? [],
    personKeys: (what.personKeys ?? []).filter((key): key is string => key !== undefined),
    occurredAt: event.occurredAt,
  });
}

/** A member's need opened elsewhere, in the board's categories its tags (skills, a tool's category) name. */
function openNeed(
  tx: Queryable,
  event: HubEvent,
  source: WaitingNeedSource,
  sourceId: string,
  memberId: string,
  tags: readonly string[],
): Promise<void> {
  return openWaitingNeed(tx, {
    source,
    sourceId,
    circleId: event.circleId,
    memberId,
    categories: categoriesOfNeed(tags),
    openedAt: event.occurredAt,
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
  "member.left": async (manager, event) => {
    await forgetMember(manager, event.circleId, event.payload.memberId);
    await forgetWaitingNeedsOf(manager, event.circleId, event.payload.memberId);
  },

  "exchange.confirmed": async (manager, event) => {
    const { cycle, minutes, memberIds } = event.payload;
    await record(manager, event, { kind: "EXCHANGE", cycle, minutes, memberIds });
  },
  "cycle.expired": async (manager, event) => {
    const { cycle, debtsAnnulledMinutes, accountsWithDebtsAnnulled } = event.payload;
    // Nobody owed anything: no debt was annulled. An event from before barter counted the accounts stands for one.
    // The debts were annulled at the new moon that ended `cycle`, which is when the next cycle begins: they count
    // there, always, so they never race the publication of the cycle that just ended.
    if (debtsAnnulledMinutes > 0) {
      const annulledIn = followingCycle(cycleOfServiceEvent(cycle, event.occurredAt)).label;
      await record(manager, event, {
        kind: "DEBTS_ANNULLED",
        cycle: annulledIn,
        minutes: debtsAnnulledMinutes,
        count: Math.max(1, accountsWithDebtsAnnulled ?? 1),
      });
    }
  },
  // The needs board (S3): members' open needs, by category, as their producers announce them.
  "request.opened": (manager, event) =>
    openNeed(manager, event, "REQUEST", event.payload.listingId, event.payload.memberId, event.payload.skills),
  "request.closed": (manager, event) => closeWaitingNeed(manager, "REQUEST", event.payload.listingId),
  "reservation.queued": (manager, event) =>
    openNeed(manager, event, "RESERVATION", event.payload.reservationId, event.payload.memberId, [
      event.payload.category,
    ]),
  "reservation.closed": (manager, event) => closeWaitingNeed(manager, "RESERVATION", event.payload.reservationId),
  "loan.completed": async (manager, event) => {
    await record(manager, event, { kind: "LOAN", cycle: event.payload.cycle, memberIds: event.payload.memberIds });
  },
  "command.replaced": async (manager, event) => {
    await record(manager, event, { kind: "COMMAND_REPLACED", cycle: event.payload.cycle, count: event.payload.count });
  },
  "dispute.mediated": async (manager, event) => {
    await record(manager, event, {
      kind: "MEDIATION",
      cycle: event.payload.cycle,
      // Both sides: the member who opened it and each party it names, each a pseudonym.
      personKeys: [event.payload.openerKey, ...(event.payload.partyKeys ?? [])],
    });
  },
  "crisis.buffered": async (manager, event) => {
    await record(manager, event, {
      kind: "CRISIS_BUFFERED",
      cycle: event.payload.cycle,
      personKeys: [event.payload.helpedKey],
    });
  },
};
