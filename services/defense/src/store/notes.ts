import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { CaseKind } from "./cases.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

export interface CaseNoteRow {
  id: string;
  circleId: string;
  caseKind: CaseKind;
  caseId: string;
  authorMemberId: string;
  textSealed: Buffer;
  writtenAt: Date;
}

const toNote = (r: Record<string, never>): CaseNoteRow => ({
  id: r.id,
  circleId: r.circle_id,
  caseKind: r.case_kind,
  caseId: r.case_id,
  authorMemberId: r.author_member_id,
  textSealed: r.text_sealed,
  writtenAt: r.written_at,
});

/** Writes a note, sealed under the circle's data key: the table never holds its text. */
export async function writeCaseNote(
  manager: EntityManager,
  vault: Vault,
  note: { circleId: string; caseKind: CaseKind; caseId: string; authorMemberId: string; text: string },
  now: Date,
): Promise<CaseNoteRow> {
  const sealed = await vault.seal(manager, note.circleId, "case-note", note.text, now);
  const [row] = await manager.query(
    `INSERT INTO case_notes (id, circle_id, case_kind, case_id, author_member_id, text_sealed, written_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [randomUUID(), note.circleId, note.caseKind, note.caseId, note.authorMemberId, sealed, now],
  );
  return toNote(row);
}

/** A case's notes, newest first. */
export async function notesOfCase(db: Queryable, caseId: string, after: { at: Date; id: string } | undefined, limit: number): Promise<CaseNoteRow[]> {
  const rows = await db.query(
    `SELECT * FROM case_notes WHERE case_id = $1 AND ($2::timestamptz IS NULL OR (written_at, id) < ($2, $3::uuid)) ORDER BY written_at DESC, id DESC LIMIT $4`,
    [caseId, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toNote);
}
