import { useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { enqueue } from "../api/outbox.js";
import type { StoredSession } from "../api/session.js";
import { AnnounceSkillShareDocument, SignUpForSkillShareDocument, SkillSharesDocument } from "../generated/graphql.js";
import { formatDateTime, formatHours, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useBusy, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

const formatList = (items: readonly string[]) => new Intl.ListFormat(language(), { type: "conjunction" }).format(items);

function Announce({ session, onAnnounced }: { session: StoredSession; onAnnounced: () => Promise<void> }) {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useSaid();
  const busy = useBusy();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!busy.begin()) return;
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    setDone(undefined);
    try {
      const skill = String(form.get("skill")).trim();
      await run(AnnounceSkillShareDocument, {
        input: {
          circleId: session.member.circle.id,
          skill,
          // The phone's local date and time, as the instant it names.
          startsAt: new Date(String(form.get("startsAt"))).toISOString(),
          placeGeohash: String(form.get("place")).trim().toLowerCase(),
          capacity: Number(form.get("capacity")),
          minutes: Number(form.get("minutes")),
        },
      });
      setError(undefined);
      setDone(() => t("shares.announced", { skill }));
      formElement.reset();
      await onAnnounced();
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };
  return (
    <form class="stack card" onSubmit={submit} id="announce-form" aria-labelledby="announce-title">
      <h2 id="announce-title">{t("shares.announceTitle")}</h2>
      <label>
        {t("shares.skill")}
        <input name="skill" required maxLength={40} />
      </label>
      <label>
        {t("shares.startsAt")}
        <input name="startsAt" type="datetime-local" required />
      </label>
      <label>
        {t("shares.place")}
        <input name="place" required minLength={1} maxLength={6} pattern="[0-9a-zA-Z]{1,6}" autoComplete="off" />
      </label>
      <label>
        {t("shares.capacity")}
        <input name="capacity" type="number" inputMode="numeric" min={1} max={100} step={1} required />
      </label>
      <label>
        {t("shares.minutes")}
        <input name="minutes" type="number" inputMode="numeric" min={1} max={1440} step={1} required />
      </label>
      <ErrorNotice error={error} />
      <Success said={done} />
      <button type="submit" disabled={busy.isBusy}>
        {t("shares.announce")}
      </button>
    </form>
  );
}

/** The cycle's theme (B7) and the circle's pop-up skill shares: sign up for one, or host one. */
export function SkillShares({ session }: { session: StoredSession }) {
  const shares = useQuery(SkillSharesDocument, { slug: session.member.circle.slug });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useSaid();
  const busy = useBusy();
  const theme = shares.data?.circle?.cycleTheme;
  const items = shares.data?.circle?.skillShares?.items ?? [];
  const signUp = async (skillShareId: string, skill: string) => {
    if (!busy.begin()) return;
    setDone(undefined);
    try {
      try {
        await run(SignUpForSkillShareDocument, { skillShareId });
        setDone(() => t("shares.signedUp", { skill }));
      } catch (failure) {
        if (!(failure instanceof NetworkError)) throw failure;
        // A sign-up that arrives twice keeps the first place in line, so it may wait in the outbox.
        enqueue(SignUpForSkillShareDocument, { skillShareId });
        setDone(() => t("outbox.saved"));
      }
      setError(undefined);
      await shares.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };
  return (
    <Screen title={t("shares.title")} name="skill-shares">
      <Offline isStale={shares.isStale} />
      <ErrorNotice error={error ?? (shares.isStale ? undefined : shares.error)} />
      <Loading isLoading={shares.isLoading && !shares.data} />
      <section class="card" aria-labelledby="theme-title" data-testid="theme">
        <h2 id="theme-title">{t("shares.themeTitle")}</h2>
        {theme ? (
          <>
            <p>
              <strong>{theme.theme}</strong>
            </p>
            <p class="muted">{t("shares.themeSkills", { skills: formatList(theme.skills) })}</p>
          </>
        ) : (
          shares.data && <p class="muted">{t("shares.noTheme")}</p>
        )}
      </section>
      <section aria-labelledby="shares-title">
        <h2 id="shares-title">{t("shares.listTitle")}</h2>
        <Success said={done} />
        <ul class="cards" data-testid="skill-shares">
          {items.map((share) => (
            <li data-skill-share={share.id}>
              <p>
                <strong>{t("shares.item", { skill: share.skill, handle: share.host.handle })}</strong>
              </p>
              <p class="muted">
                {t("shares.when", { when: formatDateTime(share.startsAt), place: share.placeGeohash })}
              </p>
              <p class="muted">
                {t("shares.places", {
                  taken: share.placesTaken,
                  capacity: share.capacity,
                  waiting: share.waitingCount,
                })}
              </p>
              <p class="muted">{t("shares.worth", { hours: formatHours(share.minutes) })}</p>
              {share.yourStanding ? (
                <p data-testid="standing">
                  {share.yourStanding.hasPlace
                    ? t("shares.haveSeat")
                    : t("shares.waiting", { position: share.yourStanding.waitingPosition ?? 0 })}
                </p>
              ) : (
                share.host.id !== session.member.id && (
                  <div class="actions">
                    <button
                      type="button"
                      disabled={busy.isBusy}
                      aria-label={`${t("shares.signUp")}: ${share.skill}`}
                      onClick={() => void signUp(share.id, share.skill)}
                    >
                      {t("shares.signUp")}
                    </button>
                  </div>
                )
              )}
            </li>
          ))}
          {shares.data && items.length === 0 && <li class="muted">{t("shares.none")}</li>}
        </ul>
      </section>
      <Announce session={session} onAnnounced={shares.reload} />
    </Screen>
  );
}
