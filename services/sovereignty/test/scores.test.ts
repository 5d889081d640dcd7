import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followingCycle, precedingCycle, runCycleOnce } from "@rhizome/kit";
import { eventually, failure, succeed, testMember } from "@rhizome/kit/testing";
import { scoresJob } from "../src/jobs/scores.js";
import {
  commandReplaced,
  crisis,
  cycleExpired,
  deliver,
  exchange,
  loan,
  mediation,
  members,
} from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

const SCORE = `query Score($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) {
  cycle isClosed sovereigntyEvents commandsDisplaced commandDisplacementPerCapita activeMembers minutesExchanged exchanges loans mediations crisesBuffered commandsReplaced
  debtsAnnulled minutesOfDebtAnnulled
  eventsByKind { kind count } figures { metric value } } }`;
const HISTORY = `query History($circleId: ID!, $throughCycle: String, $cycles: Int) { sovereigntyHistory(circleId: $circleId, throughCycle: $throughCycle, cycles: $cycles) { cycle isClosed exchanges } }`;
const RECORD = `mutation Record($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { id } }`;

let service: SovereigntyTestService;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let cycle: Awaited<ReturnType<typeof startSovereignty>>["cycle"];

beforeAll(async () => {
  ({ service, clock, cycle } = await startSovereignty());
});
afterAll(async () => {
  await service?.stop();
});

/**
 * A cycle worked out by hand: six exchanges among six members (240 minutes), two loans among four
 * members (two of them new), five mediations, one crisis buffered, one agreement replacing three
 * commands, and twelve meals recorded in one entry by an organizer.
 */
async function handWorkedCycle(circleId: string, organizerToken: string) {
  const [m1, m2, m3, m4, m5, m6, m7, m8] = members(8);
  const at = clock();
  const label = cycle.label;
  await deliver(service.runtime.db, [
    exchange(circleId, label, 60, [m1, m2], at),
    exchange(circleId, label, 30, [m3, m4], at),
    exchange(circleId, label, 45, [m5, m6], at),
    exchange(circleId, label, 15, [m1, m3], at),
    exchange(circleId, label, 30, [m2, m4], at),
    exchange(circleId, label, 60, [m5, m1], at),
    loan(circleId, label, [m1, m7], at),
    loan(circleId, label, [m2, m8], at),
    ...Array.from({ length: 5 }, () => mediation(circleId, label, at)),
    crisis(circleId, label, at),
    commandReplaced(circleId, label, 3, at),
  ]);
  await succeed(service.url, RECORD, { input: { circleId, kind: "MEAL_SHARED", count: 12 } }, organizerToken);
}

const HAND_WORKED = {
  exchanges: 6,
  minutesExchanged: 240,
  // 2 loans among 4 members: fewer than 5 people.
  loans: null,
  mediations: 5,
  // 1 crisis, 1 agreement: each behind fewer than 5 people.
  crisesBuffered: null,
  commandsReplaced: null,
  // m1 to m8.
  activeMembers: 8,
  // 6 + 5 shown; hidden loans (4 people), crisis (1), agreement (1) and meals (1) stand for 7 people together: 6 + 5 + 2 + 1 + 3 + 12.
  sovereigntyEvents: 29,
  // 5 mediations shown; the hidden crisis and agreement stand for 2 people: left out.
  commandsDisplaced: 5,
  commandDisplacementPerCapita: 0.625,
};

