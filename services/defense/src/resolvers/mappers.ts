import type { NoteRow } from "../entities/note.js";
import { DefenseCircle, DefenseMember, DefenseNote } from "./types.js";

export function toNote(row: NoteRow): DefenseNote {
  return Object.assign(new DefenseNote(), {
    id: row.id,
    circle: Object.assign(new DefenseCircle(), { id: row.circleId }),
    writtenBy: Object.assign(new DefenseMember(), { id: row.memberId }),
    text: row.text,
    writtenAt: row.writtenAt,
  });
}
