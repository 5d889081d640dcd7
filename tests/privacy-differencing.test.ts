import {
  cycleContaining,
  manualClock,
  MIN_PEOPLE_PER_PUBLISHED_FIGURE,
  nextBoundaryAfter,
  remoteMemberBlocLookup,
} from "@rhizome/kit";
import {
  bearer,
  graphql,
  PASSPHRASE,
  startTestService,
  succeed,
  uniqueSlug,
  type TestService,
} from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { networkService } from "../services/network/src/service.js";

type Bloc = "EDGE" | "ADVANTAGED";
const HOUR_MS = 3_600_000;

// network on a clock of the test's own, a little ahead of real time (so the tokens it signs are
// valid), which the attacker moves across new moons.
const clock = manualClock(new Date(nextBoundaryAfter(new Date()).getTime() + HOUR_MS));
let network: TestService<never>;
beforeAll(async () => {
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  network = (await startTestService(networkService, { clock, env: { ROLE: "api" } })) as unknown as TestService<never>;
}, 60_000);
afterAll(() => network?.stop());

/** Every figure the attacker can read, and who it knows to be a member when it read them. */
interface Reading {
  members: Set<string>;
  figures: {
    memberCount: number | null;
    publicMemberCount: number | null;
    edge: number | null;
    advantaged: number | null;
  };
}

/**
 * An attacker inside the circle: it founds it, invites, and joins members one at a time (so it
 * knows exactly who changed between two readings), reading every figure after each step, as a
 * member and as an outsider.
 */
class DifferencingAttacker {
  readonly readings: Reading[] = [];
  readonly members = new Set<string>(["founder"]);
  private code = "";
  constructor(readonly slug: string) {}

