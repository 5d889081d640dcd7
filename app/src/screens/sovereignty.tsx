import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  CircleStoriesDocument,
  NeedsBoardDocument,
  NewsletterDocument,
  RecordNeedMetDocument,
  SetSovereigntyRatesDocument,
  SetStoryConsentDocument,
  SovereigntyFiguresDocument,
  SubmitStoryDocument,
  type SovereigntyEventKind,
  type SovereigntyFiguresQuery,
  type StoryStatus,
} from "../generated/graphql.js";
import { formatHours, formatNumber, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, type Said } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";
import { formatMoney, isCurrencyCode, minorOf, typedAmountOf } from "../ui/money.js";

type Score = SovereigntyFiguresQuery["sovereigntyHistory"][number];
/** The needs met that organizers and stewards record by hand; the others come from the services. */
const HAND_KINDS: SovereigntyEventKind[] = ["MEAL_SHARED", "POLICE_CALL_AVOIDED", "SABBATH_NEED_MET"];

/** A cycle by the date of its new moon: "7 Dec 2026". */
const formatCycle = (label: string) =>
  new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${label}T00:00:00Z`));

/** A published figure, or "fewer than 5" where it would describe fewer than 5 people. */
const shown = (value: number | null | undefined, format: (value: number) => string = formatNumber) =>
  value === null || value === undefined ? t("figures.suppressed") : format(value);

function Money({ score }: { score: Score }) {
  const money = score.moneyKeptOut;
  if (!money) return <p class="muted">{t("figures.noRates")}</p>;
  return (
    <div data-testid="money">
      <p>
        {t("figures.moneyTitle")}{" "}
        <span class="money" data-testid="money-total">
          {shown(money.totalMinor, (minor) => formatMoney(minor, money.currency))}
        </span>
      </p>
      <p class="muted" data-testid="money-parts">
        {t("figures.moneyParts", {
          hours: shown(money.fromHoursMinor, (minor) => formatMoney(minor, money.currency)),
          hourValue: formatMoney(money.hourValueMinor, money.currency),
          loans: shown(money.fromLoansMinor, (minor) => formatMoney(minor, money.currency)),
          loanValue: formatMoney(money.loanValueMinor, money.currency),
        })}
      </p>
    </div>
  );
}

function Cycle({ score }: { score: Score }) {
  return (
    <li data-cycle={score.cycle}>
      <h3>{t("figures.cycle", { date: formatCycle(score.cycle) })}</h3>
      <Money score={score} />
      <dl class="figures">
        <dt>{t("figures.hoursExchanged")}</dt>
        <dd>{shown(score.minutesExchanged, formatHours)}</dd>
        <dt>{t("figures.exchanges")}</dt>
        <dd>{shown(score.exchanges)}</dd>
        <dt>{t("figures.loans")}</dt>
        <dd>{shown(score.loans)}</dd>
        <dt>{t("figures.activeMembers")}</dt>
        <dd>{shown(score.activeMembers)}</dd>
        <dt>{t("figures.commandsDisplaced")}</dt>
        <dd>{shown(score.commandsDisplaced)}</dd>
        <dt>{t("figures.mediations")}</dt>
        <dd>{shown(score.mediations)}</dd>
        <dt>{t("figures.crisesBuffered")}</dt>
        <dd>{shown(score.crisesBuffered)}</dd>
        <dt>{t("figures.needsMet")}</dt>
        <dd>{shown(score.sovereigntyEvents)}</dd>
      </dl>
    </li>
  );
}

function Rates({
  session,
  current,
  onSet,
}: {
  session: StoredSession;
  current: SovereigntyFiguresQuery["sovereigntyRates"];
  onSet: () => Promise<void>;
}) {
  const action = useAction({ onDone: onSet });
  const submit = action.submit(async (form) => {
    const currency = String(form.get("currency")).trim().toUpperCase();
    if (!isCurrencyCode(currency)) throw (() => t("figures.ratesInvalid")) as Said;
    const hourValueMinor = minorOf(String(form.get("hour")), currency);
    const loanValueMinor = minorOf(String(form.get("loan")), currency);
    if (hourValueMinor === undefined || loanValueMinor === undefined) throw (() => t("figures.ratesInvalid")) as Said;
    await run(SetSovereigntyRatesDocument, {
      input: { circleId: session.member.circle.id, currency, hourValueMinor, loanValueMinor },
    });
    return () => t("figures.ratesSet");
  });
  const currency = current?.currency ?? "EUR";
  return (
    <details>
      <summary>{t("figures.ratesTitle")}</summary>
      <form class="stack" onSubmit={submit} id="rates-form">
        <p class="hint">{t("figures.ratesHint")}</p>
        <label>
          {t("figures.currency")}
          <input name="currency" required pattern="[A-Za-z]{3}" maxLength={3} defaultValue={currency} />
        </label>
        <label>
          {t("figures.hourValue")}
          <input
            name="hour"
            inputMode="decimal"
            required
            defaultValue={current ? typedAmountOf(current.hourValueMinor, currency) : ""}
          />
        </label>
        <label>
          {t("figures.loanValue")}
          <input
            name="loan"
            inputMode="decimal"
            required
            defaultValue={current ? typedAmountOf(current.loanValueMinor, currency) : ""}
          />
        </label>
        <ErrorNotice error={action.error} />
        <Success said={action.done} />
        <button type="submit" disabled={action.isBusy}>
          {t("figures.setRates")}
        </button>
      </form>
    </details>
  );
}

function RecordNeedMet({ session }: { session: StoredSession }) {
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const action = useAction();
  const submit = action.submit(async (form, element) => {
    const variables = {
      input: {
        circleId: session.member.circle.id,
        kind: String(form.get("kind")) as SovereigntyEventKind,
        count: Number(form.get("count")),
        idempotencyKey,
      },
    };
    // Its key makes a second send record nothing twice: it may wait for the connection.
    const sent = await sendOrQueue(RecordNeedMetDocument, variables);
    setIdempotencyKey(crypto.randomUUID());
    element.reset();
    return sent ? () => t("figures.recorded") : SAVED_IN_OUTBOX;
  });
  return (
    <section class="card" aria-labelledby="record-title">
      <h2 id="record-title">{t("figures.recordTitle")}</h2>
      <form class="stack" onSubmit={submit}>
        <p class="hint">{t("figures.recordHint")}</p>
        <label>
          {t("figures.kind")}
          <select name="kind" required>
            {HAND_KINDS.map((kind) => (
              <option value={kind}>{t(`needKind.${kind as "MEAL_SHARED"}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("figures.count")}
          <input type="number" name="count" min={1} max={500} required defaultValue="1" />
        </label>
        <ErrorNotice error={action.error} />
        <Success said={action.done} />
        <button type="submit" disabled={action.isBusy}>
          {t("figures.record")}
        </button>
      </form>
    </section>
  );
}

