import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import { eventually, graphql } from "@rhizome/kit/testing";
import { sweepOnce } from "../src/jobs/sweep.js";
import {
  api,
  branch,
  MINUTE_MS,
  newCircle,
  ops,
  responder,
  startDefense,
  type DefenseTestService,
  type TestCircle,
} from "./support/defense.js";

/*
 * Attackers inside the circle: a member who wants to become a handler of someone else's case, a
 * responder who wants to know who raised an alert, and a member who polls the fund to see who was
 * paid when. Each knows everything else about the circle and compares what they can read.
 */

const OPEN_DISPUTE = `mutation ($input: OpenDisputeInput!) { openDispute(input: $input) { id } }`;
const ACCEPT_MEDIATION = `mutation ($id: ID!) { acceptMediation(disputeId: $id) { id summary amMediator } }`;
const OFFER_MEDIATION = `mutation ($id: ID!) { offerMediation(disputeId: $id) { id summary amMediator } }`;
const ACCEPT_MEDIATOR = `mutation ($id: ID!, $m: ID!) { acceptMediator(disputeId: $id, memberId: $m) { id mediators mediationOffers { id } } }`;
const ASSIGN_MEDIATOR = `mutation ($id: ID!, $m: ID!) { assignMediator(disputeId: $id, memberId: $m) { id mediators } }`;
const DISPUTES = `query ($c: ID!) { disputes(circleId: $c) { id summary amMediator mediationOffers { id } } }`;
const SCHEDULE = `mutation ($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id shifts { id } } }`;
const SIGN_UP = `mutation ($id: ID!) { signUpForShift(shiftId: $id) { id } }`;
const SHARE_NOTES = `mutation ($h: ID!, $m: ID!) { shareHearingNotes(hearingId: $h, memberId: $m) { id companions { id } } }`;
const WRITE = `mutation ($input: WriteCaseNoteInput!) { writeCaseNote(input: $input) { id } }`;
const NOTES = `query ($kind: DefenseCaseKind!, $id: ID!) { caseNotes(caseKind: $kind, caseId: $id) { items { text writtenBy { id } } } }`;
const ALERTS = `query ($c: ID!) { defenseAlerts(circleId: $c) { items { id } } }`;
const VIEW = `query ($id: ID!) { defenseAlert(id: $id) { raisedAt calls { step calledAt dueAt acknowledgedAt escalatedAt } log { at kind step } } }`;
const CALLS = `query ($id: ID!) { defenseAlert(id: $id) { calls { responderId } log { responderId } } }`;
const HOLDINGS = `query ($c: ID!) { fundHoldings(circleId: $c) { currency heldMinor asOfCycle } }`;
const CONTRIBUTE = `mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { heldMinor } }`;
const REQUEST = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }`;
const DECIDE = `mutation ($id: ID!) { decideDisbursement(requestId: $id, approve: true) { status } }`;
const PAY = `mutation ($id: ID!) { recordDisbursement(requestId: $id) { status } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("a member trying to become a handler", () => {
  it("cannot appoint themself mediator of a dispute: an offer reads nothing until the opener accepts it", async () => {
    const call = api(service);
    const circle = await newCircle();
    const opener = await circle.member();
    const curious = await circle.member();
    const dispute = (
      await call.ok(
        OPEN_DISPUTE,
        {
          input: {
            circleId: circle.id,
            parties: ["flat 2", "flat 5"],
            summary: "He threatened to call immigration on us",
          },
        },
        opener,
      )
    ).openDispute;
    await call.ok(
      WRITE,
      { input: { caseKind: "DISPUTE", caseId: dispute.id, text: "Both sides agree to meet on Sunday" } },
      opener,
    );

    // Accepting mediation on one's own initiative no longer makes anyone a handler.
    expect((await call.fails(ACCEPT_MEDIATION, { id: dispute.id }, curious)).code).toBe("FORBIDDEN");
    const offered = (await call.ok(OFFER_MEDIATION, { id: dispute.id }, curious)).offerMediation;
    expect(offered).toMatchObject({ summary: null, amMediator: false });
    expect((await call.fails(NOTES, { kind: "DISPUTE", id: dispute.id }, curious)).code).toBe("FORBIDDEN");
    expect((await call.ok(DISPUTES, { c: circle.id }, curious)).disputes[0]).toMatchObject({
      summary: null,
      amMediator: false,
      mediationOffers: null,
    });

    // The opener sees the offer and accepts it: only then the mediator reads the summary and notes.
    expect((await call.ok(DISPUTES, { c: circle.id }, opener)).disputes[0].mediationOffers).toEqual([
      { id: curious.memberId },
    ]);
    expect(
      (await call.ok(ACCEPT_MEDIATOR, { id: dispute.id, m: curious.memberId }, opener)).acceptMediator,
    ).toMatchObject({ mediators: 1, mediationOffers: [] });
    expect((await call.ok(DISPUTES, { c: circle.id }, curious)).disputes[0]).toMatchObject({
      summary: "He threatened to call immigration on us",
      amMediator: true,
    });
    expect(
      (await call.ok(NOTES, { kind: "DISPUTE", id: dispute.id }, curious)).caseNotes.items.map(
        (n: { text: string }) => n.text,
      ),
    ).toEqual(["Both sides agree to meet on Sunday"]);

    // Nobody else accepts on the opener's behalf, and nobody accepts a member who did not offer.
    const other = await circle.member();
    expect((await call.fails(ACCEPT_MEDIATOR, { id: dispute.id, m: other.memberId }, opener)).code).toBe("NOT_FOUND");
    expect((await call.fails(ACCEPT_MEDIATOR, { id: dispute.id, m: curious.memberId }, other)).code).toBe("FORBIDDEN");
  });

  it("becomes a mediator when the stewards assign them and they consent, not before", async () => {
    const call = api(service);
    const circle = await newCircle();
    const opener = await circle.member();
    const steward = await circle.member(["member", "steward"]);
    const chosen = await circle.member();
    const dispute = (
      await call.ok(
        OPEN_DISPUTE,
        { input: { circleId: circle.id, parties: ["the shop", "the tenants"], summary: "Deposit withheld" } },
        opener,
      )
    ).openDispute;
    expect((await call.fails(ASSIGN_MEDIATOR, { id: dispute.id, m: chosen.memberId }, chosen)).code).toBe("FORBIDDEN");
    expect(
      (await call.ok(ASSIGN_MEDIATOR, { id: dispute.id, m: chosen.memberId }, steward)).assignMediator.mediators,
    ).toBe(0);
    expect((await call.ok(DISPUTES, { c: circle.id }, chosen)).disputes[0].summary).toBeNull();
    expect((await call.ok(ACCEPT_MEDIATION, { id: dispute.id }, chosen)).acceptMediation).toEqual({
      id: dispute.id,
      summary: "Deposit withheld",
      amMediator: true,
    });
  });

  it("does not read a hearing's notes by signing up for a shift; the person facing the hearing shares them", async () => {
    const call = api(service);
    const circle = await newCircle();
    const defendant = await circle.member();
    const volunteer = await circle.member();
    const hearing = (
      await call.ok(
        SCHEDULE,
        {
          input: {
            circleId: circle.id,
            startsAt: new Date(clock().getTime() + 5 * 24 * 60 * MINUTE_MS),
            place: "gcpvj0",
            companionsNeeded: 1,
          },
        },
        defendant,
      )
    ).scheduleHearing;
    await call.ok(
      WRITE,
      { input: { caseKind: "HEARING", caseId: hearing.id, text: "My visa expired in March" } },
      defendant,
    );
    await call.ok(SIGN_UP, { id: hearing.shifts[0].id }, volunteer);
    expect((await call.fails(NOTES, { kind: "HEARING", id: hearing.id }, volunteer)).code).toBe("FORBIDDEN");
    expect((await call.fails(SHARE_NOTES, { h: hearing.id, m: volunteer.memberId }, volunteer)).code).toBe("FORBIDDEN");
    const stranger = await circle.member();
    expect((await call.fails(SHARE_NOTES, { h: hearing.id, m: stranger.memberId }, defendant)).code).toBe(
      "BAD_USER_INPUT",
    );

    expect(
      (await call.ok(SHARE_NOTES, { h: hearing.id, m: volunteer.memberId }, defendant)).shareHearingNotes.companions,
    ).toEqual([{ id: volunteer.memberId }]);
    expect(
      (await call.ok(NOTES, { kind: "HEARING", id: hearing.id }, volunteer)).caseNotes.items.map(
        (n: { text: string }) => n.text,
      ),
    ).toEqual(["My visa expired in March"]);
  });
});

/** What a responder can read about an alert, with times relative to when it was raised. */
async function viewOf(who: { token: string }, alertId: string) {
  // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
  const alert = (await api(service).ok(VIEW, { id: alertId }, who as never)).defenseAlert;
  const since = (at: string | null) =>
    at === null ? null : new Date(at).getTime() - new Date(alert.raisedAt).getTime();
  return {
    calls: alert.calls.map((c: Record<string, string | number | null>) => ({
      step: c.step,
      calledAt: since(c.calledAt as string),
      dueAt: since(c.dueAt as string),
      acknowledgedAt: since(c.acknowledgedAt as string | null),
      escalatedAt: since(c.escalatedAt as string | null),
    })),
    // Steps of different branches due at the same moment are logged in whichever order the workers took them.
    log: alert.log
      .map((e: { at: string; kind: string; step: number | null }) => ({ kind: e.kind, step: e.step, at: since(e.at) }))
      .sort(
        (a: { at: number; kind: string }, b: { at: number; kind: string }) =>
          a.at - b.at || a.kind.localeCompare(b.kind),
      ),
  };
}

/** A circle with one branch: its head, a second responder, and a responder of another branch. */
async function treeOfThree(circle: TestCircle) {
  const street = await branch(service, circle, "street");
  const market = await branch(service, circle, "market");
  const head = await responder(service, circle, street);
  const second = await responder(service, circle, street);
  const elsewhere = await responder(service, circle, market);
  return { head, second, elsewhere };
}

describe("a responder trying to infer who raised an alert", () => {
  it("sees the same whether the head of their branch raised the alert or simply did not answer", async () => {
    const call = api(service);
    const raise = (circle: TestCircle, who: { token: string }) =>
      call.ok(
        ops.raise,
        { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "Vans outside" } },
        // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
        who as never,
      );

    // World one: the head of the street branch raises the alert.
    const one = await newCircle();
    const treeOne = await treeOfThree(one);
    const alertOne = (await raise(one, treeOne.head)).raiseAlert;
    // World two: a member outside the tree raises it, and the head of the street branch does not answer.
    const two = await newCircle();
    const treeTwo = await treeOfThree(two);
    const alertTwo = (await raise(two, await two.member())).raiseAlert;

    expect(await viewOf(treeOne.second, alertOne.id).catch(() => "no access")).toEqual(
      await viewOf(treeTwo.second, alertTwo.id).catch(() => "no access"),
    );
    expect(await viewOf(treeOne.elsewhere, alertOne.id)).toEqual(await viewOf(treeTwo.elsewhere, alertTwo.id));

    clock.advance(5 * MINUTE_MS);
    // Both heads' calls escalate: the street branch's to its second responder, the market branch's nowhere.
    const hasEscalated = async (tree: Awaited<ReturnType<typeof treeOfThree>>, alertId: string) => {
      const seen = async (who: { token: string }) =>
        (await graphql(service.url, VIEW, { id: alertId }, who.token)).body.data?.defenseAlert;
      const [second, elsewhere] = [await seen(tree.second), await seen(tree.elsewhere)];
      return second?.calls.length === 1 && elsewhere?.calls[0]?.escalatedAt ? true : undefined;
    };
    await eventually(() => hasEscalated(treeTwo, alertTwo.id), "the unanswered calls to escalate");
    await eventually(() => hasEscalated(treeOne, alertOne.id), "the raiser's own call to escalate");
    expect(await viewOf(treeOne.second, alertOne.id)).toEqual(await viewOf(treeTwo.second, alertTwo.id));
    expect(await viewOf(treeOne.elsewhere, alertOne.id)).toEqual(await viewOf(treeTwo.elsewhere, alertTwo.id));
  });

  it("reads only their own calls, never another responder's, and no author on the raiser's notes", async () => {
    const call = api(service);
    const circle = await newCircle();
    const { head, second, elsewhere } = await treeOfThree(circle);
    const raiser = await circle.member();
    const alert = (
      await call.ok(
        ops.raise,
        { input: { circleId: circle.id, kind: "EVICTION", place: "u4pruy", urgency: "HIGH", text: "Locks changed" } },
        raiser,
      )
    ).raiseAlert;
    await call.ok(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: "I am at my sister's" } }, raiser);

    const seenByHead = (await call.ok(CALLS, { id: alert.id }, head)).defenseAlert;
    expect(seenByHead.calls).toEqual([{ responderId: head.responderId }]);
    expect(
      seenByHead.log
        .map((e: { responderId: string | null }) => e.responderId)
        .filter((id: string | null) => id !== null && id !== head.responderId),
    ).toEqual([]);
    expect((await call.ok(CALLS, { id: alert.id }, elsewhere)).defenseAlert.calls).toEqual([
      { responderId: elsewhere.responderId },
    ]);
    expect((await call.ok(NOTES, { kind: "ALERT", id: alert.id }, head)).caseNotes.items).toEqual([
      { text: "I am at my sister's", writtenBy: null },
    ]);

    // A member who joins the responders afterwards was not called: the alert is not theirs to read.
    const latecomer = await responder(
      service,
      circle,
      (await call.ok(`query ($c: ID!) { responderBranches(circleId: $c) { id } }`, { c: circle.id }, raiser))
        .responderBranches[0].id,
    );
    expect((await call.ok(ALERTS, { c: circle.id }, latecomer)).defenseAlerts.items).toEqual([]);
    expect((await call.fails(ops.alert, { id: alert.id }, latecomer)).code).toBe("FORBIDDEN");
    expect((await call.fails(ops.alert, { id: alert.id }, circle.organizer)).code).toBe("FORBIDDEN");
    void second;

    // No table links the alert to whoever raised it.
    const [row] = await service.runtime.db.query(`SELECT to_jsonb(a)::text AS row FROM alerts a WHERE id = $1`, [
      alert.id,
    ]);
    expect(row.row).not.toContain(raiser.memberId);
    const handlers = await service.runtime.db.query(`SELECT member_id FROM case_handlers WHERE case_id = $1`, [
      alert.id,
    ]);
    expect(handlers.map((h: { member_id: string }) => h.member_id)).not.toContain(raiser.memberId);
  });
});

