/**
 * What kind of need a sovereignty event met without a coercive intermediary. Service kinds come
 * from the hub's events; hand kinds are recorded by organizers and stewards.
 */
export const sovereigntyEventKinds = [
  "EXCHANGE",
  "LOAN",
  "MEDIATION",
  "CRISIS_BUFFERED",
  "DEBTS_ANNULLED",
  "COMMAND_REPLACED",
  "MEAL_SHARED",
  "POLICE_CALL_AVOIDED",
  "SABBATH_NEED_MET",
] as const;

export type SovereigntyEventKind = (typeof sovereigntyEventKinds)[number];

export interface KindRule {
  /** What the event stands for, in a sentence (the API's enum description). */
  meaning: string;
  /** Whether the event replaced a command (a landlord's, lender's, boss's or the police's): counted in command displacement. */
  replacesCommand: boolean;
  /** Whether organizers and stewards may record it by hand; the others come only from the services' ledgers. */
  isRecordedByHand: boolean;
  /** Whether its events name the members who took part (so the people behind a figure are counted, not estimated). */
  namesMembers: boolean;
  /** Whether each unit of its count is one distinct person (a debt annulled is one member's debt). */
  countsPeople: boolean;
  /**
   * Whether its figure stands on people known by a pseudonym its events may carry (the person a
   * crisis buffered helped, the member who opened a dispute mediated): distinct pseudonyms, and
   * events without one as one person at most, since they may all be the same person again.
   */
  countsPseudonymousPeople: boolean;
  /**
   * Whether it describes someone's trouble (a crisis buffered): left out of the open cycle's
   * figures, which would move the moment someone was helped.
   */
  describesTrouble: boolean;
}

/**
 * A command is an order someone can give because they hold power over you: rent, a debt, a wage,
 * a police call. An exchange or a loan meets a need outside the market but displaces no command;
 * a mediation, a crisis buffered, a debt annulled or an agreement that replaced a rule does.
 */
export const kindRules: Record<SovereigntyEventKind, KindRule> = {
  EXCHANGE: {
    meaning: "Hours given and received instead of bought (barter).",
    replacesCommand: false,
    isRecordedByHand: false,
    namesMembers: true,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  LOAN: {
    meaning: "A tool lent instead of bought (tools).",
    replacesCommand: false,
    isRecordedByHand: false,
    namesMembers: true,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  MEDIATION: {
    meaning: "A dispute resolved by mediation instead of the police (defense).",
    replacesCommand: true,
    isRecordedByHand: false,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: true,
    describesTrouble: false,
  },
  CRISIS_BUFFERED: {
    meaning: "A crisis carried by the fund or a housing pledge instead of a lender or a landlord (defense).",
    replacesCommand: true,
    isRecordedByHand: false,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: true,
    describesTrouble: true,
  },
  DEBTS_ANNULLED: {
    meaning:
      "A member's debt annulled at the new moon instead of collected (barter); counted in the cycle that new moon began.",
    replacesCommand: true,
    isRecordedByHand: false,
    namesMembers: false,
    countsPeople: true,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  COMMAND_REPLACED: {
    meaning: "A consensual agreement that replaced a command (governance).",
    replacesCommand: true,
    isRecordedByHand: false,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  MEAL_SHARED: {
    meaning: "A meal shared (recorded by hand).",
    replacesCommand: false,
    isRecordedByHand: true,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  POLICE_CALL_AVOIDED: {
    meaning: "A police call avoided because neighbours handled it (recorded by hand).",
    replacesCommand: true,
    isRecordedByHand: true,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
  SABBATH_NEED_MET: {
    meaning: "A need met at a no-state sabbath (recorded by hand).",
    replacesCommand: false,
    isRecordedByHand: true,
    namesMembers: false,
    countsPeople: false,
    countsPseudonymousPeople: false,
    describesTrouble: false,
  },
};

export const handRecordedKinds = sovereigntyEventKinds.filter((kind) => kindRules[kind].isRecordedByHand);

export function isSovereigntyEventKind(value: string): value is SovereigntyEventKind {
  return (sovereigntyEventKinds as readonly string[]).includes(value);
}
