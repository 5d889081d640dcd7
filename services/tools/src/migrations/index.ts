import { ToolLibrarySchema1795600000000 } from "./0001-tool-library.js";
import { ToolsReminderSweep1795600000100 } from "./0002-reminder-sweep.js";

/** tools's migrations in the order they run, for its service definition. */
export const toolsMigrations = [ToolLibrarySchema1795600000000, ToolsReminderSweep1795600000100];
