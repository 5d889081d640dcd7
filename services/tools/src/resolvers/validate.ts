import { badInput, notFound, requireOwnedRow, type Caller, type Membership } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import type { ToolRow } from "../entities/tool.js";
import { NO_SUCH_TOOL } from "../store/catalogue.js";

/** The value of a domain normalisation, or its problem as BAD_USER_INPUT. */
export function valueOrBadInput<T extends object>(result: T | { problem: string }): T {
  if ("problem" in result) throw badInput(result.problem);
  return result;
}

/** The tool, if it is in one of the caller's circles; NOT_FOUND otherwise, exactly like a wrong id. */
export async function ownedTool(
  context: ToolsContext,
  toolId: string,
): Promise<{ row: ToolRow; membership: Membership }> {
  return requireOwnedRow(context.caller, await context.tools.load(toolId), NO_SUCH_TOOL);
}

export function requireUuidOrNotFound(id: string, isUuid: (value: string) => boolean, message: string): void {
  if (!isUuid(id)) throw notFound(message);
}

export type { Caller };
