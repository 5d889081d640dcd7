import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { CaseKind } from "./cases.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

export interface CaseNoteRow {
  id: string;
  circleId: string;
  caseKind: CaseKind;
  caseId: string;
  /** Null on alert cases: nobody learns from a note's author that they raised the alert. */
  authorMemberId: string | null;
  textSealed: Buffer;
  writtenAt: Date;
}

const NOTE_COLUMNS = `id, circle_id, case_kind, case_id, author_member_id, text_sealed, written_at`;

/** Writes a note, sealed under the circle's data key and bound to its row: the table never holds its text. */
export async function writeCaseNote(
  tx: Queryable,
  vault: Vault,
  note: { circleId: string; caseKind: CaseKind; caseId: string; authorMemberId: string; text: string },
  now: Date,
): Promise<CaseNoteRow> {
  const id = randomUUID();
  const sealed = await vault.seal(tx, note.circleId, "case-note", id, note.text, now);
  // A note on an alert keeps no author: the raiser writes there too, and an author would name them.
  const author = note.caseKind === "ALERT" ? null : note.authorMemberId;
  const row = await sqlRow<CaseNoteRow>(
    tx,
    `INSERT INTO case_notes (id, circle_id, case_kind, case_id, author_member_id, text_sealed, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${NOTE_COLUMNS}`,
    [id, note.circleId, note.caseKind, note.caseId, author, sealed, now],
  );
  return returnedRow(row, "INSERT INTO case_notes");
}

/** A case's notes, newest first. */
export async function notesOfCase(
  db: Queryable,
  caseId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<CaseNoteRow[]> {
  return sqlRows<CaseNoteRow>(
    db,
    `SELECT ${NOTE_COLUMNS} FROM case_notes WHERE case_id = $1 AND ($2::timestamptz IS NULL OR (written_at, id) < ($2, $3::uuid)) ORDER BY written_at DESC, id DESC LIMIT $4`,
    [caseId, after?.at ?? null, after?.id ?? null, limit],
  );
}
