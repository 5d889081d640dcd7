import type { StoredSession } from "../api/session.js";
import { InboxDocument } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

interface InboxItem {
  id: string;
  from: "tools" | "defense";
  message: string;
  createdAt: string;
}

/** The tool library's and mutual defense's notifications in one list, newest first (the hub keeps two inboxes). */
export function Inbox({ session }: { session: StoredSession }) {
  const inbox = useQuery(InboxDocument, { circleId: session.member.circle.id });
  const items: InboxItem[] = [
    ...(inbox.data?.myNotifications.items ?? []).map((item) => ({
      id: `tools-${item.id}`,
      from: "tools" as const,
      message: item.message,
      createdAt: item.createdAt,
    })),
    ...(inbox.data?.myDefenseNotifications.items ?? [])
      .filter((item) => item.circle.id === session.member.circle.id)
      .map((item) => ({
        id: `defense-${item.id}`,
        from: "defense" as const,
        message: item.message,
        createdAt: item.createdAt,
      })),
  ].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return (
    <Screen title={t("inbox.title")} name="inbox">
      <Offline isStale={inbox.isStale} />
      <ErrorNotice error={inbox.isStale ? undefined : inbox.error} />
      <Loading isLoading={inbox.isLoading && !inbox.data} />
      <ul class="cards" data-testid="inbox">
        {items.map((item) => (
          <li>
            <p class="muted">
              {item.from === "tools" ? t("inbox.fromTools") : t("inbox.fromDefense")} ·{" "}
              <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
            </p>
            <p>{item.message}</p>
          </li>
        ))}
        {inbox.data && items.length === 0 && <li class="muted">{t("inbox.empty")}</li>}
      </ul>
    </Screen>
  );
}
