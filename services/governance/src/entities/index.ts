import { NoteRow } from "./note.js";

/** Every table governance maps, for its service definition. */
export const governanceEntities = [NoteRow];
