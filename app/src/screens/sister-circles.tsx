import { useRef, useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { enqueue } from "../api/outbox.js";
import type { StoredSession } from "../api/session.js";
import {
  CancelSisterExchangeDocument,
  ConfirmSisterExchangeDocument,
  DeclineSisterExchangeDocument,
  ProposeSisterExchangeDocument,
  SisterListingsDocument,
} from "../generated/graphql.js";
import { formatHours, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useBusy, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

type Decision = "confirm" | "decline" | "cancel";
const SAID = { confirm: "sisters.confirmed", decline: "sisters.declined", cancel: "sisters.cancelled" } as const;

/**
 * Listings members of sister circles chose to share (never who published them), exchanges proposed
 * against them (kept in the outbox without a connection, with their idempotency key), and the
 * member's own sister exchanges to confirm, decline or cancel.
 */
export function SisterCircles({ session }: { session: StoredSession }) {
  const sisters = useQuery(SisterListingsDocument, {
    slug: session.member.circle.slug,
    circleId: session.member.circle.id,
  });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useSaid();
  const busy = useBusy();
  const keys = useRef(new Map<string, string>());
  const listings = sisters.data?.circle?.sisterListings?.items ?? [];
  const exchanges = sisters.data?.sisterExchanges.items ?? [];

  const propose = async (event: Event, listingId: string) => {
    event.preventDefault();
    if (!busy.begin()) return;
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    setDone(undefined);
    // One key per proposal until it is sent or queued: a retried tap records one exchange, never two.
    const idempotencyKey = keys.current.get(listingId) ?? crypto.randomUUID();
    keys.current.set(listingId, idempotencyKey);
    const variables = {
      input: {
        circleId: session.member.circle.id,
        listingId,
        minutes: Number(form.get("minutes")),
        note: String(form.get("note")).trim() || null,
        idempotencyKey,
      },
    };
    try {
      try {
        await run(ProposeSisterExchangeDocument, variables);
        setDone(() => t("sisters.proposed"));
      } catch (failure) {
        if (!(failure instanceof NetworkError)) throw failure;
        // No connection: the proposal waits on the phone, with its key, and is sent once it returns.
        enqueue(ProposeSisterExchangeDocument, variables);
        setDone(() => t("outbox.saved"));
      }
      keys.current.delete(listingId);
      setError(undefined);
      formElement.reset();
      await sisters.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };
  const decide = async (exchangeId: string, decision: Decision) => {
    if (!busy.begin()) return;
    setDone(undefined);
    try {
      if (decision === "confirm") await run(ConfirmSisterExchangeDocument, { exchangeId });
      else if (decision === "decline") await run(DeclineSisterExchangeDocument, { exchangeId });
      else await run(CancelSisterExchangeDocument, { exchangeId });
      setError(undefined);
      setDone(() => t(SAID[decision]));
      await sisters.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };

  return (
    <Screen title={t("sisters.title")} name="sisters">
      <p class="muted">{t("sisters.explain")}</p>
      <Offline isStale={sisters.isStale} />
      <ErrorNotice error={error ?? (sisters.isStale ? undefined : sisters.error)} />
      <Success said={done} />
      <Loading isLoading={sisters.isLoading && !sisters.data} />

      <section aria-labelledby="sister-exchanges-title">
        <h2 id="sister-exchanges-title">{t("sisters.exchangesTitle")}</h2>
        <ul class="cards" data-testid="sister-exchanges">
          {exchanges.map((exchange) => {
            const values = {
              hours: formatHours(exchange.minutes),
              skill: exchange.skill,
              circle: exchange.sisterCircle.name,
            };
            return (
              <li data-sister-exchange={exchange.id} data-status={exchange.status}>
                <p>{exchange.role === "PROVIDER" ? t("sisters.gave", values) : t("sisters.received", values)}</p>
                {exchange.counterpart && (
                  <p class="muted">{t("sisters.with", { handle: exchange.counterpart.handle })}</p>
                )}
                <p class="muted">{t(`status.${exchange.status}`)}</p>
                {exchange.status === "PENDING" && (
                  <div class="actions">
                    {exchange.isProposedByYou ? (
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy.isBusy}
                        onClick={() => void decide(exchange.id, "cancel")}
                      >
                        {t("barter.cancel")}
                      </button>
                    ) : (
                      <>
                        <button
                          type="button"
                          disabled={busy.isBusy}
                          onClick={() => void decide(exchange.id, "confirm")}
                        >
                          {t("barter.confirm")}
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          disabled={busy.isBusy}
                          onClick={() => void decide(exchange.id, "decline")}
                        >
                          {t("barter.decline")}
                        </button>
                      </>
                    )}
                  </div>
                )}
              </li>
            );
          })}
          {sisters.data && exchanges.length === 0 && <li class="muted">{t("sisters.noExchanges")}</li>}
        </ul>
      </section>

      <section aria-labelledby="sister-listings-title">
        <h2 id="sister-listings-title">{t("sisters.listingsTitle")}</h2>
        <ul class="cards" data-testid="sister-listings">
          {listings.map((listing) => (
            <li data-sister-listing={listing.id}>
              <p class="muted">
                {t("sisters.from", {
                  kind: listing.kind === "OFFER" ? t("sisters.offer") : t("sisters.request"),
                  circle: listing.circle.name,
                })}
              </p>
              <p>{listing.description}</p>
              <p class="muted">{listing.skills.join(", ")}</p>
              <form class="inline" onSubmit={(event) => void propose(event, listing.id)}>
                <label>
                  {t("sisters.proposeMinutes")}
                  <input name="minutes" type="number" inputMode="numeric" min={1} max={1440} step={1} required />
                </label>
                <label>
                  {t("sisters.proposeNote")}
                  <input name="note" maxLength={280} />
                </label>
                <button type="submit" disabled={busy.isBusy}>
                  {listing.kind === "OFFER" ? t("sisters.receive") : t("sisters.provide")}
                </button>
              </form>
            </li>
          ))}
          {sisters.data && listings.length === 0 && <li class="muted">{t("sisters.none")}</li>}
        </ul>
      </section>
    </Screen>
  );
}