  async found(): Promise<void> {
    await succeed(
      network.url,
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } } }`,
      {
        input: {
          name: "Differencing",
          slug: this.slug,
          founderHandle: "founder",
          passphrase: PASSPHRASE,
          founderBloc: "EDGE",
        },
      },
    );
  }

  async token(handle = "founder"): Promise<string> {
    const session = await succeed(network.url, `mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { circleSlug: this.slug, handle, passphrase: PASSPHRASE },
    });
    return session.login.token;
  }

  async join(handle: string, bloc: Bloc): Promise<void> {
    clock.advance(60_000);
    if (!this.code) {
      const circle = await succeed(network.url, `query ($slug: String!) { circle(slug: $slug) { id } }`, {
        slug: this.slug,
      });
      const invitation = await succeed(
        network.url,
        `mutation ($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`,
        { input: { circleId: circle.circle.id, maxUses: 50, expiresInHours: 1 } },
        bearer(await this.token()),
      );
      this.code = invitation.createInvitation.code;
    }
    await succeed(network.url, `mutation ($input: JoinCircleInput!) { joinCircle(input: $input) { token } }`, {
      input: { code: this.code, handle, passphrase: PASSPHRASE, bloc },
    });
    this.members.add(handle);
  }

  async read(): Promise<Reading> {
    const query = `query ($slug: String!) { circle(slug: $slug) { memberCount blocCounts { edge advantaged } } }`;
    const asMember = await succeed(network.url, query, { slug: this.slug }, bearer(await this.token()));
    const asOutsider = await graphql(
      network.url,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            memberCount
          }
        }
      `,
      { slug: this.slug },
    );
    const reading: Reading = {
      members: new Set(this.members),
      figures: {
        memberCount: asMember.circle.memberCount,
        publicMemberCount: asOutsider.body.data.circle.memberCount,
        ...asMember.circle.blocCounts,
      },
    };
    this.readings.push(reading);
    return reading;
  }

  nextCycle(): void {
    clock.set(new Date(nextBoundaryAfter(clock()).getTime() + HOUR_MS));
    this.code = ""; // the invitation has expired
  }

  /** What the attacker learns: every bloc it can pin on fewer than 5 people, from one reading or two. */
  inferences(): string[] {
    const found: string[] = [];
    this.readings.forEach((reading, i) => {
      const { memberCount, edge, advantaged } = reading.figures;
      // A total beside one shown cell gives the other back.
      if (memberCount !== null && (edge === null) !== (advantaged === null))
        found.push(`reading ${i}: one bloc shown beside the total`);
      const before = this.readings[i - 1];
      if (!before) return;
      for (const cell of ["edge", "advantaged"] as const) {
        if (before.figures[cell] === reading.figures[cell]) continue;
        // The old value was counted after the reading before it first showed: whoever changed since then could explain the difference.
        let first = i - 1;
        while (first > 0 && this.readings[first - 1].figures[cell] === before.figures[cell]) first--;
        const since = this.readings[Math.max(0, first - 1)].members;
        const changed = [...reading.members]
          .filter((m) => !since.has(m))
          .concat([...since].filter((m) => !reading.members.has(m)));
        if (changed.length < MIN_PEOPLE_PER_PUBLISHED_FIGURE) {
          found.push(
            `readings ${i - 1}-${i}: ${cell} changed while only ${changed.join(", ") || "nobody"} joined or left`,
          );
        }
      }
    });
    return found;
  }
}

describe("a differencing attacker", () => {
  it("joining members one at a time and comparing every figure, learns no one's bloc", async () => {
    const attacker = new DifferencingAttacker(uniqueSlug("differencing"));
    await attacker.found();
    const firstCycle = cycleContaining(clock()).label;
    await attacker.read();
    const blocs: Bloc[] = [
      "EDGE",
      "EDGE",
      "EDGE",
      "ADVANTAGED",
      "EDGE",
      "ADVANTAGED",
      "EDGE",
      "ADVANTAGED",
      "ADVANTAGED",
      "EDGE",
      "ADVANTAGED",
    ];
    for (const [i, bloc] of blocs.entries()) {
      await attacker.join(`first${i}`, bloc);
      await attacker.read();
    }
    expect(cycleContaining(clock()).label).toBe(firstCycle);
    // The exact total is there for members all along; no bloc figure is, in the circle's first cycle.
    expect(attacker.readings.at(-1)!.figures).toEqual({
      memberCount: 12,
      publicMemberCount: 12,
      edge: null,
      advantaged: null,
    });

    attacker.nextCycle();
    expect((await attacker.read()).figures).toMatchObject({ edge: 7, advantaged: 5 });

    // One newcomer, then a whole cycle: the published counts do not move.
    await attacker.join("lone", "EDGE");
    await attacker.read();
    attacker.nextCycle();
    expect((await attacker.read()).figures).toMatchObject({ memberCount: 13, edge: 7, advantaged: 5 });

    // Four more, one at a time: still nothing within the cycle; at the next new moon the five move together.
    for (const [i, bloc] of (["EDGE", "ADVANTAGED", "EDGE", "ADVANTAGED"] as Bloc[]).entries()) {
      await attacker.join(`later${i}`, bloc);
      expect((await attacker.read()).figures).toMatchObject({ edge: 7, advantaged: 5 });
    }
    attacker.nextCycle();
    expect((await attacker.read()).figures).toMatchObject({ memberCount: 17, edge: 10, advantaged: 7 });

    expect(attacker.inferences()).toEqual([]);
  });

  it("a member who changes their own bloc moves no figure: not when asking, not at the new moon unless a cohort changed", async () => {
    const attacker = new DifferencingAttacker(uniqueSlug("bloc-change"));
    await attacker.found();
    for (const [i, bloc] of (
      [
        "EDGE",
        "EDGE",
        "EDGE",
        "EDGE",
        "EDGE",
        "ADVANTAGED",
        "ADVANTAGED",
        "ADVANTAGED",
        "ADVANTAGED",
        "ADVANTAGED",
      ] as Bloc[]
    ).entries()) {
      await attacker.join(`m${i}`, bloc);
    }
    await attacker.join("changer", "EDGE");
    attacker.nextCycle();
    const counted = (await attacker.read()).figures;
    expect(counted).toMatchObject({ edge: 7, advantaged: 5 });

    const circleId = (
      await succeed(network.url, `query ($slug: String!) { circle(slug: $slug) { id } }`, { slug: attacker.slug })
    ).circle.id;
    const changer = bearer(await attacker.token("changer"));
    const changed = (
      await succeed(
        network.url,
        `mutation ($input: ChangeMyBlocInput!) { changeMyBloc(input: $input) { id bloc pendingBloc blocChangesAt } }`,
        { input: { circleId, bloc: "ADVANTAGED" } },
        changer,
      )
    ).changeMyBloc;
    expect(changed).toMatchObject({
      bloc: "EDGE",
      pendingBloc: "ADVANTAGED",
      blocChangesAt: cycleContaining(clock()).endsAt.toISOString(),
    });
    const asFounder = await succeed(
      network.url,
      `query ($slug: String!) { circle(slug: $slug) { members(first: 50) { items { handle bloc pendingBloc blocChangesAt } } } }`,
      { slug: attacker.slug },
      bearer(await attacker.token()),
    );
    expect(asFounder.circle.members.items.find((m: { handle: string }) => m.handle === "changer")).toEqual({
      handle: "changer",
      bloc: null,
      pendingBloc: null,
      blocChangesAt: null,
    });
    expect((await attacker.read()).figures).toEqual(counted);

    // Services that count blocs are told the bloc in force at the instant they ask about.
    const blocOf = remoteMemberBlocLookup({
      networkUrl: network.url,
      tokenSecret: inject("tokenSecret"),
      service: "governance",
    });
    expect(await blocOf(circleId, changed.id)).toBe("EDGE");
    expect(await blocOf(circleId, changed.id, new Date(changed.blocChangesAt))).toBe("ADVANTAGED");

    attacker.nextCycle();
    expect((await attacker.read()).figures).toEqual(counted);
    const me = async () =>
      (
        await succeed(
          network.url,
          `{ me { memberships { bloc pendingBloc blocChangesAt } } }`,
          {},
          bearer(await attacker.token("changer")),
        )
      ).me.memberships[0];
    expect(await me()).toEqual({ bloc: "ADVANTAGED", pendingBloc: null, blocChangesAt: null });

    // Another circle's member, a made-up bloc or circle id: refused, and nothing waits.
    const refusedWith = async (input: Record<string, unknown>) =>
      (
        await graphql(
          network.url,
          `
            mutation ($input: ChangeMyBlocInput!) {
              changeMyBloc(input: $input) {
                id
              }
            }
          `,
          { input },
          bearer(await attacker.token("changer")),
        )
      ).body.errors?.[0]?.extensions?.code;
    expect(await refusedWith({ circleId: "00000000-0000-4000-8000-000000000000", bloc: "EDGE" })).toBe("FORBIDDEN");
    expect(await refusedWith({ circleId, bloc: "NOPE" })).toBe("BAD_USER_INPUT");
    expect(await refusedWith({ circleId: "not-a-uuid", bloc: "EDGE" })).toBe("BAD_USER_INPUT");

    // Asking again replaces the waiting change; asking for the bloc in force cancels it.
    const change = async (bloc: Bloc) =>
      succeed(
        network.url,
        `mutation ($input: ChangeMyBlocInput!) { changeMyBloc(input: $input) { pendingBloc } }`,
        { input: { circleId, bloc } },
        bearer(await attacker.token("changer")),
      );
    expect((await change("EDGE")).changeMyBloc.pendingBloc).toBe("EDGE");
    expect((await change("ADVANTAGED")).changeMyBloc.pendingBloc).toBeNull();
    expect(await me()).toEqual({ bloc: "ADVANTAGED", pendingBloc: null, blocChangesAt: null });
  });
});
