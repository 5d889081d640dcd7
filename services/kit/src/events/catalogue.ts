import { z } from "zod";

const id = z.string().uuid();
const cycle = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a lunar cycle label, YYYY-MM-DD");
const minutes = z.number().int().positive();
/** A pseudonym of a person, made by the producer with a key consumers never hold; never a member id. */
const personKey = z.string().min(16).max(128);
const count = z.number().int().positive();
/** A skill or tool category as its producer normalised it: a short tag, never free text. */
const category = z.string().min(1).max(40);

/**
 * Every event the hub's services tell each other, with the payload its producer writes and its
 * consumers read. A producer can only emit a topic listed here with a payload of that shape, and a
 * consumer's handler receives the payload already parsed, so both sides agree at compile time.
 * Payloads carry ids only: never a handle, a bloc or anything else about a person. Member ids appear
 * only where a consumer counts distinct active members (sovereignty), and never for who was helped.
 */
export const eventCatalogue = {
  "circle.founded": { producer: "network", payload: z.object({ circleId: id }) },
  "member.joined": { producer: "network", payload: z.object({ circleId: id, memberId: id }) },
  /** The member left; network has already replaced their handle with a tombstone. */
  "member.left": { producer: "network", payload: z.object({ circleId: id, memberId: id }) },
  /**
   * The member changed their declared bloc, in force from the new moon that starts `cycle`. Never the
   * bloc itself: a service that counts blocs asks network for the bloc in force then.
   */
  "member.bloc-change-scheduled": { producer: "network", payload: z.object({ circleId: id, memberId: id, cycle }) },

  // Barter. Minutes are whole minutes of time credit; a cycle is a lunar cycle's label.
  /** Hours given and received without buying them: one confirmed exchange. */
  "exchange.confirmed": {
    producer: "barter",
    payload: z.object({ circleId: id, exchangeId: id, cycle, minutes, memberIds: z.array(id).min(1).max(2) }),
  },
  /** The new moon expired a cycle's credits and annulled its debts, once per circle and cycle. */
  "cycle.expired": {
    producer: "barter",
    payload: z.object({
      circleId: id,
      cycle,
      creditsExpiredMinutes: z.number().int().nonnegative(),
      debtsAnnulledMinutes: z.number().int().nonnegative(),
      /** Accounts whose debts were annulled (absent from events written before it was counted). */
      accountsWithDebtsAnnulled: z.number().int().nonnegative().optional(),
    }),
  },
  /**
   * A member's barter request (a listing of kind REQUEST) is open with these skills: a need. Emitted
   * again, with the new skills, when they change. The member id only lets the needs board count
   * distinct people before publishing anything.
   */
  "request.opened": {
    producer: "barter",
    payload: z.object({ circleId: id, listingId: id, memberId: id, skills: z.array(category).max(8) }),
  },
  /** The request was withdrawn, or its member left: no longer a need. */
  "request.closed": { producer: "barter", payload: z.object({ circleId: id, listingId: id }) },

  // Tools.
  /** A loan ended with the tool handed on or back: a purchase avoided. */
  "loan.completed": {
    producer: "tools",
    payload: z.object({ circleId: id, loanId: id, toolId: id, cycle, memberIds: z.array(id).min(1).max(2) }),
  },
  /**
   * A member waits in a tool's queue: a need, by the tool's category. Emitted again with the new
   * category when the tool's category changes. The member id only lets the needs board count distinct people.
   */
  "reservation.queued": {
    producer: "tools",
    payload: z.object({ circleId: id, reservationId: id, memberId: id, category }),
  },
  /** The reservation left the queue: fulfilled, cancelled, its tool retired or its member gone. */
  "reservation.closed": { producer: "tools", payload: z.object({ circleId: id, reservationId: id }) },

  // Governance.
  /** A consensual agreement replaced a command (recorded by a body or an experiment). */
  "command.replaced": { producer: "governance", payload: z.object({ circleId: id, recordId: id, cycle, count }) },

  // Defense.
  /**
   * A dispute was resolved by mediation, without police; never who took part. `openerKey`, when
   * sent, is a pseudonym of the member who opened the dispute, and `partyKeys` one of each party
   * the dispute names (parties are named inside defense by pseudonyms like "the upstairs flat",
   * which never leave it), made like `crisis.buffered`'s `helpedKey` but under keys of their own
   * purposes. They let published figures count the people on both sides, not disputes.
   */
  "dispute.mediated": {
    producer: "defense",
    payload: z.object({
      circleId: id,
      disputeId: id,
      cycle,
      openerKey: personKey.optional(),
      partyKeys: z.array(personKey).max(16).optional(),
    }),
  },
  /**
   * A crisis was buffered by the fund or a housing pledge; never who was helped. `helpedKey`, when
   * sent, is a pseudonym of the person helped: the same for the same person within the circle and
   * cycle, different across cycles, never their member id (the producer derives it with a key the
   * consumers never hold). It lets published figures count people, not records.
   */
  "crisis.buffered": {
    producer: "defense",
    payload: z.object({
      circleId: id,
      caseId: id,
      cycle,
      via: z.enum(["FUND", "HOUSING"]),
      helpedKey: personKey.optional(),
    }),
  },
} as const;

export type EventTopic = keyof typeof eventCatalogue;
export type EventPayload<Topic extends EventTopic> = z.infer<(typeof eventCatalogue)[Topic]["payload"]>;

/** An event as a consumer receives it. */
export interface HubEvent<Topic extends EventTopic = EventTopic> {
  id: string;
  topic: Topic;
  circleId: string;
  payload: EventPayload<Topic>;
  occurredAt: Date;
}

export function producerOf(topic: EventTopic): string {
  return eventCatalogue[topic].producer;
}

export function isEventTopic(topic: string): topic is EventTopic {
  return Object.hasOwn(eventCatalogue, topic);
}
