import { NoteRow } from "./note.js";

/** Every table defense maps, for its service definition. */
export const defenseEntities = [NoteRow];
