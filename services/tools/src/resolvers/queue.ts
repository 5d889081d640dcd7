import { badInput, decodeCursor, type PageArgs, pageSize, toPage } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { queueAfter } from "../store/reservations.js";
import { toReservation } from "./mappers.js";
import { ReservationPage } from "./types.js";

/** A page of a tool's queue in order; each item knows its place (1: next). */
export async function queuePage(context: ToolsContext, toolId: string, page: PageArgs): Promise<ReservationPage> {
  const limit = pageSize(page.first);
  const after = decodeCursor(page.after, 2);
  const afterPosition = after ? Number(after[0]) : 0;
  const placeBefore = after ? Number(after[1]) : 0;
  if (!Number.isInteger(afterPosition) || !Number.isInteger(placeBefore))
    throw badInput("The cursor is not one this API gave out; start again without it.");
  const rows = await queueAfter(context.db, toolId, afterPosition, limit + 1);
  const places = new Map(rows.map((row, index) => [row.id, placeBefore + index + 1]));
  return Object.assign(
    new ReservationPage(),
    toPage(
      rows,
      limit,
      (row) => [row.position, places.get(row.id)!],
      (row) => toReservation(row, places.get(row.id)),
    ),
  );
}
