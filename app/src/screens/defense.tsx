import { useEffect, useRef, useState } from "preact/hooks";
import { query, run } from "../api/client.js";
import { readPrivate, writePrivate } from "../api/private-storage.js";
import type { StoredSession } from "../api/session.js";
import {
  AcceptHousingMatchDocument,
  AcknowledgeAlertDocument,
  DefenseOverviewDocument,
  FundDocument,
  HearingsDocument,
  HousingSuggestionsDocument,
  JoinRespondersDocument,
  MoreMyDisbursementRequestsDocument,
  MoreMyFundPledgesDocument,
  MoreMyHousingPledgesDocument,
  MoreMyHousingRequestsDocument,
  MyCommitmentsDocument,
  MyHousingDocument,
  PledgeHousingDocument,
  PledgeToFundDocument,
  ProposeHousingMatchDocument,
  RaiseAlertDocument,
  RequestDisbursementDocument,
  RequestHousingDocument,
  ResponderAlertDocument,
  ResponderAlertsDocument,
  SignAgreementDocument,
  SignUpForShiftDocument,
  VerifyAlertDocument,
  WithdrawDisbursementRequestDocument,
  WithdrawFundPledgeDocument,
  WithdrawHousingPledgeDocument,
  WithdrawHousingRequestDocument,
  type AlertKind,
  type AlertUrgency,
  type DisbursementPurpose,
  type HousingSuggestionsQuery,
  type MyCommitmentsQuery,
  type ResponderAlertQuery,
} from "../generated/graphql.js";
import { formatDate, formatDateTime, t } from "../i18n/i18n.js";
import type { MessageKey } from "../i18n/en.js";
import { ErrorNotice, Loading, Offline, Success, type Said } from "../ui/feedback.js";
import { formatMoney, isCurrencyCode, minorOf } from "../ui/money.js";
import { QuickExit } from "../ui/quick-exit.js";
import { alertInAddress } from "../ui/router.js";
import { Screen } from "../ui/screen.js";
import { SAVED_IN_OUTBOX, sendOrQueue, useAction } from "../ui/use-action.js";
import { useQuery, type QueryState } from "../ui/use-query.js";

/** Every answer the defense screen keeps on the phone: a quick exit removes them all. */
const DEFENSE_DOCUMENTS = [
  DefenseOverviewDocument,
  ResponderAlertsDocument,
  ResponderAlertDocument,
  HearingsDocument,
  MyHousingDocument,
  HousingSuggestionsDocument,
  FundDocument,
  MyCommitmentsDocument,
];
/** The block the member last raised an alert from, kept on the phone (private: removed at logout and by a quick exit). */
const PLACE_KEY = "defense.place";

