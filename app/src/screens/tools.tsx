import { useEffect, useState } from "preact/hooks";
import { run } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  AddToolDocument,
  CancelReservationDocument,
  ConfirmHandOffDocument,
  DeclineHandOffDocument,
  MyReservationsDocument,
  ProposeHandOffDocument,
  RequestHandOffDocument,
  RenewLoanDocument,
  ReserveToolDocument,
  ToolsDocument,
  type ToolCondition,
  type ToolsQuery,
} from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, type Said } from "../ui/feedback.js";
import { QrCode } from "../ui/qr-code.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { hrefOf } from "../ui/router.js";
import { RepairTutorials } from "./tutorials.js";
import { useQuery } from "../ui/use-query.js";

type Tool = NonNullable<NonNullable<ToolsQuery["circle"]>["tools"]>["items"][number];
type HandOff = NonNullable<Tool["pendingHandOff"]>;

/** How often a screen with a hand-off waiting looks for the other member's answer. */
const HAND_OFF_POLL_MS = 4_000;

/** The conditions a host may declare (RETIRED is for retiring, not hosting). */
const CONDITIONS: ToolCondition[] = ["NEW", "GOOD", "WORN", "NEEDS_REPAIR"];

/**
 * The code two members compare in person: the member who proposed the hand-off shows it, the
 * other types it. It is read from the hand-off's id, so it names this hand-off and no other; the
 * hub still lets only the other member confirm.
 */
export function handOffCode(handOff: { id: string }): string {
  return handOff.id
    .replace(/[^0-9a-z]/gi, "")
    .slice(-6)
    .toUpperCase();
}
const sameCode = (typed: string, handOff: HandOff) =>
  typed.replace(/[^0-9a-z]/gi, "").toUpperCase() === handOffCode(handOff);

/** The member the holder hands the tool to now: the head of its queue, or home to its host. */
function nextHands(tool: Tool): { id: string; handle: string } | undefined {
  const head = tool.queue.items[0]?.member;
  if (head) return head;
  return tool.holder.id !== tool.host.id ? tool.host : undefined;
}