function Stories({ session }: { session: StoredSession }) {
  const circleId = session.member.circle.id;
  const stories = useQuery(CircleStoriesDocument, { circleId });
  const action = useAction({ onDone: stories.reload });
  const submit = (event: Event) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    const hide = String(form.get("hide") ?? "").trim();
    void action.act(async () => {
      await run(SubmitStoryDocument, {
        input: {
          circleId,
          title: String(form.get("title")).trim(),
          body: String(form.get("body")).trim(),
          replacements: hide ? [{ text: hide, replaceWith: String(form.get("replaceWith") ?? "").trim() || null }] : [],
          consentsToPublication: form.get("consent") === "on",
        },
      });
      element.reset();
      return () => t("stories.sent");
    });
  };
  const setConsent = (storyId: string, consents: boolean) =>
    void action.act(async () => {
      await run(SetStoryConsentDocument, { storyId, consents });
      return () => t(consents ? "stories.consentGiven" : "stories.consentWithdrawn");
    });
  const items = stories.data?.circleStories.items ?? [];
  return (
    <section class="card" aria-labelledby="stories-title">
      <h2 id="stories-title">{t("stories.title")}</h2>
      <Offline isStale={stories.isStale} />
      <ErrorNotice error={action.error ?? (stories.isStale ? undefined : stories.error)} />
      <Success said={action.done} />
      <ul class="cards" data-testid="stories">
        {items.map((story) => (
          <li data-story={story.id} data-status={story.status}>
            <h3>{story.title}</h3>
            <p class="tutorial">{story.body}</p>
            <p class="muted" data-testid="story-status">
              {t(`storyStatus.${story.status as StoryStatus}`)}
            </p>
            {story.toldByMe && (
              <button
                type="button"
                class="secondary"
                disabled={action.isBusy}
                onClick={() => setConsent(story.id, !story.tellerConsents)}
              >
                {t(story.tellerConsents ? "stories.withdraw" : "stories.consent")}
              </button>
            )}
          </li>
        ))}
        {stories.data && items.length === 0 && <li class="muted">{t("stories.none")}</li>}
      </ul>
      <details>
        <summary>{t("stories.tell")}</summary>
        <form class="stack" onSubmit={submit} id="story-form">
          <label>
            {t("stories.storyTitle")}
            <input name="title" required maxLength={120} />
          </label>
          <label>
            {t("stories.body")}
            <textarea name="body" rows={6} required maxLength={5000} />
          </label>
          <fieldset>
            <legend>{t("stories.hideLegend")}</legend>
            <p class="hint">{t("stories.hideHint")}</p>
            <label>
              {t("stories.hide")}
              <input name="hide" maxLength={100} autoComplete="off" />
            </label>
            <label>
              {t("stories.replaceWith")}
              <input name="replaceWith" maxLength={100} autoComplete="off" />
            </label>
          </fieldset>
          <label class="choice">
            <input type="checkbox" name="consent" />
            {t("stories.consentField")}
          </label>
          <p class="hint">{t("stories.consentHint")}</p>
          <button type="submit" disabled={action.isBusy}>
            {t("stories.send")}
          </button>
        </form>
      </details>
    </section>
  );
}

