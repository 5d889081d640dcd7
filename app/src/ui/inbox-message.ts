import type { MessageKey } from "../i18n/en.js";
import { formatDate, formatDateTime, t } from "../i18n/i18n.js";

const TOOL_KINDS = new Set(["LOAN_OVERDUE", "LOAN_STILL_OVERDUE", "CARETAKERS_LOAN_OVERDUE", "TOOL_RETIRED"]);
const ALERT_KINDS = new Set(["CALL", "VERIFY", "BROADCAST"]);
const PLAIN_DEFENSE_KINDS = new Set(["HEARING_REMINDER", "HEARING_SHORT", "HOUSING_MATCH"]);
export interface ToolNotice {
  kind: string;
  message: string;
  dueAt: string | null;
  tool: { name: string };
}

export interface DefenseNotice {
  kind: string;
  message: string;
  alertKind?: string | null;
  alertUrgency?: string | null;
  alertPlace?: string | null;
  alertText?: string | null;
  alertRaisedAt?: string | null;
}

/** A tool library notification in the member's language; the hub's own text for a kind the app does not know. */
export function toolNoticeText(notice: ToolNotice): string {
  if (!TOOL_KINDS.has(notice.kind)) return notice.message;
  const due = notice.dueAt ? formatDate(notice.dueAt) : "";
  return t(`inboxKind.${notice.kind}` as MessageKey, { tool: notice.tool.name, due });
}

/**
 * A mutual defense notification in the member's language, written from its kind and the alert's
 * fields (the alert's own words are the raiser's and are shown as written); the hub's own text for a
 * kind the app does not know.
 */
export function defenseNoticeText(notice: DefenseNotice): string {
  if (PLAIN_DEFENSE_KINDS.has(notice.kind)) return t(`inboxKind.${notice.kind}` as MessageKey);
  if (!ALERT_KINDS.has(notice.kind)) return notice.message;
  const headline = t(`inboxKind.${notice.kind}` as MessageKey);
  const { alertKind, alertUrgency, alertPlace, alertText, alertRaisedAt } = notice;
  if (!alertKind || !alertUrgency || !alertPlace || alertText == null || !alertRaisedAt) return headline;
  return t("inboxKind.alert", {
    headline,
    alertKind: t(`alertKind.${alertKind}` as MessageKey),
    urgency: t(`alertUrgency.${alertUrgency}` as MessageKey),
    place: alertPlace,
    raisedAt: formatDateTime(alertRaisedAt),
    text: alertText,
  });
}
