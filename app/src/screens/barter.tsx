import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  CancelExchangeDocument,
  CircleMembersDocument,
  ConfirmExchangeDocument,
  DeclineExchangeDocument,
  ListingsDocument,
  MyCirclesDocument,
  MyExchangesDocument,
  ProposeExchangeDocument,
  PublishListingDocument,
  type ListingKind,
} from "../generated/graphql.js";
import { formatHours, t } from "../i18n/i18n.js";
import { query } from "../api/client.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

/** The server's idempotency keys make a retried tap record one exchange, never two. */
const newIdempotencyKey = () => crypto.randomUUID();

function Listings({ session }: { session: StoredSession }) {
  const [kind, setKind] = useState<ListingKind>("OFFER");
  const [text, setText] = useState("");
  const listings = useQuery(ListingsDocument, { slug: session.member.circle.slug, kind, text: text || null });
  const items = listings.data?.circle?.listings?.items ?? [];
  return (
    <section aria-labelledby="listings-title">
      <h2 id="listings-title">{kind === "OFFER" ? t("barter.offers") : t("barter.requests")}</h2>
      <div class="tabs" role="group" aria-label={t("barter.kind")}>
        <button type="button" aria-pressed={kind === "OFFER"} onClick={() => setKind("OFFER")}>
          {t("barter.offers")}
        </button>
        <button type="button" aria-pressed={kind === "REQUEST"} onClick={() => setKind("REQUEST")}>
          {t("barter.requests")}
        </button>
      </div>
      <form
        role="search"
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          setText(String(new FormData(event.currentTarget as HTMLFormElement).get("text")).trim());
        }}
      >
        <label>
          {t("barter.search")}
          <input name="text" type="search" maxLength={100} />
        </label>
        <button type="submit">{t("barter.searchButton")}</button>
      </form>
      <Offline isStale={listings.isStale} />
      <ErrorNotice error={listings.isStale ? undefined : listings.error} />
      <Loading isLoading={listings.isLoading && !listings.data} />
      <ul class="cards" data-testid="listings">
        {items.map((listing) => (
          <li>
            <p>{listing.description}</p>
            <p class="muted">
              {listing.skills.join(", ")} · {t("barter.by", { handle: listing.member.handle })}
            </p>
          </li>
        ))}
        {listings.data && items.length === 0 && <li class="muted">{t("barter.none")}</li>}
      </ul>
      <PublishListing session={session} onPublished={listings.reload} />
    </section>
  );
}

function PublishListing({ session, onPublished }: { session: StoredSession; onPublished: () => Promise<void> }) {
  const action = useAction({ onDone: onPublished });
  const submit = action.submit(async (form, formElement) => {
    await run(PublishListingDocument, {
      input: {
        circleId: session.member.circle.id,
        kind: String(form.get("kind")) as ListingKind,
        skills: String(form.get("skills"))
          .split(",")
          .map((skill) => skill.trim())
          .filter(Boolean),
        description: String(form.get("description")).trim(),
        visibleToSisters: form.get("visibleToSisters") === "on",
      },
    });
    formElement.reset();
    return () => t("barter.published");
  });
  return (
    <form class="stack card" onSubmit={submit} id="publish-form" aria-labelledby="publish-title">
      <h3 id="publish-title">{t("barter.publishTitle")}</h3>
      <fieldset>
        <legend>{t("barter.kind")}</legend>
        <label class="choice">
          <input type="radio" name="kind" value="OFFER" defaultChecked />
          {t("barter.kindOffer")}
        </label>
        <label class="choice">
          <input type="radio" name="kind" value="REQUEST" />
          {t("barter.kindRequest")}
        </label>
      </fieldset>
      <label>
        {t("barter.skills")}
        <input name="skills" required maxLength={330} />
      </label>
      <label>
        {t("barter.description")}
        <textarea name="description" required maxLength={500} rows={3} />
      </label>
      <label class="choice">
        <input type="checkbox" name="visibleToSisters" />
        {t("barter.visibleToSisters")}
      </label>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("barter.publish")}
      </button>
    </form>
  );
}

