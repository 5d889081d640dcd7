import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, manualClock, runCycleOnce } from "@rhizome/kit";
import { circleWithMembers, eventually, PASSPHRASE, startTestService, succeed } from "@rhizome/kit/testing";
import { caretakerDrawJob } from "../../services/tools/src/jobs/caretaker-draw.js";
import { toolsService } from "../../services/tools/src/service.js";
import {
  captureInBothLanguages,
  logIn,
  once,
  startPersistedOnlyGateway,
  tokenOf,
  onScreen,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  said,
  openScreen,
} from "./support/member-app.js";

const ADD_TOOL = `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`;
const CARE = `query ($slug: String!) { circle(slug: $slug) { isCaretakerVolunteer nextCaretakerDraw { id witnesses { memberId commitment } } } }`;
const VOLUNTEER = `mutation ($circleId: ID!) { volunteerAsCaretaker(circleId: $circleId) }`;
const COMMIT = `mutation ($circleId: ID!, $seed: String!) { commitCaretakerDrawSeed(circleId: $circleId, seed: $seed) { id } }`;
const DRAW = `query ($id: ID!) { caretakerDraw(id: $id) { status witnesses { memberId revealedAt } } }`;
const DUO = `query ($slug: String!) { circle(slug: $slug) { caretakers { drawId } } }`;
const TOOL = `query ($id: ID!) { tool(id: $id) { condition maintenance(first: 5) { items { kind minutes recordedBy { handle } } } } }`;

const app = useMemberApp();

const openCaretaking = (page: Page) =>
  openScreen(page, ["Tools", "tools"], ["Caretaking: volunteer, audits and repairs", "caretaking"]);

