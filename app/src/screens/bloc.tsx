import type { StoredSession } from "../api/session.js";
import { ChangeMyBlocDocument, MyBlocDocument, type Bloc as BlocKind } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

const BLOCS: BlocKind[] = ["EDGE", "ADVANTAGED"];

/**
 * A member changes the bloc they declared. The answer is shown only when they open it (a phone is
 * read over shoulders), no choice is ticked in advance, and nothing of it goes in the address.
 */
export function Bloc({ session }: { session: StoredSession }) {
  const circleId = session.member.circle.id;
  const mine = useQuery(MyBlocDocument, {});
  const membership = mine.data?.me.memberships.find((member) => member.circle.id === circleId);
  const action = useAction({ onDone: mine.reload });

  const submit = action.submit(async (fields, form) => {
    const variables = { input: { circleId, bloc: String(fields.get("bloc")) as BlocKind } };
    // Asking twice replaces the change with the same one: safe to send again when the connection returns.
    const changed = (await sendOrQueue(ChangeMyBlocDocument, variables))?.changeMyBloc;
    form.reset();
    if (!changed) return SAVED_IN_OUTBOX;
    const changesAt = changed.blocChangesAt;
    return () => (changesAt ? t("bloc.saved", { when: formatDateTime(changesAt) }) : t("bloc.unchanged"));
  });

  return (
    <Screen title={t("bloc.title")} name="bloc">
      <p>{t("bloc.why")}</p>
      <p>{t("bloc.who")}</p>
      <p>{t("bloc.when")}</p>
      <Offline isStale={mine.isStale} />
      <ErrorNotice error={mine.isStale ? undefined : mine.error} />
      <Loading isLoading={mine.isLoading && !mine.data} />
      {membership?.bloc && (
        <details data-testid="my-bloc">
          <summary>{t("bloc.show")}</summary>
          <p>{t("bloc.current", { bloc: t(`bloc.${membership.bloc}`) })}</p>
          {membership.pendingBloc && membership.blocChangesAt && (
            <p data-testid="pending-bloc">
              {t("bloc.pending", {
                when: formatDateTime(membership.blocChangesAt),
                bloc: t(`bloc.${membership.pendingBloc}`),
              })}
            </p>
          )}
        </details>
      )}
      <form class="stack" onSubmit={submit}>
        <fieldset>
          <legend>{t("bloc.choose")}</legend>
          {BLOCS.map((bloc) => (
            <label class="choice">
              <input type="radio" name="bloc" value={bloc} required />
              {t(`bloc.${bloc}`)}
            </label>
          ))}
        </fieldset>
        <ErrorNotice error={action.error} />
        <Success said={action.done} />
        <button type="submit" disabled={action.isBusy}>
          {t("bloc.submit")}
        </button>
      </form>
    </Screen>
  );
}
