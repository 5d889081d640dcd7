import { registerEnumType } from "type-graphql";
import { kindRules, sovereigntyEventKinds, type SovereigntyEventKind } from "../domain/kinds.js";
import { sovereigntyMetrics, type SovereigntyMetric } from "../domain/scores.js";

const asEnum = <Value extends string>(values: readonly Value[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in Value]: K };

export const SovereigntyEventKindEnum = asEnum(sovereigntyEventKinds);
registerEnumType(SovereigntyEventKindEnum, {
  name: "SovereigntyEventKind",
  description: "A need met without a coercive intermediary.",
  valuesConfig: Object.fromEntries(
    sovereigntyEventKinds.map((kind: SovereigntyEventKind) => [
      kind,
      { description: `${kindRules[kind].meaning}${kindRules[kind].replacesCommand ? " Replaced a command." : ""}` },
    ]),
  ),
});

const metricDescriptions: Record<SovereigntyMetric, string> = {
  SOVEREIGNTY_EVENTS: "Every sovereignty event of the cycle.",
  COMMANDS_DISPLACED:
    "Events that replaced a command: mediations, crises buffered, debts annulled, agreements that replaced a command, police calls avoided.",
  COMMAND_DISPLACEMENT_PER_CAPITA: "Commands displaced per active member.",
  ACTIVE_MEMBERS: "Members who took part in an exchange or a loan.",
  MINUTES_EXCHANGED: "Minutes of time given and received.",
  EXCHANGES: "Confirmed exchanges.",
  LOANS: "Completed loans.",
  MEDIATIONS: "Disputes mediated.",
  CRISES_BUFFERED: "Crises buffered by the fund or a housing pledge.",
  DEBTS_ANNULLED: "Members whose debts were annulled at the new moon instead of collected.",
  MINUTES_OF_DEBT_ANNULLED: "Minutes of debt annulled at the new moon, the debts of at least 5 members.",
  COMMANDS_REPLACED: "Agreements that replaced a command.",
  MEALS_SHARED: "Meals shared.",
  POLICE_CALLS_AVOIDED: "Police calls avoided.",
  SABBATH_NEEDS_MET: "Needs met at a no-state sabbath.",
};

export const SovereigntyMetricEnum = asEnum(sovereigntyMetrics);
registerEnumType(SovereigntyMetricEnum, {
  name: "SovereigntyMetric",
  description: "A published figure of a circle's cycle.",
  valuesConfig: Object.fromEntries(
    sovereigntyMetrics.map((metric) => [metric, { description: metricDescriptions[metric] }]),
  ),
});

export const SovereigntyEventSourceEnum = asEnum(["SERVICE", "HAND"] as const);
registerEnumType(SovereigntyEventSourceEnum, {
  name: "SovereigntyEventSource",
  valuesConfig: {
    SERVICE: { description: "From a service's own record." },
    HAND: { description: "Recorded by an organizer or steward." },
  },
});

export const StoryStatusEnum = asEnum(["AWAITING_REVIEW", "PUBLISHED", "DECLINED", "WITHOUT_CONSENT"] as const);
export type StoryStatus = keyof typeof StoryStatusEnum;
registerEnumType(StoryStatusEnum, {
  name: "StoryStatus",
  valuesConfig: {
    AWAITING_REVIEW: { description: "Waiting for a steward's review." },
    PUBLISHED: { description: "Approved by a steward, with the teller's consent: public." },
    DECLINED: { description: "A steward declined it; it is never shown." },
    WITHOUT_CONSENT: { description: "The teller has not given consent, or withdrew it; it is not shown." },
  },
});