describe("caretaking on two phones, against a hub that runs only registered operations", { timeout: 180_000 }, () => {
  it("a member volunteers as caretaker and commits a seed to the draw, another records a repair that brings a broken tool back to good, and an organizer records an audit that every member sees", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["ines", "tomas"], "caretaking");
    const { ines, tomas } = members;
    // Tomás hosts a ladder that needs repair (the tools service learns of the circle a moment later).
    const ladder = (
      await eventually(
        () =>
          succeed(
            hubUrl(),
            ADD_TOOL,
            { input: { circleId: circle.id, name: "Ladder", category: "garden", condition: "NEEDS_REPAIR" } },
            tomas.token,
          ).catch(() => undefined),
        "tools to know the circle",
      )
    ).addTool.id as string;

    const inesPage = (await app.phone()).page;
    const tomasPage = (await app.phone()).page;

    // Inés volunteers for the next draw.
    await app.logIn(inesPage, circle.slug, "ines", PASSPHRASE);
    await openCaretaking(inesPage);
    expect(await inesPage.getByTestId("volunteering").textContent()).toBe("You do not volunteer.");
    await inesPage.getByRole("button", { name: "Volunteer as caretaker" }).click();
    await expect
      .poll(() => inesPage.getByTestId("volunteering").textContent(), UI_WAIT)
      .toBe("You volunteer for the next draw.");
    expect(await said(inesPage, "You are in")).toBe("You are in the pool for the next draw.");
    expect((await succeed(hubUrl(), CARE, { slug: circle.slug }, ines.token)).circle.isCaretakerVolunteer).toBe(true);

    // She commits the seed the phone suggests: the hub shows the fingerprint of exactly that seed.
    const seed = await inesPage.getByLabel("Your seed (keep a copy to check the draw)").inputValue();
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    await inesPage.getByRole("button", { name: "Commit my seed" }).click();
    await expect
      .poll(() => inesPage.getByTestId("my-commitment").textContent(), UI_WAIT)
      .toMatch(/^You are a witness of this draw\. Fingerprint: [0-9a-f]{64}$/);
    const draw = (await succeed(hubUrl(), CARE, { slug: circle.slug }, ines.token)).circle.nextCaretakerDraw;
    const expected = createHash("sha256")
      .update(JSON.stringify([draw.id, ines.memberId, seed]))
      .digest("hex");
    expect(draw.witnesses).toEqual([{ memberId: ines.memberId, commitment: expected }]);
    expect(await inesPage.getByTestId("my-commitment").textContent()).toContain(expected);
    await captureInBothLanguages(inesPage, "caretaking-witness");

    // Tomás sees one witness so far, and the ladder that needs repair; he repairs it in 45 minutes.
    await app.logIn(tomasPage, circle.slug, "tomas", PASSPHRASE);
    await openCaretaking(tomasPage);
    expect(await tomasPage.getByTestId("witnesses").textContent()).toMatch(/^1 witness so far, \d+ needed\.$/);
    const ladderCard = tomasPage.getByTestId("care-tools").locator(`li[data-tool="${ladder}"]`);
    expect(await ladderCard.getByTestId("tool-condition").textContent()).toBe("Ladder: needs repair");
    await ladderCard.getByLabel("Minutes of repair: Ladder").fill("45");
    await ladderCard.getByLabel("Condition after: Ladder").selectOption({ label: "good" });
    await captureInBothLanguages(tomasPage, "caretaking-repair");
    await ladderCard.getByRole("button", { name: "Record repair: Ladder" }).click();
    await expect.poll(() => said(tomasPage, "Repair of"), UI_WAIT).toBe("Repair of Ladder recorded.");
    await expect.poll(() => ladderCard.getByTestId("tool-condition").textContent(), UI_WAIT).toBe("Ladder: good");
    expect(await ladderCard.getByTestId("last-record").textContent()).toMatch(/^Repair by tomas, .+: good$/);
    expect(await ladderCard.getByRole("button", { name: "Record repair: Ladder" }).count()).toBe(0);
    const tool = (await succeed(hubUrl(), TOOL, { id: ladder }, ines.token)).tool;
    expect(tool.condition).toBe("GOOD");
    expect(tool.maintenance.items).toEqual([{ kind: "REPAIR", minutes: 45, recordedBy: { handle: "tomas" } }]);

    // The circle's organizer audits it and finds it worn; Inés, on her phone, sees the audit.
    const founderPage = (await app.phone()).page;
    await app.logIn(founderPage, circle.slug, "founder", PASSPHRASE);
    await openCaretaking(founderPage);
    const auditedCard = founderPage.getByTestId("care-tools").locator(`li[data-tool="${ladder}"]`);
    await auditedCard.getByLabel("Condition found: Ladder").selectOption({ label: "worn" });
    await auditedCard.getByRole("button", { name: "Record audit: Ladder" }).click();
    await expect.poll(() => said(founderPage, "Audit of"), UI_WAIT).toBe("Audit of Ladder recorded.");
    await expect.poll(() => auditedCard.getByTestId("tool-condition").textContent(), UI_WAIT).toBe("Ladder: worn");
    expect(await auditedCard.getByTestId("last-record").textContent()).toMatch(/^Audit by founder, .+: worn$/);
    await captureInBothLanguages(founderPage, "caretaking-audit");
    // Tomás, who is neither a caretaker nor an organizer, is not offered an audit.
    expect(await ladderCard.getByRole("button", { name: "Record audit: Ladder" }).count()).toBe(0);

    // Inés, on her phone, sees the ladder's condition as the audit found it.
    await inesPage.reload();
    await onScreen(inesPage, "caretaking");
    await expect
      .poll(
        () =>
          inesPage
            .getByTestId("care-tools")
            .locator(`li[data-tool="${ladder}"]`)
            .getByTestId("tool-condition")
            .textContent(),
        UI_WAIT,
      )
      .toBe("Ladder: worn");
  });

  it("a seed shorter than the hub's 32 characters is refused on the phone before it is sent, in English and Spanish, and the phone writes one that fits", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["lucia"], "short-seed");
    const { page } = await app.phone();
    const sentSeeds: string[] = [];
    page.on("request", (request) => {
      const body = request.postData() ?? "";
      if (body.includes('"seed"')) sentSeeds.push(body);
    });
    await app.logIn(page, circle.slug, "lucia", PASSPHRASE);
    await openCaretaking(page);
    const field = page.getByLabel("Your seed (keep a copy to check the draw)");
    expect(await field.inputValue()).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.locator("#seed-hint").textContent()).toBe(
      "32 to 200 characters. The phone wrote a random one for you; keep it, or type your own.",
    );

    // Lucía types a short seed of her own: the phone refuses it and says why; nothing reaches the hub.
    await field.fill("my cat's name");
    await page.getByRole("button", { name: "Commit my seed" }).click();
    await expect
      .poll(() => field.evaluate((input: HTMLInputElement) => input.validationMessage), UI_WAIT)
      .toBe('A seed needs at least 32 characters (this one has 13). Tap "Write a new seed for me" to get one.');
    expect(await field.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);

    // In Spanish, the same refusal in Spanish.
    await page.selectOption("header select", "es");
    const campo = page.getByLabel("Tu semilla (guarda una copia para comprobar el sorteo)");
    await page.getByRole("button", { name: "Comprometer mi semilla" }).click();
    await expect
      .poll(() => campo.evaluate((input: HTMLInputElement) => input.validationMessage), UI_WAIT)
      .toBe(
        "Una semilla necesita al menos 32 caracteres (esta tiene 13). Toca «Escríbeme una semilla nueva» para obtener una.",
      );
    expect(sentSeeds).toEqual([]);
    const draw = (await succeed(hubUrl(), CARE, { slug: circle.slug }, members.lucia.token)).circle.nextCaretakerDraw;
    expect(draw?.witnesses ?? []).toEqual([]);

    // The phone writes a new one that fits, and that one is committed.
    await page.getByRole("button", { name: "Escríbeme una semilla nueva" }).click();
    const written = await campo.inputValue();
    expect(written).toMatch(/^[0-9a-f]{32}$/);
    expect(await campo.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
    await page.getByRole("button", { name: "Comprometer mi semilla" }).click();
    await expect.poll(() => page.getByTestId("my-commitment").count(), UI_WAIT).toBe(1);
    expect(sentSeeds).toHaveLength(1);
    expect(sentSeeds[0]).toContain(written);
  });

  it("an audit taken offline waits in the outbox and is recorded once when the connection returns, even when the first answer is lost", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["pilar"], "audit-offline");
    const saw = (
      await eventually(
        () =>
          succeed(
            hubUrl(),
            ADD_TOOL,
            { input: { circleId: circle.id, name: "Saw", category: "wood" } },
            members.pilar.token,
          ).catch(() => undefined),
        "tools to know the circle",
      )
    ).addTool.id as string;
    const { page, context } = await app.phone();
    await app.logIn(page, circle.slug, "founder", PASSPHRASE);
    await openCaretaking(page);
    const card = page.getByTestId("care-tools").locator(`li[data-tool="${saw}"]`);
    await expect.poll(() => card.getByTestId("tool-condition").textContent(), UI_WAIT).toBe("Saw: good");

    // In the tool shed, without signal: the audit waits on the phone.
    await context.setOffline(true);
    await card.getByLabel("Condition found: Saw").selectOption({ label: "worn" });
    await card.getByRole("button", { name: "Record audit: Saw" }).click();
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");

    // Signal returns, but the first send's answer is lost on the way back after the hub recorded it.
    let auditsSent = 0;
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes('"idempotencyKey"')) return route.continue();
      auditsSent += 1;
      if (auditsSent > 1) return route.continue();
      await route.fetch();
      return route.abort("internetdisconnected");
    });
    await context.setOffline(false);
    await page.evaluate(() => dispatchEvent(new Event("online")));
    await expect.poll(() => auditsSent, UI_WAIT).toBeGreaterThan(0);
    // The outbox sends it again (same key) and is empty once the hub answers.
    await page.evaluate(() => dispatchEvent(new Event("online")));
    await expect.poll(() => page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    expect(auditsSent).toBeGreaterThanOrEqual(2);

    const tool = (await succeed(hubUrl(), TOOL, { id: saw }, members.pilar.token)).tool;
    expect(tool.condition).toBe("WORN");
    expect(tool.maintenance.items).toEqual([{ kind: "AUDIT", minutes: null, recordedBy: { handle: "founder" } }]);
    await context.close();
  });

  it("after the new moon, a witness reveals the seed the phone kept, checked against her fingerprint, and a wrong copy is refused", async () => {
    // Tools with a clock this test moves past the new moon, behind a gateway of its own.
    const gathering = cycleContaining(new Date());
    const clock = manualClock(new Date());
    const tools = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
    const movedGateway = await startPersistedOnlyGateway({ tools: tools.url.replace(/\/graphql$/, "") });
    const movedOrigin = new URL(movedGateway.url).origin;
    try {
      const { circle, members } = await circleWithMembers(hubUrl(), ["ines", "tomas", "uma"], "reveal");
      // Tomás and Uma volunteer and witness through the API; Inés witnesses on her phone.
      for (const handle of ["tomas", "uma"])
        await once(
          () => succeed(hubUrl(), VOLUNTEER, { circleId: circle.id }, members[handle].token),
          "tools to know the circle",
        );
      const inesPage = (await app.phone(movedOrigin)).page;
      await logIn(inesPage, movedOrigin, circle.slug, "ines", PASSPHRASE);
      await openCaretaking(inesPage);
      const seed = await inesPage.getByLabel("Your seed (keep a copy to check the draw)").inputValue();
      await inesPage.getByRole("button", { name: "Commit my seed" }).click();
      await expect.poll(() => inesPage.getByTestId("my-commitment").count(), UI_WAIT).toBe(1);
      for (const handle of ["tomas", "uma"])
        await succeed(
          hubUrl(),
          COMMIT,
          { circleId: circle.id, seed: `${handle}-witness-seed-0123456789abcdef` },
          await tokenOf(circle, handle),
        );
      // Nothing to reveal before the new moon.
      expect(await inesPage.getByTestId("reveal").count()).toBe(0);

      // The new moon freezes the pool and draws the duo.
      const atNewMoon = new Date(followingCycle(gathering).startsAt.getTime() + 60_000);
      await runCycleOnce(
        tools.runtime.db,
        caretakerDrawJob,
        circle.id,
        gathering.label,
        atNewMoon,
        tools.runtime.logger,
        tools.runtime.registry,
        tools.runtime.config,
      );
      clock.set(atNewMoon);
      const ines = await tokenOf(circle, "ines");
      const { drawId } = (await succeed(movedGateway.url, DUO, { slug: circle.slug }, ines)).circle.caretakers;
      expect((await succeed(movedGateway.url, DRAW, { id: drawId }, ines)).caretakerDraw.status).toBe("DRAWN");

      // Inés opens caretaking again: the seed she committed waits, kept by the phone, to be revealed.
      await inesPage.reload();
      await onScreen(inesPage, "caretaking");
      const reveal = inesPage.getByTestId("reveal");
      await reveal.waitFor(UI_WAIT);
      expect(await reveal.getByLabel("The seed you committed").inputValue()).toBe(seed);
      await captureInBothLanguages(inesPage, "caretaking-reveal");
      await reveal.getByRole("button", { name: "Reveal my seed" }).click();
      await expect
        .poll(() => said(inesPage, "Your seed is revealed"), UI_WAIT)
        .toBe("Your seed is revealed: the hub checked it against your fingerprint.");
      await expect
        .poll(() => reveal.getByTestId("my-reveal").textContent(), UI_WAIT)
        .toMatch(/^You revealed your seed on .+\.$/);
      const witnesses = (await succeed(movedGateway.url, DRAW, { id: drawId }, ines)).caretakerDraw.witnesses;
      const revealedAt = (handle: string) =>
        witnesses.find((witness: { memberId: string }) => witness.memberId === members[handle].memberId).revealedAt;
      expect(revealedAt("ines")).not.toBeNull();
      expect(revealedAt("tomas")).toBeNull();

      // Tomás's phone kept nothing: he types a copy, a wrong one, and the hub refuses it as not his fingerprint's.
      const tomasPage = (await app.phone(movedOrigin)).page;
      await logIn(tomasPage, movedOrigin, circle.slug, "tomas", PASSPHRASE);
      await openCaretaking(tomasPage);
      const tomasReveal = tomasPage.getByTestId("reveal");
      await tomasReveal.waitFor(UI_WAIT);
      expect(await tomasReveal.textContent()).toContain("This phone did not keep your seed: type the copy you kept.");
      await tomasReveal.getByLabel("The seed you committed").fill("f".repeat(32));
      await tomasReveal.getByRole("button", { name: "Reveal my seed" }).click();
      await expect.poll(() => tomasReveal.getByRole("alert").count(), UI_WAIT).toBe(1);
      expect(await tomasReveal.getByTestId("my-reveal").count()).toBe(0);
      await inesPage.context().close();
      await tomasPage.context().close();
    } finally {
      await movedGateway.close();
      await tools.stop();
    }
  });
});