function NeedsBoard({ session }: { session: StoredSession }) {
  const board = useQuery(NeedsBoardDocument, { circleId: session.member.circle.id });
  const categories = board.data?.needsBoard.categories ?? [];
  const needs = board.data?.needsBoard.needs ?? [];
  return (
    <section class="card" aria-labelledby="board-title">
      <h2 id="board-title">{t("board.title")}</h2>
      <ErrorNotice error={board.isStale ? undefined : board.error} />
      {board.data && categories.length === 0 && needs.length === 0 && <p class="muted">{t("board.empty")}</p>}
      <ul class="cards" data-testid="needs-board">
        {categories.map((category) => (
          <li>
            <h3>{category.category}</h3>
            <p class="muted">
              {t("board.category", {
                needs: formatNumber(category.openNeeds),
                waiting: shown(category.membersWaiting),
              })}
            </p>
            <ul>
              {needs
                .filter((need) => need.category === category.category)
                .map((need) => (
                  <li>
                    {need.title}
                    {need.peopleWaiting !== null && need.peopleWaiting !== undefined
                      ? ` · ${t("board.peopleWaiting", { count: need.peopleWaiting })}`
                      : ""}
                  </li>
                ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Newsletter({ session }: { session: StoredSession }) {
  const newsletter = useQuery(NewsletterDocument, {
    circleId: session.member.circle.id,
    language: language() === "es" ? "ES" : "EN",
  });
  const issue = newsletter.data?.newsletter;
  return (
    <section class="card" aria-labelledby="newsletter-title">
      <h2 id="newsletter-title">{t("newsletter.title")}</h2>
      <ErrorNotice error={newsletter.isStale ? undefined : newsletter.error} />
      {issue && (
        <>
          <p class="muted">{t("newsletter.cycle", { date: formatCycle(issue.cycle) })}</p>
          <p>
            {t("newsletter.summary", {
              hours: shown(issue.figures.minutesExchanged, formatHours),
              needs: shown(issue.figures.sovereigntyEvents),
              commands: shown(issue.figures.commandsDisplaced),
            })}
          </p>
          <ul class="cards" data-testid="newsletter-stories">
            {issue.stories.map((story) => (
              <li>
                <h3>{story.title}</h3>
                <p class="tutorial">{story.body}</p>
              </li>
            ))}
            {issue.stories.length === 0 && <li class="muted">{t("newsletter.noStories")}</li>}
          </ul>
        </>
      )}
    </section>
  );
}

export function Sovereignty({ session }: { session: StoredSession }) {
  const figures = useQuery(SovereigntyFiguresDocument, {
    circleId: session.member.circle.id,
    slug: session.member.circle.slug,
  });
  const roles = figures.data?.circle?.viewerRoles ?? [];
  const keepsLedger = roles.includes("STEWARD") || roles.includes("ORGANIZER");
  const closed = (figures.data?.sovereigntyHistory ?? []).filter((score) => score.isClosed).reverse();
  return (
    <Screen title={t("figures.title")} name="sovereignty">
      <Offline isStale={figures.isStale} />
      <ErrorNotice error={figures.isStale ? undefined : figures.error} />
      <Loading isLoading={figures.isLoading && !figures.data} />
      <section class="card" aria-labelledby="figures-title">
        <h2 id="figures-title">{t("figures.closedTitle")}</h2>
        <p class="muted">{t("figures.intro")}</p>
        <ul class="cards" data-testid="figures">
          {closed.map((score) => (
            <Cycle score={score} />
          ))}
        </ul>
        {keepsLedger && figures.data && (
          <Rates session={session} current={figures.data.sovereigntyRates} onSet={() => figures.reload()} />
        )}
      </section>
      {keepsLedger && <RecordNeedMet session={session} />}
      <Stories session={session} />
      <NeedsBoard session={session} />
      <Newsletter session={session} />
    </Screen>
  );
}
