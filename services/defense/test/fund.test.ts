import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining } from "@rhizome/kit";
import { circleSnapshot, graphql, testMember } from "@rhizome/kit/testing";
import { api, newCircle, startDefense, type DefenseTestService, type TestCircle } from "./support/defense.js";

const PLEDGE = `mutation ($input: PledgeInput!) { pledge(input: $input) { id amountMinor currency } }`;
const CONTRIBUTE = `mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { currency heldMinor } }`;
const REQUEST = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id status recipient { id } reason } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!) { decideDisbursement(requestId: $id, approve: $approve) { id status } }`;
const PAY = `mutation ($id: ID!) { recordDisbursement(requestId: $id) { id status paidAt } }`;
const REQUESTS = `query ($circleId: ID!) { disbursementRequests(circleId: $circleId) { items { id recipient { id } reason amountMinor status } } }`;
const ONE_REQUEST = `query ($id: ID!) { disbursementRequest(id: $id) { id recipient { id } reason } }`;
const HOLDINGS = `query ($circleId: ID!) { fundHoldings(circleId: $circleId) { currency heldMinor } }`;
const TOTALS = `query ($circleId: ID!, $cycle: String!) { fundTotals(circleId: $circleId, cycle: $cycle) { cycle currencies { currency totalInMinor totalOutMinor outByPurpose { purpose amountMinor recipients } } } }`;
const BY_REFERENCE = `query ($rep: _Any!) { _entities(representations: [$rep]) { ... on Disbursement { id reason } } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];

beforeAll(async () => {
  ({ service, clock } = await startDefense());
});

afterAll(async () => {
  await service?.stop();
});

async function fundedCircle(amountMinor: number) {
  const circle = await newCircle();
  const stewards = [await circle.member(["member", "steward"]), await circle.member(["member", "steward"])];
  if (amountMinor > 0)
    await api(service).ok(CONTRIBUTE, { input: { circleId: circle.id, amountMinor, currency: "EUR" } }, stewards[0]);
  return { circle, stewards };
}

async function approvedRequest(
  circle: TestCircle,
  stewards: Array<{ token: string }>,
  amountMinor: number,
  purpose = "RENT",
) {
  const call = api(service);
  const recipient = await circle.member();
  const request = (
    await call.ok(
      REQUEST,
      {
        input: { circleId: circle.id, amountMinor, currency: "EUR", purpose, reason: "Rent arrears before court date" },
      },
      recipient,
    )
  ).requestDisbursement;
  // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
  for (const steward of stewards) await call.ok(DECIDE, { id: request.id, approve: true }, steward as never);
  return { recipient, requestId: request.id as string };
}

