import { NoteRow } from "./note.js";

/** Every table tools maps, for its service definition. */
export const toolsEntities = [NoteRow];