describe("a trusted responder or an organizer trying to read every alert", () => {
  it("reads only the alerts they were called or asked to verify, never the tree, and no one else's steps", async () => {
    const call = api(service);
    const circle = await newCircle();
    const all = await branch(service, circle, "all");
    const trusted = [];
    for (let i = 0; i < 5; i += 1) trusted.push(await responder(service, circle, all, { trusted: true }));
    const raise = async (text: string) =>
      (
        await call.ok(
          ops.raise,
          { input: { circleId: circle.id, kind: "EVICTION", place: "u4pruy", urgency: "HIGH", text } },
          await circle.member(),
        )
      ).raiseAlert.id as string;
    const first = await raise("Bailiffs at the door");
    const second = await raise("Bailiffs again");
    const listed = async (who: { token: string }) =>
      // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
      (await call.ok(ALERTS, { c: circle.id }, who as never)).defenseAlerts.items.map((a: { id: string }) => a.id);

    // Each alert asks three trusted responders, in turn: the head of the branch (called for every
    // alert by the tree) and two more; the others read nothing of it, by any path.
    expect((await listed(trusted[0])).sort()).toEqual([first, second].sort());
    for (const who of [trusted[1], trusted[2]]) expect(await listed(who)).toEqual([first]);
    for (const who of [trusted[3], trusted[4]]) expect(await listed(who)).toEqual([second]);
    const ENTITY = `query ($id: ID!) { _entities(representations: [{ __typename: "Alert", id: $id }]) { ... on Alert { id text } } }`;
    for (const [who, unseen] of [
      [trusted[1], second],
      [trusted[3], first],
    ] as const) {
      expect((await call.fails(ops.alert, { id: unseen }, who)).code).toBe("FORBIDDEN");
      expect((await call.ok(ENTITY, { id: unseen }, who))._entities).toEqual([null]);
      expect((await call.fails(ops.verify, { id: unseen }, who)).code).toBe("FORBIDDEN");
      expect((await call.fails(ops.falseAlarm, { id: unseen }, who)).code).toBe("FORBIDDEN");
    }
    // An organizer lists no alert, and no responder lists the tree (with it, a step's time could name a head).
    expect((await call.fails(ALERTS, { c: circle.id }, circle.organizer)).code).toBe("FORBIDDEN");
    const RESPONDERS = `query ($c: ID!) { responders(circleId: $c) { items { id } } }`;
    for (const who of trusted) expect((await call.fails(RESPONDERS, { c: circle.id }, who)).code).toBe("FORBIDDEN");

    // The head does not answer: the call passes down the branch. Once the alert is broadcast, every
    // member reads it, and from its log only the alert's own steps.
    clock.advance(5 * MINUTE_MS);
    await eventually(async () => {
      const rows = await service.runtime.db.query(
        `SELECT 1 FROM alert_log WHERE alert_id = $1 AND kind = 'UNANSWERED'`,
        [first],
      );
      return rows.length > 0 ? true : undefined;
    }, "the head's unanswered call to escalate");
    await call.ok(ops.verify, { id: first }, trusted[1]);
    await call.ok(ops.verify, { id: first }, trusted[2]);
    const bystander = await circle.member();
    const kindsSeen = (
      await call.ok(`query ($id: ID!) { defenseAlert(id: $id) { log { kind responderId } } }`, { id: first }, bystander)
    ).defenseAlert.log;
    expect(new Set(kindsSeen.map((e: { kind: string }) => e.kind))).toEqual(
      new Set(["RAISED", "VERIFIED", "BROADCAST"]),
    );
    expect(kindsSeen.every((e: { responderId: string | null }) => e.responderId === null)).toBe(true);
    const seenByVerifier = (
      await call.ok(
        `query ($id: ID!) { defenseAlert(id: $id) { log { kind responderId } } }`,
        { id: first },
        trusted[4],
      )
    ).defenseAlert.log;
    expect(
      seenByVerifier.some((e: { kind: string }) => ["CALLED", "UNANSWERED", "ACKNOWLEDGED"].includes(e.kind)),
    ).toBe(false);
  });
});

