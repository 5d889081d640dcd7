import { publishIfEnoughPeople } from "@rhizome/kit/rules";
import { normaliseSkills } from "./skills.js";

export const MAX_THEME_LENGTH = 60;

/** Themes circles often choose; organizers may use their own words. */
export const SUGGESTED_THEMES = [
  { theme: "food sovereignty", skills: ["cooking", "gardening", "food-preserving"] },
  { theme: "repair", skills: ["bike-repair", "sewing", "electrical", "carpentry"] },
  { theme: "childcare", skills: ["childcare", "homework-help"] },
] as const;

export type ThemeResult = { theme: string; skills: string[] } | { problem: string };

/** A theme in the organizer's own words with the skills it features, normalised like listing tags. */
export function normaliseTheme(rawTheme: string, rawSkills: readonly string[]): ThemeResult {
  const theme = rawTheme.trim().replace(/\s+/g, " ");
  if (theme.length === 0) return { problem: 'Name the theme in a few words, e.g. "repair".' };
  if (theme.length > MAX_THEME_LENGTH)
    return { problem: `A theme is at most ${MAX_THEME_LENGTH} characters; got ${theme.length}.` };
  const skills = normaliseSkills(rawSkills);
  if ("problem" in skills) return skills;
  return { theme, skills: skills.skills };
}

/** Which cycle a theme may be set for: the current one or the next, never one that has ended. */
export function themeCycleProblem(label: string, current: string, next: string): string | undefined {
  if (label === current || label === next) return undefined;
  return label < current
    ? `Cycle ${label} has ended; a theme is set for the current cycle (${current}) or the next (${next}).`
    : `Cycle ${label} is too far ahead; a theme is set for the current cycle (${current}) or the next (${next}).`;
}

/** The theme's share of the cycle's hours, in whole percent; null when fewer than 5 members took part in themed exchanges. */
export function themeSharePercent(
  themedMinutes: number,
  totalMinutes: number,
  themedParticipants: number,
): number | null {
  if (totalMinutes === 0) return publishIfEnoughPeople(0, themedParticipants);
  return publishIfEnoughPeople(Math.round((100 * themedMinutes) / totalMinutes), themedParticipants);
}