describe("scores of a circle's cycle", () => {
  it("match a cycle worked out by hand, live while it is open (members only), and kept, public and unchanging once the cycle job closed it", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    const outsider = await testMember(randomUUID());
    await handWorkedCycle(circleId, organizer.token);

    const live = (await succeed(service.url, SCORE, { circleId, cycle: cycle.label }, organizer.token))
      .sovereigntyScore;
    // While the cycle is open the crisis buffered is left out of every figure (it would show the moment someone was helped): 29 - 1.
    expect(live).toMatchObject({ ...HAND_WORKED, sovereigntyEvents: 28, cycle: cycle.label, isClosed: false });
    expect(live.eventsByKind).toContainEqual({ kind: "MEAL_SHARED", count: null });
    expect(live.eventsByKind).toContainEqual({ kind: "POLICE_CALL_AVOIDED", count: 0 });
    expect((await failure(service.url, SCORE, { circleId, cycle: cycle.label }, outsider.token)).code).toBe(
      "FORBIDDEN",
    );
    expect((await failure(service.url, SCORE, { circleId, cycle: cycle.label })).code).toBe("UNAUTHENTICATED");

    clock.set(cycle.endsAt);
    const run = await runCycleOnce(
      service.runtime.db,
      scoresJob,
      circleId,
      cycle.label,
      clock(),
      service.runtime.logger,
      service.runtime.registry,
    );
    expect(run.wasAlreadyFinished).toBe(false);
    const again = await runCycleOnce(
      service.runtime.db,
      scoresJob,
      circleId,
      cycle.label,
      clock(),
      service.runtime.logger,
      service.runtime.registry,
    );
    expect(again.wasAlreadyFinished).toBe(true);

    const closed = (await succeed(service.url, SCORE, { circleId, cycle: cycle.label }, outsider.token))
      .sovereigntyScore;
    expect(closed).toMatchObject({ ...HAND_WORKED, isClosed: true });
    expect((await succeed(service.url, SCORE, { circleId })).sovereigntyScore).toMatchObject({
      ...HAND_WORKED,
      cycle: cycle.label,
    });
    const kept: Array<{ metric: string; value: number }> = await service.runtime.db.query(
      `SELECT metric, value FROM published_figures WHERE circle_id = $1 AND cycle = $2 ORDER BY metric`,
      [circleId, cycle.label],
    );
    expect(kept).toContainEqual({ metric: "COMMAND_DISPLACEMENT_PER_CAPITA", value: 0.625 });
    expect(kept.map((row) => row.metric)).not.toContain("LOANS");

    // The debts annulled at the new moon arrive after the cycle was published: its figures stay as
    // published (a change would single out whoever's debt it was), and the debt counts in the cycle now open.
    await deliver(service.runtime.db, [
      cycleExpired(circleId, cycle.label, 90, new Date(cycle.endsAt.getTime() + 60_000), 1),
    ]);
    expect((await succeed(service.url, SCORE, { circleId, cycle: cycle.label })).sovereigntyScore).toEqual(closed);
    const ledger = await service.runtime.db.query(
      `SELECT cycle FROM sovereignty_events WHERE circle_id = $1 AND kind = 'DEBTS_ANNULLED'`,
      [circleId],
    );
    expect(ledger).toEqual([{ cycle: followingCycle(cycle).label }]);
    clock.set(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
  });

  it("publish the debts annulled at the new moon that began the cycle as members and hours when at least 5 members' debts were annulled", async () => {
    const NEWSLETTER = `query Newsletter($circleId: ID!, $cycle: String, $language: NewsletterLanguage) { newsletter(circleId: $circleId, cycle: $cycle, language: $language) { html } }`;
    const afterNewMoon = new Date(cycle.endsAt.getTime() + 60_000);
    // Worked by hand: six members owed 60, 90, 30, 120, 45 and 105 minutes when the cycle before ended: 450 minutes,
    // 7.5 hours, annulled at the new moon that began this cycle, and counted in it.
    const annulledAt = new Date(cycle.startsAt.getTime() + 60_000);
    const before = precedingCycle(cycle).label;
    const owedMinutes = [60, 90, 30, 120, 45, 105];
    const annulled = randomUUID();
    const debtors = members(6);
    await deliver(service.runtime.db, [
      ...owedMinutes.map((minutes, i) => exchange(annulled, cycle.label, minutes, [debtors[i]], clock())),
      ...Array.from({ length: 5 }, () => mediation(annulled, cycle.label, clock())),
      cycleExpired(
        annulled,
        before,
        owedMinutes.reduce((a, b) => a + b, 0),
        annulledAt,
        owedMinutes.length,
      ),
    ]);
    // Four members owed 200 minutes: nothing about them is published, and no total gives them away.
    const few = randomUUID();
    await deliver(service.runtime.db, [
      ...Array.from({ length: 5 }, () => mediation(few, cycle.label, clock())),
      cycleExpired(few, before, 200, annulledAt, 4),
    ]);
    clock.set(afterNewMoon);
    try {
      const score = async (circleId: string) =>
        (await succeed(service.url, SCORE, { circleId, cycle: cycle.label })).sovereigntyScore;
      const published = await score(annulled);
      expect(published).toMatchObject({
        debtsAnnulled: 6,
        minutesOfDebtAnnulled: 450,
        commandsDisplaced: 11,
        activeMembers: 6,
        commandDisplacementPerCapita: 1.833,
      });
      expect(published.figures).toContainEqual({ metric: "MINUTES_OF_DEBT_ANNULLED", value: 450 });
      expect(await score(few)).toMatchObject({
        debtsAnnulled: null,
        minutesOfDebtAnnulled: null,
        commandsDisplaced: 5,
        sovereigntyEvents: 5,
      });

      const html = async (circleId: string, language: string) =>
        (await succeed(service.url, NEWSLETTER, { circleId, cycle: cycle.label, language })).newsletter.html as string;
      expect(await html(annulled, "EN")).toContain("<dt>Hours of debt annulled at the new moon</dt><dd>7.5</dd>");
      expect(await html(annulled, "ES")).toContain("<dt>Horas de deuda anuladas en la luna nueva</dt><dd>7.5</dd>");
      expect(await html(few, "EN")).toMatch(
        /<dt>Hours of debt annulled at the new moon<\/dt><dd><span class="muted">fewer than 5 people/,
      );

      const COMPARE = `query Compare($cycle: String) { compareCircles(metric: MINUTES_OF_DEBT_ANNULLED, cycle: $cycle, first: 100) { items { value circle { id } } } }`;
      const compared: Array<{ value: number; circle: { id: string } }> = (
        await succeed(service.url, COMPARE, { cycle: cycle.label })
      ).compareCircles.items;
      expect(compared.find((item) => item.circle.id === annulled)?.value).toBe(450);
      expect(compared.some((item) => item.circle.id === few)).toBe(false);
    } finally {
      clock.set(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
    }
  });

  it("close every known circle's cycle through the kit's schedule when the new moon has passed", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    await deliver(
      service.runtime.db,
      members(5).map((member, i) => exchange(circleId, cycle.label, 10 * (i + 1), [member], clock())),
    );
    clock.set(new Date(cycle.endsAt.getTime() + 1_000));
    try {
      await service.cycles!.ensureSchedules();
      const kept = await eventually(async () => {
        const rows: Array<{ figures: Record<string, number | null> }> = await service.runtime.db.query(
          `SELECT figures FROM cycle_scores WHERE circle_id = $1 AND cycle = $2`,
          [circleId, cycle.label],
        );
        return rows[0]?.figures;
      }, "the cycle job to close the cycle");
      expect(kept).toMatchObject({ EXCHANGES: 5, MINUTES_EXCHANGED: 150, ACTIVE_MEMBERS: 5 });
    } finally {
      clock.set(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
    }
    void organizer;
  });

  it("give 12 cycles of history, oldest first, and refuse bad cycles with a code", async () => {
    const circleId = randomUUID();
    const member = await testMember(circleId);
    await deliver(
      service.runtime.db,
      members(5).map((m) => exchange(circleId, cycle.label, 30, [m], clock())),
    );
    const history = (await succeed(service.url, HISTORY, { circleId }, member.token)).sovereigntyHistory;
    expect(history).toHaveLength(12);
    expect(history[11]).toEqual({ cycle: cycle.label, isClosed: false, exchanges: 5 });
    expect(history[0].exchanges).toBe(0);
    expect(
      (await succeed(service.url, HISTORY, { circleId, cycles: 3 })).sovereigntyHistory.map(
        (s: { isClosed: boolean }) => s.isClosed,
      ),
    ).toEqual([true, true, true]);

    const outsider = await testMember(randomUUID());
    expect((await failure(service.url, HISTORY, { circleId, throughCycle: cycle.label }, outsider.token)).code).toBe(
      "FORBIDDEN",
    );
    expect((await succeed(service.url, HISTORY, { circleId, cycles: 1 }, outsider.token)).sovereigntyHistory).toEqual([
      expect.objectContaining({ isClosed: true }),
    ]);
    expect((await failure(service.url, HISTORY, { circleId, cycles: 13 }, member.token)).code).toBe("BAD_USER_INPUT");
    expect((await failure(service.url, SCORE, { circleId, cycle: "yesterday" })).code).toBe("BAD_USER_INPUT");
    expect((await failure(service.url, SCORE, { circleId: "not-a-circle" })).code).toBe("NOT_FOUND");
  });
});