describe("a member watching housing", () => {
  it("cannot tell from their own request's suggestions that, or when, someone else was housed", async () => {
    const call = api(service);
    const circle = await newCircle();
    const period = { availableFrom: "2031-03-01", availableUntil: "2031-04-30" };
    const host = await circle.member();
    const pledge = (
      await call.ok(
        `mutation ($input: PledgeHousingInput!) { pledgeHousing(input: $input) { id roomLeft } }`,
        {
          input: {
            circleId: circle.id,
            capacity: 4,
            ...period,
            acceptsChildren: true,
            acceptsPets: false,
            isStepFree: false,
            contact: "+44 7700 900456",
          },
        },
        host,
      )
    ).pledgeHousing;
    expect(pledge.roomLeft).toBe(4);
    const request = (who: { token: string }, people: number) =>
      call.ok(
        `mutation ($input: RequestHousingInput!) { requestHousing(input: $input) { id } }`,
        {
          input: {
            circleId: circle.id,
            people,
            neededFrom: "2031-03-05",
            neededUntil: "2031-03-20",
            withChildren: false,
            withPets: false,
            needsStepFree: false,
            contact: "signal:someone",
          },
        },
        // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
        who as never,
      );
    const SUGGESTIONS = `query ($id: ID!) { housingSuggestions(requestId: $id) { id capacity roomLeft isMine } }`;
    const watcher = await circle.member();
    const watching = (await request(watcher, 1)).requestHousing.id;
    const before = (await call.ok(SUGGESTIONS, { id: watching }, watcher)).housingSuggestions;

    // Another member is housed by the same host: two people, confirmed by both.
    const guest = await circle.member();
    const theirs = (await request(guest, 2)).requestHousing.id;
    const match = (
      await call.ok(
        `mutation ($r: ID!, $p: ID!) { proposeHousingMatch(requestId: $r, pledgeId: $p) { id } }`,
        {
          r: theirs,
          p: pledge.id,
        },
        guest,
      )
    ).proposeHousingMatch;
    await call.ok(`mutation ($id: ID!) { acceptHousingMatch(matchId: $id) { status } }`, { id: match.id }, host);

    expect((await call.ok(SUGGESTIONS, { id: watching }, watcher)).housingSuggestions).toEqual(before);
    expect(before).toEqual([{ id: pledge.id, capacity: 4, roomLeft: null, isMine: false }]);
  });
});

