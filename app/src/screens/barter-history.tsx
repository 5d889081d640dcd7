import { useEffect, useRef, useState } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import { CycleHistoryDocument, MyCirclesDocument } from "../generated/graphql.js";
import { formatHours, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

const formatDay = (iso: string) => new Intl.DateTimeFormat(language(), { dateStyle: "medium" }).format(new Date(iso));

/** Skills as the member's language lists them: "a, b and c", "a, b y c". */
const formatList = (items: readonly string[]) => new Intl.ListFormat(language(), { type: "conjunction" }).format(items);

/**
 * A member's exchanges and the circle's anonymized figures, one lunar cycle at a time, from the one
 * in progress back through the closed ones. Only the member's own exchanges are listed; the circle's
 * figures are those the hub publishes (null when they would describe fewer than 5 people).
 */
export function BarterHistory({ session }: { session: StoredSession }) {
  const circles = useQuery(MyCirclesDocument, {});
  const current = circles.data?.me.memberships.find((membership) => membership.id === session.member.id)?.balance
    ?.cycle;
  // The cycles stepped back through, newest last; the last one is shown.
  const [trail, setTrail] = useState<string[]>([]);
  const [hasStepped, setStepped] = useState(false);
  const step = (next: string[]) => {
    setStepped(true);
    setTrail(next);
  };
  const cycle = trail[trail.length - 1] ?? current;
  return (
    <Screen title={t("history.title")} name="barter-history">
      <Offline isStale={circles.isStale && !cycle} />
      <ErrorNotice error={circles.isStale ? undefined : circles.error} />
      <Loading isLoading={circles.isLoading && !cycle} />
      {cycle && (
        // One view per cycle, so a cycle seen before opens from the phone's copy, offline too.
        <CycleView
          key={cycle}
          session={session}
          cycle={cycle}
          isStepped={hasStepped}
          onEarlier={(previous) => step([...trail, previous])}
          onLater={trail.length > 0 ? () => step(trail.slice(0, -1)) : undefined}
        />
      )}
    </Screen>
  );
}

function CycleView({
  session,
  cycle,
  isStepped,
  onEarlier,
  onLater,
}: {
  session: StoredSession;
  cycle: string;
  isStepped: boolean;
  onEarlier: (previous: string) => void;
  onLater: (() => void) | undefined;
}) {
  const history = useQuery(CycleHistoryDocument, {
    slug: session.member.circle.slug,
    circleId: session.member.circle.id,
    cycle,
  });
  const summary = history.data?.circle?.barterSummary;
  // A keyboard or screen reader user who stepped to another cycle lands on its title.
  const heading = useRef<HTMLHeadingElement>(null);
  const hasSummary = summary !== undefined;
  useEffect(() => {
    if (isStepped && hasSummary) heading.current?.focus();
  }, [hasSummary]);
  const confirmed = (history.data?.exchanges.items ?? []).filter((exchange) => exchange.status === "CONFIRMED");
  const gaveMinutes = confirmed
    .filter((exchange) => exchange.provider.id === session.member.id)
    .reduce((sum, exchange) => sum + exchange.minutes, 0);
  const receivedMinutes = confirmed
    .filter((exchange) => exchange.receiver.id === session.member.id)
    .reduce((sum, exchange) => sum + exchange.minutes, 0);
  const isHidden =
    summary && [summary.minutesExchanged, summary.exchangeCount, summary.participantCount].some((v) => v == null);

  return (
    <>
      <Offline isStale={history.isStale} />
      <ErrorNotice error={history.isStale ? undefined : history.error} />
      <Loading isLoading={history.isLoading && !history.data} />
      {summary && (
        <section aria-labelledby="cycle-title" data-testid="cycle" data-cycle={summary.cycle}>
          <h2 id="cycle-title" tabIndex={-1} ref={heading}>
            {summary.isClosed ? t("history.closed") : t("history.current")}
            <span class="muted">
              {" · "}
              {t("history.period", { start: formatDay(summary.startsAt), end: formatDay(summary.endsAt) })}
            </span>
          </h2>
          {summary.theme && <p>{t("history.theme", { theme: summary.theme })}</p>}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => onEarlier(summary.previousCycle)}>
              {t("history.earlier")}
            </button>
            {onLater && (
              <button type="button" class="secondary" onClick={onLater}>
                {t("history.later")}
              </button>
            )}
          </div>

          <section class="card" aria-labelledby="history-yours-title">
            <h3 id="history-yours-title">{t("history.yoursTitle")}</h3>
            <ul class="cards" data-testid="history-exchanges">
              {confirmed.map((exchange) => {
                const iGave = exchange.provider.id === session.member.id;
                const other = iGave ? exchange.receiver : exchange.provider;
                const values = { hours: formatHours(exchange.minutes), skill: exchange.skill, handle: other.handle };
                return (
                  <li data-exchange={exchange.id}>
                    {iGave ? t("barter.gave", values) : t("barter.received", values)}
                    <span class="muted"> · {formatDay(exchange.proposedAt)}</span>
                  </li>
                );
              })}
              {history.data && confirmed.length === 0 && <li class="muted">{t("history.none")}</li>}
            </ul>
            {confirmed.length > 0 && (
              <p data-testid="history-totals">
                {t("history.gave", { hours: formatHours(gaveMinutes) })} ·{" "}
                {t("history.received", { hours: formatHours(receivedMinutes) })} ·{" "}
                <strong>
                  {t(summary.isClosed ? "history.net" : "history.netNow", {
                    hours: formatHours(gaveMinutes - receivedMinutes),
                  })}
                </strong>
              </p>
            )}
          </section>

          <section class="card" aria-labelledby="history-circle-title" data-testid="history-circle">
            <h3 id="history-circle-title">{t("history.circleTitle")}</h3>
            {summary.minutesExchanged != null && (
              <p>{t("history.hoursExchanged", { hours: formatHours(summary.minutesExchanged) })}</p>
            )}
            {summary.exchangeCount != null && <p>{t("history.exchangeCount", { count: summary.exchangeCount })}</p>}
            {summary.participantCount != null && (
              <p>{t("history.participants", { count: summary.participantCount })}</p>
            )}
            {isHidden && <p class="muted">{t("history.hidden")}</p>}
            {summary.mostRequestedSkills.length > 0 && (
              <p>{t("history.mostRequested", { skills: formatList(summary.mostRequestedSkills) })}</p>
            )}
            {summary.mostOfferedSkills.length > 0 && (
              <p>{t("history.mostOffered", { skills: formatList(summary.mostOfferedSkills) })}</p>
            )}
          </section>
        </section>
      )}
    </>
  );
}
