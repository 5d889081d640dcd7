import { useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { enqueue } from "../api/outbox.js";
import type { StoredSession } from "../api/session.js";
import {
  HubInboxDocument,
  MarkDefenseNotificationsReadDocument,
  MarkToolNotificationsReadDocument,
  type TypedDocumentString,
} from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useBusy, useSaid } from "../ui/feedback.js";
import { defenseNoticeText, toolNoticeText } from "../ui/inbox-message.js";
import { Screen } from "../ui/screen.js";
import { unreadChanged } from "../ui/unread.js";
import { useQuery } from "../ui/use-query.js";

interface InboxItem {
  id: string;
  from: "tools" | "defense";
  message: string;
  createdAt: string;
  isRead: boolean;
}

const newest = (items: InboxItem[]) =>
  items.reduce<string | undefined>(
    (latest, item) => (!latest || Date.parse(item.createdAt) > Date.parse(latest) ? item.createdAt : latest),
    undefined,
  );

/**
 * The member's one inbox: the tool library's and mutual defense's notifications in one list, newest
 * first, unread ones marked. Each service keeps its own inbox and its own read mark (defense's is
 * the member's alone); marking read moves both up to the newest notification shown, so one that
 * arrives meanwhile stays unread.
 */
export function Inbox({ session }: { session: StoredSession }) {
  const inbox = useQuery(HubInboxDocument, { circleId: session.member.circle.id });
  const [error, setError] = useState<unknown>();
  const [said, say] = useSaid();
  const busy = useBusy();
  const tools: InboxItem[] = (inbox.data?.myNotifications.items ?? []).map((item) => ({
    id: `tools-${item.id}`,
    from: "tools",
    message: toolNoticeText(item),
    createdAt: item.createdAt,
    isRead: item.isRead,
  }));
  const defense: InboxItem[] = (inbox.data?.myDefenseNotifications.items ?? [])
    .filter((item) => item.circle.id === session.member.circle.id)
    .map((item) => ({
      id: `defense-${item.id}`,
      from: "defense",
      message: defenseNoticeText(item),
      createdAt: item.createdAt,
      isRead: item.isRead,
    }));
  const items = [...tools, ...defense].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const unread = items.filter((item) => !item.isRead).length;

  /** Sends a mark; offline, it waits in the outbox (a mark only moves forward, so a second send changes nothing). */
  const send = async <Data, Variables>(document: TypedDocumentString<Data, Variables>, variables: Variables) => {
    try {
      await run(document, variables);
    } catch (failure) {
      if (!(failure instanceof NetworkError)) throw failure;
      enqueue(document, variables);
      say(() => t("outbox.saved"));
    }
  };

  const markRead = async () => {
    if (!busy.begin()) return;
    setError(undefined);
    try {
      const toolsUpTo = newest(tools);
      const defenseUpTo = newest(defense);
      if (toolsUpTo && tools.some((item) => !item.isRead))
        await send(MarkToolNotificationsReadDocument, { circleId: session.member.circle.id, upTo: toolsUpTo });
      if (defenseUpTo && defense.some((item) => !item.isRead))
        await send(MarkDefenseNotificationsReadDocument, { upTo: defenseUpTo });
      await inbox.reload();
      unreadChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };

  return (
    <Screen title={t("inbox.title")} name="inbox">
      <Offline isStale={inbox.isStale} />
      <ErrorNotice error={inbox.isStale ? undefined : (error ?? inbox.error)} />
      <Success said={said} />
      <Loading isLoading={inbox.isLoading && !inbox.data} />
      {inbox.data && (
        <p class="muted" data-testid="inbox-unread">
          {unread > 0 ? t("hubInbox.unread", { count: unread }) : t("hubInbox.allRead")}
        </p>
      )}
      {unread > 0 && (
        <button type="button" class="secondary" disabled={busy.isBusy} onClick={() => void markRead()}>
          {t("hubInbox.markRead")}
        </button>
      )}
      <ul class="cards" data-testid="inbox">
        {items.map((item) => (
          <li class={item.isRead ? undefined : "unread"} data-unread={item.isRead ? undefined : "true"}>
            <p class="muted">
              {!item.isRead && <strong class="badge">{t("hubInbox.new")}</strong>}{" "}
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