describe("alerts raised before raisers were kept as tags", () => {
  it("lose the raiser's id at the next sweep, and their raiser still recognises them", async () => {
    const call = api(service);
    const circle = await newCircle();
    await treeOfThree(circle);
    const raiser = await circle.member();
    const alert = (
      await call.ok(
        ops.raise,
        {
          input: { circleId: circle.id, kind: "ARREST", place: "u4pruy", urgency: "HIGH", text: "Taken at the market" },
        },
        raiser,
      )
    ).raiseAlert;
    // What an alert of the earlier version holds: the raiser's id, a handler row, and an authored note.
    // The alert row is rewritten last: any worker's sweep that sees it then finds the rest in place.
    const db = service.runtime.db;
    await db.query(
      `INSERT INTO case_handlers (circle_id, case_kind, case_id, member_id, since) VALUES ($1, 'ALERT', $2, $3, $4)`,
      [circle.id, alert.id, raiser.memberId, clock()],
    );
    await call.ok(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: "Lawyer called" } }, raiser);
    await db.query(`UPDATE case_notes SET author_member_id = $2 WHERE case_id = $1`, [alert.id, raiser.memberId]);
    await db.query(`UPDATE alerts SET raised_by_member_id = $2, raiser_tag = NULL WHERE id = $1`, [
      alert.id,
      raiser.memberId,
    ]);

    await sweepOnce(service.runtime);
    const [row] = await db.query(
      `SELECT to_jsonb(a)::text AS row, raiser_tag IS NOT NULL AS is_tagged FROM alerts a WHERE id = $1`,
      [alert.id],
    );
    expect(row.is_tagged).toBe(true);
    expect(row.row).not.toContain(raiser.memberId);
    expect(
      await db.query(`SELECT 1 FROM case_handlers WHERE case_id = $1 AND member_id = $2`, [alert.id, raiser.memberId]),
    ).toEqual([]);
    expect(
      await db.query(`SELECT 1 FROM case_notes WHERE case_id = $1 AND author_member_id IS NOT NULL`, [alert.id]),
    ).toEqual([]);
    expect(
      (await call.ok(`query ($id: ID!) { defenseAlert(id: $id) { raisedByMe } }`, { id: alert.id }, raiser))
        .defenseAlert.raisedByMe,
    ).toBe(true);
    expect((await call.ok(NOTES, { kind: "ALERT", id: alert.id }, raiser)).caseNotes.items).toEqual([
      { text: "Lawyer called", writtenBy: null },
    ]);
  });
});

