import type { NoteRow } from "../entities/note.js";
import { SovereigntyCircle, SovereigntyMember, SovereigntyNote } from "./types.js";

export function toNote(row: NoteRow): SovereigntyNote {
  return Object.assign(new SovereigntyNote(), {
    id: row.id,
    circle: Object.assign(new SovereigntyCircle(), { id: row.circleId }),
    writtenBy: Object.assign(new SovereigntyMember(), { id: row.memberId }),
    text: row.text,
    writtenAt: row.writtenAt,
  });
}
