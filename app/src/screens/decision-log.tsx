import type { StoredSession } from "../api/session.js";
import { DecisionLogDocument } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

/** The circle's decision log: each closed vote's outcome, counts by kind of answer and reasons, never who gave them. */
export function DecisionLog({ session }: { session: StoredSession }) {
  const log = useQuery(DecisionLogDocument, { circleId: session.member.circle.id });
  const entries = log.data?.decisionLog.items ?? [];
  const check = log.data?.verifyDecisionLog;
  return (
    <Screen title={t("log.title")} name="decisions">
      <p>{t("log.intro")}</p>
      <Offline isStale={log.isStale} />
      <ErrorNotice error={log.isStale ? undefined : log.error} />
      <Loading isLoading={log.isLoading && !log.data} />
      {check && (
        <p class={check.isIntact ? "notice" : "notice notice-error"} data-testid="log-check">
          {check.isIntact ? t("log.intact", { count: check.entriesChecked }) : t("log.broken")}
        </p>
      )}
      {log.data && entries.length === 0 && <p class="muted">{t("log.empty")}</p>}
      <ul class="cards" data-testid="decision-log">
        {entries.map((entry) => (
          <li data-testid="decision" aria-labelledby={`decision-${entry.seq}`}>
            <h2 id={`decision-${entry.seq}`}>{entry.proposal.title}</h2>
            <p data-testid="outcome">
              <strong>{t(`log.outcome.${entry.outcome}`)}</strong>
            </p>
            <p class="muted">
              {t("log.decided", { when: formatDateTime(entry.decidedAt) })} · {t(`decide.rule.${entry.rule}`)}
            </p>
            {entry.proposal.kind === "AMENDMENT" && <p class="muted">{t("decide.amendment")}</p>}
            <p data-testid="tally">
              {entry.tally.consent === null
                ? t("log.noCounts")
                : t("log.tally", {
                    consent: entry.tally.consent,
                    standAside: entry.tally.standAside ?? 0,
                    object: entry.tally.object ?? 0,
                    veto: entry.tally.veto ?? 0,
                    eligible: entry.tally.eligible,
                  })}
            </p>
            {entry.reasons.length > 0 && (
              <>
                <h3>{t("log.reasons")}</h3>
                <ul data-testid="reasons">
                  {entry.reasons.map((reason) => (
                    <li>{reason}</li>
                  ))}
                </ul>
              </>
            )}
            <p class="muted hash">
              {t("log.entry", { seq: entry.seq })} · SHA-256 {entry.hash}
            </p>
          </li>
        ))}
      </ul>
    </Screen>
  );
}
