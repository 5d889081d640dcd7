export const MAX_SKILL_LENGTH = 40;
export const MAX_SKILLS_PER_LISTING = 8;

/** After normalisation a skill is letters and digits in words joined by single dashes. */
const NORMALISED_SKILL = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u;

/** Common skills offered to members as suggestions; members may use any other tag. */
export const STARTER_SKILLS = [
  "bike-repair",
  "carpentry",
  "childcare",
  "cleaning",
  "computer-help",
  "cooking",
  "elder-care",
  "electrical",
  "gardening",
  "haircut",
  "homework-help",
  "language-lessons",
  "legal-paperwork",
  "moving-help",
  "music-lessons",
  "pet-care",
  "plumbing",
  "sewing",
  "translation",
  "tutoring",
] as const;

export type SkillResult = { skill: string } | { problem: string };

/** "  Bike   Repair " becomes "bike-repair": trimmed, lowercased, inner whitespace collapsed to one dash. */
export function normaliseSkill(raw: string): SkillResult {
  const skill = raw.trim().toLowerCase().replace(/\s+/g, "-").replace(/-{2,}/g, "-");
  if (skill.length === 0) return { problem: "A skill cannot be empty." };
  if (skill.length > MAX_SKILL_LENGTH) {
    return {
      problem: `The skill "${skill.slice(0, MAX_SKILL_LENGTH)}…" is longer than ${MAX_SKILL_LENGTH} characters; shorten it.`,
    };
  }
  if (!NORMALISED_SKILL.test(skill)) {
    return { problem: `The skill "${skill}" may contain only letters, digits, spaces and dashes.` };
  }
  return { skill };
}

export type SkillsResult = { skills: string[] } | { problem: string };

/** Normalises a listing's skills, drops duplicates, and checks there are 1 to MAX_SKILLS_PER_LISTING. */
export function normaliseSkills(raw: readonly string[]): SkillsResult {
  const skills: string[] = [];
  for (const entry of raw) {
    const result = normaliseSkill(entry);
    if ("problem" in result) return result;
    if (!skills.includes(result.skill)) skills.push(result.skill);
  }
  if (skills.length === 0) return { problem: "Give at least one skill." };
  if (skills.length > MAX_SKILLS_PER_LISTING) {
    return { problem: `A listing can have at most ${MAX_SKILLS_PER_LISTING} skills; got ${skills.length}.` };
  }
  return { skills };
}