export function Tools({ session }: { session: StoredSession }) {
  const me = session.member.id;
  const [words, setWords] = useState("");
  const all = useQuery(ToolsDocument, { slug: session.member.circle.slug, search: null });
  const found = useQuery(ToolsDocument, words ? { slug: session.member.circle.slug, search: { words } } : undefined);
  const tools = words ? found : all;
  const reservations = useQuery(MyReservationsDocument, { circleId: session.member.circle.id });
  const reloadAll = () =>
    Promise.all([all.reload(), words ? found.reload() : Promise.resolve(), reservations.reload()]).then(
      () => undefined,
    );
  const action = useAction({ onDone: reloadAll });

  // What an action says on success, then everything shown is read again.
  const act = async (work: () => Promise<Said>) => {
    await action.act(work);
  };

  const reserve = (toolId: string) =>
    act(async () => {
      const { reserveTool } = await run(ReserveToolDocument, { toolId });
      return () => t("tools.reserved", { place: reserveTool.place ?? 1, name: reserveTool.tool.name });
    });
  const cancelReservation = (reservationId: string) =>
    act(async () => {
      const { cancelReservation } = await run(CancelReservationDocument, { reservationId });
      return () => t("tools.reservationCancelled", { name: cancelReservation.tool.name });
    });
  const propose = (tool: Tool, to: { id: string; handle: string }) =>
    act(async () => {
      await run(ProposeHandOffDocument, { toolId: tool.id, toMemberId: to.id });
      return () => t("tools.proposed", { name: tool.name, handle: to.handle });
    });
  const ask = (tool: Tool) =>
    act(async () => {
      await run(RequestHandOffDocument, { toolId: tool.id });
      return () => t("tools.proposed", { name: tool.name, handle: tool.holder.handle });
    });
  const withdraw = (tool: Tool, handOff: HandOff) =>
    act(async () => {
      await run(DeclineHandOffDocument, { handOffId: handOff.id });
      return () =>
        handOff.proposedBy.id === me
          ? t("tools.handOffWithdrawn", { name: tool.name })
          : t("tools.handOffDeclined", { name: tool.name });
    });
  const confirm = (tool: Tool, handOff: HandOff, typed: string) =>
    act(async () => {
      if (!sameCode(typed, handOff)) throw (() => t("tools.wrongCode")) as Said;
      const { confirmHandOff } = await run(ConfirmHandOffDocument, { handOffId: handOff.id });
      const name = confirmHandOff.handOff.tool.name;
      const dueAt = confirmHandOff.loanStarted?.dueAt;
      if (handOff.to.id === me && dueAt) return () => t("tools.receivedUntil", { name, due: formatDateTime(dueAt) });
      return handOff.to.id === me
        ? () => t("tools.received", { name })
        : () => t("tools.handedOver", { name, handle: handOff.to.handle });
    });
  const renew = (loanId: string) =>
    act(async () => {
      const { renewLoan } = await run(RenewLoanDocument, { loanId });
      return () => t("tools.renewed", { name: renewLoan.tool.name, due: formatDateTime(renewLoan.dueAt) });
    });

  const items = tools.data?.circle?.tools?.items ?? [];
  const everyTool = all.data?.circle?.tools?.items ?? [];
  const inMyHands = everyTool.filter((tool) => tool.holder.id === me);
  const handOffsToMe = everyTool.filter(
    (tool) =>
      tool.pendingHandOff &&
      tool.pendingHandOff.proposedBy.id !== me &&
      (tool.pendingHandOff.to.id === me || tool.pendingHandOff.from.id === me),
  );
  const waiting = (reservations.data?.myReservations ?? []).filter((reservation) => reservation.status === "WAITING");

  // While a hand-off of mine waits for the other member, look again every few seconds: each phone
  // shows the tool changed hands soon after the other member confirms, without a tap.
  const isHandOffPending = everyTool.some(
    (tool) => tool.pendingHandOff && (tool.pendingHandOff.from.id === me || tool.pendingHandOff.to.id === me),
  );
  useEffect(() => {
    if (!isHandOffPending) return;
    const timer = setInterval(() => void Promise.all([all.reload(), reservations.reload()]), HAND_OFF_POLL_MS);
    return () => clearInterval(timer);
  }, [isHandOffPending, all.reload, reservations.reload]);

  return (
    <Screen title={t("tools.title")} name="tools">
      <Offline isStale={tools.isStale} />
      <ErrorNotice error={action.error ?? (tools.isStale ? undefined : tools.error)} />
      <Success said={action.done} />

      {handOffsToMe.length > 0 && (
        <section aria-labelledby="to-confirm-title">
          <h2 id="to-confirm-title">{t("tools.toConfirm")}</h2>
          <ul class="cards" data-testid="to-confirm">
            {handOffsToMe.map((tool) => (
              <ConfirmHandOff
                tool={tool}
                handOff={tool.pendingHandOff!}
                me={me}
                isBusy={action.isBusy}
                onConfirm={confirm}
                onDecline={withdraw}
              />
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="in-hand-title">
        <h2 id="in-hand-title">{t("tools.inMyHands")}</h2>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={action.isBusy || all.isLoading}
            onClick={() => void reloadAll()}
          >
            {t("tools.refresh")}
          </button>
        </div>
        <ul class="cards" data-testid="in-hand">
          {inMyHands.map((tool) => {
            const loan = tool.currentLoan;
            const handOff = tool.pendingHandOff;
            const next = nextHands(tool);
            return (
              <li data-tool={tool.id}>
                <h3>{tool.name}</h3>
                {loan && loan.borrower.id === me ? (
                  <p class={loan.isOverdue ? "notice notice-error" : undefined}>
                    {loan.isOverdue
                      ? t("tools.overdue", { due: formatDateTime(loan.dueAt), handle: tool.host.handle })
                      : t("tools.due", { due: formatDateTime(loan.dueAt), handle: tool.host.handle })}
                  </p>
                ) : (
                  <p class="muted">{t("tools.atHome")}</p>
                )}
                {handOff && handOff.proposedBy.id === me ? (
                  <ShowCode tool={tool} handOff={handOff} isBusy={action.isBusy} onWithdraw={withdraw} />
                ) : (
                  !handOff && (
                    <div class="actions wrap">
                      {next && (
                        <button type="button" disabled={action.isBusy} onClick={() => void propose(tool, next)}>
                          {next.id === tool.host.id
                            ? t("tools.giveBack", { name: tool.name, handle: next.handle })
                            : t("tools.handTo", { name: tool.name, handle: next.handle })}
                        </button>
                      )}
                      {loan && loan.borrower.id === me && tool.waitingCount === 0 && (
                        <button
                          type="button"
                          class="secondary"
                          disabled={action.isBusy}
                          onClick={() => void renew(loan.id)}
                        >
                          {t("tools.renew", { name: tool.name })}
                        </button>
                      )}
                    </div>
                  )
                )}
              </li>
            );
          })}
          {all.data && inMyHands.length === 0 && <li class="muted">{t("tools.nothingInHand")}</li>}
        </ul>
      </section>

      <section aria-labelledby="reservations-title">
        <h2 id="reservations-title">{t("tools.myReservations")}</h2>
        <ul class="cards" data-testid="reservations">
          {waiting.map((reservation) => (
            <li>
              <p>
                {reservation.place
                  ? t("tools.place", { name: reservation.tool.name, place: reservation.place })
                  : t("tools.placeUnknown", { name: reservation.tool.name })}
              </p>
              <Turn
                tool={everyTool.find((tool) => tool.id === reservation.tool.id)}
                place={reservation.place}
                me={me}
                isBusy={action.isBusy}
                onAsk={ask}
                onWithdraw={withdraw}
              />
              <div class="actions">
                <button
                  type="button"
                  class="secondary"
                  disabled={action.isBusy}
                  onClick={() => void cancelReservation(reservation.id)}
                >
                  {t("tools.cancelReservation", { name: reservation.tool.name })}
                </button>
              </div>
            </li>
          ))}
          {reservations.data && waiting.length === 0 && <li class="muted">{t("tools.noReservations")}</li>}
        </ul>
      </section>

      <section aria-labelledby="catalogue-title">
        <h2 id="catalogue-title">{t("tools.catalogue")}</h2>
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
        <Loading isLoading={tools.isLoading && !tools.data} />
        <ul class="cards" data-testid="tools">
          {items.map((tool) => (
            <li data-tool={tool.id}>
              <h3>{tool.name}</h3>
              <p class="muted">
                {tool.category} · {t(`condition.${tool.condition}`)}
                {tool.description ? ` · ${tool.description}` : ""}
              </p>
              {tool.safetyNotes && <p class="muted">{t("tools.safety", { notes: tool.safetyNotes })}</p>}
              <p>
                {tool.isAvailable
                  ? t("tools.available")
                  : tool.holder.id === me
                    ? t("tools.withYou")
                    : t("tools.withHolder", { handle: tool.holder.handle })}
              </p>
              {tool.waitingCount > 0 && <p class="muted">{t("tools.waiting", { count: tool.waitingCount })}</p>}
              {tool.holder.id !== me && !waiting.some((reservation) => reservation.tool.id === tool.id) && (
                <button type="button" disabled={action.isBusy} onClick={() => void reserve(tool.id)}>
                  {t("tools.reserve", { name: tool.name })}
                </button>
              )}
            </li>
          ))}
          {tools.data && items.length === 0 && (
            <li class="muted">{words ? t("tools.none") : t("tools.emptyLibrary")}</li>
          )}
        </ul>
      </section>

      <p>
        <a href={hrefOf("caretaking")}>{t("care.link")}</a>
      </p>
      <RepairTutorials session={session} categories={[...new Set(everyTool.map((tool) => tool.category))]} />

      <HostTool session={session} onHosted={reloadAll} />
    </Screen>
  );
}

/** A member first in a tool's queue asks its holder for it, then shows the code when they meet. */
function Turn({
  tool,
  place,
  me,
  isBusy,
  onAsk,
  onWithdraw,
}: {
  tool: Tool | undefined;
  place: number | null | undefined;
  me: string;
  isBusy: boolean;
  onAsk: (tool: Tool) => Promise<void>;
  onWithdraw: (tool: Tool, handOff: HandOff) => Promise<void>;
}) {
  if (!tool || tool.holder.id === me) return null;
  const handOff = tool.pendingHandOff;
  if (handOff && handOff.proposedBy.id === me)
    return <ShowCode tool={tool} handOff={handOff} isBusy={isBusy} onWithdraw={onWithdraw} />;
  if (handOff || place !== 1) return null;
  return (
    <div class="actions">
      <button type="button" disabled={isBusy} onClick={() => void onAsk(tool)}>
        {t("tools.ask", { name: tool.name, handle: tool.holder.handle })}
      </button>
    </div>
  );
}

/** The proposer's side: the code, large, to show the other member, who types it on their phone. */
function ShowCode({
  tool,
  handOff,
  isBusy,
  onWithdraw,
}: {
  tool: Tool;
  handOff: HandOff;
  isBusy: boolean;
  onWithdraw: (tool: Tool, handOff: HandOff) => Promise<void>;
}) {
  const other = handOff.to.id === handOff.proposedBy.id ? handOff.from : handOff.to;
  const code = handOffCode(handOff);
  return (
    <div class="hand-off" data-testid="show-code">
      <p>{t("tools.showCode", { handle: other.handle, name: tool.name })}</p>
      <p class="code" data-testid="hand-off-code">
        <span aria-hidden="true">{code}</span>
        <span class="visually-hidden">{t("tools.codeSpelled", { code: code.split("").join(" ") })}</span>
      </p>
      <QrCode text={code} testId="hand-off-qr" />
      <p class="muted">{t("tools.codeHint", { handle: other.handle })}</p>
      <div class="actions">
        <button type="button" class="secondary" disabled={isBusy} onClick={() => void onWithdraw(tool, handOff)}>
          {t("tools.withdrawHandOff")}
        </button>
      </div>
    </div>
  );
}

/** The other side: type the code the proposer shows, in person, to confirm. */
function ConfirmHandOff({
  tool,
  handOff,
  me,
  isBusy,
  onConfirm,
  onDecline,
}: {
  tool: Tool;
  handOff: HandOff;
  me: string;
  isBusy: boolean;
  onConfirm: (tool: Tool, handOff: HandOff, typed: string) => Promise<void>;
  onDecline: (tool: Tool, handOff: HandOff) => Promise<void>;
}) {
  const receiving = handOff.to.id === me;
  const other = receiving ? handOff.from : handOff.to;
  return (
    <li data-tool={tool.id}>
      <h3>{tool.name}</h3>
      <p>
        {receiving
          ? t("tools.offeredBy", { handle: other.handle, name: tool.name })
          : t("tools.askedBy", { handle: other.handle, name: tool.name })}
      </p>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void onConfirm(tool, handOff, String(new FormData(event.currentTarget as HTMLFormElement).get("code")));
        }}
      >
        <label>
          {t("tools.typeCode", { handle: other.handle })}
          <input
            name="code"
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={12}
            class="code-input"
          />
        </label>
        <button type="submit" disabled={isBusy}>
          {receiving ? t("tools.confirmReceived") : t("tools.confirmGiven")}
        </button>
      </form>
      <div class="actions">
        <button type="button" class="secondary" disabled={isBusy} onClick={() => void onDecline(tool, handOff)}>
          {t("tools.declineHandOff")}
        </button>
      </div>
    </li>
  );
}

function HostTool({ session, onHosted }: { session: StoredSession; onHosted: () => Promise<void> }) {
  const action = useAction({ onDone: onHosted });
  const submit = action.submit(async (form, formElement) => {
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const { addTool } = await run(AddToolDocument, {
      input: {
        circleId: session.member.circle.id,
        name: text("name"),
        category: text("category"),
        condition: text("condition") as ToolCondition,
        description: text("description") || null,
        safetyNotes: text("safetyNotes") || null,
      },
    });
    formElement.reset();
    // reset() would choose the first condition; a new form starts at good, as the hub's default.
    (formElement.elements.namedItem("condition") as HTMLSelectElement).value = "GOOD";
    return () => t("tools.hosted", { name: addTool.name });
  });
  return (
    <form class="stack card" onSubmit={submit} id="host-form" aria-labelledby="host-title">
      <h2 id="host-title">{t("tools.hostTitle")}</h2>
      <p class="hint">{t("tools.hostHint")}</p>
      <label>
        {t("tools.name")}
        <input name="name" required maxLength={80} />
      </label>
      <label>
        {t("tools.category")}
        <input name="category" required maxLength={40} />
      </label>
      <label>
        {t("tools.condition")}
        <select name="condition">
          {CONDITIONS.map((condition) => (
            <option value={condition} selected={condition === "GOOD"}>
              {t(`condition.${condition}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("tools.description")}
        <textarea name="description" maxLength={2000} rows={3} />
      </label>
      <label>
        {t("tools.safetyNotes")}
        <textarea name="safetyNotes" maxLength={2000} rows={2} />
      </label>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("tools.host")}
      </button>
    </form>
  );
}
