// The client alone, not the whole kit: the launcher stays small.
import { dataOrThrow, gql } from "@rhizome/kit/runtime";
import {
  MAX_DEMO_PAST_CYCLES,
  seedDemoActivity,
  sendRetried,
  type ActivityOptions,
  type DemoHistoryClock,
  type SeededDemoCircle,
  type SeededMember,
} from "./seed-activity.js";

export type Bloc = "EDGE" | "ADVANTAGED";

export interface DemoMember {
  handle: string;
  bloc: Bloc;
}

export interface DemoCircle {
  name: string;
  slug: string;
  /** The first member founds the circle and becomes its organizer. */
  members: DemoMember[];
}

/** Meets the hub's minimum passphrase length of 12 characters. */
export const DEMO_PASSPHRASE = "demo passphrase 1234";
export const DEMO_INVITATION_LIFETIME_HOURS = 24;

const member = (handle: string, bloc: Bloc): DemoMember => ({ handle, bloc });

export const DEMO_CIRCLES: readonly DemoCircle[] = [
  {
    name: "Riverside Commons",
    slug: "riverside",
    members: [
      member("ada", "EDGE"),
      member("bell", "ADVANTAGED"),
      member("cedar", "EDGE"),
      member("dune", "EDGE"),
      member("ember", "ADVANTAGED"),
      member("fern", "EDGE"),
    ],
  },
  {
    name: "Hillcrest Mutual Aid",
    slug: "hillcrest",
    members: [
      member("gale", "EDGE"),
      member("hazel", "EDGE"),
      member("iris", "ADVANTAGED"),
      member("juniper", "EDGE"),
      member("kestrel", "EDGE"),
      member("lark", "ADVANTAGED"),
    ],
  },
  {
    name: "Old Mill Barter Ring",
    slug: "old-mill",
    members: [
      member("moss", "ADVANTAGED"),
      member("nettle", "EDGE"),
      member("oak", "EDGE"),
      member("pine", "ADVANTAGED"),
      member("quill", "EDGE"),
      member("rowan", "EDGE"),
    ],
  },
];

export interface SeedOptions {
  /**
   * Network's own GraphQL endpoint (`<network>/graphql`), not the gateway's: everything seeded is
   * network's, and a gateway with PERSISTED_OPERATIONS_ONLY runs no anonymous operation that is
   * not registered, the seed's included.
   */
  networkGraphqlUrl: string;
  /** Sent with every request (a subgraph that answers only the gateway needs its signature). */
  headers?: Record<string, string>;
  /** Sent as x-operator-key on createCircle, for hubs where only the operator founds circles. */
  operatorKey?: string;
  circles?: readonly DemoCircle[];
  passphrase?: string;
  /**
   * With every service's URL: the circles also get their activity (exchanges, loans, a decision,
   * an alert dealt with, stories, needs), so the app and the organizers' charts show histories
   * instead of zeros. With `history` too, that activity spans past cycles the hub's clock is moved
   * through (see seedDemoActivity); the circles are then founded at the hub's clock, in the oldest.
   * Without `activity`, only network is seeded.
   */
  activity?: Omit<ActivityOptions, "passphrase"> & { history?: DemoHistoryClock };
}

export interface SeedResult {
  hasSeeded: boolean;
  /** The circles the hub had before seeding (empty when it seeded). */
  existingSlugs: string[];
  /** How many closed cycles of activity were seeded before the current one (none without a history clock). */
  pastCycles?: number;
  /**
   * Why the circles' activity was not seeded whole, when it was not: the circles and members are
   * there all the same, so the hub starts and says so rather than stopping.
   */
  activityProblem?: string;
}

/** One circle is enough to tell an empty hub; a few show which circles are there. */
const EXISTING_CIRCLES_SHOWN = 50;
const CIRCLES_QUERY = /* GraphQL */ `query DemoSeedCircles { circles(first: ${EXISTING_CIRCLES_SHOWN}) { items { id slug } } }`;

const CREATE_CIRCLE = /* GraphQL */ `
  mutation DemoSeedCreateCircle($input: CreateCircleInput!) {
    createCircle(input: $input) {
      circle {
        id
        slug
      }
      member {
        id
        handle
      }
      token
    }
  }
`;
const CREATE_INVITATION = /* GraphQL */ `
  mutation DemoSeedCreateInvitation($input: CreateInvitationInput!) {
    createInvitation(input: $input) {
      code
    }
  }
`;
const JOIN_CIRCLE = /* GraphQL */ `
  mutation DemoSeedJoinCircle($input: JoinCircleInput!) {
    joinCircle(input: $input) {
      member {
        id
        handle
      }
      token
    }
  }
`;

