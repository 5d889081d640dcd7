import { MIN_PEOPLE_PER_PUBLISHED_FIGURE, type LunarCycle, type Verdict } from "@rhizome/kit/rules";
import { kindRules, sovereigntyEventKinds, type SovereigntyEventKind } from "./kinds.js";

/** What a circle's events of one kind add up to in one cycle, before anything is suppressed. */
export interface KindTally {
  kind: SovereigntyEventKind;
  /** The events' counts summed (a hand record may count several meals). */
  count: number;
  /** How many events (rows) there were. */
  records: number;
  minutes: number;
  /** Distinct members the events named (0 for kinds whose events name nobody). */
  people: number;
  /** Distinct pseudonyms of people the events carried (kinds that count pseudonymous people). */
  pseudonyms?: number;
}

export interface CycleTally {
  kinds: KindTally[];
  /** Distinct members who took part in an exchange or a loan. */
  activeMembers: number;
}

/** Every figure the hub publishes per circle and cycle, and what comparisons sort by. */
export const sovereigntyMetrics = [
  "SOVEREIGNTY_EVENTS",
  "COMMANDS_DISPLACED",
  "COMMAND_DISPLACEMENT_PER_CAPITA",
  "ACTIVE_MEMBERS",
  "MINUTES_EXCHANGED",
  "EXCHANGES",
  "LOANS",
  "MEDIATIONS",
  "CRISES_BUFFERED",
  "DEBTS_ANNULLED",
  "MINUTES_OF_DEBT_ANNULLED",
  "COMMANDS_REPLACED",
  "MEALS_SHARED",
  "POLICE_CALLS_AVOIDED",
  "SABBATH_NEEDS_MET",
] as const;
export type SovereigntyMetric = (typeof sovereigntyMetrics)[number];

export const metricOfKind: Record<SovereigntyEventKind, SovereigntyMetric> = {
  EXCHANGE: "EXCHANGES",
  LOAN: "LOANS",
  MEDIATION: "MEDIATIONS",
  CRISIS_BUFFERED: "CRISES_BUFFERED",
  DEBTS_ANNULLED: "DEBTS_ANNULLED",
  COMMAND_REPLACED: "COMMANDS_REPLACED",
  MEAL_SHARED: "MEALS_SHARED",
  POLICE_CALL_AVOIDED: "POLICE_CALLS_AVOIDED",
  SABBATH_NEED_MET: "SABBATH_NEEDS_MET",
};

/** A published figure: the value, or null when it would describe fewer than 5 people. */
export type PublishedFigures = Record<SovereigntyMetric, number | null>;

/** Decimal places of command displacement per capita. */
export const PER_CAPITA_DECIMALS = 3;

/**
 * The people behind a kind's figure, never its records: the members its events name; for debts
 * annulled, one member per debt; for a crisis buffered or a mediation, the distinct pseudonyms of the
 * people helped, or of the people on both sides of the disputes (their openers and the parties they
 * name); events that carry none count as one person together, since one person may be behind each; for kinds whose events name nobody (an agreement, a meal
 * recorded by hand), one person per event, since each involves at least one.
 */
export function peopleBehind(tally: KindTally): number {
  const rule = kindRules[tally.kind];
  if (rule.namesMembers) return tally.people;
  if (rule.countsPseudonymousPeople) return Math.max(tally.pseudonyms ?? 0, Math.min(tally.records, 1));
  return rule.countsPeople ? tally.count : tally.records;
}

/** A count is published when it is zero (it describes nobody) or when enough people stand behind it. */
export function publishCount(value: number, people: number): number | null {
  if (value === 0 && people === 0) return 0;
  return people >= MIN_PEOPLE_PER_PUBLISHED_FIGURE ? value : null;
}

/**
 * A total over kinds that cannot be differenced: the suppressed kinds are added only when,
 * together, they stand for at least 5 people; otherwise the total holds only the published kinds,
 * so "total minus the shown kinds" never reveals a small group. Members named by several kinds
 * (and members whose debts were annulled) may overlap, so their people are counted as the largest
 * such kind (a lower bound), never summed.
 */
