import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { AnnounceSkillShareDocument, SignUpForSkillShareDocument, SkillSharesDocument } from "../generated/graphql.js";
import { formatDateTime, formatHours, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

const formatList = (items: readonly string[]) => new Intl.ListFormat(language(), { type: "conjunction" }).format(items);

function Announce({ session, onAnnounced }: { session: StoredSession; onAnnounced: () => Promise<void> }) {
  const action = useAction({ onDone: onAnnounced });
  const submit = action.submit(async (form, formElement) => {
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
    formElement.reset();
    return () => t("shares.announced", { skill });
  });
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
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("shares.announce")}
      </button>
    </form>
  );
}

/** The cycle's theme (B7) and the circle's pop-up skill shares: sign up for one, or host one. */
export function SkillShares({ session }: { session: StoredSession }) {
  const shares = useQuery(SkillSharesDocument, { slug: session.member.circle.slug });
  const action = useAction({ onDone: shares.reload });
  const theme = shares.data?.circle?.cycleTheme;
  const items = shares.data?.circle?.skillShares?.items ?? [];
  const signUp = (skillShareId: string, skill: string) =>
    action.act(async () => {
      // A sign-up that arrives twice keeps the first place in line, so it may wait in the outbox.
      const sent = await sendOrQueue(SignUpForSkillShareDocument, { skillShareId });
      return sent ? () => t("shares.signedUp", { skill }) : SAVED_IN_OUTBOX;
    });
  return (
    <Screen title={t("shares.title")} name="skill-shares">
      <Offline isStale={shares.isStale} />
      <ErrorNotice error={action.error ?? (shares.isStale ? undefined : shares.error)} />
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
        <Success said={action.done} />
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
                      disabled={action.isBusy}
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