describe("a member polling the fund", () => {
  it("cannot tell from fundHoldings that, or when, one disbursement was paid; stewards see the exact figure", async () => {
    const call = api(service);
    const circle = await newCircle();
    const stewards = [await circle.member(["member", "steward"]), await circle.member(["member", "steward"])];
    const watcher = await circle.member();
    await call.ok(CONTRIBUTE, { input: { circleId: circle.id, amountMinor: 10_000, currency: "EUR" } }, stewards[0]);
    const before = (await call.ok(HOLDINGS, { c: circle.id }, watcher)).fundHoldings;

    const recipient = await circle.member();
    const request = (
      await call.ok(
        REQUEST,
        { input: { circleId: circle.id, amountMinor: 1_234, currency: "EUR", purpose: "BAIL", reason: "Bail" } },
        recipient,
      )
    ).requestDisbursement;
    for (const steward of stewards) await call.ok(DECIDE, { id: request.id }, steward);
    await call.ok(PAY, { id: request.id }, stewards[0]);

    expect((await call.ok(HOLDINGS, { c: circle.id }, stewards[1])).fundHoldings).toEqual([
      { currency: "EUR", heldMinor: 8_766, asOfCycle: null },
    ]);
    expect((await call.ok(HOLDINGS, { c: circle.id }, watcher)).fundHoldings).toEqual(before);
    // Not at the new moon either: one person's payment alone never moves what members read.
    const cycle = cycleContaining(clock());
    clock.set(new Date(cycle.endsAt.getTime() + MINUTE_MS));
    expect((await call.ok(HOLDINGS, { c: circle.id }, watcher)).fundHoldings).toEqual(before);
  });
});
