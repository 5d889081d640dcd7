import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import { endSession } from "../api/end-session.js";
import type { StoredSession } from "../api/session.js";
import { HomeDocument, LeaveCircleDocument } from "../generated/graphql.js";
import { formatDaysFromNow, formatHours, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { unreadIn, useUnreadRefresh } from "../ui/unread.js";
import { useQuery } from "../ui/use-query.js";

const DAY_MS = 86_400_000;

/** Whole days from now to the new moon that ends the cycle (0 when it is today). */
const daysUntil = (iso: string) => Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / DAY_MS));

/** Leaving is final: a first tap asks, a second one leaves. */
function LeaveCircle({ session }: { session: StoredSession }) {
  const [isAsking, setAsking] = useState(false);
  const action = useAction();
  const leave = () =>
    action.act(async () => {
      await run(LeaveCircleDocument, { circleId: session.member.circle.id });
      await endSession("left");
    });
  const circle = session.member.circle.name;
  return (
    <section class="card" aria-labelledby="leave-title">
      <h2 id="leave-title">{t("leave.title", { circle })}</h2>
      <p class="muted">{t("leave.explain")}</p>
      <ErrorNotice error={action.error} />
      {isAsking ? (
        <>
          <p role="alert">{t("leave.sure", { circle })}</p>
          <div class="actions">
            <button type="button" disabled={action.isBusy} onClick={() => void leave()}>
              {t("leave.confirm")}
            </button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>
              {t("leave.keep")}
            </button>
          </div>
        </>
      ) : (
        <button type="button" class="secondary" onClick={() => setAsking(true)}>
          {t("leave.start")}
        </button>
      )}
    </section>
  );
}

export function Home({ session }: { session: StoredSession }) {
  const circles = useQuery(HomeDocument, {});
  useUnreadRefresh(circles.reload);
  const memberships = circles.data?.me.memberships ?? [];
  const here = memberships.find((membership) => membership.id === session.member.id);
  const toConfirm = here?.exchangesAwaitingMe ?? 0;
  const notifications = unreadIn(memberships, session) ?? 0;
  const endsAt = here?.balance?.cycleEndsAt;

  return (
    <Screen title={t("home.greeting", { handle: session.member.handle })} name="home">
      <Offline isStale={circles.isStale} />
      <ErrorNotice error={circles.isStale ? undefined : circles.error} />
      <Loading isLoading={circles.isLoading && !circles.data} />
      {endsAt && (
        <p class="moon" data-testid="new-moon">
          {t("home.newMoon", { when: formatDaysFromNow(daysUntil(endsAt)) })}
        </p>
      )}

      <h2>{t("home.waiting")}</h2>
      {here && (
        <ul class="cards" data-testid="waiting">
          {toConfirm > 0 && (
            <li>
              <a href={hrefOf("barter")}>{t("home.toConfirm", { count: toConfirm })}</a>
            </li>
          )}
          {notifications > 0 && (
            <li>
              <a href={hrefOf("inbox")} data-testid="home-unread">
                {t("home.notifications", { count: notifications })}
              </a>
            </li>
          )}
          {toConfirm === 0 && notifications === 0 && <li class="muted">{t("home.nothingWaiting")}</li>}
        </ul>
      )}

      <h2>{t("home.circles")}</h2>
      <ul class="cards">
        {memberships.map((membership) => (
          <li
            data-testid={`circle-${membership.circle.slug}`}
            class={membership.id === session.member.id ? "current" : undefined}
          >
            <h3>
              {membership.circle.name} <span class="muted">@{membership.handle}</span>
            </h3>
            {membership.balance ? (
              <>
                <p class="balance">
                  {t("home.balance")}: <strong data-testid="balance">{formatHours(membership.balance.minutes)}</strong>
                </p>
                <p class="muted">
                  {t("home.floorCeiling", {
                    floor: formatHours(membership.balance.floorMinutes),
                    ceiling: formatHours(membership.balance.ceilingMinutes),
                  })}
                </p>
              </>
            ) : (
              <p class="muted">{t("home.noBalance")}</p>
            )}
          </li>
        ))}
      </ul>
      <LeaveCircle session={session} />
    </Screen>
  );
}
