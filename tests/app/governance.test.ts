import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cycleContaining, runCycleOnce } from "@rhizome/kit";
import {
  createInvitation,
  foundCircle,
  hubEnvironment,
  joinCircle,
  PASSPHRASE,
  personToken,
  succeed,
} from "@rhizome/kit/testing";
import { roleRotationJob } from "../../services/governance/src/jobs/new-moon.js";
import { runDueDeadlines } from "../../services/governance/src/jobs/deadlines.js";
import { useGovernance, type Member } from "../../services/governance/test/support/hub.js";
import { captureInBothLanguages, onScreen, useMemberApp, UI_WAIT, openScreen } from "./support/member-app.js";

/**
 * Governance runs in the test process on a clock the test moves (votes close, new moons come), and
 * the phone reaches it through a production gateway that runs only the app's registered operations.
 */
const governance = useGovernance();
/** The phone may say it is online before the hub answers; the app retries every 15 s. */
const OUTBOX_WAIT = { timeout: 30_000 };
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const app = useMemberApp(() => ({ governance: governance.service.url }));

interface Circle {
  id: string;
  slug: string;
  organizer: Member;
  members: Record<string, Member>;
}

/** A circle founded and joined through the hub, each member with the bloc given; tokens for governance that outlive the test. */
async function circleOf(blocs: Record<string, "EDGE" | "ADVANTAGED">): Promise<Circle> {
  const hubUrl = hubEnvironment().gatewayUrl;
  const circle = await foundCircle(hubUrl, "decide");
  const code = await createInvitation(hubUrl, circle, Object.keys(blocs).length);
  const tokenOf = (memberId: string, roles: Array<"member" | "organizer">) =>
    personToken(randomUUID(), [{ circleId: circle.id, memberId, roles }]);
  const members: Record<string, Member> = {};
  for (const [handle, bloc] of Object.entries(blocs)) {
    const session = await joinCircle(hubUrl, code, handle, bloc);
    members[handle] = {
      circleId: circle.id,
      memberId: session.memberId,
      token: await tokenOf(session.memberId, ["member"]),
      sessionToken: session.token,
    };
  }
  const organizer = {
    circleId: circle.id,
    memberId: circle.organizer.memberId,
    token: await tokenOf(circle.organizer.memberId, ["member", "organizer"]),
  };
  return { id: circle.id, slug: circle.slug, organizer, members };
}

/** A body with the members seated, counted at a new moon so that it decides (the clock moves past it). */
async function bodyOf(circle: Circle, name: string, seated: Member[], decisionRule = "CONSENSUS_MINUS_ONE") {
  const body = (
    await governance.ok(
      `mutation ($input: CreateBodyInput!) { createBody(input: $input) { id } }`,
      { input: { circleId: circle.id, name, kind: "STEWARD_TEAM", decisionRule, size: 5 } },
      circle.organizer,
    )
  ).createBody as { id: string };
  for (const member of seated)
    await governance.ok(`mutation ($id: ID!) { takeSeat(bodyId: $id) { kind } }`, { id: body.id }, member);
  governance.clock.set(new Date(cycleContaining(governance.clock()).endsAt.getTime() + 60_000));
  return body;
}

async function propose(bodyId: string, as: Member, title: string, extra: Record<string, unknown> = {}) {
  const closesAt = new Date(governance.clock().getTime() + HOUR_MS).toISOString();
  return (
    await governance.ok(
      `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id } }`,
      { input: { bodyId, title, text: `${title}, as discussed.`, closesAt, ...extra } },
      as,
    )
  ).createProposal as { id: string };
}

/** Every vote due by the governance clock an hour from now closes, as its deadline job would. */
async function closeVotes(): Promise<void> {
  governance.clock.advance(HOUR_MS);
  await runDueDeadlines(governance.service.runtime);
}

