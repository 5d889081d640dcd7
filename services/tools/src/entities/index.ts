import { CaretakerDrawRow } from "./caretaker-draw.js";
import { CaretakerVolunteerRow } from "./caretaker-volunteer.js";
import { CustodyRow } from "./custody.js";
import { HandOffRow } from "./hand-off.js";
import { LoanRow } from "./loan.js";
import { MaintenanceRow } from "./maintenance.js";
import { MemberRow } from "./member.js";
import { NotificationRow } from "./notification.js";
import { ReservationRow } from "./reservation.js";
import { LibrarySettingsRow, LoanPeriodRow } from "./settings.js";
import { ToolRow } from "./tool.js";
import { TutorialRow } from "./tutorial.js";

/** Every table tools maps, for its service definition. */
export const toolsEntities = [
  MemberRow,
  LibrarySettingsRow,
  LoanPeriodRow,
  ToolRow,
  ReservationRow,
  LoanRow,
  HandOffRow,
  CustodyRow,
  MaintenanceRow,
  TutorialRow,
  CaretakerVolunteerRow,
  CaretakerDrawRow,
  NotificationRow,
];
