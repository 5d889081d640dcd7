import { useRef } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  CancelSisterExchangeDocument,
  ConfirmSisterExchangeDocument,
  DeclineSisterExchangeDocument,
  ProposeSisterExchangeDocument,
  SisterListingsDocument,
} from "../generated/graphql.js";
import { formatHours, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
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
  const action = useAction({ onDone: sisters.reload });
  const keys = useRef(new Map<string, string>());
  const listings = sisters.data?.circle?.sisterListings?.items ?? [];
  const exchanges = sisters.data?.sisterExchanges.items ?? [];

  const propose = (listingId: string) =>
    action.submit(async (form, formElement) => {
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
      // No connection: the proposal waits on the phone, with its key, and is sent once it returns.
      const sent = await sendOrQueue(ProposeSisterExchangeDocument, variables);
      keys.current.delete(listingId);
      formElement.reset();
      return sent ? () => t("sisters.proposed") : SAVED_IN_OUTBOX;
    });
  const decide = (exchangeId: string, decision: Decision) =>
    action.act(async () => {
      if (decision === "confirm") await run(ConfirmSisterExchangeDocument, { exchangeId });
      else if (decision === "decline") await run(DeclineSisterExchangeDocument, { exchangeId });
      else await run(CancelSisterExchangeDocument, { exchangeId });
      return () => t(SAID[decision]);
    });

  return (
    <Screen title={t("sisters.title")} name="sisters">
      <p class="muted">{t("sisters.explain")}</p>
      <Offline isStale={sisters.isStale} />
      <ErrorNotice error={action.error ?? (sisters.isStale ? undefined : sisters.error)} />
      <Success said={action.done} />
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
                        disabled={action.isBusy}
                        onClick={() => void decide(exchange.id, "cancel")}
                      >
                        {t("barter.cancel")}
                      </button>
                    ) : (
                      <>
                        <button
                          type="button"
                          disabled={action.isBusy}
                          onClick={() => void decide(exchange.id, "confirm")}
                        >
                          {t("barter.confirm")}
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          disabled={action.isBusy}
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
              <form class="inline" onSubmit={propose(listing.id)}>
                <label>
                  {t("sisters.proposeMinutes")}
                  <input name="minutes" type="number" inputMode="numeric" min={1} max={1440} step={1} required />
                </label>
                <label>
                  {t("sisters.proposeNote")}
                  <input name="note" maxLength={280} />
                </label>
                <button type="submit" disabled={action.isBusy}>
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
