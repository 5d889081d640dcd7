import type { MessageKey } from "../i18n/en.js";
import { formatDate, t } from "../i18n/i18n.js";

const TOOL_KINDS = new Set(["LOAN_OVERDUE", "LOAN_STILL_OVERDUE", "CARETAKERS_LOAN_OVERDUE", "TOOL_RETIRED"]);
const ALERT_KINDS = new Set(["CALL", "VERIFY", "BROADCAST"]);
const PLAIN_DEFENSE_KINDS = new Set(["HEARING_REMINDER", "HEARING_SHORT", "HOUSING_MATCH"]);
const ALERT_CATEGORIES = new Set(["EVICTION", "RAID", "ARREST", "MEDICAL", "OTHER"]);
const URGENCIES = new Set(["LOW", "HIGH", "CRITICAL"]);
/**
 * What the hub adds after an alert notification's headline: "<kind> (<urgency>) at <place>: <text>".
 * The alert's own words are the member's who raised it and are shown as written.
 */
const ALERT_DETAILS = /^[^:]*: ([A-Z]+) \(([A-Z]+)\) at ([0-9a-z]+): ([\s\S]*)$/;

export interface ToolNotice {
  kind: string;
  message: string;
  dueAt: string | null;
  tool: { name: string };
}

export interface DefenseNotice {
  kind: string;
  message: string;
}

/** A tool library notification in the member's language; the hub's own text for a kind the app does not know. */
export function toolNoticeText(notice: ToolNotice): string {
  if (!TOOL_KINDS.has(notice.kind)) return notice.message;
  const due = notice.dueAt ? formatDate(notice.dueAt) : "";
  return t(`inboxKind.${notice.kind}` as MessageKey, { tool: notice.tool.name, due });
}

/** A mutual defense notification in the member's language; the hub's own text for a kind or shape the app does not know. */
export function defenseNoticeText(notice: DefenseNotice): string {
  if (PLAIN_DEFENSE_KINDS.has(notice.kind)) return t(`inboxKind.${notice.kind}` as MessageKey);
  if (!ALERT_KINDS.has(notice.kind)) return notice.message;
  const headline = t(`inboxKind.${notice.kind}` as MessageKey);
  const details = ALERT_DETAILS.exec(notice.message);
  if (!details) return notice.message.includes(":") ? notice.message : headline;
  const [, category, urgency, place, text] = details;
  if (!ALERT_CATEGORIES.has(category) || !URGENCIES.has(urgency)) return notice.message;
  return t("inboxKind.alert", {
    headline,
    alertKind: t(`alertKind.${category}` as MessageKey),
    urgency: t(`alertUrgency.${urgency}` as MessageKey),
    place,
    text,
  });
}
