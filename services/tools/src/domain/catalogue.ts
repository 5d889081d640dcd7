/** What a host says about a tool's state; RETIRED tools stay in the catalogue's history but are never lent. */
export const toolConditions = ["NEW", "GOOD", "WORN", "NEEDS_REPAIR", "RETIRED"] as const;
export type ToolCondition = (typeof toolConditions)[number];

export const MAX_TOOL_NAME_LENGTH = 80;
export const MAX_TOOL_TEXT_LENGTH = 2_000;
export const MAX_CATEGORY_LENGTH = 40;
export const MAX_SEARCH_WORDS_LENGTH = 200;

/**
 * Places are block level at most: a geohash cell of 6 characters is about 1.2 km x 0.6 km.
 * A finer cell could point at a member's home, so it is refused, never truncated silently.
 */
export const MAX_GEOHASH_LENGTH = 6;
const GEOHASH = /^[0-9bcdefghjkmnpqrstuvwxyz]+$/;

export type Normalised<Key extends string, T> = { [K in Key]: T } | { problem: string };

/** "  Power Tools " becomes "power-tools": trimmed, lower-cased, words joined by one dash. */
export function normaliseCategory(raw: string): Normalised<"category", string> {
  const category = raw.trim().toLowerCase().replace(/\s+/g, "-").replace(/-{2,}/g, "-");
  if (category.length === 0) return { problem: "A category cannot be empty." };
  if (category.length > MAX_CATEGORY_LENGTH)
    return {
      problem: `A category is at most ${MAX_CATEGORY_LENGTH} characters; "${category}" has ${category.length}.`,
    };
  if (!/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u.test(category))
    return {
      problem: `A category is letters and digits in words, e.g. "garden" or "power-tools"; "${category}" is not.`,
    };
  return { category };
}

/** A tool's name: trimmed, 1 to MAX_TOOL_NAME_LENGTH characters. */
export function normaliseToolName(raw: string): Normalised<"name", string> {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length === 0) return { problem: "A tool needs a name." };
  if (name.length > MAX_TOOL_NAME_LENGTH)
    return { problem: `A tool's name is at most ${MAX_TOOL_NAME_LENGTH} characters; this one has ${name.length}.` };
  return { name };
}

/** A description or safety notes: trimmed, at most MAX_TOOL_TEXT_LENGTH characters, may be empty. */
export function normaliseToolText(raw: string, what: string): Normalised<"text", string> {
  const text = raw.trim();
  if (text.length > MAX_TOOL_TEXT_LENGTH)
    return { problem: `${what} are at most ${MAX_TOOL_TEXT_LENGTH} characters; these have ${text.length}.` };
  return { text };
}

/** A block-level place: a geohash of 1 to 6 characters, lower-cased; anything finer is refused. */
export function normaliseLocationCell(raw: string): Normalised<"cell", string> {
  const cell = raw.trim().toLowerCase();
  if (cell.length === 0) return { problem: "A location cell cannot be empty; leave it out to share no place." };
  if (!GEOHASH.test(cell))
    return { problem: `"${raw}" is not a geohash: use the digits and letters 0-9 b-h j k m n p-z.` };
  if (cell.length > MAX_GEOHASH_LENGTH) {
    return {
      problem: `A location is block level at most: a geohash of at most ${MAX_GEOHASH_LENGTH} characters. "${cell}" has ${cell.length}; share "${cell.slice(0, MAX_GEOHASH_LENGTH)}" instead.`,
    };
  }
  return { cell };
}

/** Conditions a member may set by hand: RETIRED goes through retireTool, which also closes the queue. */
export function conditionChangeProblem(condition: ToolCondition): string | undefined {
  return condition === "RETIRED"
    ? "Retire a tool with retireTool, which also tells the members waiting for it."
    : undefined;
}

/** Whether the tool may go out on a loan now. */
export function lendingProblem(tool: { condition: ToolCondition; retiredAt: Date | null }): string | undefined {
  if (tool.retiredAt || tool.condition === "RETIRED") return "This tool is retired and can no longer be lent.";
  if (tool.condition === "NEEDS_REPAIR")
    return "This tool needs repair: it cannot be lent until a repair is recorded (recordRepair).";
  return undefined;
}
