import { badInput, decodeCursor, type PageArgs, pageSize, toPage } from "@rhizome/kit";
import type { ToolsContext } from "../context.js";
import { ReservationRow } from "../entities/reservation.js";
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
  const rows = await context.db
    .getRepository(ReservationRow)
    .createQueryBuilder("r")
    .where("r.tool_id = :toolId AND r.status = 'WAITING' AND r.position > :afterPosition", { toolId, afterPosition })
    .orderBy("r.position", "ASC")
    .limit(limit + 1)
    .getMany();
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
