import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import { graphql, startTestService } from "@rhizome/kit/testing";
import { sovereigntyService } from "../../services/sovereignty/src/service.js";
import { ungraftProblems } from "../../services/barter/src/credit-commons/graft.js";
import type { NodeConfig } from "../../services/barter/src/credit-commons/node-config.js";
import {
  addressOf,
  CANCEL,
  CONFIRM,
  failure,
  freePorts,
  graphqlUrl,
  joinedCircle,
  ledgersOf,
  MINE,
  NODE,
  OPERATOR_KEY,
  PROPOSE,
  query,
  startBranches,
  startNode,
  succeed,
  trunkEnv,
  type BranchCircle,
  type Hub,
} from "./tree.js";

const DAY_MS = 86_400_000;
const CYCLE = cycleContaining(new Date("2041-05-01T00:00:00.000Z"));
const MID_CYCLE = new Date(CYCLE.startsAt.getTime() + 7 * DAY_MS);

let trunk: Hub;
let east: Hub;
let west: Hub;
let garden: BranchCircle;
let orchard: BranchCircle;

function setClocks(instant: Date, hubs: Hub[] = [trunk, east, west]) {
  for (const hub of hubs) hub.clock.set(instant);
}

beforeAll(async () => {
  const ports = await freePorts();
  [trunk, { east, west }] = await Promise.all([
    startNode("trunk", ports.trunk, trunkEnv(ports), MID_CYCLE),
    startBranches(ports, MID_CYCLE),
  ]);
  [garden, orchard] = await Promise.all([joinedCircle(east, "garden", 4, 120), joinedCircle(west, "orchard", 4, 600)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([trunk, east, west].filter(Boolean).map((hub) => hub.stop()));
});

describe("a member on one branch pays a member on the other, through the trunk", () => {
  it("moves nothing until the payee consents, then records it on every ledger on the way, each balanced", async () => {
    setClocks(MID_CYCLE);
    const [payer] = garden.members;
    const [payee] = orchard.members;
    const payeePath = await addressOf(west, payee);
    expect(payeePath).toMatch(/^trunk\/west\/orchard\/[a-z2-7]{10}$/);

    const { proposeRemoteExchange: proposed } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath, minutes: 90 },
      payer.token,
    );
    expect(proposed).toMatchObject({ role: "PAYER", otherAccountPath: payeePath, minutes: 90, status: "PENDING" });

    // Pending on all three nodes; nothing moved on any ledger.
    for (const hub of [east, trunk, west]) {
      const ledgers = await ledgersOf(hub, proposed.id);
      expect(ledgers, hub.name).toMatchObject({ state: "pending", nodeEntries: [], circleEntries: [] });
    }
    const waiting = await succeed(graphqlUrl(west), MINE, { circleId: orchard.circleId }, payee.token);
    expect(waiting.myRemoteExchanges.items).toEqual([
      {
        id: proposed.id,
        role: "PAYEE",
        otherAccountPath: expect.stringMatching(/^trunk\/east\/garden\/[a-z2-7]{10}$/),
        minutes: 90,
        status: "PENDING",
      },
    ]);

    const { confirmRemoteExchange: confirmed } = await succeed(
      graphqlUrl(west),
      CONFIRM,
      { id: proposed.id },
      payee.token,
    );
    expect(confirmed).toMatchObject({ role: "PAYEE", status: "COMPLETED", cycle: CYCLE.label });

    const [onEast, onTrunk, onWest] = await Promise.all([east, trunk, west].map((hub) => ledgersOf(hub, proposed.id)));
    // East: the payer is debited, the circle's REMOTE account credited; the node's account for the
    // ledger moves the opposite way, and its account for the trunk by the same amount.
    expect(onEast).toEqual({
      state: "completed",
      cycle: CYCLE.label,
      nodeEntries: [
        { side: "ledger:garden", minutes: -90, cycle: CYCLE.label },
        { side: "trunkward", minutes: 90, cycle: CYCLE.label },
      ],
      circleEntries: [
        { account: "MEMBER", minutes: -90, cycle: CYCLE.label },
        { account: "REMOTE", minutes: 90, cycle: CYCLE.label },
      ],
      isBalanced: true,
    });
    // The trunk mirrors each branch: east's trunkward +90 is the trunk's branch:east -90.
    expect(onTrunk).toEqual({
      state: "completed",
      cycle: CYCLE.label,
      nodeEntries: [
        { side: "branch:east", minutes: -90, cycle: CYCLE.label },
        { side: "branch:west", minutes: 90, cycle: CYCLE.label },
      ],
      circleEntries: [],
      isBalanced: true,
    });
    expect(onWest).toEqual({
      state: "completed",
      cycle: CYCLE.label,
      nodeEntries: [
        { side: "ledger:orchard", minutes: 90, cycle: CYCLE.label },
        { side: "trunkward", minutes: -90, cycle: CYCLE.label },
      ],
      circleEntries: [
        { account: "MEMBER", minutes: 90, cycle: CYCLE.label },
        { account: "REMOTE", minutes: -90, cycle: CYCLE.label },
      ],
      isBalanced: true,
    });

    // The payer sees it completed on their hub too.
    const mine = await succeed(graphqlUrl(east), MINE, { circleId: garden.circleId }, payer.token);
    expect(mine.myRemoteExchanges.items[0]).toMatchObject({ id: proposed.id, status: "COMPLETED" });

    // What the other hubs stored about the members: the paths and the amount, nothing else.
    const [stored] = await query<Record<string, unknown>>(
      trunk.databaseUrl,
      `SELECT * FROM cc_transactions WHERE uuid = $1`,
      [proposed.id],
    );
    expect(stored).toMatchObject({ circle_id: null, member_id: null, member_role: null, minutes: 90 });
    expect(JSON.stringify(stored)).not.toContain(payer.memberId);
    expect(JSON.stringify(stored)).not.toContain(payee.memberId);

    // The trunk's operator sees its balance with each branch.
    const { creditCommonsNode } = await succeed(graphqlUrl(trunk), NODE, {}, { "x-operator-key": OPERATOR_KEY });
    expect(creditCommonsNode).toMatchObject({
      path: "trunk",
      trunkwardName: null,
      branchNames: ["east", "west"],
      cycle: CYCLE.label,
    });
    expect(creditCommonsNode.balances).toEqual(
      expect.arrayContaining([
        { side: "branch:east", balanceMinutes: expect.any(Number) },
        { side: "branch:west", balanceMinutes: expect.any(Number) },
      ]),
    );
  });

  it("keeps each circle's balance of trade with the rest of the tree within its limit under racing confirmations", async () => {
    setClocks(new Date(MID_CYCLE.getTime() + DAY_MS));
    // garden's limit is 120 minutes; 90 already went out above, in the same cycle. Start a fresh cycle day count:
    const [, second, third, fourth] = garden.members;
    const payees = orchard.members.slice(1, 4);
    const paths = await Promise.all(payees.map((payee) => addressOf(west, payee)));
    const proposals = await Promise.all(
      [second, third, fourth].map(
        async (payer, index) =>
          (
            await succeed(
              graphqlUrl(east),
              PROPOSE,
              { circleId: garden.circleId, payeePath: paths[index], minutes: 20 },
              payer.token,
            )
          ).proposeRemoteExchange,
      ),
    );
    const outcomes = await Promise.all(
      proposals.map((proposal, index) =>
        succeed(graphqlUrl(west), CONFIRM, { id: proposal.id }, payees[index].token).then(
          () => "completed",
          (error: Error) => error.message,
        ),
      ),
    );
    // 90 + 20 = 110 fits the limit of 120; a second 20 would make 130: exactly one completes.
    expect(outcomes.filter((outcome) => outcome === "completed")).toHaveLength(1);
    const [remote] = await query<{ balance_minutes: number }>(
      east.databaseUrl,
      `SELECT c.balance_minutes FROM account_cycles c JOIN accounts a ON a.id = c.account_id WHERE a.circle_id = $1 AND a.kind = 'REMOTE' AND c.cycle = $2`,
      [garden.circleId, CYCLE.label],
    );
    expect(remote.balance_minutes).toBe(110);
    for (const hub of [east, trunk, west])
      expect((await ledgersOf(hub, proposals[0].id)).isBalanced, hub.name).toBe(true);
    const refused = outcomes.find((outcome) => outcome !== "completed");
    expect(refused).toContain("balance of trade");
  });

  it("refuses at once a proposal that cannot fit the payer's floor or their circle's trade limit, on no hub", async () => {
    const meadow = await joinedCircle(east, "meadow", 1, 30);
    const [payer] = meadow.members;
    const payeePath = await addressOf(west, orchard.members[0]);
    const propose = (minutes: number) =>
      graphql(graphqlUrl(east), PROPOSE, { circleId: meadow.circleId, payeePath, minutes }, payer.token);
    // The floor is -10 h and the payer's balance 0: 601 minutes cannot fit.
    const belowFloor = (await propose(601)).body.errors?.[0];
    expect(belowFloor?.extensions).toMatchObject({ code: "CONFLICT", limit: "BALANCE_FLOOR" });
    expect(belowFloor?.message).toContain("floor of -10h");
    // The circle's balance of trade may go 30 minutes either way.
    const pastTradeLimit = (await propose(31)).body.errors?.[0];
    expect(pastTradeLimit?.extensions).toMatchObject({ code: "CONFLICT", limit: "TRADE_LIMIT" });
    for (const hub of [east, trunk, west])
      expect(
        await query(hub.databaseUrl, `SELECT uuid FROM cc_transactions WHERE payer_path LIKE $1`, ["%/meadow/%"]),
        hub.name,
      ).toEqual([]);
    const fits = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: meadow.circleId, payeePath, minutes: 30 },
      payer.token,
    );
    expect(fits.proposeRemoteExchange.status).toBe("PENDING");
    await succeed(graphqlUrl(east), CANCEL, { id: fits.proposeRemoteExchange.id }, payer.token);
  });

  it("lets the payee decline: erased on every node, nothing moved", async () => {
    setClocks(new Date(MID_CYCLE.getTime() + 2 * DAY_MS));
    const [payer] = garden.members;
    const [payee] = orchard.members;
    const { proposeRemoteExchange: proposed } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath: await addressOf(west, payee), minutes: 5 },
      payer.token,
    );
    const { cancelRemoteExchange } = await succeed(graphqlUrl(west), CANCEL, { id: proposed.id }, payee.token);
    expect(cancelRemoteExchange.status).toBe("ERASED");
    for (const hub of [east, trunk, west])
      expect(await ledgersOf(hub, proposed.id), hub.name).toMatchObject({
        state: "erased",
        nodeEntries: [],
        circleEntries: [],
      });
    expect(await failure(graphqlUrl(west), CONFIRM, { id: proposed.id }, payee.token)).toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("what each hub's own services hear", () => {
  it("tells each circle's services of a completed exchange like any exchange, naming only its own member", async () => {
    const [brook, ridge] = await Promise.all([joinedCircle(east, "brook", 1), joinedCircle(west, "ridge", 1)]);
    const [payer] = brook.members;
    const [payee] = ridge.members;
    const { proposeRemoteExchange: proposed } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: brook.circleId, payeePath: await addressOf(west, payee), minutes: 40 },
      payer.token,
    );
    const eventsOf = (hub: Hub) =>
      query(hub.databaseUrl, `SELECT topic, circle_id, payload FROM outbox WHERE payload->>'exchangeId' = $1`, [
        proposed.id,
      ]);
    for (const hub of [east, trunk, west]) expect(await eventsOf(hub), hub.name).toEqual([]);

    await succeed(graphqlUrl(west), CONFIRM, { id: proposed.id }, payee.token);
    const confirmed = (circleId: string, memberId: string) => ({
      topic: "exchange.confirmed",
      circle_id: circleId,
      payload: { circleId, exchangeId: proposed.id, cycle: proposed.cycle, minutes: 40, memberIds: [memberId] },
    });
    expect(await eventsOf(east)).toEqual([confirmed(brook.circleId, payer.memberId)]);
    expect(await eventsOf(west)).toEqual([confirmed(ridge.circleId, payee.memberId)]);
    expect(await eventsOf(trunk)).toEqual([]);

    // Sovereignty reading the payer's hub counts the hours like any exchange of the circle.
    const sovereignty = await startTestService(sovereigntyService, {
      ownDatabase: true,
      clock: east.clock,
      env: { BARTER_URL: east.url },
    });
    try {
      const counted = async () =>
        query<{ kind: string; minutes: number; cycle: string }>(
          sovereignty.databaseUrl,
          `SELECT kind, minutes, cycle FROM sovereignty.sovereignty_events WHERE circle_id = $1`,
          [brook.circleId],
        );
      const deadline = Date.now() + 30_000;
      while ((await counted()).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await counted()).toEqual([{ kind: "EXCHANGE", minutes: 40, cycle: proposed.cycle }]);
    } finally {
      await sovereignty.stop();
    }
  });
});