const ALERT_KINDS: AlertKind[] = ["EVICTION", "RAID", "ARREST", "MEDICAL", "OTHER"];
const URGENCIES: AlertUrgency[] = ["CRITICAL", "HIGH", "LOW"];
const PURPOSES: DisbursementPurpose[] = ["RENT", "LEGAL", "BAIL", "MEDICAL", "FOOD", "TRAVEL", "OTHER"];
/** The confirm button cannot take the tap that opened it, nor one a moment later. */
const CONFIRM_ARMING_MS = 600;
/** A block: the 6-character geohash defense stores (about 1.2 km by 0.6 km), never a door. */
const BLOCK_PRECISION = 6;
const GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/** The geohash of a point, cut to a block. */
export function geohashOf(latitude: number, longitude: number, precision = BLOCK_PRECISION): string {
  const ranges = [
    [-90, 90],
    [-180, 180],
  ];
  let hash = "";
  let bits = 0;
  let value = 0;
  let isLongitude = true;
  while (hash.length < precision) {
    const range = isLongitude ? ranges[1] : ranges[0];
    const coordinate = isLongitude ? longitude : latitude;
    const middle = (range[0] + range[1]) / 2;
    value <<= 1;
    if (coordinate >= middle) {
      value |= 1;
      range[0] = middle;
    } else range[1] = middle;
    isLongitude = !isLongitude;
    if (++bits === 5) {
      hash += GEOHASH_ALPHABET[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

const today = () => new Date().toISOString().slice(0, 10);

function Agreement({ session }: { session: StoredSession }) {
  const overview = useQuery(DefenseOverviewDocument, { circleId: session.member.circle.id });
  const agreement = overview.data?.solidarityAgreement;
  const action = useAction({ onDone: overview.reload });
  const sign = () => {
    if (!agreement) return;
    const variables = { circleId: session.member.circle.id, version: agreement.version };
    return action.act(async () => {
      // Signing the same version twice signs it once: it may wait for the connection.
      const sent = await sendOrQueue(SignAgreementDocument, variables);
      return sent ? () => t("defense.signed", { version: agreement.version }) : SAVED_IN_OUTBOX;
    });
  };
  return (
    <section class="card" aria-labelledby="agreement-title" id="agreement">
      <h2 id="agreement-title">{t("defense.agreementTitle")}</h2>
      <Offline isStale={overview.isStale} />
      <ErrorNotice error={action.error ?? (overview.isStale ? undefined : overview.error)} />
      <Loading isLoading={overview.isLoading && !overview.data} />
      {overview.data && !agreement && <p class="muted">{t("defense.noAgreement")}</p>}
      {agreement && (
        <>
          <p class="muted">
            {t("defense.agreementVersion", {
              version: agreement.version,
              when: formatDateTime(agreement.publishedAt),
            })}
          </p>
          <details>
            <summary>{t("defense.readAgreement")}</summary>
            <p class="tutorial" data-testid="agreement-text">
              {agreement.text}
            </p>
          </details>
          {agreement.signedByMe ? (
            <p data-testid="agreement-signed">
              <strong>{t("defense.youSigned", { version: agreement.version })}</strong>
            </p>
          ) : (
            <button type="button" disabled={action.isBusy} onClick={() => void sign()}>
              {t("defense.sign", { version: agreement.version })}
            </button>
          )}
        </>
      )}
      <Success said={action.done} />
    </section>
  );
}

function RaiseAlert({ session }: { session: StoredSession }) {
  const [place, setPlace] = useState(() => readPrivate<string>(PLACE_KEY) ?? "");
  const [urgency, setUrgency] = useState<AlertUrgency>("HIGH");
  const [note, setNote] = useState("");
  const [kind, setKind] = useState<AlertKind>();
  const [isArmed, setArmed] = useState(false);
  // An alert is never left waiting on the phone: the member must know at once that it did not go.
  const action = useAction({ messages: { OFFLINE: () => t("defense.alertOffline") } });
  const placeField = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!kind) return;
    setArmed(false);
    const timer = setTimeout(() => {
      setArmed(true);
    }, CONFIRM_ARMING_MS);
    return () => clearTimeout(timer);
  }, [kind]);
  useEffect(() => {
    if (isArmed) confirmButton.current?.focus();
  }, [isArmed]);

  const choose = (chosen: AlertKind) => {
    if (!place.trim()) {
      action.refuse(() => t("defense.placeNeeded"));
      placeField.current?.focus();
      return;
    }
    action.refuse(undefined);
    setKind(chosen);
  };
  const locate = () => {
    if (!("geolocation" in navigator)) return action.refuse(() => t("defense.noLocation"));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setPlace(geohashOf(position.coords.latitude, position.coords.longitude));
        action.refuse(undefined);
      },
      () => action.refuse(() => t("defense.noLocation")),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
    );
  };
  const send = async () => {
    if (!kind || !isArmed) return;
    const block = place.trim().toLowerCase();
    await action.act(async () => {
      await run(RaiseAlertDocument, {
        input: {
          circleId: session.member.circle.id,
          kind,
          urgency,
          place: block,
          text: note.trim() || t("defense.defaultNote", { kind: t(`alertKind.${kind}`) }),
        },
      });
      writePrivate(PLACE_KEY, block);
      setNote("");
      setKind(undefined);
      return () => t("defense.alertSent");
    });
  };

  return (
    <section class="card" aria-labelledby="alert-title" id="alert">
      <h2 id="alert-title">{t("defense.alertTitle")}</h2>
      <p class="muted">{t("defense.alertIntro")}</p>
      <label>
        {t("defense.place")}
        <input
          ref={placeField}
          name="place"
          value={place}
          autoComplete="off"
          autoCapitalize="none"
          maxLength={BLOCK_PRECISION}
          aria-describedby="place-hint"
          onInput={(event) => setPlace((event.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <p class="hint" id="place-hint">
        {t("defense.placeHint")}
      </p>
      <button type="button" class="secondary" onClick={locate}>
        {t("defense.useLocation")}
      </button>
      <label>
        {t("defense.urgency")}
        <select
          name="urgency"
          value={urgency}
          onChange={(event) => setUrgency((event.currentTarget as HTMLSelectElement).value as AlertUrgency)}
        >
          {URGENCIES.map((level) => (
            <option value={level}>{t(`alertUrgency.${level}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("defense.note")}
        <textarea
          name="note"
          rows={2}
          maxLength={500}
          value={note}
          onInput={(event) => setNote((event.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <ErrorNotice error={action.error} />
      {kind ? (
        <div class="alert-confirm" role="group" aria-labelledby="alert-confirm-text">
          <p id="alert-confirm-text" role="alert">
            <strong>{t("defense.confirmAlert", { kind: t(`alertKind.${kind}`), place: place.trim() })}</strong>
          </p>
          <button
            ref={confirmButton}
            type="button"
            class="send-alert"
            disabled={!isArmed || action.isBusy}
            onClick={() => void send()}
          >
            {t("defense.sendAlert")}
          </button>
          <button type="button" class="secondary" onClick={() => setKind(undefined)}>
            {t("defense.cancelAlert")}
          </button>
        </div>
      ) : (
        <div class="alert-kinds" role="group" aria-label={t("defense.alertKinds")}>
          {ALERT_KINDS.map((option) => (
            <button type="button" onClick={() => choose(option)}>
              {t("defense.raise", { kind: t(`alertKind.${option}`) })}
            </button>
          ))}
        </div>
      )}
      <Success said={action.done} />
    </section>
  );
}

function JoinResponders({
  session,
  branches,
  onJoined,
}: {
  session: StoredSession;
  branches: Array<{ id: string; name: string }>;
  onJoined: () => Promise<void>;
}) {
  const action = useAction({ onDone: onJoined });
  const submit = action.submit(async (form) => {
    await run(JoinRespondersDocument, {
      input: {
        circleId: session.member.circle.id,
        branchId: String(form.get("branch")),
        contactKind: "INBOX",
        contact: null,
        shifts: [],
      },
    });
  });
  if (branches.length === 0) return <p class="muted">{t("defense.noBranches")}</p>;
  return (
    <form class="stack" onSubmit={submit}>
      <p class="muted">{t("defense.joinIntro")}</p>
      <label>
        {t("defense.branch")}
        <select name="branch" required>
          {branches.map((branch) => (
            <option value={branch.id}>{branch.name}</option>
          ))}
        </select>
      </label>
      <ErrorNotice error={action.error} />
      <button type="submit" disabled={action.isBusy}>
        {t("defense.join")}
      </button>
    </form>
  );
}

type AlertToAnswer = ResponderAlertQuery["defenseAlert"];

function AlertCard({
  alert,
  responderId,
  isBusy,
  act,
  isNamed = false,
}: {
  alert: AlertToAnswer;
  responderId: string;
  isBusy: boolean;
  act: (call: "acknowledge" | "verify", alertId: string) => unknown;
  isNamed?: boolean;
}) {
  const myCall = alert.calls.find((call) => call.responderId === responderId);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the inbox: the alert comes into view with the screen reader on it, below the alert form.
  useEffect(() => {
    if (!isNamed) return;
    heading.current?.scrollIntoView({ block: "start" });
    heading.current?.focus();
  }, [isNamed]);
  return (
    <li data-alert={alert.id} data-status={alert.status} class={isNamed ? "named" : undefined}>
      {isNamed && <p class="muted">{t("defense.fromInbox")}</p>}
      <h3 ref={heading} tabIndex={isNamed ? -1 : undefined}>
        {t(`alertKind.${alert.kind}`)} · {t(`alertUrgency.${alert.urgency}`)}
      </h3>
      <p>{alert.text}</p>
      <p class="muted">{t("defense.alertWhere", { place: alert.place, when: formatDateTime(alert.raisedAt) })}</p>
      <p class="muted">{t(`alertStatus.${alert.status}`)}</p>
      {myCall?.acknowledgedAt ? (
        <p data-testid="acknowledged">
          <strong>{t("defense.youAcknowledged", { when: formatDateTime(myCall.acknowledgedAt) })}</strong>
        </p>
      ) : (
        myCall && (
          <button type="button" disabled={isBusy} onClick={() => void act("acknowledge", alert.id)}>
            {t("defense.acknowledge")}
          </button>
        )
      )}
      {alert.status === "OPEN" && !alert.raisedByMe && (
        <button type="button" class="secondary" disabled={isBusy} onClick={() => void act("verify", alert.id)}>
          {t("defense.verify")}
        </button>
      )}
    </li>
  );
}

function Calls({ session }: { session: StoredSession }) {
  const circleId = session.member.circle.id;
  const overview = useQuery(DefenseOverviewDocument, { circleId });
  const responder = overview.data?.myResponder;
  const alerts = useQuery(ResponderAlertsDocument, responder ? { circleId } : undefined);
  // The alert an inbox entry opened the screen on: shown first, whether or not it is among the latest.
  const namedId = alertInAddress();
  const named = useQuery(ResponderAlertDocument, responder && namedId ? { alertId: namedId } : undefined);
  const action = useAction({ onDone: () => Promise.all([alerts.reload(), named.reload()]) });
  const act = (call: "acknowledge" | "verify", alertId: string) =>
    action.act(async () => {
      if (call === "acknowledge") await run(AcknowledgeAlertDocument, { alertId });
      else await run(VerifyAlertDocument, { alertId });
      return () => t(call === "acknowledge" ? "defense.acknowledged" : "defense.verified");
    });
  const namedAlert = namedId ? named.data?.defenseAlert : undefined;
  const others = (alerts.data?.defenseAlerts.items ?? []).filter((alert) => alert.id !== namedAlert?.id);
  return (
    <section class="card" aria-labelledby="calls-title" id="calls">
      <h2 id="calls-title">{t("defense.callsTitle")}</h2>
      {overview.data && !responder && (
        <JoinResponders
          session={session}
          branches={overview.data.responderBranches}
          onJoined={() => overview.reload()}
        />
      )}
      <ErrorNotice
        error={
          action.error ??
          (alerts.isStale ? undefined : alerts.error) ??
          (named.isStale || !namedId ? undefined : named.error)
        }
      />
      {responder && (alerts.data || namedAlert) && (
        <ul class="cards" data-testid="calls">
          {namedAlert && (
            <AlertCard alert={namedAlert} responderId={responder.id} isBusy={action.isBusy} act={act} isNamed />
          )}
          {others.map((alert) => (
            <AlertCard alert={alert} responderId={responder.id} isBusy={action.isBusy} act={act} />
          ))}
          {!namedAlert && alerts.data?.defenseAlerts.items.length === 0 && (
            <li class="muted">{t("defense.noCalls")}</li>
          )}
        </ul>
      )}
      <Success said={action.done} />
    </section>
  );
}

function Shifts({ session }: { session: StoredSession }) {
  const hearings = useQuery(HearingsDocument, { circleId: session.member.circle.id });
  const action = useAction({ onDone: hearings.reload });
  const signUp = (shiftId: string) =>
    action.act(async () => {
      await run(SignUpForShiftDocument, { shiftId });
      return () => t("defense.signedUp");
    });
  const list = hearings.data?.hearings ?? [];
  const mine = list.flatMap((hearing) =>
    hearing.shifts.filter((shift) => shift.isSignedUpByMe).map((shift) => ({ hearing, shift })),
  );
  return (
    <section class="card" aria-labelledby="shifts-title" id="shifts">
      <h2 id="shifts-title">{t("defense.shiftsTitle")}</h2>
      <ErrorNotice error={action.error ?? (hearings.isStale ? undefined : hearings.error)} />
      <h3>{t("defense.myShifts")}</h3>
      <ul class="cards" data-testid="my-shifts">
        {mine.map(({ hearing, shift }) => (
          <li>
            {t("defense.shiftAt", {
              from: formatDateTime(shift.startsAt),
              until: formatDateTime(shift.endsAt),
              place: hearing.place,
            })}
          </li>
        ))}
        {mine.length === 0 && <li class="muted">{t("defense.noShiftsOfMine")}</li>}
      </ul>
      <h3>{t("defense.hearings")}</h3>
      {hearings.data && list.length === 0 && <p class="muted">{t("defense.noHearings")}</p>}
      <ul class="cards">
        {list.map((hearing) => (
          <li>
            <p>
              <strong>{formatDateTime(hearing.startsAt)}</strong> · {hearing.place}
            </p>
            <p class="muted">
              {hearing.isShortOfCompanions
                ? t("defense.shortOfCompanions", { count: hearing.companionsNeeded })
                : t("defense.companionsNeeded", { count: hearing.companionsNeeded })}
            </p>
            <ul>
              {hearing.shifts.map((shift) => (
                <li>
                  {t("defense.shift", { from: formatDateTime(shift.startsAt), until: formatDateTime(shift.endsAt) })}{" "}
                  {shift.isSignedUpByMe ? (
                    <strong>{t("defense.youAreSignedUp")}</strong>
                  ) : (
                    <button type="button" disabled={action.isBusy} onClick={() => void signUp(shift.id)}>
                      {t("defense.signUp")}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <Success said={action.done} />
    </section>
  );
}

type HousingMatchStatus = "SUGGESTED" | "CONFIRMED" | "DECLINED";
type Suggestion = HousingSuggestionsQuery["housingSuggestions"][number];

function Housing({ session, onChanged }: { session: StoredSession; onChanged: () => unknown }) {
  const circleId = session.member.circle.id;
  const matches = useQuery(MyHousingDocument, { circleId });
  const [requestId, setRequestId] = useState<string>();
  const [suggestions, setSuggestions] = useState<Suggestion[]>();
  const action = useAction({ onDone: onChanged });

  const pledge = (event: Event) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    void action.act(async () => {
      await run(PledgeHousingDocument, {
        input: {
          circleId,
          capacity: Number(form.get("capacity")),
          availableFrom: String(form.get("from")),
          availableUntil: String(form.get("until")),
          acceptsChildren: form.get("children") === "on",
          acceptsPets: form.get("pets") === "on",
          isStepFree: form.get("stepFree") === "on",
          area: String(form.get("area") ?? "").trim() || null,
          contact: String(form.get("contact")).trim(),
        },
      });
      element.reset();
      return () => t("defense.pledged");
    });
  };
  const request = (event: Event) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    void action.act(async () => {
      const asked = await run(RequestHousingDocument, {
        input: {
          circleId,
          people: Number(form.get("people")),
          neededFrom: String(form.get("from")),
          neededUntil: String(form.get("until")),
          withChildren: form.get("children") === "on",
          withPets: form.get("pets") === "on",
          needsStepFree: form.get("stepFree") === "on",
          contact: String(form.get("contact")).trim(),
        },
      });
      element.reset();
      setRequestId(asked.requestHousing.id);
      setSuggestions(
        (await query(HousingSuggestionsDocument, { requestId: asked.requestHousing.id })).housingSuggestions,
      );
      return () => t("defense.requested");
    });
  };
  const ask = (pledgeId: string) =>
    void action.act(async () => {
      if (!requestId) return;
      await run(ProposeHousingMatchDocument, { pledgeId, requestId });
      await matches.reload();
      return () => t("defense.matchProposed");
    });
  const accept = (matchId: string) =>
    void action.act(async () => {
      await run(AcceptHousingMatchDocument, { matchId });
      await matches.reload();
      return () => t("defense.matchAccepted");
    });
  const needs = (labels: [MessageKey, MessageKey, MessageKey]) =>
    (["children", "pets", "stepFree"] as const).map((name, index) => (
      <label class="choice">
        <input type="checkbox" name={name} />
        {t(labels[index])}
      </label>
    ));
  const dates = () => (
    <>
      <label>
        {t("defense.from")}
        <input type="date" name="from" required min={today()} />
      </label>
      <label>
        {t("defense.until")}
        <input type="date" name="until" required min={today()} />
      </label>
    </>
  );
  return (
    <section class="card" aria-labelledby="housing-title" id="housing">
      <h2 id="housing-title">{t("defense.housingTitle")}</h2>
      <p class="muted">{t("defense.housingIntro")}</p>
      <ErrorNotice error={action.error ?? (matches.isStale ? undefined : matches.error)} />
      <Success said={action.done} />
      {(matches.data?.myHousingMatches.length ?? 0) > 0 && (
        <>
          <h3>{t("defense.myMatches")}</h3>
          <ul class="cards">
            {matches.data!.myHousingMatches.map((match) => (
              <li>
                <p>
                  {t(match.amHost ? "defense.matchAsHost" : "defense.matchAsGuest", { count: match.people })} ·{" "}
                  {t(`housingStatus.${match.status as HousingMatchStatus}`)}
                </p>
                {match.counterpartContact && <p>{t("defense.contact", { contact: match.counterpartContact })}</p>}
                {!(match.amHost ? match.hostAccepted : match.guestAccepted) && match.status === "SUGGESTED" && (
                  <button type="button" disabled={action.isBusy} onClick={() => accept(match.id)}>
                    {t("defense.acceptMatch")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>{t("defense.askRoom")}</summary>
        <form class="stack" onSubmit={request}>
          <label>
            {t("defense.people")}
            <input type="number" name="people" min={1} max={20} required defaultValue="1" />
          </label>
          {dates()}
          {needs(["defense.withChildren", "defense.withPets", "defense.needsStepFree"])}
          <label>
            {t("defense.contactField")}
            <input name="contact" required maxLength={200} autoComplete="off" />
          </label>
          <p class="hint">{t("defense.contactHint")}</p>
          <button type="submit" disabled={action.isBusy}>
            {t("defense.sendRequest")}
          </button>
        </form>
      </details>
      {suggestions && (
        <>
          <h3>{t("defense.suggestions")}</h3>
          <ul class="cards" data-testid="housing-suggestions">
            {suggestions.map((suggestion) => (
              <li>
                <p>
                  {suggestion.roomLeft === null
                    ? t("defense.fitsYourRequest")
                    : t("defense.roomLeft", { count: suggestion.roomLeft })}
                  {suggestion.area ? ` · ${suggestion.area}` : ""}
                </p>
                <p class="muted">
                  {t("defense.period", { from: suggestion.availableFrom, until: suggestion.availableUntil })}
                </p>
                <button type="button" disabled={action.isBusy} onClick={() => ask(suggestion.id)}>
                  {t("defense.askHost")}
                </button>
              </li>
            ))}
            {suggestions.length === 0 && <li class="muted">{t("defense.noSuggestions")}</li>}
          </ul>
        </>
      )}
      <details>
        <summary>{t("defense.offerRoom")}</summary>
        <form class="stack" onSubmit={pledge}>
          <label>
            {t("defense.capacity")}
            <input type="number" name="capacity" min={1} max={20} required defaultValue="1" />
          </label>
          {dates()}
          {needs(["defense.acceptsChildren", "defense.acceptsPets", "defense.isStepFree"])}
          <label>
            {t("defense.area")}
            <input name="area" maxLength={60} autoComplete="off" />
          </label>
          <label>
            {t("defense.contactField")}
            <input name="contact" required maxLength={200} autoComplete="off" />
          </label>
          <p class="hint">{t("defense.contactHint")}</p>
          <button type="submit" disabled={action.isBusy}>
            {t("defense.sendPledge")}
          </button>
        </form>
      </details>
    </section>
  );
}

function Fund({ session, onChanged }: { session: StoredSession; onChanged: () => unknown }) {
  const circleId = session.member.circle.id;
  const fund = useQuery(FundDocument, { circleId });
  const action = useAction({ onDone: onChanged });
  const currency = fund.data?.fundHoldings[0]?.currency ?? "EUR";
  const amountOf = (form: FormData, chosen: string) => {
    if (!isCurrencyCode(chosen)) throw () => t("defense.currencyInvalid");
    const minor = minorOf(String(form.get("amount")), chosen, 0.01);
    if (minor === undefined) throw () => t("defense.amountInvalid");
    return minor;
  };
  const attempt = (work: (form: FormData) => Promise<Said>) =>
    action.submit(async (form, element) => {
      const said = await work(form);
      element.reset();
      return said;
    });
  const pledge = attempt(async (form) => {
    const chosen = String(form.get("currency")).trim().toUpperCase();
    const amountMinor = amountOf(form, chosen);
    await run(PledgeToFundDocument, { input: { circleId, amountMinor, currency: chosen } });
    return () => t("defense.pledgedMoney", { amount: formatMoney(amountMinor, chosen) });
  });
  const ask = attempt(async (form) => {
    const chosen = String(form.get("currency")).trim().toUpperCase();
    const amountMinor = amountOf(form, chosen);
    await run(RequestDisbursementDocument, {
      input: {
        circleId,
        amountMinor,
        currency: chosen,
        purpose: String(form.get("purpose")) as DisbursementPurpose,
        reason: String(form.get("reason")).trim(),
      },
    });
    return () => t("defense.askedFund", { amount: formatMoney(amountMinor, chosen) });
  });
  const currencyField = (
    <label>
      {t("defense.currency")}
      <input name="currency" required pattern="[A-Za-z]{3}" maxLength={3} defaultValue={currency} autoComplete="off" />
    </label>
  );
  return (
    <section class="card" aria-labelledby="fund-title" id="fund">
      <h2 id="fund-title">{t("defense.fundTitle")}</h2>
      <ErrorNotice error={action.error ?? (fund.isStale ? undefined : fund.error)} />
      <ul class="cards" data-testid="fund">
        {(fund.data?.fundHoldings ?? []).map((holding) => (
          <li>
            {holding.heldMinor === null || holding.heldMinor === undefined
              ? t("defense.heldHidden", { currency: holding.currency })
              : t("defense.held", { amount: formatMoney(holding.heldMinor, holding.currency) })}
          </li>
        ))}
        {fund.data && fund.data.fundHoldings.length === 0 && <li class="muted">{t("defense.fundEmpty")}</li>}
      </ul>
      <Success said={action.done} />
      <details>
        <summary>{t("defense.pledgeTitle")}</summary>
        <form class="stack" onSubmit={pledge}>
          <label>
            {t("defense.amount")}
            <input name="amount" inputMode="decimal" required autoComplete="off" />
          </label>
          {currencyField}
          <button type="submit" disabled={action.isBusy}>
            {t("defense.sendPledgeMoney")}
          </button>
        </form>
      </details>
      <details>
        <summary>{t("defense.askFundTitle")}</summary>
        <form class="stack" onSubmit={ask}>
          <p class="hint">{t("defense.askFundHint")}</p>
          <label>
            {t("defense.amount")}
            <input name="amount" inputMode="decimal" required autoComplete="off" />
          </label>
          {currencyField}
          <label>
            {t("defense.purpose")}
            <select name="purpose" required>
              {PURPOSES.map((purpose) => (
                <option value={purpose}>{t(`purpose.${purpose}`)}</option>
              ))}
            </select>
          </label>
          <label>
            {t("defense.reason")}
            <textarea name="reason" rows={3} maxLength={1000} required />
          </label>
          <button type="submit" disabled={action.isBusy}>
            {t("defense.sendAsk")}
          </button>
        </form>
      </details>
    </section>
  );
}

type StayStatus = "OPEN" | "HOUSED" | "WITHDRAWN";
type FundRequestStatus = "REQUESTED" | "APPROVED" | "DECLINED" | "PAID" | "WITHDRAWN";

/** A page of one of the member's own lists, as the hub answers it. */
interface OwnPage<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/**
 * One of the member's own lists, paged: the first page comes with the screen's query (kept on the
 * phone), "More" fetches the next ones (not kept). A reload of the first page starts over.
 */
function useMorePages<Item>(first: OwnPage<Item> | undefined, loadAfter: (after: string) => Promise<OwnPage<Item>>) {
  const [more, setMore] = useState<{ of?: OwnPage<Item>; items: Item[]; cursor?: string | null }>({ items: [] });
  const [isLoading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const current = more.of === first ? more : { of: first, items: [] as Item[], cursor: first?.nextCursor };
  const loadMore = async () => {
    if (!current.cursor || isLoading) return;
    setLoading(true);
    try {
      const next = await loadAfter(current.cursor);
      setMore({ of: first, items: [...current.items, ...next.items], cursor: next.nextCursor });
      setError(undefined);
    } catch (failure) {
      setError(() => failure);
    } finally {
      setLoading(false);
    }
  };
  return { items: [...(first?.items ?? []), ...current.items], hasMore: !!current.cursor, isLoading, error, loadMore };
}

function MoreButton({ pages, label }: { pages: ReturnType<typeof useMorePages<unknown>>; label: string }) {
  if (!pages.hasMore) return null;
  return (
    <li>
      <button type="button" class="secondary" disabled={pages.isLoading} onClick={() => void pages.loadMore()}>
        {label}
      </button>
    </li>
  );
}

/**
 * What the member offered and asked for: read with the member's own queries, shown to them alone,
 * 20 of each kind at a time. What nobody counts on yet can be withdrawn; a withdrawal sent twice
 * changes nothing, so without a connection it waits in the outbox.
 */
function MyCommitments({
  session,
  commitments,
}: {
  session: StoredSession;
  commitments: QueryState<MyCommitmentsQuery>;
}) {
  const data = commitments.data;
  const circleId = session.member.circle.id;
  const action = useAction({ onDone: commitments.reload });
  const rooms = useMorePages(
    data?.myHousingPledges,
    async (after) => (await run(MoreMyHousingPledgesDocument, { circleId, after })).myHousingPledges,
  );
  const stays = useMorePages(
    data?.myHousingRequests,
    async (after) => (await run(MoreMyHousingRequestsDocument, { circleId, after })).myHousingRequests,
  );
  const moneyPledges = useMorePages(
    data?.myFundPledges,
    async (after) => (await run(MoreMyFundPledgesDocument, { circleId, after })).myFundPledges,
  );
  const fundRequests = useMorePages(
    data?.myDisbursementRequests,
    async (after) => (await run(MoreMyDisbursementRequestsDocument, { circleId, after })).myDisbursementRequests,
  );
  const withdraw = (send: () => Promise<unknown>) => () =>
    void action.act(async () => ((await send()) === undefined ? SAVED_IN_OUTBOX : () => t("defense.withdrawn")));
  const withdrawButton = (what: string, onClick: () => void) => (
    <button
      type="button"
      class="secondary"
      disabled={action.isBusy}
      aria-label={`${t("defense.withdraw")}: ${what}`}
      onClick={onClick}
    >
      {t("defense.withdraw")}
    </button>
  );
  const isEmpty =
    !!data && rooms.items.length + stays.items.length + moneyPledges.items.length + fundRequests.items.length === 0;
  return (
    <section class="card" aria-labelledby="mine-title" id="mine">
      <h2 id="mine-title">{t("defense.mineTitle")}</h2>
      <p class="muted">{t("defense.mineIntro")}</p>
      <Offline isStale={commitments.isStale} />
      <ErrorNotice
        error={
          action.error ??
          rooms.error ??
          stays.error ??
          moneyPledges.error ??
          fundRequests.error ??
          (commitments.isStale ? undefined : commitments.error)
        }
      />
      <Success said={action.done} />
      <Loading isLoading={commitments.isLoading && !data} />
      {isEmpty && <p class="muted">{t("defense.mineEmpty")}</p>}
      {data && !isEmpty && (
        <ul class="cards" data-testid="my-commitments">
          {rooms.items.map((pledge) => {
            const text = t("defense.myRoom", {
              count: pledge.capacity,
              from: pledge.availableFrom,
              until: pledge.availableUntil,
            });
            return (
              <li data-kind="housing-pledge">
                {text}
                {pledge.withdrawnAt
                  ? ` · ${t("defense.offerWithdrawn")}`
                  : withdrawButton(
                      text,
                      withdraw(() => sendOrQueue(WithdrawHousingPledgeDocument, { id: pledge.id })),
                    )}
              </li>
            );
          })}
          <MoreButton pages={rooms} label={t("defense.moreRooms")} />
          {stays.items.map((request) => {
            const text = t("defense.myStay", {
              count: request.people,
              from: request.neededFrom,
              until: request.neededUntil,
            });
            return (
              <li data-kind="housing-request">
                {text} · {t(`stayStatus.${request.status as StayStatus}`)}
                {request.status === "OPEN" &&
                  withdrawButton(
                    text,
                    withdraw(() => sendOrQueue(WithdrawHousingRequestDocument, { id: request.id })),
                  )}
              </li>
            );
          })}
          <MoreButton pages={stays} label={t("defense.moreStays")} />
          {moneyPledges.items.map((pledge) => {
            const text = t("defense.myMoneyPledge", {
              amount: formatMoney(pledge.amountMinor, pledge.currency),
              when: formatDate(pledge.pledgedAt),
            });
            return (
              <li data-kind="fund-pledge">
                {text}
                {pledge.withdrawnAt
                  ? ` · ${t("defense.offerWithdrawn")}`
                  : withdrawButton(
                      text,
                      withdraw(() => sendOrQueue(WithdrawFundPledgeDocument, { id: pledge.id })),
                    )}
              </li>
            );
          })}
          <MoreButton pages={moneyPledges} label={t("defense.moreMoneyPledges")} />
          {fundRequests.items.map((request) => {
            const text = t("defense.myFundRequest", {
              amount: formatMoney(request.amountMinor, request.currency),
              purpose: t(`purpose.${request.purpose}`),
              when: formatDate(request.requestedAt),
            });
            return (
              <li data-kind="fund-request">
                {text} · {t(`fundRequestStatus.${request.status as FundRequestStatus}`)}
                {request.status === "REQUESTED" &&
                  withdrawButton(
                    text,
                    withdraw(() => sendOrQueue(WithdrawDisbursementRequestDocument, { id: request.id })),
                  )}
              </li>
            );
          })}
          <MoreButton pages={fundRequests} label={t("defense.moreFundRequests")} />
        </ul>
      )}
    </section>
  );
}

export function Defense({ session }: { session: StoredSession }) {
  const commitments = useQuery(MyCommitmentsDocument, { circleId: session.member.circle.id });
  const changed = () => commitments.reload();
  return (
    <Screen title={t("defense.title")} name="defense">
      <QuickExit documents={DEFENSE_DOCUMENTS} ownKeys={[PLACE_KEY]} />
      <RaiseAlert session={session} />
      <Calls session={session} />
      <Shifts session={session} />
      <Housing session={session} onChanged={changed} />
      <Fund session={session} onChanged={changed} />
      <MyCommitments session={session} commitments={commitments} />
      <Agreement session={session} />
    </Screen>
  );
}
