import type { StoredSession } from "../api/session.js";
import {
  HubInboxDocument,
  MarkDefenseNotificationsReadDocument,
  MarkToolNotificationsReadDocument,
} from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import type { MessageKey } from "../i18n/en.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { defenseNoticeText, toolNoticeText } from "../ui/inbox-message.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { alertHref } from "../ui/router.js";
import { unreadChanged } from "../ui/unread.js";
import { useQuery } from "../ui/use-query.js";

interface InboxItem {
  id: string;
  from: "tools" | "defense";
  message: string;
  createdAt: string;
  isRead: boolean;
  /** Where to answer it: the defense screen with the alert a call or a request to verify is about. */
  answer?: { href: string; label: MessageKey };
}

const ANSWERS: Record<string, MessageKey> = { CALL: "hubInbox.answerCall", VERIFY: "hubInbox.verifyAlert" };

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
  const action = useAction();
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
      answer:
        item.alertId && ANSWERS[item.kind] ? { href: alertHref(item.alertId), label: ANSWERS[item.kind] } : undefined,
    }));
  const items = [...tools, ...defense].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const unread = items.filter((item) => !item.isRead).length;

  const markRead = () =>
    action.act(async () => {
      const toolsUpTo = newest(tools);
      const defenseUpTo = newest(defense);
      // Offline, a mark waits in the outbox (a mark only moves forward, so a second send changes nothing).
      let isQueued = false;
      if (toolsUpTo && tools.some((item) => !item.isRead))
        isQueued ||= !(await sendOrQueue(MarkToolNotificationsReadDocument, {
          circleId: session.member.circle.id,
          upTo: toolsUpTo,
        }));
      if (defenseUpTo && defense.some((item) => !item.isRead))
        isQueued ||= !(await sendOrQueue(MarkDefenseNotificationsReadDocument, { upTo: defenseUpTo }));
      await inbox.reload();
      unreadChanged();
      return isQueued ? SAVED_IN_OUTBOX : undefined;
    });

  return (
    <Screen title={t("inbox.title")} name="inbox">
      <Offline isStale={inbox.isStale} />
      <ErrorNotice error={inbox.isStale ? undefined : (action.error ?? inbox.error)} />
      <Success said={action.done} />
      <Loading isLoading={inbox.isLoading && !inbox.data} />
      {inbox.data && (
        <p class="muted" data-testid="inbox-unread">
          {unread > 0 ? t("hubInbox.unread", { count: unread }) : t("hubInbox.allRead")}
        </p>
      )}
      {unread > 0 && (
        <button type="button" class="secondary" disabled={action.isBusy} onClick={() => void markRead()}>
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
            {item.answer && (
              <p>
                <a href={item.answer.href}>{t(item.answer.label)}</a>
              </p>
            )}
          </li>
        ))}
        {inbox.data && items.length === 0 && <li class="muted">{t("inbox.empty")}</li>}
      </ul>
    </Screen>
  );
}