function ProposeExchange({ session, onProposed }: { session: StoredSession; onProposed: () => Promise<void> }) {
  const members = useQuery(CircleMembersDocument, { slug: session.member.circle.slug });
  const others = (members.data?.circle?.members?.items ?? []).filter((member) => member.id !== session.member.id);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const action = useAction({ onDone: onProposed });
  const submit = (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const other = others.find((member) => member.id === form.get("member"));
    if (!other) return;
    const iGave = form.get("direction") === "gave";
    void action.act(async () => {
      const variables = {
        input: {
          circleId: session.member.circle.id,
          providerMemberId: iGave ? session.member.id : other.id,
          receiverMemberId: iGave ? other.id : session.member.id,
          minutes: Number(form.get("minutes")),
          skill: String(form.get("skill")).trim(),
          note: String(form.get("note")).trim() || null,
          idempotencyKey,
        },
      };
      // No connection: the exchange waits on the phone, with its key, and is sent once it returns.
      const sent = await sendOrQueue(ProposeExchangeDocument, variables);
      setIdempotencyKey(newIdempotencyKey());
      formElement.reset();
      return sent ? () => t("barter.proposed", { handle: other.handle }) : SAVED_IN_OUTBOX;
    });
  };
  return (
    <form class="stack card" onSubmit={submit} id="propose-form" aria-labelledby="propose-title">
      <h2 id="propose-title">{t("barter.proposeTitle")}</h2>
      <fieldset>
        <legend>{t("barter.direction")}</legend>
        <label class="choice">
          <input type="radio" name="direction" value="gave" defaultChecked />
          {t("barter.directionGave")}
        </label>
        <label class="choice">
          <input type="radio" name="direction" value="received" />
          {t("barter.directionReceived")}
        </label>
      </fieldset>
      <label>
        {t("barter.member")}
        <select name="member" required>
          <option value="">{t("barter.chooseMember")}</option>
          {others.map((member) => (
            <option value={member.id}>{member.handle}</option>
          ))}
        </select>
      </label>
      <label>
        {t("barter.minutes")}
        <input name="minutes" type="number" inputMode="numeric" min={1} max={1440} step={1} required />
      </label>
      <label>
        {t("barter.skill")}
        <input name="skill" required maxLength={40} />
      </label>
      <label>
        {t("barter.note")}
        <input name="note" maxLength={280} />
      </label>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("barter.propose")}
      </button>
    </form>
  );
}

