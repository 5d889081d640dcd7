import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { BodyProposalsDocument, PactsDocument, ReratifyPactDocument, type PactsQuery } from "../generated/graphql.js";
import { formatDateTime, formatDaysFromNow, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

type Pact = PactsQuery["pacts"]["items"][number];
const DAY_MS = 86_400_000;
/** A pact this close to its sunset (or one the hub has reminded its body of) asks to be re-ratified. */
const RERATIFY_WITHIN_DAYS = 30;

function Reratify({ pact, onDone }: { pact: Pact; onDone: (sunsetAt: string) => Promise<void> }) {
  const proposals = useQuery(BodyProposalsDocument, { bodyId: pact.bodyId });
  // A pact is renewed by another passed decision of its body (not the one that adopted it, nor an amendment).
  const passed = (proposals.data?.proposals.items ?? []).filter(
    (proposal) => proposal.outcome === "PASSED" && proposal.kind === "ORDINARY" && proposal.id !== pact.proposalId,
  );
  const action = useAction();
  const field = `pact-${pact.id}`;
  const submit = action.submit(async (form) => {
    // The end of the chosen day where the member is: a sunset is an instant, a date input is a day.
    const sunsetAt = new Date(`${String(form.get("sunset"))}T23:59:00`).toISOString();
    const pactNow = (
      await run(ReratifyPactDocument, {
        input: { pactId: pact.id, proposalId: String(form.get("proposal")), sunsetAt },
      })
    ).reratifyPact;
    await onDone(pactNow.sunsetAt);
  });
  return (
    <form class="stack" onSubmit={submit}>
      <h3>{t("pacts.soon")}</h3>
      <p class="hint">{t("pacts.reratifyHow")}</p>
      <Loading isLoading={proposals.isLoading && !proposals.data} />
      {proposals.data && passed.length === 0 ? (
        <p class="muted">{t("pacts.noPassed")}</p>
      ) : (
        <>
          <label>
            {t("pacts.proposal")}
            <select name="proposal" id={`${field}-proposal`} required>
              {passed.map((proposal) => (
                <option value={proposal.id}>{proposal.title}</option>
              ))}
            </select>
          </label>
          <label>
            {t("pacts.sunset")}
            <input type="date" name="sunset" required />
          </label>
          <ErrorNotice error={action.error} />
          <button type="submit" disabled={action.isBusy}>
            {t("pacts.reratify")}
          </button>
        </>
      )}
    </form>
  );
}

/** A pact, and the way to renew it while it is due; the news of a renewal stays after the form goes. */
function PactCard({ pact, onChanged }: { pact: Pact; onChanged: () => Promise<void> }) {
  const [done, setDone] = useSaid();
  const daysLeft = Math.ceil((Date.parse(pact.sunsetAt) - Date.now()) / DAY_MS);
  const isDue = pact.status === "ACTIVE" && (daysLeft <= RERATIFY_WITHIN_DAYS || pact.remindedAt !== null);
  const reratified = async (sunsetAt: string) => {
    setDone(() => t("pacts.reratified", { when: formatDateTime(sunsetAt) }));
    await onChanged();
  };
  return (
    <li data-testid="pact" aria-labelledby={`pact-${pact.id}`}>
      <h2 id={`pact-${pact.id}`}>{pact.title}</h2>
      <p>
        <strong>{t(`pacts.status.${pact.status}`)}</strong>
      </p>
      <p>
        {pact.status === "LAPSED"
          ? t("pacts.lapsed", { when: formatDateTime(pact.lapsedAt ?? pact.sunsetAt) })
          : t("pacts.lapses", { when: formatDateTime(pact.sunsetAt), relative: formatDaysFromNow(daysLeft) })}
      </p>
      <Success said={done} />
      {isDue && <Reratify pact={pact} onDone={reratified} />}
    </li>
  );
}

export function Pacts({ session }: { session: StoredSession }) {
  const pacts = useQuery(PactsDocument, { circleId: session.member.circle.id });
  const items = pacts.data?.pacts.items ?? [];
  return (
    <Screen title={t("pacts.title")} name="pacts">
      <p>{t("pacts.intro")}</p>
      <Offline isStale={pacts.isStale} />
      <ErrorNotice error={pacts.isStale ? undefined : pacts.error} />
      <Loading isLoading={pacts.isLoading && !pacts.data} />
      {pacts.data && items.length === 0 && <p class="muted">{t("pacts.none")}</p>}
      <ul class="cards">
        {items.map((pact) => (
          <PactCard key={pact.id} pact={pact} onChanged={pacts.reload} />
        ))}
      </ul>
    </Screen>
  );
}
