import { NoteRow } from "./note.js";

/** Every table sovereignty maps, for its service definition. */
export const sovereigntyEntities = [NoteRow];