export function publishTotal(tallies: readonly KindTally[]): number | null {
  let published = 0;
  let suppressed = 0;
  let suppressedRecordPeople = 0;
  let suppressedMemberPeople = 0;
  for (const tally of tallies) {
    const value = publishCount(tally.count, peopleBehind(tally));
    if (value !== null) {
      published += value;
      continue;
    }
    suppressed += tally.count;
    // Debtors are members who exchanged: counted as members, so they never add to the exchangers they may be.
    const rule = kindRules[tally.kind];
    if (rule.namesMembers || rule.countsPeople || rule.countsPseudonymousPeople)
      suppressedMemberPeople = Math.max(suppressedMemberPeople, peopleBehind(tally));
    else suppressedRecordPeople += tally.records;
  }
  if (suppressed > 0 && suppressedRecordPeople + suppressedMemberPeople >= MIN_PEOPLE_PER_PUBLISHED_FIGURE)
    return published + suppressed;
  return suppressed === 0 || published > 0 ? published : null;
}

function tallyOf(tally: CycleTally, kind: SovereigntyEventKind): KindTally {
  return tally.kinds.find((k) => k.kind === kind) ?? { kind, count: 0, records: 0, minutes: 0, people: 0 };
}

/** Every figure of a circle's cycle, with each one that would describe fewer than 5 people suppressed. */
export function publishFigures(tally: CycleTally): PublishedFigures {
  const all = sovereigntyEventKinds.map((kind) => tallyOf(tally, kind));
  const commandsDisplaced = publishTotal(all.filter((k) => kindRules[k.kind].replacesCommand));
  const activeMembers = publishCount(tally.activeMembers, tally.activeMembers);
  const exchanges = tallyOf(tally, "EXCHANGE");
  const debtsAnnulled = tallyOf(tally, "DEBTS_ANNULLED");
  const figures = {
    SOVEREIGNTY_EVENTS: publishTotal(all),
    COMMANDS_DISPLACED: commandsDisplaced,
    COMMAND_DISPLACEMENT_PER_CAPITA: commandDisplacementPerCapita(commandsDisplaced, activeMembers),
    ACTIVE_MEMBERS: activeMembers,
    MINUTES_EXCHANGED: publishCount(exchanges.minutes, exchanges.people),
    MINUTES_OF_DEBT_ANNULLED: publishCount(debtsAnnulled.minutes, peopleBehind(debtsAnnulled)),
  } as PublishedFigures;
  for (const kindTally of all)
    figures[metricOfKind[kindTally.kind]] = publishCount(kindTally.count, peopleBehind(kindTally));
  return figures;
}

/** Events that replaced a command, per active member; null when either figure is unpublished or nobody was active. */
export function commandDisplacementPerCapita(
  commandsDisplaced: number | null,
  activeMembers: number | null,
): number | null {
  if (commandsDisplaced === null || activeMembers === null || activeMembers === 0) return null;
  const scale = 10 ** PER_CAPITA_DECIMALS;
  return Math.round((commandsDisplaced / activeMembers) * scale) / scale;
}

/** How many cycles a trend covers. */
export const TREND_CYCLES = 12;

/** How many cycles a history covers: 1 to TREND_CYCLES, by default all of them. */
export function historyLength(cycles: number | null | undefined): Verdict<number> {
  const count = cycles ?? TREND_CYCLES;
  if (!Number.isInteger(count) || count < 1 || count > TREND_CYCLES)
    return { problem: `cycles must be from 1 to ${TREND_CYCLES}; got ${count}.` };
  return count;
}

/** Comparisons and trends cover closed cycles only. */
export function closedCycle(cycle: LunarCycle, now: Date): Verdict<LunarCycle> {
  if (cycle.endsAt.getTime() > now.getTime())
    return { problem: `Cycle ${cycle.label} is still open; comparisons cover closed cycles.` };
  return cycle;
}

/**
 * The figures of the cycle still open, for its members: as `publishFigures`, but without the kinds
 * that describe someone's trouble (a crisis buffered), in their own figure or in any total. Counted
 * live, they would move the moment someone was helped; they are published when the cycle closes.
 */
export function publishOpenCycleFigures(tally: CycleTally): PublishedFigures {
  const figures = publishFigures({
    ...tally,
    kinds: tally.kinds.filter((kind) => !kindRules[kind.kind].describesTrouble),
  });
  for (const kind of sovereigntyEventKinds) if (kindRules[kind].describesTrouble) figures[metricOfKind[kind]] = null;
  return figures;
}
