import { randomUUID } from "node:crypto";
import { In, type DataSource } from "typeorm";
import type { InstantCursor } from "@rhizome/kit";
import { NoteRow } from "../entities/note.js";

export interface NewNote {
  circleId: string;
  memberId: string;
  /** Already normalised (domain/notes.ts). */
  text: string;
}

/**
 * Writes a note. Events about a change are written in the change's transaction (kit emitEvent),
 * so an event exists exactly when its change was committed; call context.eventsEmitted() after.
 */
export async function addNote(db: DataSource, note: NewNote, now: Date): Promise<NoteRow> {
  return db.transaction(async (manager) => {
    const row = Object.assign(new NoteRow(), { id: randomUUID(), ...note, writtenAt: now });
    await manager.getRepository(NoteRow).insert(row);
    return row;
  });
}

export interface NotesQuery {
  circleId: string;
  after?: InstantCursor;
  /** Rows to return: a page size plus one, to tell whether a next page exists. */
  limit: number;
}

/** A circle's notes, newest first. */
export function notesOfCircle(db: DataSource, query: NotesQuery): Promise<NoteRow[]> {
  const select = db
    .getRepository(NoteRow)
    .createQueryBuilder("n")
    .where("n.circleId = :circleId", { circleId: query.circleId })
    .orderBy("n.writtenAt", "DESC")
    .addOrderBy("n.id", "DESC")
    .limit(query.limit);
  if (query.after) select.andWhere("(n.writtenAt, n.id) < (:at, :id)", query.after);
  return select.getMany();
}

/** The notes with these ids (already checked to be UUIDs), in no particular order. */
export function notesByIds(db: DataSource, noteIds: string[]): Promise<NoteRow[]> {
  return db.getRepository(NoteRow).findBy({ id: In(noteIds) });
}

/** How many notes a circle wrote in [from, until). */
export async function countNotesWritten(db: DataSource, circleId: string, from: Date, until: Date): Promise<number> {
  const [{ count }]: Array<{ count: string }> = await db.query(`SELECT count(*) FROM notes WHERE circle_id = $1 AND written_at >= $2 AND written_at < $3`, [
    circleId,
    from,
    until,
  ]);
  return Number(count);
}
