import {
  forbidden,
  notFound,
  requireOwned,
  witnessedDrawsByIds,
  type ActionStep,
  type Caller,
  type Membership,
  type Queryable,
  type WitnessedDrawRecord,
} from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { CARETAKER_DRAW_PURPOSE } from "../domain/caretakers.js";
import { lockTool, type ToolRow } from "../store/catalogue.js";
import { handOffById, lockHandOff, pendingHandOffsOf, type HandOffRow } from "../store/hand-offs.js";
import { queueHead } from "../store/reservations.js";

/** Where every action of tools runs. */
export type ToolsStep = ActionStep<ToolsContext>;

export const NO_SUCH_TOOL = "No tool with that id in your circles.";
export const NO_SUCH_RESERVATION = "No reservation with that id among yours.";
export const NO_SUCH_LOAN = "No loan with that id among yours.";
export const NO_SUCH_HAND_OFF = "No hand-off with that id among yours.";

/**
 * The tool, locked for the rest of the action, if it is in one of the caller's circles; NOT_FOUND
 * otherwise, exactly like a wrong id. Every change to a tool's queue, custody, loans or condition
 * starts here, so they happen one at a time.
 */
export function lockedToolOfYourCircle(
  step: ToolsStep,
  toolId: string,
): Promise<{ row: ToolRow; membership: Membership }> {
  return requireOwned(step.caller, toolId, (id) => lockTool(step.tx, id), NO_SUCH_TOOL);
}

/** Locks a tool a row of the caller's names (it exists: tools are never deleted). */
export async function lockToolOf(step: ToolsStep, toolId: string): Promise<ToolRow> {
  const tool = await lockTool(step.tx, toolId);
  if (!tool) throw new Error(`Tool ${toolId} is named by a row of its circle but is not there.`);
  return tool;
}

/**
 * A row that is the caller's own (their reservation, their loan, a hand-off they are party to):
 * NOT_FOUND for a wrong id, another circle's row or someone else's, all alike.
 */
export async function requireYours<Row extends { circleId: string }>(
  caller: Caller,
  id: string,
  read: (id: string) => Promise<Row | undefined>,
  notFoundMessage: string,
  isYours: (row: Row, memberId: string) => boolean,
): Promise<{ row: Row; membership: Membership }> {
  const owned = await requireOwned(caller, id, read, notFoundMessage);
  if (!isYours(owned.row, owned.membership.memberId)) throw notFound(notFoundMessage);
  return owned;
}

/** What is said about a tool is its host's to change, or an organizer's. */
export function requireHostOrOrganizer(tool: ToolRow, membership: Membership): void {
  if (tool.hostMemberId !== membership.memberId && !membership.roles.includes("organizer"))
    throw forbidden("Only the tool's host or an organizer can change it.");
}

/**
 * A hand-off the caller is party to, its tool and the hand-off itself locked (in that order, as
 * every change to a tool starts with its row); NOT_FOUND for anyone else.
 */
export async function lockedHandOffOfParty(
  step: ToolsStep,
  handOffId: string,
): Promise<{ handOff: HandOffRow; tool: ToolRow; memberId: string }> {
  const { row, membership } = await requireYours(
    step.caller,
    handOffId,
    (id) => handOffById(step.tx, id),
    NO_SUCH_HAND_OFF,
    (handOff, memberId) => [handOff.fromMemberId, handOff.toMemberId].includes(memberId),
  );
  const tool = await lockToolOf(step, row.toolId);
  const handOff = (await lockHandOff(step.tx, row.id))!;
  return { handOff, tool, memberId: membership.memberId };
}

/** What a new hand-off of the tool is checked against: who is first in its queue, and whether one waits already. */
export async function queueHeadAndPending(
  step: ToolsStep,
  toolId: string,
): Promise<{ queueHeadMemberId: string | undefined; hasPending: boolean }> {
  const queueHeadMemberId = await queueHead(step.tx, toolId);
  const hasPending = (await pendingHandOffsOf(step.tx, [toolId])).length > 0;
  return { queueHeadMemberId, hasPending };
}

export const NO_SUCH_CARETAKER_DRAW = "No caretaker draw with that id in your circles.";

/** A caretaker draw of one of the caller's circles; NOT_FOUND otherwise, exactly like a wrong id. */
export function caretakerDrawOfYourCircle(
  caller: Caller,
  db: Queryable,
  drawId: string,
): Promise<{ row: WitnessedDrawRecord; membership: Membership }> {
  const read = async (id: string) => {
    const [draw] = await witnessedDrawsByIds(db, [id]);
    return draw?.purpose === CARETAKER_DRAW_PURPOSE ? draw : undefined;
  };
  return requireOwned(caller, drawId, read, NO_SUCH_CARETAKER_DRAW);
}