describe("the emergency fund", () => {
  it("pays approved requests through a double-entry ledger, tells the hub a crisis was buffered, and shows recipients to stewards only", async () => {
    const call = api(service);
    const { circle, stewards } = await fundedCircle(0);
    const giver = await circle.member();
    const pledged = (
      await call.ok(PLEDGE, { input: { circleId: circle.id, amountMinor: 5_000, currency: "EUR" } }, giver)
    ).pledge;
    expect(
      await call.ok(
        CONTRIBUTE,
        { input: { circleId: circle.id, amountMinor: 5_000, currency: "EUR", pledgeId: pledged.id } },
        stewards[0],
      ),
    ).toEqual({ recordContribution: [{ currency: "EUR", heldMinor: 5_000 }] });

    const recipient = await circle.member();
    const request = (
      await call.ok(
        REQUEST,
        {
          input: {
            circleId: circle.id,
            amountMinor: 1_200,
            currency: "EUR",
            purpose: "LEGAL",
            reason: "Court fee for the eviction hearing",
          },
        },
        recipient,
      )
    ).requestDisbursement;
    expect(request).toMatchObject({
      status: "REQUESTED",
      recipient: { id: recipient.memberId },
      reason: "Court fee for the eviction hearing",
    });
    expect((await call.fails(PAY, { id: request.id }, stewards[0])).code).toBe("CONFLICT");
    expect((await call.ok(DECIDE, { id: request.id, approve: true }, stewards[0])).decideDisbursement.status).toBe(
      "REQUESTED",
    );
    expect((await call.ok(DECIDE, { id: request.id, approve: true }, stewards[1])).decideDisbursement.status).toBe(
      "APPROVED",
    );
    expect((await call.ok(PAY, { id: request.id }, stewards[1])).recordDisbursement.status).toBe("PAID");
    // Stewards read the live figure; a member reads closed cycles' figures only (none published yet here).
    expect((await call.ok(HOLDINGS, { circleId: circle.id }, stewards[0])).fundHoldings).toEqual([
      { currency: "EUR", heldMinor: 3_800 },
    ]);
    expect((await call.ok(HOLDINGS, { circleId: circle.id }, giver)).fundHoldings).toEqual([
      { currency: "EUR", heldMinor: null },
    ]);

    const [event] = await service.runtime.db.query(`SELECT topic, payload FROM outbox WHERE payload->>'caseId' = $1`, [
      request.id,
    ]);
    expect(event).toEqual({
      topic: "crisis.buffered",
      payload: {
        circleId: circle.id,
        caseId: request.id,
        cycle: cycleContaining(clock()).label,
        via: "FUND",
        helpedKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    // Who was helped leaves only as a pseudonym.
    expect(JSON.stringify(event.payload)).not.toContain(recipient.memberId);

    // Who received money: the stewards and the recipient, nobody else, by no path.
    expect((await call.ok(REQUESTS, { circleId: circle.id }, stewards[0])).disbursementRequests.items[0]).toMatchObject(
      { recipient: { id: recipient.memberId }, reason: "Court fee for the eviction hearing" },
    );
    expect((await call.ok(ONE_REQUEST, { id: request.id }, recipient)).disbursementRequest.recipient.id).toBe(
      recipient.memberId,
    );
    const outsiderSteward = await testMember(crypto.randomUUID(), ["member", "steward"]);
    expect((await call.fails(REQUESTS, { circleId: circle.id }, giver)).code).toBe("FORBIDDEN");
    expect((await call.fails(ONE_REQUEST, { id: request.id }, giver)).code).toBe("FORBIDDEN");
    expect((await call.fails(REQUESTS, { circleId: circle.id }, outsiderSteward)).code).toBe("FORBIDDEN");
    expect((await call.fails(ONE_REQUEST, { id: request.id }, outsiderSteward)).code).toBe("NOT_FOUND");
    expect((await call.fails(DECIDE, { id: request.id, approve: false }, outsiderSteward)).code).toBe("NOT_FOUND");
    const reference = { rep: { __typename: "Disbursement", id: request.id } };
    expect((await call.ok(BY_REFERENCE, reference, giver))._entities).toEqual([null]);
    expect((await call.ok(BY_REFERENCE, reference, outsiderSteward))._entities).toEqual([null]);
    expect((await call.ok(BY_REFERENCE, reference, stewards[0]))._entities).toEqual([
      { id: request.id, reason: "Court fee for the eviction hearing" },
    ]);
  });

  it("declines a request any steward objects to", async () => {
    const { circle, stewards } = await fundedCircle(1_000);
    const recipient = await circle.member();
    const request = (
      await api(service).ok(
        REQUEST,
        { input: { circleId: circle.id, amountMinor: 100, currency: "EUR", purpose: "FOOD", reason: "Groceries" } },
        recipient,
      )
    ).requestDisbursement;
    await api(service).ok(DECIDE, { id: request.id, approve: true }, stewards[0]);
    expect(
      (await api(service).ok(DECIDE, { id: request.id, approve: false }, stewards[1])).decideDisbursement.status,
    ).toBe("DECLINED");
    expect((await api(service).fails(PAY, { id: request.id }, stewards[0])).code).toBe("CONFLICT");
  });

  it("never pays out more than it holds under concurrent payments, records a contribution once per idempotency key, and keeps every balance equal to its entries", async () => {
    const call = api(service);
    const { circle, stewards } = await fundedCircle(0);
    const contributions = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        graphql(
          service.url,
          CONTRIBUTE,
          { input: { circleId: circle.id, amountMinor: 1_000, currency: "EUR", idempotencyKey: "bank-transfer-0042" } },
          stewards[0].token,
        ),
      ),
    );
    expect(contributions.every((r) => !r.body.errors)).toBe(true);
    expect((await call.ok(HOLDINGS, { circleId: circle.id }, stewards[0])).fundHoldings).toEqual([
      { currency: "EUR", heldMinor: 1_000 },
    ]);

    const requests = await Promise.all(Array.from({ length: 10 }, () => approvedRequest(circle, stewards, 300)));
    const payments = await Promise.all(
      requests.flatMap(({ requestId }) =>
        [1, 2].map(() => graphql(service.url, PAY, { id: requestId }, stewards[1].token)),
      ),
    );
    const paidIds = new Set(payments.filter((r) => !r.body.errors).map((r) => r.body.data.recordDisbursement.id));
    expect(paidIds.size).toBe(3);
    expect(
      payments.filter((r) => r.body.errors).every((r) => r.body.errors![0].extensions?.code === "BAD_USER_INPUT"),
    ).toBe(true);
    expect((await call.ok(HOLDINGS, { circleId: circle.id }, stewards[0])).fundHoldings).toEqual([
      { currency: "EUR", heldMinor: 100 },
    ]);

    const accounts = await service.runtime.db.query(
      `SELECT a.kind, a.balance_minor::int AS balance, (SELECT COALESCE(sum(amount_minor), 0)::int FROM fund_entries e WHERE e.account_id = a.id) AS entries FROM fund_accounts a WHERE circle_id = $1 ORDER BY kind`,
      [circle.id],
    );
    expect(accounts).toEqual([
      { kind: "CONTRIBUTED", balance: -1_000, entries: -1_000 },
      { kind: "DISBURSED", balance: 900, entries: 900 },
      { kind: "HELD", balance: 100, entries: 100 },
    ]);
    await expect(
      service.runtime.db.query(
        `UPDATE fund_entries SET amount_minor = 1 WHERE account_id IN (SELECT id FROM fund_accounts WHERE circle_id = $1)`,
        [circle.id],
      ),
    ).rejects.toThrow(/append-only/);
  });

  it("publishes totals of an ended cycle to anyone, suppressing purposes paid to fewer than 5 people and any total that would reveal them", async () => {
    const call = api(service);
    const { circle, stewards } = await fundedCircle(0);
    for (let i = 0; i < 5; i++)
      await call.ok(CONTRIBUTE, { input: { circleId: circle.id, amountMinor: 2_000, currency: "EUR" } }, stewards[0]);
    const paid = [
      ...(await Promise.all([1, 2, 3, 4, 5, 6].map(() => approvedRequest(circle, stewards, 500, "RENT")))),
      await approvedRequest(circle, stewards, 700, "BAIL"),
    ];
    for (const { requestId } of paid) await call.ok(PAY, { id: requestId }, stewards[0]);
    const cycle = cycleContaining(clock());

    expect((await call.fails(TOTALS, { circleId: circle.id, cycle: cycle.label })).message).toContain("has not ended");
    clock.set(new Date(cycle.endsAt.getTime() + 1));
    const totals = (await graphql(service.url, TOTALS, { circleId: circle.id, cycle: cycle.label })).body.data
      .fundTotals;
    expect(totals).toEqual({
      cycle: cycle.label,
      currencies: [
        {
          currency: "EUR",
          totalInMinor: 10_000,
          totalOutMinor: null,
          outByPurpose: [
            { purpose: "RENT", amountMinor: 3_000, recipients: 6 },
            { purpose: "BAIL", amountMinor: null, recipients: null },
          ],
        },
      ],
    });
    expect(JSON.stringify(totals)).not.toContain(paid[0].recipient.memberId);
  });

  it("refuses bad amounts, currencies and purposes with a clear code and changes nothing", async () => {
    const call = api(service);
    const { circle, stewards } = await fundedCircle(500);
    const member = await circle.member();
    const before = await circleSnapshot(service.runtime.db, circle.id);
    const request = (input: Record<string, unknown>) =>
      call.fails(
        REQUEST,
        {
          input: { circleId: circle.id, amountMinor: 100, currency: "EUR", purpose: "RENT", reason: "Rent", ...input },
        },
        member,
      );
    expect(await request({ amountMinor: 0 })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("positive whole number"),
    });
    expect(await request({ currency: "eur" })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("ISO 4217"),
    });
    expect(await request({ purpose: "YACHT" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await request({ reason: "x".repeat(501) })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      (await call.fails(CONTRIBUTE, { input: { circleId: circle.id, amountMinor: 100, currency: "EUR" } }, member))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await call.fails(CONTRIBUTE, { input: { circleId: circle.id, amountMinor: 1.5, currency: "EUR" } }, stewards[0]))
        .code,
    ).toBe("BAD_USER_INPUT");
    expect((await call.fails(TOTALS, { circleId: circle.id, cycle: "2031-03-04" })).code).toBe("BAD_USER_INPUT");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
