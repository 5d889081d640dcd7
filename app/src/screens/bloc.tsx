import { useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { enqueue } from "../api/outbox.js";
import type { StoredSession } from "../api/session.js";
import { ChangeMyBlocDocument, MyBlocDocument, type Bloc as BlocKind } from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useBusy, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
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
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useSaid();
  const busy = useBusy();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!busy.begin()) return;
    const form = event.currentTarget as HTMLFormElement;
    const variables = { input: { circleId, bloc: String(new FormData(form).get("bloc")) as BlocKind } };
    setDone(undefined);
    try {
      const changed = (await run(ChangeMyBlocDocument, variables)).changeMyBloc;
      setError(undefined);
      const changesAt = changed.blocChangesAt;
      setDone(() => (changesAt ? t("bloc.saved", { when: formatDateTime(changesAt) }) : t("bloc.unchanged")));
      form.reset();
      await mine.reload();
    } catch (failure) {
      if (failure instanceof NetworkError) {
        // Asking twice replaces the change with the same one: safe to send again when the connection returns.
        enqueue(ChangeMyBlocDocument, variables);
        setError(undefined);
        setDone(() => t("outbox.saved"));
        form.reset();
      } else setError(failure);
    } finally {
      busy.end();
    }
  };

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
        <ErrorNotice error={error} />
        <Success said={done} />
        <button type="submit" disabled={busy.isBusy}>
          {t("bloc.submit")}
        </button>
      </form>
    </Screen>
  );
}
