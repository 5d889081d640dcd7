import type { NoteRow } from "../entities/note.js";
import { ToolsCircle, ToolsMember, ToolsNote } from "./types.js";

export function toNote(row: NoteRow): ToolsNote {
  return Object.assign(new ToolsNote(), {
    id: row.id,
    circle: Object.assign(new ToolsCircle(), { id: row.circleId }),
    writtenBy: Object.assign(new ToolsMember(), { id: row.memberId }),
    text: row.text,
    writtenAt: row.writtenAt,
  });
}
