import { useEffect } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import { UnreadCountsDocument } from "../generated/graphql.js";
import { useQuery } from "./use-query.js";

/** Asks the hub again now and then: a notification may arrive while the app stays open. */
const UNREAD_REFRESH_MS = 60_000;

const listeners = new Set<() => void>();

/** Tells every unread badge to ask the hub again (after marking read, or opening the inbox). */
export function unreadChanged(): void {
  listeners.forEach((listener) => listener());
}

/**
 * What waits unread in the member's one inbox in this circle: the tool library's and mutual
 * defense's, each counted by its own service for this member alone (a `self` field). Undefined
 * until the hub (or the copy kept from last time) answers.
 */
export function useUnreadCount(session: StoredSession, refreshKey?: unknown): number | undefined {
  const counts = useQuery(UnreadCountsDocument, {});
  useUnreadRefresh(counts.reload);
  useEffect(() => {
    if (refreshKey !== undefined) void counts.reload();
  }, [refreshKey]);
  return unreadIn(counts.data?.me.memberships, session);
}

/** Runs `reload` when a badge should ask again: something was marked read, or a minute passed. */
export function useUnreadRefresh(reload: () => Promise<void>): void {
  useEffect(() => {
    const listener = () => void reload();
    listeners.add(listener);
    const timer = setInterval(listener, UNREAD_REFRESH_MS);
    return () => {
      listeners.delete(listener);
      clearInterval(timer);
    };
  }, [reload]);
}

interface UnreadCounts {
  id: string;
  unreadToolNotifications?: number | null;
  unreadDefenseNotifications?: number | null;
}

/** The unread count of the session's own membership among those the hub answered with. */
export function unreadIn(memberships: UnreadCounts[] | undefined, session: StoredSession): number | undefined {
  const here = memberships?.find((membership) => membership.id === session.member.id);
  if (!here) return undefined;
  return (here.unreadToolNotifications ?? 0) + (here.unreadDefenseNotifications ?? 0);
}
