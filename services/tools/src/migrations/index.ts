import { KitWitnessedDraws1796000000000 } from "@rhizome/kit";
import { ToolLibrarySchema1795600000000 } from "./0001-tool-library.js";
import { ToolsReminderSweep1795600000100 } from "./0002-reminder-sweep.js";
import { ToolsWitnessedCaretakerDraws1796000000200 } from "./0003-witnessed-caretaker-draws.js";
import { ToolsToolRetiredNotices1796500000400 } from "./0004-tool-retired-notices.js";
import { ToolsInboxReadMarks1796500000500 } from "./0005-inbox-read-marks.js";
import { ToolsMaintenanceIdempotency1796600000600 } from "./0006-maintenance-idempotency.js";

/** tools's migrations in the order they run, for its service definition. */
export const toolsMigrations = [
  ToolLibrarySchema1795600000000,
  ToolsReminderSweep1795600000100,
  KitWitnessedDraws1796000000000,
  ToolsWitnessedCaretakerDraws1796000000200,
  ToolsToolRetiredNotices1796500000400,
  ToolsInboxReadMarks1796500000500,
  ToolsMaintenanceIdempotency1796600000600,
];
