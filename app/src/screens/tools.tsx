import { useState } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import { MyReservationsDocument, ReserveToolDocument, ToolsDocument } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useBusy, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

export function Tools({ session }: { session: StoredSession }) {
  const [words, setWords] = useState("");
  const tools = useQuery(ToolsDocument, { slug: session.member.circle.slug, search: words ? { words } : null });
  const reservations = useQuery(MyReservationsDocument, { circleId: session.member.circle.id });
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useSaid();

  const busy = useBusy();
  const reserve = async (toolId: string) => {
    if (!busy.begin()) return;
    setDone(undefined);
    try {
      const { reserveTool } = await run(ReserveToolDocument, { toolId });
      setError(undefined);
      setDone(() => t("tools.reserved", { place: reserveTool.place ?? 1, name: reserveTool.tool.name }));
      await Promise.all([tools.reload(), reservations.reload()]);
    } catch (failure) {
      setError(failure);
    } finally {
      busy.end();
    }
  };

  const items = tools.data?.circle?.tools?.items ?? [];
  const waiting = (reservations.data?.myReservations ?? []).filter((reservation) => reservation.status === "WAITING");
  return (
    <Screen title={t("tools.title")} name="tools">
      <form
        role="search"
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          setWords(String(new FormData(event.currentTarget as HTMLFormElement).get("words")).trim());
        }}
      >
        <label>
          {t("tools.search")}
          <input name="words" type="search" maxLength={100} />
        </label>
        <button type="submit">{t("tools.searchButton")}</button>
      </form>
      <Offline isStale={tools.isStale} />
      <ErrorNotice error={error ?? (tools.isStale ? undefined : tools.error)} />
      <Success said={done} />
      <Loading isLoading={tools.isLoading && !tools.data} />
      <ul class="cards" data-testid="tools">
        {items.map((tool) => (
          <li data-tool={tool.id}>
            <h3>{tool.name}</h3>
            <p class="muted">
              {tool.category}
              {tool.description ? ` · ${tool.description}` : ""}
            </p>
            <p>{tool.isAvailable ? t("tools.available") : t("tools.withHolder", { handle: tool.holder.handle })}</p>
            {tool.waitingCount > 0 && <p class="muted">{t("tools.waiting", { count: tool.waitingCount })}</p>}
            {tool.holder.id !== session.member.id && !waiting.some((reservation) => reservation.tool.id === tool.id) && (
              <button type="button" disabled={busy.isBusy} onClick={() => void reserve(tool.id)}>
                {t("tools.reserve", { name: tool.name })}
              </button>
            )}
          </li>
        ))}
        {tools.data && items.length === 0 && <li class="muted">{t("tools.none")}</li>}
      </ul>

      <h2>{t("tools.myReservations")}</h2>
      <ul class="cards" data-testid="reservations">
        {waiting.map((reservation) => (
          <li>{reservation.place ? t("tools.place", { name: reservation.tool.name, place: reservation.place }) : t("tools.placeUnknown", { name: reservation.tool.name })}</li>
        ))}
        {reservations.data && waiting.length === 0 && <li class="muted">{t("tools.noReservations")}</li>}
      </ul>
    </Screen>
  );
}