function Exchanges({ session, onBalanceChanged }: { session: StoredSession; onBalanceChanged: () => Promise<void> }) {
  const exchanges = useQuery(MyExchangesDocument, { circleId: session.member.circle.id });
  const action = useAction({ onDone: exchanges.reload });
  const cancel = (exchangeId: string) =>
    action.act(async () => {
      await run(CancelExchangeDocument, { exchangeId });
      return () => t("barter.cancelled");
    });
  const decide = (exchangeId: string, isConfirmed: boolean) =>
    action.act(async () => {
      if (!isConfirmed) {
        await run(DeclineExchangeDocument, { exchangeId });
        return () => t("barter.declined");
      }
      await run(ConfirmExchangeDocument, { exchangeId });
      const { me } = await query(MyCirclesDocument, {});
      const balance = me.memberships.find((membership) => membership.id === session.member.id)?.balance;
      await onBalanceChanged();
      return () => t("barter.confirmed", { balance: formatHours(balance?.minutes ?? 0) });
    });
  const items = exchanges.data?.exchanges.items ?? [];
  return (
    <section aria-labelledby="exchanges-title">
      <h2 id="exchanges-title">{t("barter.exchangesTitle")}</h2>
      <ErrorNotice error={action.error ?? (exchanges.isStale ? undefined : exchanges.error)} />
      <Success said={action.done} />
      <ul class="cards" data-testid="exchanges">
        {items.map((exchange) => {
          const iGave = exchange.provider.id === session.member.id;
          const other = iGave ? exchange.receiver : exchange.provider;
          const isMine = exchange.proposer.id === session.member.id;
          const values = { hours: formatHours(exchange.minutes), skill: exchange.skill, handle: other.handle };
          return (
            <li data-exchange={exchange.id} data-status={exchange.status}>
              <p>{iGave ? t("barter.gave", values) : t("barter.received", values)}</p>
              {exchange.note && <p class="muted">{exchange.note}</p>}
              <p class="muted">{t(`status.${exchange.status}`)}</p>
              {exchange.status === "PENDING" && isMine && (
                <>
                  <p class="muted">{t("barter.waitingFor", { handle: other.handle })}</p>
                  <div class="actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={action.isBusy}
                      onClick={() => void cancel(exchange.id)}
                    >
                      {t("barter.cancel")}
                    </button>
                  </div>
                </>
              )}
              {exchange.status === "PENDING" && !isMine && (
                <div class="actions">
                  <button type="button" disabled={action.isBusy} onClick={() => void decide(exchange.id, true)}>
                    {t("barter.confirm")}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.isBusy}
                    onClick={() => void decide(exchange.id, false)}
                  >
                    {t("barter.decline")}
                  </button>
                </div>
              )}
            </li>
          );
        })}
        {exchanges.data && items.length === 0 && <li class="muted">{t("barter.noExchanges")}</li>}
      </ul>
      <ProposeExchange session={session} onProposed={exchanges.reload} />
    </section>
  );
}

/** The balance with the circle's floor and ceiling, and how far each way the member can still go this cycle. */
function Balance({ balance }: { balance: BalanceFigures | null | undefined }) {
  if (!balance) return null;
  const canReceive = balance.minutes - balance.floorMinutes;
  const canGive = balance.ceilingMinutes - balance.minutes;
  return (
    <section class="card" aria-labelledby="balance-title" data-testid="barter-balance">
      <h2 id="balance-title">{t("barter.balanceTitle")}</h2>
      <p class="balance">
        <strong data-testid="balance">{formatHours(balance.minutes)}</strong>
      </p>
      <p class="muted">
        {t("barter.balanceLimits", {
          floor: formatHours(balance.floorMinutes),
          ceiling: formatHours(balance.ceilingMinutes),
        })}
      </p>
      <p data-testid="headroom">
        {canReceive > 0 ? t("barter.canReceive", { hours: formatHours(canReceive) }) : t("barter.atFloor")}{" "}
        {canGive > 0 ? t("barter.canGive", { hours: formatHours(canGive) }) : t("barter.atCeiling")}
      </p>
    </section>
  );
}

function MoreOfBarter() {
  return (
    <nav class="card" aria-labelledby="barter-more-title">
      <h2 id="barter-more-title">{t("barter.moreTitle")}</h2>
      <ul class="cards">
        <li>
          <a href={hrefOf("barter-history")}>{t("barter.historyLink")}</a>
        </li>
        <li>
          <a href={hrefOf("skill-shares")}>{t("barter.skillSharesLink")}</a>
        </li>
        <li>
          <a href={hrefOf("sisters")}>{t("barter.sistersLink")}</a>
        </li>
        <li>
          <a href={hrefOf("remote")}>{t("barter.remoteLink")}</a>
        </li>
      </ul>
    </nav>
  );
}

interface BalanceFigures {
  minutes: number;
  floorMinutes: number;
  ceilingMinutes: number;
}

export function Barter({ session }: { session: StoredSession }) {
  const circles = useQuery(MyCirclesDocument, {});
  const balance = circles.data?.me.memberships.find((membership) => membership.id === session.member.id)?.balance;
  return (
    <Screen title={t("barter.title")} name="barter">
      <Balance balance={balance} />
      <Exchanges session={session} onBalanceChanged={circles.reload} />
      <Listings session={session} />
      <MoreOfBarter />
    </Screen>
  );
}