const openFromDecide = (page: Page, link: string, screen: string) =>
  openScreen(page, ["Decide", "governance"], [link, screen]);

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("governance on a phone", { timeout: 180_000 }, () => {
  it("two members answer a body's proposal on their own phones, ballots stay secret, and both read the outcome in the decision log", async () => {
    const circle = await circleOf({ ana: "EDGE", ben: "EDGE", cai: "ADVANTAGED" });
    const { ana, ben, cai } = circle.members;
    const body = await bodyOf(circle, "Garden stewards", [ana, ben, cai]);
    await propose(body.id, cai, "Compost bins by the gate");

    const phones = [await app.phone(), await app.phone()];
    const [anaPhone, benPhone] = phones.map((phone) => phone.page);
    await app.logIn(anaPhone, circle.slug, "ana", PASSPHRASE);
    await app.logIn(benPhone, circle.slug, "ben", PASSPHRASE);
    for (const page of [anaPhone, benPhone]) {
      await page.getByRole("link", { name: "Decide" }).click();
      await onScreen(page, "governance");
      await expect.poll(() => page.getByTestId("proposal").count(), UI_WAIT).toBe(1);
    }
    // Seats are shown, never their kind: nothing on the screen says which bloc the member is in.
    const anaBody = anaPhone.getByTestId("body").filter({ hasText: "Garden stewards" });
    expect(await anaBody.getByTestId("my-seat").textContent()).toBe("You hold a seat here.");
    expect(await anaBody.textContent()).toContain("3 of 5 seats taken");
    expect(await anaPhone.textContent("main")).not.toMatch(/EDGE|ADVANTAGED|edge seat|advantaged/i);
    await captureInBothLanguages(anaPhone, "governance-bodies");

    // Ana consents by keyboard alone: arrow keys move within the answers, Tab reaches the button.
    const anaProposal = anaPhone.getByTestId("proposal");
    await anaProposal.getByLabel("Consent").focus();
    await anaPhone.keyboard.press("Space");
    expect(await anaProposal.getByLabel("Consent").isChecked()).toBe(true);
    await anaProposal.getByRole("button", { name: "Send my answer" }).focus();
    await anaPhone.keyboard.press("Enter");
    await expect.poll(() => anaPhone.getByTestId("my-answer").textContent(), UI_WAIT).toBe("Your answer: Consent");

    const benProposal = benPhone.getByTestId("proposal");
    await benProposal.getByLabel("Object").check();
    await benProposal.getByLabel("Reason").fill("The bins would block the wheelchair ramp.");
    await benProposal.getByRole("button", { name: "Send my answer" }).click();
    await expect.poll(() => benPhone.getByTestId("my-answer").textContent(), UI_WAIT).toBe("Your answer: Object");

    // Each phone shows its own answer only: Ana's, reloaded, knows nothing of Ben's objection.
    await anaPhone.reload();
    await onScreen(anaPhone, "governance");
    await expect.poll(() => anaPhone.getByTestId("my-answer").textContent(), UI_WAIT).toBe("Your answer: Consent");
    expect(await anaPhone.textContent("main")).not.toContain("wheelchair");

    // Ana changes her mind without a connection: the answer waits in the outbox and replaces hers once sent.
    await phones[0].context.setOffline(true);
    await anaProposal.getByLabel("Stand aside").check();
    await anaProposal.getByRole("button", { name: "Send my answer" }).click();
    await expect.poll(() => anaPhone.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    await phones[0].context.setOffline(false);
    await expect.poll(() => anaPhone.getByTestId("outbox").count(), OUTBOX_WAIT).toBe(0);
    await anaPhone.reload();
    await onScreen(anaPhone, "governance");
    await expect.poll(() => anaPhone.getByTestId("my-answer").textContent(), UI_WAIT).toBe("Your answer: Stand aside");

    await closeVotes();
    for (const page of [anaPhone, benPhone]) {
      await page.getByRole("link", { name: "Decision log" }).click();
      await onScreen(page, "decisions");
      const decision = page.getByTestId("decision");
      await expect.poll(() => decision.count(), UI_WAIT).toBe(1);
      expect(await decision.getByRole("heading", { level: 2 }).textContent()).toBe("Compost bins by the gate");
      // A body of fewer than 5 seats decides by the consent of every seat, whatever its own rule:
      // a single objection stops the proposal.
      expect(await decision.getByTestId("outcome").textContent()).toBe("Rejected");
      expect(await decision.getByTestId("tally").textContent()).toBe(
        "Consent 0 · Stand aside 1 · Object 1 · Veto 0, of 3 seated",
      );
      expect(await decision.getByTestId("reasons").textContent()).toBe("The bins would block the wheelchair ramp.");
      expect(await decision.textContent()).not.toMatch(/\b(ana|ben|cai)\b/);
      await expect
        .poll(() => page.getByTestId("log-check").textContent(), UI_WAIT)
        .toBe("Checked: the log is intact (1 entry).");
    }
    await captureInBothLanguages(anaPhone, "decision-log");
    for (const phone of phones) {
      expect(phone.problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
      await phone.context.close();
    }
  });

  it("witnesses a role's draw from the phone: commits to a seed it keeps, reveals it after the new moon, and checks the draw by hand", async () => {
    const circle = await circleOf({ eva: "EDGE", fay: "EDGE", gus: "EDGE", wil: "EDGE", xan: "ADVANTAGED" });
    const { eva, fay, gus, wil, xan } = circle.members;
    const body = await bodyOf(circle, "Tool stewards", [eva, fay, gus], "CONSENT");
    const role = (
      await governance.ok(
        `mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }`,
        { input: { bodyId: body.id, name: "facilitator", powers: ["OPEN_PROPOSALS"], holderCount: 1 } },
        circle.organizer,
      )
    ).createRole as { id: string };

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "eva", PASSPHRASE);
    await openFromDecide(page, "Witness a draw", "draws");
    const card = page.getByTestId("role");
    await expect
      .poll(() => card.getByTestId("witness-count").textContent(), UI_WAIT)
      .toBe("0 witnesses of the 3 needed");
    await captureInBothLanguages(page, "draws");
    await card.getByRole("button", { name: "Witness this draw" }).click();
    await expect
      .poll(() => card.getByTestId("commitment-check").textContent(), UI_WAIT)
      .toBe("Checked: the hub published your commitment exactly as this phone computed it.");
    expect(await card.getByTestId("witness-count").textContent()).toBe("1 witness of the 3 needed");

    // The seed stays on the phone; the hub publishes only its commitment until the new moon.
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("rhizome:witness-seeds") ?? "{}"));
    const [[drawId, { seed }]] = Object.entries(kept as Record<string, { seed: string }>);
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    const DRAW = `query ($id: ID!) { draw(id: $id) { status witnesses { memberId commitment seed revealedAt } } }`;
    const gathering = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(gathering.witnesses).toEqual([
      {
        memberId: eva.memberId,
        commitment: sha256(JSON.stringify([drawId, eva.memberId, seed])),
        seed: null,
        revealedAt: null,
      },
    ]);

    for (const witness of [wil, xan])
      await governance.ok(
        `mutation ($input: CommitRoleDrawSeedInput!) { commitRoleDrawSeed(input: $input) { id } }`,
        { input: { roleId: role.id, seed: randomBytes(16).toString("hex") } },
        witness,
      );
    const cycle = cycleContaining(governance.clock());
    governance.clock.set(cycle.endsAt);
    const { runtime } = governance.service;
    await runCycleOnce(
      runtime.db,
      roleRotationJob,
      circle.id,
      cycle.label,
      governance.clock(),
      runtime.logger,
      runtime.registry,
      runtime.config,
    );
    governance.clock.set(new Date(cycle.endsAt.getTime() + 60_000));

    // Opening the screen after the new moon reveals the kept seed, then forgets it.
    await page.reload();
    await onScreen(page, "draws");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "revealed" }).textContent(), UI_WAIT)
      .toBe("Your seed for facilitator was revealed and matches your commitment.");
    await expect.poll(() => card.getByTestId("i-revealed").textContent(), UI_WAIT).toBe("You revealed your seed.");
    expect(await page.evaluate(() => localStorage.getItem("rhizome:witness-seeds"))).toBe("{}");
    const frozen = (await governance.ok(DRAW, { id: drawId })).draw;
    expect(frozen.status).toBe("DRAWN");
    const mine = frozen.witnesses.find((witness: { memberId: string }) => witness.memberId === eva.memberId);
    expect(mine.seed).toBe(seed);
    expect(mine.revealedAt).not.toBeNull();

    await card.getByRole("link", { name: "Check this draw by hand" }).click();
    await onScreen(page, "draw");
    expect(page.url()).toContain(`#/draw?id=${drawId}`);
    await expect
      .poll(() => page.getByTestId("hub-check").textContent(), UI_WAIT)
      .toBe("The hub's own check: every step matches");
    for (const step of ["pool-commitment", "draw-seed", "order"])
      await expect.poll(() => page.getByTestId(step).textContent(), UI_WAIT).toMatch(/Matches$/);
    await expect.poll(() => page.getByTestId("witness-seeds").locator(".match").count(), UI_WAIT).toBe(3);
    expect(await page.getByTestId("witness-seeds").textContent()).toContain(seed);
    await expect
      .poll(() => page.getByTestId("witness-seeds").textContent(), UI_WAIT)
      .toContain(`${wil.memberId} (wil)`);
    await captureInBothLanguages(page, "draw-check");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("changes the member's declared bloc, saying why it is asked, who sees it and when the change holds, and shows the answer only when asked", async () => {
    const circle = await circleOf({ dee: "EDGE" });
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "dee", PASSPHRASE);
    await openFromDecide(page, "Change my declared bloc", "bloc");
    const text = await page.textContent("main");
    expect(text).toContain("Why it is asked:");
    expect(text).toContain("Who can see it: only you.");
    expect(text).toContain("When a change takes effect: at the next new moon");
    // Nothing of the current answer shows until the member opens it, and no choice is ticked for them.
    await expect.poll(() => page.getByTestId("my-bloc").count(), UI_WAIT).toBe(1);
    expect(await page.getByText(/Your answer now/).isVisible()).toBe(false);
    expect(await page.locator('input[name="bloc"]:checked').count()).toBe(0);
    await captureInBothLanguages(page, "bloc");

    await page.getByLabel("I am comparatively secure").check();
    await page.getByRole("button", { name: "Save my answer" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Saved" }).textContent(), UI_WAIT)
      .toMatch(/^Saved\. Your answer changes at the new moon on .+\.$/);
    await page.getByText("Show my current answer").click();
    expect(await page.getByText(/Your answer now/).textContent()).toBe(
      "Your answer now: I face the sharpest pressure (for example eviction, papers, debt, or discrimination)",
    );
    await expect
      .poll(() => page.getByTestId("pending-bloc").textContent(), UI_WAIT)
      .toMatch(/^From the new moon on .+: I am comparatively secure$/);
    expect(page.url()).not.toMatch(/EDGE|ADVANTAGED|bloc=/i);

    const hubUrl = hubEnvironment().gatewayUrl;
    const { token } = (
      await succeed(hubUrl, `mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
        input: { circleSlug: circle.slug, handle: "dee", passphrase: PASSPHRASE },
      })
    ).login;
    const me = await succeed(hubUrl, `query { me { memberships { bloc pendingBloc blocChangesAt } } }`, {}, token);
    expect(me.me.memberships[0]).toMatchObject({ bloc: "EDGE", pendingBloc: "ADVANTAGED" });
    expect(Date.parse(me.me.memberships[0].blocChangesAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(me.me.memberships[0].blocChangesAt)).toBeLessThan(Date.now() + 30 * DAY_MS);

    // Without a connection the change waits in the outbox; sent when the connection returns, choosing
    // the answer the member has cancels the waiting change.
    await context.setOffline(true);
    await page.getByLabel("I face the sharpest pressure").check();
    await page.getByRole("button", { name: "Save my answer" }).click();
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId("outbox").count(), OUTBOX_WAIT).toBe(0);
    const after = await succeed(hubUrl, `query { me { memberships { bloc pendingBloc } } }`, {}, token);
    expect(after.me.memberships[0]).toEqual({ bloc: "EDGE", pendingBloc: null });
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });

  it("proposes an amendment from the phone and reads the adopted article, also offline; re-ratifies a pact before it lapses; sends items to assemblies", async () => {
    // The phone and the hub agree on the time here: the amendment's closing time is the phone's.
    governance.clock.set(new Date());
    const circle = await circleOf({ hana: "EDGE", ivo: "EDGE", jon: "ADVANTAGED" });
    const { hana, ivo } = circle.members;
    const body = (
      await governance.ok(
        `mutation ($input: CreateBodyInput!) { createBody(input: $input) { id } }`,
        {
          input: {
            circleId: circle.id,
            name: "Circle council",
            kind: "STEWARD_TEAM",
            decisionRule: "CONSENT",
            size: 5,
          },
        },
        circle.organizer,
      )
    ).createBody as { id: string };
    for (const member of [hana, ivo])
      await governance.ok(`mutation ($id: ID!) { takeSeat(bodyId: $id) { kind } }`, { id: body.id }, member);

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "hana", PASSPHRASE);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), UI_WAIT).toBe(true);
    await openFromDecide(page, "Constitution", "constitution");
    await expect.poll(() => page.getByText("No article yet.").count(), UI_WAIT).toBe(1);
    expect(await page.textContent("main")).toMatch(
      /only the seats of members facing the sharpest pressure decide amendments/,
    );
    const amend = page.getByTestId("amend");
    await expect.poll(() => amend.getByLabel("Body that votes on it").inputValue(), UI_WAIT).toBe(body.id);
    await amend.getByLabel("Title").fill("Care before rules");
    await amend.getByLabel("Text of the article").fill("No rule of the circle overrides a member's safety.");
    await amend.getByLabel("Days of voting").fill("1");
    await captureInBothLanguages(page, "constitution-amend");
    await amend.getByRole("button", { name: "Put the amendment to the vote" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "amendment" }).textContent(), UI_WAIT)
      .toMatch(/^Your amendment is put to the vote; voting closes .+\.$/);

    // Consent: silence is consent, so the amendment passes when voting closes a day later.
    governance.clock.advance(DAY_MS + 60_000);
    await runDueDeadlines(governance.service.runtime);
    await page.reload();
    await onScreen(page, "constitution");
    const article = page.getByTestId("article");
    await expect.poll(() => article.getByRole("heading").textContent(), UI_WAIT).toBe("Article 1: Care before rules");
    expect(await article.textContent()).toContain("No rule of the circle overrides a member's safety.");
    await captureInBothLanguages(page, "constitution");

    // Seen once, the constitution opens without a connection.
    await context.setOffline(true);
    await page.reload();
    await onScreen(page, "constitution");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "No connection" }).textContent(), UI_WAIT)
      .toBe("No connection: showing what was last seen.");
    expect(await page.getByTestId("article").getByRole("heading").textContent()).toBe("Article 1: Care before rules");
    await context.setOffline(false);

    // A pact that lapses in ten days, and a later decision of the same body to renew it.
    const adopting = await propose(body.id, ivo, "Quiet hours after ten");
    await closeVotes();
    const pact = (
      await governance.ok(
        `mutation ($input: AdoptPactInput!) { adoptPact(input: $input) { id sunsetAt } }`,
        {
          input: {
            proposalId: adopting.id,
            sunsetAt: new Date(governance.clock().getTime() + 10 * DAY_MS).toISOString(),
          },
        },
        ivo,
      )
    ).adoptPact as { id: string; sunsetAt: string };
    const renewing = await propose(body.id, ivo, "Keep quiet hours another season");
    await closeVotes();

    await page.getByRole("link", { name: "Decide" }).click();
    await onScreen(page, "governance");
    await page.getByRole("link", { name: "Pacts" }).click();
    await onScreen(page, "pacts");
    const pactCard = page.getByTestId("pact");
    await expect
      .poll(() => pactCard.getByRole("heading", { level: 2 }).textContent(), UI_WAIT)
      .toBe("Quiet hours after ten");
    expect(await pactCard.textContent()).toMatch(/Lapses .+ \(in 1\d days\)/);
    await expect
      .poll(() => pactCard.getByLabel("Passed proposal").locator("option").allTextContents(), UI_WAIT)
      .toEqual(["Keep quiet hours another season"]);
    await captureInBothLanguages(page, "pacts");
    const newSunset = new Date(Date.now() + 60 * DAY_MS);
    await pactCard.getByLabel("New sunset").fill(newSunset.toISOString().slice(0, 10));
    await pactCard.getByRole("button", { name: "Re-ratify" }).click();
    await expect
      .poll(() => pactCard.getByRole("status").filter({ hasText: "Re-ratified" }).textContent(), UI_WAIT)
      .toMatch(/^Re-ratified: it now lapses .+\.$/);
    const renewed = (
      await governance.ok(`query ($id: ID!) { pact(id: $id) { status sunsetAt } }`, { id: pact.id }, hana)
    ).pact;
    expect(renewed.status).toBe("ACTIVE");
    expect(Date.parse(renewed.sunsetAt)).toBeGreaterThan(Date.parse(pact.sunsetAt) + 40 * DAY_MS);
    expect(renewing.id).toBeDefined();

    // A shadow assembly's agenda stays sealed, answered alike for everyone; a commons agenda shows at once.
    await governance.ok(
      `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id } }`,
      {
        input: {
          circleId: circle.id,
          kind: "SHADOW",
          title: "Tenants' shadow assembly",
          meetsAt: new Date(governance.clock().getTime() + 5 * DAY_MS).toISOString(),
        },
      },
      hana,
    );
    await governance.ok(
      `mutation ($input: CreateAssemblyInput!) { createAssembly(input: $input) { id } }`,
      { input: { circleId: circle.id, kind: "COMMONS", title: "Cycle review" } },
      ivo,
    );
    await page.getByRole("link", { name: "Decide" }).click();
    await onScreen(page, "governance");
    await page.getByRole("link", { name: "Assemblies" }).click();
    await onScreen(page, "assemblies");
    const shadow = page.getByTestId("assembly").filter({ hasText: "Tenants' shadow assembly" });
    const commons = page.getByTestId("assembly").filter({ hasText: "Cycle review" });
    await expect.poll(() => shadow.count(), UI_WAIT).toBe(1);
    expect(await shadow.textContent()).toMatch(/The agenda is sealed until .+: it is then published all at once/);
    await shadow.getByLabel("Add an item to the agenda").fill("A fund for the rent strike");
    await shadow.getByRole("button", { name: "Send the item" }).click();
    await expect
      .poll(() => shadow.getByRole("status").textContent(), UI_WAIT)
      .toBe("Received. Like every item, it stays sealed until the agenda closes.");
    expect(await shadow.textContent()).toContain("Nothing on the agenda yet.");
    await commons.getByLabel("Add an item to the agenda").fill("Who keeps the tool shed keys");
    await commons.getByRole("button", { name: "Send the item" }).click();
    await expect.poll(() => commons.getByTestId("agenda").textContent(), UI_WAIT).toBe("Who keeps the tool shed keys");
    await captureInBothLanguages(page, "assemblies");
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });
});
