import { publishIfEnoughPeople, suppressSmallCount } from "@rhizome/kit/rules";
import { themeSharePercent } from "./themes.js";

/** How many skills each ranking shows. */
export const TOP_SKILLS_COUNT = 5;

export interface SkillDemand {
  skill: string;
  /** Distinct members with an open OFFER for this skill during the cycle. */
  offeringMembers: number;
  /** Distinct members with an open REQUEST for this skill during the cycle. */
  requestingMembers: number;
}

/** A cycle's figures as counted, before anything is suppressed. Never leaves the service. */
export interface CycleFigures {
  minutesExchanged: number;
  exchangeCount: number;
  participantCount: number;
  skills: SkillDemand[];
  /** The cycle's theme, when organizers set one: the minutes of exchanges in its skills and the members behind them. */
  theme?: { name: string; skills: string[]; minutes: number; participantCount: number };
  /**
   * Exchanges with members of sister circles confirmed in the cycle: minutes this circle's members
   * gave and received, and the distinct members of both sides behind them. Undefined in figures
   * recorded before sister trade was counted.
   */
  sisterTrade?: { minutesGiven: number; minutesReceived: number; participantCount: number };
  /** Undefined until the cycle's expiry has run. */
  expiry?: {
    creditsExpiredMinutes: number;
    accountsWithCreditsExpired: number;
    debtsAnnulledMinutes: number;
    accountsWithDebtsAnnulled: number;
  };
}

/** What may be published: every figure that would describe fewer than 5 people is null. */
export interface PublishedCycleSummary {
  minutesExchanged: number | null;
  exchangeCount: number | null;
  participantCount: number | null;
  mostRequestedSkills: string[];
  mostOfferedSkills: string[];
  skillsInSurplus: string[];
  skillsInDeficit: string[];
  creditsExpiredMinutes: number | null;
  debtsAnnulledMinutes: number | null;
  theme: string | null;
  themeSkills: string[];
  /** The theme's share of the cycle's hours, in percent; null without a theme or when fewer than 5 members took part in its exchanges. */
  themeSharePercent: number | null;
  /** Minutes the circle's members gave to sister circles' members; null when fewer than 5 distinct members of either side took part. */
  minutesGivenToSisters: number | null;
  /** Minutes the circle's members received from sister circles' members; null on the same rule. */
  minutesReceivedFromSisters: number | null;
}

function ranked(
  skills: SkillDemand[],
  score: (s: SkillDemand) => number,
  isPublishable: (s: SkillDemand) => boolean,
): string[] {
  return skills
    .filter((s) => isPublishable(s) && score(s) > 0)
    .sort((a, b) => score(b) - score(a) || a.skill.localeCompare(b.skill))
    .slice(0, TOP_SKILLS_COUNT)
    .map((s) => s.skill);
}

/**
 * Suppresses small cells. Totals stand on the participants behind them; a skill is named only
 * when at least 5 members stand on the side that makes it notable (offering or requesting).
 */
export function publishCycleSummary(figures: CycleFigures): PublishedCycleSummary {
  const enoughPeople = (count: number) => suppressSmallCount(count) !== null;
  const { skills, expiry, sisterTrade } = figures;
  return {
    minutesExchanged: publishIfEnoughPeople(figures.minutesExchanged, figures.participantCount),
    exchangeCount: publishIfEnoughPeople(figures.exchangeCount, figures.participantCount),
    participantCount: suppressSmallCount(figures.participantCount),
    mostRequestedSkills: ranked(
      skills,
      (s) => s.requestingMembers,
      (s) => enoughPeople(s.requestingMembers),
    ),
    mostOfferedSkills: ranked(
      skills,
      (s) => s.offeringMembers,
      (s) => enoughPeople(s.offeringMembers),
    ),
    skillsInSurplus: ranked(
      skills,
      (s) => s.offeringMembers - s.requestingMembers,
      (s) => enoughPeople(s.offeringMembers),
    ),
    skillsInDeficit: ranked(
      skills,
      (s) => s.requestingMembers - s.offeringMembers,
      (s) => enoughPeople(s.requestingMembers),
    ),
    creditsExpiredMinutes: expiry
      ? publishIfEnoughPeople(expiry.creditsExpiredMinutes, expiry.accountsWithCreditsExpired)
      : null,
    debtsAnnulledMinutes: expiry
      ? publishIfEnoughPeople(expiry.debtsAnnulledMinutes, expiry.accountsWithDebtsAnnulled)
      : null,
    theme: figures.theme?.name ?? null,
    themeSkills: figures.theme?.skills ?? [],
    themeSharePercent: figures.theme
      ? themeSharePercent(figures.theme.minutes, figures.minutesExchanged, figures.theme.participantCount)
      : null,
    minutesGivenToSisters: sisterTrade
      ? publishIfEnoughPeople(sisterTrade.minutesGiven, sisterTrade.participantCount)
      : null,
    minutesReceivedFromSisters: sisterTrade
      ? publishIfEnoughPeople(sisterTrade.minutesReceived, sisterTrade.participantCount)
      : null,
  };
}
