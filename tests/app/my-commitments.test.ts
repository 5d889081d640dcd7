import { describe, expect, it } from "vitest";
import { createInvitation, eventually, foundCircle, joinCircle, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { useMemberApp, hubUrl, UI_WAIT, said, openScreen } from "./support/member-app.js";

const PLEDGE = `mutation ($input: PledgeInput!) { pledge(input: $input) { id } }`;
const ASK = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }`;
const MINE = `query ($c: ID!) {
  myFundPledges(circleId: $c, first: 50) { items { amountMinor withdrawnAt } }
  myDisbursementRequests(circleId: $c) { items { status } }
}`;
/** More than the 20 the defense screen shows at first. */
const PLEDGES = 23;

const app = useMemberApp();

describe("a member's own pledges and requests on the defense screen", { timeout: 180_000 }, () => {
  it("pages past the first 20 with More, and withdraws a pledge and a request of the member's own", async () => {
    const circle = await foundCircle(hubUrl(), "mine");
    const code = await createInvitation(hubUrl(), circle, 2);
    const nora = await joinCircle(hubUrl(), code, "nora");
    for (let i = 1; i <= PLEDGES; i++)
      await eventually(
        () =>
          succeed(
            hubUrl(),
            PLEDGE,
            { input: { circleId: circle.id, amountMinor: i * 100, currency: "EUR" } },
            nora.token,
          ).catch(() => undefined),
        "defense to know nora",
      );
    await succeed(
      hubUrl(),
      ASK,
      { input: { circleId: circle.id, amountMinor: 4_000, currency: "EUR", purpose: "RENT", reason: "Back rent" } },
      nora.token,
    );

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "nora", PASSPHRASE);
    await openScreen(page, ["Defense", "defense"]);
    const mine = page.getByTestId("my-commitments");
    const pledges = mine.locator('li[data-kind="fund-pledge"]');
    await expect.poll(() => pledges.count(), UI_WAIT).toBe(20);
    // Newest first: the 23rd pledge (€23.00) leads; the first three wait behind More.
    expect(await pledges.first().textContent()).toContain("23.00");
    expect(await mine.textContent()).not.toContain("€1.00 pledged");
    await mine.getByRole("button", { name: "More of my pledges to the fund" }).click();
    await expect.poll(() => pledges.count(), UI_WAIT).toBe(PLEDGES);
    expect(await pledges.last().textContent()).toContain("€1.00 pledged");
    expect(await mine.getByRole("button", { name: "More of my pledges to the fund" }).count()).toBe(0);

    // Nora withdraws her newest pledge and her request to the fund.
    await pledges
      .first()
      .getByRole("button", { name: /^Withdraw: €23\.00 pledged/ })
      .click();
    await expect.poll(() => said(page, "Withdrawn"), UI_WAIT).toBe("Withdrawn: nobody counts on it any more.");
    await expect.poll(() => pledges.first().textContent(), UI_WAIT).toMatch(/€23\.00 pledged on .+ · withdrawn$/);
    const request = mine.locator('li[data-kind="fund-request"]');
    expect(await request.textContent()).toContain("waiting for the stewards");
    await request.getByRole("button", { name: /^Withdraw: / }).click();
    await expect.poll(() => request.textContent(), UI_WAIT).toMatch(/· withdrawn$/);
    expect(await request.getByRole("button").count()).toBe(0);

    const saved = await succeed(hubUrl(), MINE, { c: circle.id }, nora.token);
    expect(saved.myFundPledges.items.filter((p: { withdrawnAt: string | null }) => p.withdrawnAt)).toEqual([
      { amountMinor: 2_300, withdrawnAt: expect.any(String) },
    ]);
    expect(saved.myDisbursementRequests.items).toEqual([{ status: "WITHDRAWN" }]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
