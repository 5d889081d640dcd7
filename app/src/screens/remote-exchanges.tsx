import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  CancelRemoteExchangeDocument,
  ConfirmRemoteExchangeDocument,
  CreditCommonsAddressDocument,
  MyRemoteExchangesDocument,
  ProposeRemoteExchangeDocument,
} from "../generated/graphql.js";
import { formatDateTime, formatHours, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, type Said } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

/** A path is node path, ledger and account: a few names of up to 50 characters each. */
const MAX_PATH_CHARS = 300;
const MAX_MINUTES = 1_440;

/**
 * Trading with a member of a circle on another hub, through the Credit Commons tree: the member's
 * own account path to give them (a random code, never a handle), an exchange proposed to theirs,
 * and the member's exchanges with other hubs to confirm (as payee) or cancel. Sent only with a
 * connection: every hub on the way must answer at once, so none of these waits in the outbox.
 */
export function RemoteExchanges({ session }: { session: StoredSession }) {
  const circleId = session.member.circle.id;
  const address = useQuery(CreditCommonsAddressDocument, { circleId });
  const exchanges = useQuery(MyRemoteExchangesDocument, { circleId });
  const action = useAction({ onDone: exchanges.reload });
  const items = exchanges.data?.myRemoteExchanges.items ?? [];

  const act = (work: () => Promise<unknown>, said: Said) =>
    action.act(async () => {
      await work();
      return said;
    });

  const propose = action.submit(async (form, formElement) => {
    const payeePath = String(form.get("payeePath")).trim();
    const minutes = Number(form.get("minutes"));
    await run(ProposeRemoteExchangeDocument, { circleId, minutes, payeePath });
    formElement.reset();
    return () => t("remote.proposed");
  });

  return (
    <Screen title={t("remote.title")} name="remote">
      <p>{t("remote.intro")}</p>
      <Offline isStale={address.isStale || exchanges.isStale} />
      <section class="card stack" aria-labelledby="remote-address-title">
        <h2 id="remote-address-title">{t("remote.addressTitle")}</h2>
        <p class="hint">{t("remote.addressHint")}</p>
        <Loading isLoading={address.isLoading && !address.data} />
        <ErrorNotice error={address.isStale ? undefined : address.error} />
        {address.data && (
          <p>
            <code data-testid="remote-address">{address.data.creditCommonsAddress}</code>
          </p>
        )}
      </section>
      <form class="stack card" onSubmit={propose} aria-labelledby="remote-propose-title">
        <h2 id="remote-propose-title">{t("remote.proposeTitle")}</h2>
        <label>
          {t("remote.payeePath")}
          <input name="payeePath" required maxLength={MAX_PATH_CHARS} autoComplete="off" spellcheck={false} />
        </label>
        <label>
          {t("remote.minutes")}
          <input name="minutes" type="number" inputMode="numeric" min={1} max={MAX_MINUTES} step={1} required />
        </label>
        <button type="submit" disabled={action.isBusy}>
          {t("remote.propose")}
        </button>
      </form>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <h2>{t("remote.listTitle")}</h2>
      <ErrorNotice error={exchanges.isStale ? undefined : exchanges.error} />
      <Loading isLoading={exchanges.isLoading && !exchanges.data} />
      {exchanges.data && items.length === 0 && <p class="muted">{t("remote.none")}</p>}
      <ul class="cards">
        {items.map((exchange) => (
          <li data-testid="remote-exchange">
            <p>
              {t(exchange.role === "PAYER" ? "remote.youPay" : "remote.youReceive", {
                hours: formatHours(exchange.minutes),
              })}
            </p>
            <p>
              <code>{exchange.otherAccountPath}</code>
            </p>
            <p class="muted">
              {t(`remote.status.${exchange.status}`)} · {formatDateTime(exchange.proposedAt)}
            </p>
            {exchange.status === "PENDING" && (
              <div class="actions">
                {exchange.role === "PAYEE" && (
                  <button
                    type="button"
                    disabled={action.isBusy}
                    onClick={() =>
                      void act(
                        () => run(ConfirmRemoteExchangeDocument, { id: exchange.id }),
                        () => t("remote.confirmed"),
                      )
                    }
                  >
                    {t("remote.confirm")}
                  </button>
                )}
                <button
                  type="button"
                  class="secondary"
                  disabled={action.isBusy}
                  onClick={() =>
                    void act(
                      () => run(CancelRemoteExchangeDocument, { id: exchange.id }),
                      () => t("remote.cancelled"),
                    )
                  }
                >
                  {t(exchange.role === "PAYEE" ? "remote.decline" : "remote.cancel")}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </Screen>
  );
}