async function seedCircle(
  circle: DemoCircle,
  options: SeedOptions,
  passphrase: string,
  history: DemoHistoryClock | undefined,
): Promise<SeededDemoCircle> {
  const [founder, ...others] = circle.members;
  const url = options.networkGraphqlUrl;
  const headers = options.headers ?? {};
  const bearer = async (token: string) => `Bearer ${history ? await history.tokenFor(token) : token}`;
  const operatorHeader: Record<string, string> = {
    ...headers,
    ...(options.operatorKey ? { "x-operator-key": options.operatorKey } : {}),
  };
  const created = (
    await sendRetried<{
      createCircle: { circle: { id: string }; member: { id: string; handle: string }; token: string };
    }>(
      url,
      CREATE_CIRCLE,
      {
        input: {
          name: circle.name,
          slug: circle.slug,
          founderHandle: founder.handle,
          founderBloc: founder.bloc,
          passphrase,
        },
      },
      () => operatorHeader,
      `Creating the demo circle ${circle.slug}`,
    )
  ).createCircle;
  const members: SeededMember[] = [{ ...created.member, token: created.token }];
  const edgeMembers: SeededMember[] = founder.bloc === "EDGE" ? [...members] : [];
  const seeded = () => ({ id: created.circle.id, slug: circle.slug, members, edgeMembers });
  if (others.length === 0) return seeded();
  const invitation = (
    await sendRetried<{ createInvitation: { code: string } }>(
      url,
      CREATE_INVITATION,
      {
        input: { circleId: created.circle.id, maxUses: others.length, expiresInHours: DEMO_INVITATION_LIFETIME_HOURS },
      },
      async () => ({ ...headers, authorization: await bearer(created.token) }),
      `Inviting members to ${circle.slug}`,
    )
  ).createInvitation;
  for (const joiner of others) {
    const input = { code: invitation.code, handle: joiner.handle, passphrase, bloc: joiner.bloc };
    const joined = (
      await sendRetried<{ joinCircle: { member: { id: string; handle: string }; token: string } }>(
        url,
        JOIN_CIRCLE,
        { input },
        () => headers,
        `${joiner.handle} joining ${circle.slug}`,
      )
    ).joinCircle;
    const member = { ...joined.member, token: joined.token };
    members.push(member);
    if (joiner.bloc === "EDGE") edgeMembers.push(member);
  }
  return seeded();
}

/**
 * Seeds the demo circles (and, with `activity`, their activity) whatever the hub already holds:
 * seedDemoNetwork calls it on an empty hub only.
 */
export async function seedDemoCircles(options: SeedOptions): Promise<SeededDemoCircle[]> {
  const passphrase = options.passphrase ?? DEMO_PASSPHRASE;
  // Circles are independent of each other; members of one circle join one after another.
  const history = options.activity?.history;
  const seeded = await Promise.all(
    (options.circles ?? DEMO_CIRCLES).map((circle) => seedCircle(circle, options, passphrase, history)),
  );
  if (options.activity) await seedDemoActivity(seeded, { ...options.activity, passphrase });
  return seeded;
}

/**
 * Seeds a small demo network through network's public API (the mutations any person could send),
 * so it works on any database: on an empty hub only (no circles); otherwise it changes nothing.
 */
export async function seedDemoNetwork(options: SeedOptions): Promise<SeedResult> {
  const circles = dataOrThrow(
    await gql<{ circles: { items: Array<{ id: string; slug: string }> } }>(
      options.networkGraphqlUrl,
      CIRCLES_QUERY,
      {},
      options.headers ?? {},
    ),
    "Listing circles",
  ).circles.items;
  if (circles.length > 0) return { hasSeeded: false, existingSlugs: circles.map((circle) => circle.slug) };
  const passphrase = options.passphrase ?? DEMO_PASSPHRASE;
  const seeded = await Promise.all(
    (options.circles ?? DEMO_CIRCLES).map((circle) =>
      seedCircle(circle, options, passphrase, options.activity?.history),
    ),
  );
  if (!options.activity) return { hasSeeded: true, existingSlugs: [] };
  try {
    await seedDemoActivity(seeded, { ...options.activity, passphrase });
    const pastCycles = options.activity.history
      ? Math.min(options.activity.history.pastCycles, MAX_DEMO_PAST_CYCLES)
      : 0;
    return { hasSeeded: true, existingSlugs: [], ...(pastCycles > 0 ? { pastCycles } : {}) };
  } catch (error) {
    return {
      hasSeeded: true,
      existingSlugs: [],
      activityProblem: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The mutation a person pastes to log in as a demo member. */
export function demoLoginMutation(circle: DemoCircle = DEMO_CIRCLES[0], passphrase = DEMO_PASSPHRASE): string {
  const handle = circle.members[0].handle;
  return `mutation { login(input: { circleSlug: "${circle.slug}", handle: "${handle}", passphrase: "${passphrase}" }) { token } }`;
}

/** The demo organizer's login, as typed in the app: circle, handle and passphrase. */
export function demoLogin(circle: DemoCircle = DEMO_CIRCLES[0], passphrase = DEMO_PASSPHRASE): string {
  return `circle "${circle.slug}", handle "${circle.members[0].handle}", passphrase "${passphrase}"`;
}