describe("operators", () => {
  it("may ungraft a branch only once its balance is settled, or after the new moon", async () => {
    const trunkDatabase = {
      query: async <Rows>(sql: string, params?: unknown[]) => (await query(trunk.databaseUrl, sql, params)) as Rows,
    };
    const node = (branchNames: string[]): NodeConfig => ({
      path: ["trunk"],
      name: "trunk",
      branchNames,
      branches: branchNames.map((name) => ({ name, url: `http://127.0.0.1:1/${name}/`, key: "k".repeat(24) })),
      relayTimeoutMs: 4000,
      neighbourLimitMinutes: 12_000,
    });
    const during = new Date(MID_CYCLE.getTime() + 2 * DAY_MS);
    expect(await ungraftProblems(trunkDatabase, node(["east", "west"]), during)).toEqual([]);
    const dropped = await ungraftProblems(trunkDatabase, node(["east"]), during);
    expect(dropped).toEqual([expect.stringContaining("branch:west was removed")]);
    // The new moon settles every side: the same configuration is fine in the next cycle.
    expect(await ungraftProblems(trunkDatabase, node(["east"]), new Date(CYCLE.endsAt.getTime() + DAY_MS))).toEqual([]);
  });
});

describe("lunar expiry across hubs", () => {
  it("refuses on every node a transaction whose new moon passed before consent, even when one hub's clock lags", async () => {
    const beforeNewMoon = new Date(CYCLE.endsAt.getTime() - 60_000);
    const afterNewMoon = new Date(CYCLE.endsAt.getTime() + 60_000);
    setClocks(beforeNewMoon);
    const [payer] = garden.members;
    const [, payee] = orchard.members;
    const payeePath = await addressOf(west, payee);
    const { proposeRemoteExchange: first } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath, minutes: 3 },
      payer.token,
    );
    const { proposeRemoteExchange: second } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath, minutes: 4 },
      payer.token,
    );
    expect(first.cycle).toBe(CYCLE.label);

    // The new moon passes. West's clock lags behind: it still thinks the old cycle runs and forwards
    // the confirmation; the trunk knows better and refuses before anyone wrote anything.
    setClocks(afterNewMoon, [trunk, east]);
    const lagging = await failure(graphqlUrl(west), CONFIRM, { id: first.id }, payee.token);
    expect(lagging).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("lapsed at the new moon") });

    // Every clock past the new moon: the payee's own hub refuses at once.
    setClocks(afterNewMoon);
    const onTime = await failure(graphqlUrl(west), CONFIRM, { id: second.id }, payee.token);
    expect(onTime).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("lapsed at the new moon") });

    for (const id of [first.id, second.id])
      for (const hub of [east, trunk, west])
        expect(await ledgersOf(hub, id), `${hub.name} ${id}`).toMatchObject({
          state: "pending",
          cycle: CYCLE.label,
          nodeEntries: [],
          circleEntries: [],
          isBalanced: true,
        });
    const mine = await succeed(graphqlUrl(west), MINE, { circleId: orchard.circleId }, payee.token);
    expect(
      mine.myRemoteExchanges.items.filter((item: { id: string }) => [first.id, second.id].includes(item.id)),
    ).toEqual([expect.objectContaining({ status: "LAPSED" }), expect.objectContaining({ status: "LAPSED" })]);

    // The new cycle starts every mirror account at zero on every node, with no message between them.
    const { creditCommonsNode } = await succeed(graphqlUrl(trunk), NODE, {}, { "x-operator-key": OPERATOR_KEY });
    expect(creditCommonsNode.cycle).not.toBe(CYCLE.label);
    expect(creditCommonsNode.balances).toEqual([]);
  });
});

