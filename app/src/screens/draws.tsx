import { useEffect, useState } from "preact/hooks";
import { NetworkError, run } from "../api/client.js";
import { readPrivate, writePrivate } from "../api/private-storage.js";
import type { StoredSession } from "../api/session.js";
import {
  CommitRoleDrawSeedDocument,
  RevealDrawSeedDocument,
  RoleDrawsDocument,
  WitnessedDrawDocument,
  type DrawPartsFragment,
} from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success, useSaid } from "../ui/feedback.js";
import { Screen } from "../ui/screen.js";
import { useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";
import { newWitnessSeed, witnessCommitment } from "./draw-math.js";

/**
 * The seeds this phone committed to, by draw id, kept until the draw is frozen and the seed revealed.
 * Private data like every answer: logging out removes them (the hub opens the sealed seeds at the
 * new moon all the same, so the draw never depends on this phone).
 */
const SEEDS_KEY = "witness-seeds";
/** The hub's minimum (Draw.witnessesRequired), shown before a role's first draw opens. */
const WITNESSES_NEEDED = 3;
type KeptSeeds = Record<string, { seed: string; role: string }>;
const keptSeeds = (): KeptSeeds => readPrivate<KeptSeeds>(SEEDS_KEY) ?? {};
function keepSeed(drawId: string, seed: string, role: string): void {
  writePrivate(SEEDS_KEY, { ...keptSeeds(), [drawId]: { seed, role } });
}
function forgetSeed(drawId: string): void {
  const seeds = keptSeeds();
  delete seeds[drawId];
  writePrivate(SEEDS_KEY, seeds);
}

/** Reveals every kept seed whose draw has been frozen since, then forgets it; says which were revealed. */
async function revealFrozenDraws(memberId: string): Promise<string[]> {
  const revealed: string[] = [];
  for (const [drawId, kept] of Object.entries(keptSeeds())) {
    const { draw } = await run(WitnessedDrawDocument, { id: drawId });
    if (draw.status === "GATHERING") continue;
    const mine = draw.witnesses.find((witness) => witness.memberId === memberId);
    if (mine && !mine.revealedAt) {
      await run(RevealDrawSeedDocument, { input: { drawId, seed: kept.seed } });
      revealed.push(kept.role);
    }
    forgetSeed(drawId);
  }
  return revealed;
}

function WitnessState({ draw, memberId }: { draw: DrawPartsFragment; memberId: string }) {
  const kept = keptSeeds()[draw.id];
  const published = draw.witnesses.find((witness) => witness.memberId === memberId)?.commitment;
  const [isSame, setSame] = useState<boolean | undefined>();
  useEffect(() => {
    if (kept && published)
      void witnessCommitment(draw.id, memberId, kept.seed).then((mine) =>
        setSame(mine === undefined ? undefined : mine === published),
      );
  }, [draw.id, published]);
  return (
    <div data-testid="witnessing">
      <p>
        <strong>{t("draws.committed")}</strong>
      </p>
      {!kept && <p class="muted">{t("draws.seedLost")}</p>}
      {isSame === true && (
        <p class="match" data-testid="commitment-check">
          {t("draws.commitmentChecked")}
        </p>
      )}
      {isSame === false && (
        <p class="mismatch" role="alert">
          {t("draws.commitmentWrong")}
        </p>
      )}
      {published && <p class="muted hash">{published}</p>}
    </div>
  );
}

function Witness({
  roleId,
  roleName,
  draw,
  onCommitted,
}: {
  roleId: string;
  roleName: string;
  draw: DrawPartsFragment | null | undefined;
  onCommitted: () => Promise<void>;
}) {
  const action = useAction({ onDone: onCommitted });
  const witness = () =>
    action.act(async () => {
      const seed = newWitnessSeed();
      // Kept before it is sent: if the answer is lost on the way, the phone can still reveal it.
      if (draw) keepSeed(draw.id, seed, roleName);
      try {
        const committed = (await run(CommitRoleDrawSeedDocument, { input: { roleId, seed } })).commitRoleDrawSeed;
        keepSeed(committed.id, seed, roleName);
      } catch (failure) {
        if (draw && !(failure instanceof NetworkError)) forgetSeed(draw.id);
        throw failure;
      }
    });
  return (
    <>
      <ErrorNotice error={action.error} />
      <button type="button" onClick={() => void witness()} disabled={action.isBusy}>
        {t("draws.witness")}
      </button>
    </>
  );
}

export function Draws({ session }: { session: StoredSession }) {
  const memberId = session.member.id;
  const bodies = useQuery(RoleDrawsDocument, { circleId: session.member.circle.id });
  const [revealError, setRevealError] = useState<unknown>();
  const [revealed, setRevealed] = useSaid();

  useEffect(() => {
    void (async () => {
      try {
        const roles = await revealFrozenDraws(memberId);
        setRevealError(undefined);
        if (roles.length > 0) {
          setRevealed(() => roles.map((role) => t("draws.revealed", { role })).join(" "));
          await bodies.reload();
        }
      } catch (failure) {
        // Offline, or the hub refused: the seed stays kept, and the next visit tries again.
        if (!(failure instanceof NetworkError)) setRevealError(failure);
      }
    })();
  }, []);

  const roles = (bodies.data?.bodies.items ?? []).flatMap((body) =>
    body.roles.filter((role) => role.status === "ACTIVE").map((role) => ({ ...role, bodyName: body.name })),
  );
  return (
    <Screen title={t("draws.title")} name="draws">
      <p>{t("draws.intro")}</p>
      <Offline isStale={bodies.isStale} />
      <ErrorNotice error={revealError ?? (bodies.isStale ? undefined : bodies.error)} />
      <Success said={revealed} />
      <Loading isLoading={bodies.isLoading && !bodies.data} />
      {bodies.data && roles.length === 0 && <p class="muted">{t("draws.none")}</p>}
      <ul class="cards">
        {roles.map((role) => {
          const next = role.nextDraw;
          const isWitness = next?.witnesses.some((witness) => witness.memberId === memberId) ?? false;
          const last = role.lastDraw;
          const iRevealed = last?.witnesses.some((witness) => witness.memberId === memberId && witness.revealedAt);
          return (
            <li data-testid="role" aria-labelledby={`role-${role.id}`}>
              <h2 id={`role-${role.id}`}>
                {role.name} · {role.bodyName}
              </h2>
              <p>
                {role.holders.length > 0
                  ? t("draws.holders", { names: role.holders.map((holder) => holder.handle).join(", ") })
                  : t("draws.noHolders")}
              </p>
              <section aria-labelledby={`next-${role.id}`}>
                <h3 id={`next-${role.id}`}>{t("draws.next")}</h3>
                <p data-testid="witness-count">
                  {t("draws.witnesses", {
                    count: next?.witnesses.length ?? 0,
                    required: next?.witnessesRequired ?? WITNESSES_NEEDED,
                  })}
                </p>
                {next && isWitness ? (
                  <WitnessState draw={next} memberId={memberId} />
                ) : (
                  <Witness roleId={role.id} roleName={role.name} draw={next} onCommitted={bodies.reload} />
                )}
              </section>
              {last && (
                <section aria-labelledby={`last-${role.id}`} data-testid="last-draw">
                  <h3 id={`last-${role.id}`}>{t("draws.last", { cycle: last.cycle })}</h3>
                  <p>{t(`draws.status.${last.status}`)}</p>
                  {iRevealed && <p data-testid="i-revealed">{t("draws.youRevealed")}</p>}
                  <a href={`#/draw?id=${encodeURIComponent(last.id)}`}>{t("draws.check")}</a>
                </section>
              )}
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
