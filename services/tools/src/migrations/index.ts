import { ToolsSchema1795498808155 } from "./0001-tools-schema.js";

/** tools's migrations in the order they run, for its service definition. */
export const toolsMigrations = [ToolsSchema1795498808155];