describe("isolation of the new fields", () => {
  it("keeps a member of another circle out of every exchange, address and ledger of a circle", async () => {
    setClocks(new Date(MID_CYCLE.getTime() + 3 * DAY_MS));
    const [payer] = garden.members;
    const [payee] = orchard.members;
    const { proposeRemoteExchange: proposed } = await succeed(
      graphqlUrl(east),
      PROPOSE,
      { circleId: garden.circleId, payeePath: await addressOf(west, payee), minutes: 1 },
      payer.token,
    );
    const outsider = (await joinedCircle(east, "hedge", 1)).members[0];
    const before = await ledgersOf(east, proposed.id);

    expect(await failure(graphqlUrl(east), MINE, { circleId: garden.circleId }, outsider.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await failure(
        graphqlUrl(east),
        `query ($circleId: ID!) { creditCommonsAddress(circleId: $circleId) }`,
        { circleId: garden.circleId },
        outsider.token,
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(graphqlUrl(east), CANCEL, { id: proposed.id }, outsider.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(graphqlUrl(west), CONFIRM, { id: proposed.id }, outsider.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    // The payer cannot confirm their own payment on the payee's behalf.
    expect(await failure(graphqlUrl(east), CONFIRM, { id: proposed.id }, payer.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await failure(
        graphqlUrl(east),
        `mutation ($circleId: ID!) { joinCreditCommons(circleId: $circleId, ledgerName: "taken", tradeLimitMinutes: 60) { path } }`,
        { circleId: garden.circleId },
        outsider.token,
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    // A member, even an organizer, is no operator.
    expect(await failure(graphqlUrl(east), NODE, {}, garden.organizer.token)).toMatchObject({ code: "FORBIDDEN" });
    expect(await ledgersOf(east, proposed.id)).toEqual(before);
  });

  it("refuses bad input with a code and a message, never a crash", async () => {
    const [payer] = garden.members;
    const bad = (payeePath: string, minutes: number) =>
      failure(graphqlUrl(east), PROPOSE, { circleId: garden.circleId, payeePath, minutes }, payer.token);
    expect(await bad("Not A Path", 10)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await bad("trunk/west/orchard/aaaaaaaaaa", 0)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await bad("trunk/west/orchard/aaaaaaaaaa", 5000)).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await bad("trunk/east/garden/aaaaaaaaaa", 10)).toMatchObject({ code: "BAD_USER_INPUT" });
    // An account nobody holds: refused by the payee's hub, and nothing is left pending anywhere.
    expect(await bad("trunk/west/orchard/aaaaaaaaaa", 10)).toMatchObject({ code: "NOT_FOUND" });
    expect(await bad("trunk/south/x/aaaaaaaaaa", 10)).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the public balance of trade between hubs", () => {
  const TRADE = `query ($cycle: String!) { creditCommonsTrade(cycle: $cycle) { side minutesToSide minutesFromSide balanceMinutes participantCount } }`;
  const nextCycle = (cycle: typeof CYCLE) => cycleContaining(new Date(cycle.endsAt.getTime() + DAY_MS));

  async function payInCycle(cycle: typeof CYCLE, pairs: number) {
    setClocks(new Date(cycle.startsAt.getTime() + 2 * DAY_MS));
    const payers = [...garden.members, garden.organizer].slice(0, pairs);
    const payees = [...orchard.members, orchard.organizer].slice(0, pairs);
    for (const [index, payer] of payers.entries()) {
      const { proposeRemoteExchange } = await succeed(
        graphqlUrl(east),
        PROPOSE,
        { circleId: garden.circleId, payeePath: await addressOf(west, payees[index]), minutes: 10 },
        payer.token,
      );
      await succeed(graphqlUrl(west), CONFIRM, { id: proposeRemoteExchange.id }, payees[index].token);
    }
  }

  it("is published for a closed cycle only, and only when at least 5 accounts at each end took part", async () => {
    const fewCycle = nextCycle(CYCLE);
    const enoughCycle = nextCycle(fewCycle);
    await payInCycle(fewCycle, 4);
    // Still open: nothing is published yet.
    expect(await failure(graphqlUrl(trunk), TRADE, { cycle: fewCycle.label })).toMatchObject({
      code: "BAD_USER_INPUT",
    });
    await payInCycle(enoughCycle, 5);

    setClocks(new Date(enoughCycle.endsAt.getTime() + DAY_MS));
    const few = (await succeed(graphqlUrl(trunk), TRADE, { cycle: fewCycle.label })).creditCommonsTrade;
    const suppressed = { minutesToSide: null, minutesFromSide: null, balanceMinutes: null, participantCount: null };
    expect(few).toEqual([
      { side: "branch:east", ...suppressed },
      { side: "branch:west", ...suppressed },
    ]);
    const enough = (await succeed(graphqlUrl(trunk), TRADE, { cycle: enoughCycle.label })).creditCommonsTrade;
    expect(enough).toEqual([
      { side: "branch:east", minutesToSide: 0, minutesFromSide: 50, balanceMinutes: -50, participantCount: 5 },
      { side: "branch:west", minutesToSide: 50, minutesFromSide: 0, balanceMinutes: 50, participantCount: 5 },
    ]);
    // The payer's hub publishes its ledger's side the same way, anonymous callers included.
    const onEast = (await succeed(graphqlUrl(east), TRADE, { cycle: enoughCycle.label })).creditCommonsTrade;
    expect(onEast).toEqual([
      { side: "ledger:garden", minutesToSide: 0, minutesFromSide: 50, balanceMinutes: -50, participantCount: 5 },
      { side: "trunkward", minutesToSide: 50, minutesFromSide: 0, balanceMinutes: 50, participantCount: 5 },
    ]);
  });
});
