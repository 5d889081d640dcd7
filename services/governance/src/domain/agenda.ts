import { createHash } from "node:crypto";
import { cycleContaining } from "@rhizome/kit/rules";

/**
 * A shadow assembly's agenda is gathered sealed and published once, at a fixed moment: when the
 * assembly meets, or at the end of the cycle it was called in when it names no meeting. Until then
 * nobody reads any item, so an item appearing right after a member acted cannot tell anyone that
 * member's bloc.
 */
export function shadowAgendaClosesAt(assembly: { meetsAt: Date | null; createdAt: Date }): Date {
  return assembly.meetsAt ?? cycleContaining(assembly.createdAt).endsAt;
}

export function isAgendaClosed(closesAt: Date, now: Date): boolean {
  return now.getTime() >= closesAt.getTime();
}

/** Why an item cannot be submitted now, or undefined when it can. The same for every member: never by bloc. */
export function agendaSubmissionProblem(closesAt: Date, now: Date): string | undefined {
  if (isAgendaClosed(closesAt, now)) return `This assembly's agenda closed at ${closesAt.toISOString()}.`;
  return undefined;
}

export interface SubmittedAgendaItem {
  id: string;
  text: string;
  addedAt: Date;
  /** Whether the item is published at the close (from an edge member); never shown to anyone. */
  publishes: boolean;
}

export interface PublishedAgendaItem {
  id: string;
  text: string;
  /** The closing instant: when each item was submitted would point at its submitter. */
  addedAt: Date;
}

function textHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * What a shadow assembly's agenda shows at `now`: nothing before it closes; from the close on, every
 * edge member's item at once, stamped with the closing instant and ordered by the SHA-256 of its text
 * (then its random id), so neither time nor order follows who submitted when. Advantaged members'
 * items are never published.
 */
export function publishedShadowAgenda(
  items: readonly SubmittedAgendaItem[],
  closesAt: Date,
  now: Date,
): PublishedAgendaItem[] {
  if (!isAgendaClosed(closesAt, now)) return [];
  return items
    .filter((item) => item.publishes)
    .map((item) => ({ id: item.id, text: item.text, addedAt: closesAt, hash: textHash(item.text) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, text, addedAt }) => ({ id, text, addedAt }));
}
