import { isRefusal, type Refusal, type Verdict } from "@rhizome/kit/rules";

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

/** A normalised value under its name, or the refusal saying why not. */
export type Normalised<Key extends string, T> = Verdict<{ [K in Key]: T }>;

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

export interface ToolDescription {
  name: string;
  category: string;
  description: string;
  safetyNotes: string;
  condition: ToolCondition;
  locationCell: string | null;
}

export interface ToolDescriptionInput {
  name: string;
  category: string;
  description?: string | null;
  safetyNotes?: string | null;
  condition?: ToolCondition | null;
  locationCell?: string | null;
}

/** What a host says about a new tool, checked in the order a client reads the problems. */
export function describeNewTool(input: ToolDescriptionInput): Verdict<ToolDescription> {
  const condition = input.condition ?? "GOOD";
  const conditionProblem = conditionChangeProblem(condition);
  if (conditionProblem) return { problem: conditionProblem };
  const name = normaliseToolName(input.name);
  if (isRefusal(name)) return name;
  const category = normaliseCategory(input.category);
  if (isRefusal(category)) return category;
  const description = normaliseToolText(input.description ?? "", "A description's characters");
  if (isRefusal(description)) return description;
  const safetyNotes = normaliseToolText(input.safetyNotes ?? "", "Safety notes");
  if (isRefusal(safetyNotes)) return safetyNotes;
  const cell = input.locationCell == null ? { cell: null } : normaliseLocationCell(input.locationCell);
  if (isRefusal(cell)) return cell;
  return {
    name: name.name,
    category: category.category,
    description: description.text,
    safetyNotes: safetyNotes.text,
    condition,
    locationCell: cell.cell,
  };
}

export interface ToolChanges {
  name?: string;
  category?: string;
  description?: string;
  safetyNotes?: string;
  condition?: ToolCondition;
  /** null clears the place. */
  locationCell?: string | null;
}

export interface ToolChangesInput {
  name?: string | null;
  category?: string | null;
  description?: string | null;
  safetyNotes?: string | null;
  condition?: ToolCondition | null;
  locationCell?: string | null;
  clearLocation?: boolean | null;
}

/** The fields an edit gives (absent ones stay as they are), each normalised, or the first problem. */
export function toolChanges(input: ToolChangesInput): Verdict<ToolChanges> {
  const changes: ToolChanges = {};
  const checks: Array<() => Refusal | undefined> = [
    () => take(input.name, normaliseToolName, (v) => (changes.name = v.name)),
    () => take(input.category, normaliseCategory, (v) => (changes.category = v.category)),
    () =>
      take(
        input.description,
        (raw) => normaliseToolText(raw, "A description's characters"),
        (v) => (changes.description = v.text),
      ),
    () =>
      take(
        input.safetyNotes,
        (raw) => normaliseToolText(raw, "Safety notes"),
        (v) => (changes.safetyNotes = v.text),
      ),
    () => {
      if (input.condition == null) return undefined;
      const problem = conditionChangeProblem(input.condition);
      if (problem) return { problem };
      changes.condition = input.condition;
      return undefined;
    },
    () =>
      input.locationCell != null && input.clearLocation
        ? { problem: "Give either locationCell or clearLocation, not both." }
        : undefined,
    () => take(input.locationCell, normaliseLocationCell, (v) => (changes.locationCell = v.cell)),
  ];
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  if (input.clearLocation) changes.locationCell = null;
  return changes;
}

function take<T extends object>(
  raw: string | null | undefined,
  normalise: (raw: string) => Verdict<T>,
  keep: (value: T) => unknown,
): Refusal | undefined {
  if (raw == null) return undefined;
  const verdict = normalise(raw);
  if (isRefusal(verdict)) return verdict;
  keep(verdict);
  return undefined;
}

/** Whether an edit may change the tool as it is now. Leaving NEEDS_REPAIR takes a recorded repair, not an edit. */
export function toolChangeProblem(
  tool: { condition: ToolCondition; retiredAt: Date | null },
  changes: ToolChanges,
): Refusal | undefined {
  if (tool.retiredAt) return { code: "CONFLICT", problem: "This tool is retired; it can no longer be changed." };
  if (tool.condition === "NEEDS_REPAIR" && changes.condition && changes.condition !== "NEEDS_REPAIR")
    return {
      code: "CONFLICT",
      problem: "This tool needs repair: record the repair (recordRepair) to change its condition.",
    };
  return undefined;
}

/** Only a tool at home with its host, not retired yet, can be retired. */
export function retirementProblem(tool: {
  retiredAt: Date | null;
  openLoanId: string | null;
  holderMemberId: string;
  hostMemberId: string;
}): Refusal | undefined {
  if (tool.retiredAt) return { code: "CONFLICT", problem: "This tool is already retired." };
  if (tool.openLoanId || tool.holderMemberId !== tool.hostMemberId)
    return {
      code: "CONFLICT",
      problem: "This tool is out on a loan: it can be retired once it is back with its host.",
    };
  return undefined;
}
