import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  AddAgendaItemDocument,
  AssembliesDocument,
  CallAssemblyDocument,
  RecordMinutesDocument,
  type AssembliesQuery,
} from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

type Assembly = AssembliesQuery["assemblies"]["items"][number];
const MAX_AGENDA_ITEM_CHARS = 1_000;
const MAX_TITLE_CHARS = 200;
const MAX_MINUTES_CHARS = 20_000;

/**
 * Any member calls a shadow assembly (at most 3 a cycle): the form is the same for everyone, so the
 * screen never depends on the member's bloc.
 */
function CallShadowAssembly({ circleId, onCalled }: { circleId: string; onCalled: () => Promise<void> }) {
  const action = useAction({ onDone: onCalled });
  const submit = action.submit(async (form, element) => {
    const title = String(form.get("title")).trim();
    const meetsAtLocal = String(form.get("meetsAt") ?? "");
    const meetsAt = meetsAtLocal ? new Date(meetsAtLocal).toISOString() : undefined;
    await run(CallAssemblyDocument, { input: { circleId, kind: "SHADOW", title, meetsAt } });
    element.reset();
    return () => t("assemblies.called", { title });
  });
  return (
    <form class="stack card" onSubmit={submit} data-testid="call-assembly" aria-labelledby="call-assembly-title">
      <h2 id="call-assembly-title">{t("assemblies.callTitle")}</h2>
      <p class="hint">{t("assemblies.callHint")}</p>
      <label>
        {t("assemblies.callName")}
        <input name="title" required maxLength={MAX_TITLE_CHARS} />
      </label>
      <label>
        {t("assemblies.callMeets")}
        <input name="meetsAt" type="datetime-local" />
      </label>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("assemblies.call")}
      </button>
    </form>
  );
}

/**
 * Offered on every assembly to every member: a commons assembly's minutes are anyone's to record, a
 * shadow assembly's its caller's or an organizer's. The hub refuses others for that reason alone,
 * never for a bloc, so showing the form to all and letting the hub answer tells nobody anything.
 */
function RecordMinutes({ assembly, onRecorded }: { assembly: Assembly; onRecorded: () => Promise<void> }) {
  const action = useAction({ onDone: onRecorded });
  const field = `minutes-${assembly.id}`;
  const submit = action.submit(async (form) => {
    const minutes = String(form.get("minutes")).trim();
    await run(RecordMinutesDocument, { input: { assemblyId: assembly.id, minutes } });
    return () => t("assemblies.minutesRecorded");
  });
  return (
    <form class="stack" onSubmit={submit} data-testid="record-minutes">
      <label for={field}>{t(assembly.minutes ? "assemblies.minutesCorrect" : "assemblies.minutesRecord")}</label>
      {assembly.kind === "SHADOW" && <p class="hint">{t("assemblies.minutesWho")}</p>}
      <textarea
        id={field}
        name="minutes"
        rows={3}
        required
        maxLength={MAX_MINUTES_CHARS}
        defaultValue={assembly.minutes ?? ""}
      />
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("assemblies.minutesSave")}
      </button>
    </form>
  );
}

/**
 * Every member may send an item and every one is answered alike: what the screen shows after sending
 * never depends on the sender's bloc.
 */
function AddItem({ assembly, onAdded }: { assembly: Assembly; onAdded: () => Promise<void> }) {
  const action = useAction({ onDone: onAdded });
  const field = `item-${assembly.id}`;
  const submit = action.submit(async (form, element) => {
    const text = String(form.get("text")).trim();
    await run(AddAgendaItemDocument, { input: { assemblyId: assembly.id, text } });
    element.reset();
    return () => (assembly.kind === "SHADOW" ? t("assemblies.received") : t("assemblies.added"));
  });
  return (
    <form class="stack" onSubmit={submit}>
      <label for={field}>{t("assemblies.item")}</label>
      <textarea id={field} name="text" rows={2} required maxLength={MAX_AGENDA_ITEM_CHARS} />
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("assemblies.send")}
      </button>
    </form>
  );
}

export function Assemblies({ session }: { session: StoredSession }) {
  const assemblies = useQuery(AssembliesDocument, { circleId: session.member.circle.id });
  const items = assemblies.data?.assemblies.items ?? [];
  return (
    <Screen title={t("assemblies.title")} name="assemblies">
      <p>{t("assemblies.intro")}</p>
      <CallShadowAssembly circleId={session.member.circle.id} onCalled={assemblies.reload} />
      <Offline isStale={assemblies.isStale} />
      <ErrorNotice error={assemblies.isStale ? undefined : assemblies.error} />
      <Loading isLoading={assemblies.isLoading && !assemblies.data} />
      {assemblies.data && items.length === 0 && <p class="muted">{t("assemblies.none")}</p>}
      <ul class="cards">
        {items.map((assembly) => {
          const closesAt = assembly.agendaClosesAt;
          const isOpen = !closesAt || Date.parse(closesAt) > Date.now();
          return (
            <li data-testid="assembly" aria-labelledby={`assembly-${assembly.id}`}>
              <h2 id={`assembly-${assembly.id}`}>{assembly.title}</h2>
              <p class="muted">
                {t(`assemblies.kind.${assembly.kind}`)} · {t("assemblies.cycle", { cycle: assembly.cycle })}
              </p>
              {assembly.meetsAt && <p>{t("assemblies.meets", { when: formatDateTime(assembly.meetsAt) })}</p>}
              <h3>{t("assemblies.agenda")}</h3>
              {assembly.kind === "SHADOW" && isOpen && closesAt && (
                <p class="hint">{t("assemblies.sealed", { when: formatDateTime(closesAt) })}</p>
              )}
              {assembly.agenda.length === 0 ? (
                <p class="muted">{t("assemblies.noAgenda")}</p>
              ) : (
                <ul data-testid="agenda">
                  {assembly.agenda.map((item) => (
                    <li>{item.text}</li>
                  ))}
                </ul>
              )}
              {isOpen ? (
                <AddItem assembly={assembly} onAdded={assemblies.reload} />
              ) : (
                <p class="muted">{t("assemblies.closed")}</p>
              )}
              <h3>{t("assemblies.minutes")}</h3>
              {assembly.minutes ? (
                <p data-testid="minutes">{assembly.minutes}</p>
              ) : (
                <p class="muted">{t("assemblies.noMinutes")}</p>
              )}
              <RecordMinutes assembly={assembly} onRecorded={assemblies.reload} />
              {assembly.reflections.length > 0 && (
                <>
                  <h3>{t("assemblies.reflections")}</h3>
                  <ul>
                    {assembly.reflections.map((reflection) => (
                      <li>
                        <strong>{t(`assemblies.reflection.${reflection.kind}`)}:</strong> {reflection.text}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
