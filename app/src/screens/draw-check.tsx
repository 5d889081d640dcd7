import { useEffect, useState } from "preact/hooks";
import type { StoredSession } from "../api/session.js";
import { CircleMembersDocument, DrawToCheckDocument } from "../generated/graphql.js";
import { t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline } from "../ui/feedback.js";
import { hrefOf } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { useQuery } from "../ui/use-query.js";
import { recomputeDraw, type Recomputed } from "./draw-math.js";

const drawIdInAddress = () => new URLSearchParams(location.hash.split("?")[1] ?? "").get("id") ?? "";

function Verdict({ isMatch }: { isMatch: boolean }) {
  return <span class={isMatch ? "match" : "mismatch"}>{isMatch ? t("check.matches") : t("check.differs")}</span>;
}

/** A draw's published commitments, seeds and result, each step recomputed on the phone (the README's "Checking a draw by hand"). */
export function DrawCheck({ session }: { session: StoredSession }) {
  const drawId = drawIdInAddress();
  const answer = useQuery(DrawToCheckDocument, { id: drawId });
  const draw = answer.data?.draw;
  const purpose = draw ? `role:${draw.roleId}` : "";
  const [recomputed, setRecomputed] = useState<Recomputed | undefined | null>(null);
  useEffect(() => {
    if (draw?.pool) void recomputeDraw(draw, purpose).then(setRecomputed);
  }, [draw?.id, draw?.drawSeed]);
  // Ids are what the draw hashes; handles beside them say who is who.
  const members = useQuery(CircleMembersDocument, { slug: session.member.circle.slug });
  const handles = new Map((members.data?.circle?.members?.items ?? []).map((member) => [member.id, member.handle]));
  const who = (memberId: string) => {
    const handle = memberId === session.member.id ? t("check.you") : handles.get(memberId);
    return handle ? `${memberId} (${handle})` : memberId;
  };
  const hub = answer.data?.verifyDraw;

  return (
    <Screen title={t("check.title")} name="draw">
      <p>{t("check.intro")}</p>
      <p>
        <a href={hrefOf("draws")}>{t("check.back")}</a>
      </p>
      <Offline isStale={answer.isStale} />
      <ErrorNotice error={answer.isStale ? undefined : answer.error} />
      <Loading isLoading={answer.isLoading && !answer.data} />
      {draw && !draw.pool && <p class="notice">{t("check.notFrozen")}</p>}
      {draw?.pool && (
        <>
          {hub && (
            <p class={hub.matches ? "notice" : "notice notice-error"} data-testid="hub-check">
              {t("check.hub", { result: hub.matches ? t("check.allMatch") : t("check.mismatch") })}
            </p>
          )}
          {recomputed === undefined && <p class="notice">{t("check.noCrypto")}</p>}

          <section aria-labelledby="step1">
            <h2 id="step1">{t("check.step1")}</h2>
            <p class="hint">{t("check.step1Rule")}</p>
            <ul class="cards" data-testid="witness-seeds">
              {draw.witnesses.map((witness) => (
                <li>
                  <p class="hash">{who(witness.memberId)}</p>
                  <p class="hash">
                    {t("check.published")}: {witness.commitment}
                  </p>
                  <p class="hash">seed: {witness.seed ?? t("check.noSeed")}</p>
                  {recomputed?.seedsMatch.has(witness.memberId) && (
                    <p>
                      <Verdict isMatch={recomputed.seedsMatch.get(witness.memberId)!} />
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="step2">
            <h2 id="step2">{t("check.step2")}</h2>
            <p class="hint">{t("check.step2Rule")}</p>
            <p class="hash">purpose: {purpose}</p>
            <p class="hash">pool: {draw.pool.map(who).join(", ")}</p>
            <p class="hash">rules: {draw.rules}</p>
            <p class="hash">
              {t("check.published")}: {draw.commitment}
            </p>
            {recomputed && (
              <p class="hash" data-testid="pool-commitment">
                {t("check.recomputed")}: {recomputed.poolCommitment}{" "}
                <Verdict isMatch={recomputed.poolCommitment === draw.commitment} />
              </p>
            )}
          </section>

          <section aria-labelledby="step3">
            <h2 id="step3">{t("check.step3")}</h2>
            <p class="hint">{t("check.step3Rule")}</p>
            <p class="hash">
              {t("check.published")}: {draw.drawSeed}
            </p>
            {recomputed && (
              <p class="hash" data-testid="draw-seed">
                {t("check.recomputed")}: {recomputed.drawSeed}{" "}
                <Verdict isMatch={recomputed.drawSeed === draw.drawSeed} />
              </p>
            )}
          </section>

          <section aria-labelledby="step4">
            <h2 id="step4">{t("check.step4")}</h2>
            <p class="hint">{t("check.step4Rule")}</p>
            <p class="hash">
              {t("check.published")}: {(draw.drawnOrder ?? []).map(who).join(", ")}
            </p>
            {recomputed && (
              <p class="hash" data-testid="order">
                {t("check.recomputed")}: {recomputed.order.map(who).join(", ")}{" "}
                <Verdict isMatch={JSON.stringify(recomputed.order) === JSON.stringify(draw.drawnOrder)} />
              </p>
            )}
            <p class="hash">holders: {(draw.holders ?? []).map(who).join(", ")}</p>
          </section>

          <details>
            <summary>{t("check.byComputer")}</summary>
            <p>{t("check.byComputerHow", { purpose })}</p>
            <pre class="hash">{JSON.stringify(draw, null, 1)}</pre>
          </details>
        </>
      )}
    </Screen>
  );
}
