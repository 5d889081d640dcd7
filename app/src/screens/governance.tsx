import { useEffect, useState } from "preact/hooks";
import { cachedAnswer, NetworkError, query } from "../api/client.js";
import type { StoredSession } from "../api/session.js";
import {
  BodyProposalsDocument,
  MyBodiesDocument,
  RespondDocument,
  type BodyProposalsQuery,
  type MyBodiesQuery,
  type ResponseKind,
} from "../generated/graphql.js";
import { formatDateTime, t } from "../i18n/i18n.js";
import { ErrorNotice, Loading, Offline, Success } from "../ui/feedback.js";
import { hrefOf, type Route } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { useQuery } from "../ui/use-query.js";

type Proposal = BodyProposalsQuery["proposals"]["items"][number];
type Body = MyBodiesQuery["bodies"]["items"][number];

const MORE: Array<{ route: Route; label: () => string }> = [
  { route: "decisions", label: () => t("log.title") },
  { route: "draws", label: () => t("draws.title") },
  { route: "pacts", label: () => t("pacts.title") },
  { route: "constitution", label: () => t("constitution.title") },
  { route: "assemblies", label: () => t("assemblies.title") },
  { route: "bloc", label: () => t("bloc.link") },
];

/** Every body of the circle and whether the member sits in it; never which kind of seat, which would show their bloc. */
function Bodies({ bodies }: { bodies: Body[] }) {
  return (
    <section aria-labelledby="bodies-title">
      <h2 id="bodies-title">{t("decide.bodies")}</h2>
      {bodies.length === 0 && <p class="muted">{t("decide.noBodies")}</p>}
      <ul class="cards" data-testid="bodies">
        {bodies.map((body) => (
          <li data-testid="body">
            <h3>{body.name}</h3>
            <p class="muted">
              {t(`decide.kind.${body.kind}`)} · {t(`decide.rule.${body.decisionRule}`)}
            </p>
            <p>{t("decide.seats", { taken: body.seatsTaken, count: body.size })}</p>
            {body.mySeat && (
              <p data-testid="my-seat">
                <strong>{t("decide.youSit")}</strong>
              </p>
            )}
            {body.cannotDecideBecause && (
              <p class="notice">{t("decide.cannotDecide", { why: body.cannotDecideBecause })}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
const RESPONSES: ResponseKind[] = ["CONSENT", "STAND_ASIDE", "OBJECT", "VETO"];

function Answer({ proposal, onAnswered }: { proposal: Proposal; onAnswered: () => Promise<void> }) {
  const [response, setResponse] = useState<ResponseKind | undefined>(proposal.myResponse?.response);
  const needsReason = response === "OBJECT" || response === "VETO";
  const action = useAction({ onDone: onAnswered });
  const submit = action.submit(async (form) => {
    const variables = {
      input: {
        proposalId: proposal.id,
        response: String(form.get("response")) as ResponseKind,
        reason: String(form.get("reason") ?? "").trim() || null,
      },
    };
    // An answer replaces the member's previous one: sending it twice records it once.
    return (await sendOrQueue(RespondDocument, variables)) ? () => t("governance.sent") : SAVED_IN_OUTBOX;
  });
  const field = `proposal-${proposal.id}`;
  return (
    <form class="stack" onSubmit={submit} data-proposal={proposal.id}>
      <fieldset>
        <legend>{t("governance.answer")}</legend>
        {RESPONSES.map((kind) => (
          <label class="choice">
            <input
              type="radio"
              name="response"
              value={kind}
              required
              checked={response === kind}
              onChange={() => setResponse(kind)}
            />
            {t(`response.${kind}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t("governance.reason")}
        <textarea
          name="reason"
          rows={3}
          maxLength={1000}
          required={needsReason}
          aria-describedby={`${field}-reason-hint`}
          defaultValue={proposal.myResponse?.reason ?? ""}
        />
      </label>
      <p class="hint" id={`${field}-reason-hint`}>
        {t("governance.reasonHint")}
      </p>
      <ErrorNotice error={action.error} />
      <Success said={action.done} />
      <button type="submit" disabled={action.isBusy}>
        {t("governance.submit")}
      </button>
    </form>
  );
}

export function Governance({ session }: { session: StoredSession }) {
  const bodies = useQuery(MyBodiesDocument, { circleId: session.member.circle.id });
  const seated = (bodies.data?.bodies.items ?? []).filter((body) => body.mySeat);
  const seatedKey = seated.map((body) => body.id).join(",");
  const [proposals, setProposals] = useState<Map<string, Proposal[]>>(new Map());
  const [error, setError] = useState<unknown>();

  // No field lists the proposals waiting for a member: one request per body where they sit.
  const loadProposals = async () => {
    try {
      const pages = await Promise.all(seated.map((body) => query(BodyProposalsDocument, { bodyId: body.id })));
      setProposals(
        new Map(
          seated.map((body, index) => [
            body.id,
            pages[index].proposals.items.filter((proposal) => proposal.status === "OPEN"),
          ]),
        ),
      );
      setError(undefined);
    } catch (failure) {
      // Without a connection, the proposals last seen, as every screen does.
      if (failure instanceof NetworkError)
        setProposals(
          new Map(
            seated.map((body) => [
              body.id,
              (cachedAnswer(BodyProposalsDocument, { bodyId: body.id })?.proposals.items ?? []).filter(
                (proposal) => proposal.status === "OPEN",
              ),
            ]),
          ),
        );
      else setError(failure);
    }
  };
  useEffect(() => {
    void loadProposals();
  }, [seatedKey]);

  return (
    <Screen title={t("governance.title")} name="governance">
      <p>{t("governance.intro")}</p>
      <p class="hint">{t("decide.secretBallot")}</p>
      <Offline isStale={bodies.isStale} />
      <ErrorNotice error={error ?? (bodies.isStale ? undefined : bodies.error)} />
      <Loading isLoading={bodies.isLoading && !bodies.data} />
      {bodies.data && seated.length === 0 && <p class="muted">{t("governance.noSeat")}</p>}
      {seated.map((body) => (
        <section aria-labelledby={`body-${body.id}`}>
          <h2 id={`body-${body.id}`}>{body.name}</h2>
          <ul class="cards">
            {(proposals.get(body.id) ?? []).map((proposal) => (
              <li data-testid="proposal">
                <h3>{proposal.title}</h3>
                {proposal.kind === "AMENDMENT" && <p class="muted">{t("decide.amendment")}</p>}
                <p>{proposal.text}</p>
                <p class="muted">{t("governance.closes", { when: formatDateTime(proposal.closesAt) })}</p>
                {proposal.myResponse && (
                  <p data-testid="my-answer">
                    <strong>
                      {t("governance.yourAnswer", { answer: t(`response.${proposal.myResponse.response}`) })}
                    </strong>
                  </p>
                )}
                <Answer proposal={proposal} onAnswered={loadProposals} />
              </li>
            ))}
            {proposals.get(body.id)?.length === 0 && <li class="muted">{t("governance.none")}</li>}
          </ul>
        </section>
      ))}
      {bodies.data && <Bodies bodies={bodies.data.bodies.items} />}
      <nav aria-labelledby="decide-more">
        <h2 id="decide-more">{t("decide.more")}</h2>
        <ul class="links">
          {MORE.map((link) => (
            <li>
              <a href={hrefOf(link.route)}>{link.label()}</a>
            </li>
          ))}
        </ul>
      </nav>
    </Screen>
  );
}
