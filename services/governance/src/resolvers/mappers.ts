import type { NoteRow } from "../entities/note.js";
import { GovernanceCircle, GovernanceMember, GovernanceNote } from "./types.js";

export function toNote(row: NoteRow): GovernanceNote {
  return Object.assign(new GovernanceNote(), {
    id: row.id,
    circle: Object.assign(new GovernanceCircle(), { id: row.circleId }),
    writtenBy: Object.assign(new GovernanceMember(), { id: row.memberId }),
    text: row.text,
    writtenAt: row.writtenAt,
  });
}
