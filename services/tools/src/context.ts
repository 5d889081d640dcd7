import type { DataSource } from "typeorm";
import { loaderByUuid, type ServiceContext } from "@rhizome/kit";
import type { ToolsConfig } from "./config.js";
import type { NoteRow } from "./entities/note.js";
import { notesByIds } from "./store/notes.js";

export type ToolsLoaders = ReturnType<typeof createLoaders>;

/** What each request of tools sees: the kit's context (caller, db, clock ...) and its loaders. */
export type ToolsContext = ServiceContext<ToolsConfig> & ToolsLoaders;

/** Per-request DataLoaders: 500 references to notes cost one query, not 500. */
export function createLoaders(db: DataSource) {
  return {
    notes: loaderByUuid<NoteRow>((row) => row.id, (noteIds) => notesByIds(db, noteIds)),
  };
}
