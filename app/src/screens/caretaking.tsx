import { useRef, useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { readPrivate, writePrivate } from "../api/private-storage.js";
import type { StoredSession } from "../api/session.js";
import {
  CaretakerDrawWitnessesDocument,
  CaretakingDocument,
  CommitCaretakerDrawSeedDocument,
  RecordAuditDocument,
  RecordRepairDocument,
  RevealCaretakerDrawSeedDocument,
  type ToolCondition,
  VolunteerAsCaretakerDocument,
  WithdrawAsCaretakerDocument,
} from "../generated/graphql.js";
import { formatDateTime, language, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";

const formatList = (items: readonly string[]) => new Intl.ListFormat(language(), { type: "conjunction" }).format(items);
const FOUND: ToolCondition[] = ["NEW", "GOOD", "WORN", "NEEDS_REPAIR"];
const AFTER_REPAIR: ToolCondition[] = ["NEW", "GOOD", "WORN"];

/** The hub's bounds on a witness's seed (kit's witnessSeedProblem): checked on the phone before anything is sent. */
const MIN_SEED_LENGTH = 32;
const MAX_SEED_LENGTH = 200;
const seedTooShort = (length: number) => t("care.seedTooShort", { min: MIN_SEED_LENGTH, length });

/** A fresh secret seed from the phone's random source, 128 bits as hex. */
function newSeed(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The seeds this phone committed to, by draw id, kept until the member reveals them after the new
 * moon. Private data like every answer: logging out removes them (the hub opens the sealed seeds at
 * the new moon all the same, so the duo never depends on this phone).
 */
const SEEDS_KEY = "caretaker-seeds";
type KeptSeeds = Record<string, string>;
const keptSeeds = (): KeptSeeds => readPrivate<KeptSeeds>(SEEDS_KEY) ?? {};
function keepSeed(drawId: string, seed: string): void {
  writePrivate(SEEDS_KEY, { ...keptSeeds(), [drawId]: seed });
}
function forgetSeed(drawId: string): void {
  const seeds = keptSeeds();
  delete seeds[drawId];
  writePrivate(SEEDS_KEY, seeds);
}

/**
 * Once the new moon froze the pool of the draw that gave this cycle's duo, a witness reveals the
 * seed they committed (the one this phone kept, or the copy they typed), checked by the hub against
 * their fingerprint. Witnesses and when they revealed are shown to every member already.
 */
function RevealSeed({ drawId, memberId }: { drawId: string; memberId: string }) {
  const frozen = useQuery(CaretakerDrawWitnessesDocument, { id: drawId });
  const action = useAction({ onDone: frozen.reload });
  const mine = frozen.data?.caretakerDraw.witnesses.find((witness) => witness.memberId === memberId);
  const kept = keptSeeds()[drawId];
  const reveal = action.submit(async (form) => {
    await run(RevealCaretakerDrawSeedDocument, { drawId, seed: String(form.get("seed")).trim() });
    forgetSeed(drawId);
    return () => t("care.revealed");
  });
  if (!mine) return null;
  return (
    <section class="card stack" aria-labelledby="reveal-title" data-testid="reveal">
      <h2 id="reveal-title">{t("care.revealTitle")}</h2>
      {mine.revealedAt ? (
        <p data-testid="my-reveal">{t("care.youRevealed", { when: formatDateTime(mine.revealedAt) })}</p>
      ) : (
        <form class="stack" onSubmit={reveal} id="reveal-form">
          <p class="muted">{t("care.revealIntro")}</p>
          {!kept && <p class="hint">{t("care.seedNotKept")}</p>}
          <label>
            {t("care.revealSeed")}
            <input name="seed" required minLength={32} maxLength={200} autoComplete="off" defaultValue={kept ?? ""} />
          </label>
          <button type="submit" disabled={action.isBusy}>
            {t("care.reveal")}
          </button>
        </form>
      )}
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
    </section>
  );
}

/** Volunteering for the caretaker draw, witnessing it with a seed, and this cycle's audits and repairs. */
export function Caretaking({ session }: { session: StoredSession }) {
  const care = useQuery(CaretakingDocument, { slug: session.member.circle.slug });
  const action = useAction({ onDone: care.reload });
  const [seed, setSeed] = useState(newSeed);
  const circle = care.data?.circle;
  const circleId = session.member.circle.id;
  const duo = circle?.caretakers;
  const draw = circle?.nextCaretakerDraw;
  const mine = draw?.witnesses.find((witness) => witness.memberId === session.member.id);
  const serves = duo?.caretakers.some((member) => member.id === session.member.id) ?? false;
  // The hub lets this cycle's caretakers and the circle's organizers record audits.
  const audits = serves || (circle?.viewerRoles ?? []).includes("ORGANIZER");
  const tools = circle?.tools?.items ?? [];

  const toggleVolunteer = () =>
    action.act(async () => {
      const withdrawing = circle?.isCaretakerVolunteer ?? false;
      // Volunteering twice, or withdrawing twice, changes nothing: it may wait in the outbox.
      const sent = withdrawing
        ? await sendOrQueue(WithdrawAsCaretakerDocument, { circleId })
        : await sendOrQueue(VolunteerAsCaretakerDocument, { circleId });
      if (!sent) return SAVED_IN_OUTBOX;
      return () => (withdrawing ? t("care.withdrew") : t("care.volunteered"));
    });

  const commit = (event: Event) => {
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget as HTMLFormElement).get("seed")).trim();
    // The field's own check stops a short seed; spaces trimmed away can still make it too short.
    if (chosen.length < MIN_SEED_LENGTH) {
      action.refuse(() => seedTooShort(chosen.length));
      return;
    }
    return action.act(async () => {
      // Kept before it is sent: if the answer is lost on the way, the phone can still reveal it.
      if (draw) keepSeed(draw.id, chosen);
      let result;
      try {
        result = await run(CommitCaretakerDrawSeedDocument, { circleId, seed: chosen });
      } catch (failure) {
        if (draw && !(failure instanceof NetworkError)) forgetSeed(draw.id);
        throw failure;
      }
      keepSeed(result.commitCaretakerDrawSeed.id, chosen);
      const witness = result.commitCaretakerDrawSeed.witnesses.find((one) => one.memberId === session.member.id);
      setSeed(newSeed());
      return () => t("care.committed", { commitment: witness?.commitment ?? "" });
    });
  };

  /**
   * One idempotency key per audit or repair, kept until the hub answered or the outbox took it: a
   * send whose answer was lost, retried by hand or from the outbox, is recorded once.
   */
  const keys = useRef(new Map<string, string>());
  const keyFor = (what: string) => {
    const key = keys.current.get(what) ?? crypto.randomUUID();
    keys.current.set(what, key);
    return key;
  };

  const audit = (toolId: string, name: string) => (event: Event) => {
    event.preventDefault();
    const condition = String(new FormData(event.currentTarget as HTMLFormElement).get("condition")) as ToolCondition;
    const idempotencyKey = keyFor(`audit:${toolId}`);
    return action.act(async () => {
      const sent = await sendOrQueue(RecordAuditDocument, { input: { toolId, condition, idempotencyKey } });
      keys.current.delete(`audit:${toolId}`);
      if (!sent) return SAVED_IN_OUTBOX;
      return () => t("care.audited", { name });
    });
  };

  const repair = (toolId: string, name: string) => (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const input = {
      toolId,
      minutes: Number(form.get("minutes")),
      conditionAfter: String(form.get("conditionAfter")) as ToolCondition,
      idempotencyKey: keyFor(`repair:${toolId}`),
    };
    return action.act(async () => {
      const sent = await sendOrQueue(RecordRepairDocument, { input });
      keys.current.delete(`repair:${toolId}`);
      if (!sent) return SAVED_IN_OUTBOX;
      return () => t("care.repaired", { name });
    });
  };

  return (
    <Screen title={t("care.title")} name="caretaking">
      <Offline isStale={care.isStale} />
      <ErrorNotice error={action.error ?? (care.isStale ? undefined : care.error)} />
      <Loading isLoading={care.isLoading && !care.data} />
      <Success said={action.done} />

      <section class="card stack" aria-labelledby="volunteer-title">
        <h2 id="volunteer-title">{t("care.volunteerTitle")}</h2>
        <p class="muted">{t("care.volunteerIntro")}</p>
        {circle && (
          <>
            <p data-testid="volunteering">
              {circle.isCaretakerVolunteer ? t("care.isVolunteer") : t("care.notVolunteer")}
            </p>
            <button type="button" disabled={action.isBusy} onClick={() => void toggleVolunteer()}>
              {circle.isCaretakerVolunteer ? t("care.withdraw") : t("care.volunteer")}
            </button>
          </>
        )}
      </section>

      <section class="card stack" aria-labelledby="draw-title">
        <h2 id="draw-title">{t("care.drawTitle")}</h2>
        <p class="muted">{t("care.drawIntro")}</p>
        {draw && (
          <p data-testid="witnesses">
            {t("care.witnesses", { count: draw.witnesses.length, required: draw.witnessesRequired })}
          </p>
        )}
        {mine ? (
          <p data-testid="my-commitment" class="break">
            {t("care.youWitness", { commitment: mine.commitment })}
          </p>
        ) : (
          circle && (
            <form class="stack" onSubmit={(event) => void commit(event)} id="seed-form">
              <label>
                {t("care.seed")}
                <input
                  name="seed"
                  required
                  minLength={MIN_SEED_LENGTH}
                  maxLength={MAX_SEED_LENGTH}
                  pattern={`.{${MIN_SEED_LENGTH},${MAX_SEED_LENGTH}}`}
                  aria-describedby="seed-hint"
                  autoComplete="off"
                  value={seed}
                  onInput={(event) => {
                    event.currentTarget.setCustomValidity("");
                    setSeed(event.currentTarget.value);
                  }}
                  onInvalid={(event) =>
                    event.currentTarget.setCustomValidity(seedTooShort(event.currentTarget.value.length))
                  }
                />
              </label>
              <p class="hint" id="seed-hint">
                {t("care.seedHint", { min: MIN_SEED_LENGTH, max: MAX_SEED_LENGTH })}
              </p>
              <div class="actions">
                <button
                  type="button"
                  class="secondary"
                  onClick={(event) => {
                    const field = event.currentTarget.form?.elements.namedItem("seed");
                    if (field instanceof HTMLInputElement) field.setCustomValidity("");
                    setSeed(newSeed());
                  }}
                >
                  {t("care.newSeed")}
                </button>
                <button type="submit" disabled={action.isBusy}>
                  {t("care.commit")}
                </button>
              </div>
            </form>
          )
        )}
      </section>

      {duo?.drawId && <RevealSeed drawId={duo.drawId} memberId={session.member.id} />}

      <section class="card stack" aria-labelledby="duty-title">
        <h2 id="duty-title">{t("care.dutyTitle")}</h2>
        {duo ? (
          <>
            <p data-testid="duo">
              {t("care.duo", { names: formatList(duo.caretakers.map((member) => member.handle)) })}
            </p>
            {duo.wasCarriedOver && <p class="muted">{t("care.carriedOver")}</p>}
            {serves && <p>{t("care.youServe")}</p>}
          </>
        ) : (
          circle && <p class="muted">{t("care.noDuo")}</p>
        )}
      </section>

      <section aria-labelledby="condition-title">
        <h2 id="condition-title">{t("care.toolsTitle")}</h2>
        <ul class="cards" data-testid="care-tools">
          {tools.map((tool) => {
            const last = tool.maintenance.items[0];
            return (
              <li data-tool={tool.id} class="stack">
                <p>
                  <strong data-testid="tool-condition">
                    {t("care.toolCondition", { name: tool.name, condition: t(`condition.${tool.condition}`) })}
                  </strong>
                </p>
                {tool.needsAudit && <p class="muted">{t("care.needsAudit")}</p>}
                {last && (
                  <p class="muted" data-testid="last-record">
                    {t("care.lastRecord", {
                      kind: t(`care.kind.${last.kind}`),
                      handle: last.recordedBy.handle,
                      when: formatDateTime(last.recordedAt),
                      condition: t(`condition.${last.condition}`),
                    })}
                  </p>
                )}
                {audits && (
                  <form class="actions" onSubmit={(event) => void audit(tool.id, tool.name)(event)}>
                    <label>
                      {t("care.auditCondition")}
                      <select name="condition" aria-label={`${t("care.auditCondition")}: ${tool.name}`}>
                        {FOUND.map((condition) => (
                          <option value={condition} selected={condition === tool.condition}>
                            {t(`condition.${condition}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button
                      type="submit"
                      disabled={action.isBusy}
                      aria-label={`${t("care.recordAudit")}: ${tool.name}`}
                    >
                      {t("care.recordAudit")}
                    </button>
                  </form>
                )}
                {tool.condition === "NEEDS_REPAIR" && (
                  <form class="actions" onSubmit={(event) => void repair(tool.id, tool.name)(event)}>
                    <label>
                      {t("care.repairMinutes")}
                      <input
                        name="minutes"
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={1440}
                        step={1}
                        required
                        aria-label={`${t("care.repairMinutes")}: ${tool.name}`}
                      />
                    </label>
                    <label>
                      {t("care.conditionAfter")}
                      <select name="conditionAfter" aria-label={`${t("care.conditionAfter")}: ${tool.name}`}>
                        {AFTER_REPAIR.map((condition) => (
                          <option value={condition} selected={condition === "GOOD"}>
                            {t(`condition.${condition}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button
                      type="submit"
                      disabled={action.isBusy}
                      aria-label={`${t("care.recordRepair")}: ${tool.name}`}
                    >
                      {t("care.recordRepair")}
                    </button>
                  </form>
                )}
              </li>
            );
          })}
          {circle && tools.length === 0 && <li class="muted">{t("care.noTools")}</li>}
        </ul>
      </section>
    </Screen>
  );
}
