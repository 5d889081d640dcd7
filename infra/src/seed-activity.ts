// The client alone, not the whole kit: the launcher stays small.
import { randomUUID } from "node:crypto";
import { dataOrThrow, gql } from "@rhizome/kit/runtime";
import { cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit/rules";

/** A member the seed created, with the access token their join, founding or last login returned. */
export interface SeededMember {
  id: string;
  handle: string;
  token: string;
}

/** A seeded circle; its first member founded it and is its organizer. */
export interface SeededCircle {
  id: string;
  slug: string;
  members: SeededMember[];
}

export type SeededDemoCircle = SeededCircle & { edgeMembers: SeededMember[] };

export interface ActivityOptions {
  /** The demo members' passphrase: a member given a role logs in again for a token that names it. */
  passphrase: string;
  /** Each service's base URL (`<url>/graphql` is its endpoint): the seed talks to the services themselves. */
  serviceUrls: Record<string, string>;
  /** Headers each service's requests carry (the gateway's signature where a service answers only the gateway). */
  headersFor: (service: string) => Promise<Record<string, string>>;
}

/**
 * The hub's clock, which the seed moves through past cycles: the services read their time from it,
 * so what the seed sends happens then, and each new moon's jobs (credit expiry, scores, rotation)
 * really run for the cycle it closes.
 */
export interface DemoHistoryClock {
  /** How many closed cycles of activity to seed before the current one. */
  pastCycles: number;
  /** Moves every service's clock to the instant (never backwards). */
  moveTo(instant: Date): Promise<void>;
  /** Called with the clock just past the cycle's end: returns once every service's jobs for that cycle have finished. */
  closeCycle(cycle: LunarCycle): Promise<void>;
  /** Where the current cycle's activity happens: the system's time, where the services go on from. */
  now(): Date;
  /**
   * The token to send for one the hub issued: a service signs a token at its clock's instant but
   * checks expiry by the system's, so a token signed in a past cycle has expired before it is sent.
   */
  tokenFor(token: string): Promise<string>;
}

/** How many cycles back an organizer may still record by hand (sovereignty's own limit). */
const PAST_CYCLES = 3;
/** A member's join reaches barter and tools as an event, a moment later: how long the seed waits for it. */
const EVENT_WAIT_ATTEMPTS = 100;
const EVENT_WAIT_MS = 100;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A proposal stays open a week; an alert, once verified, closes by itself when its urgency's time is up. */
const PROPOSAL_OPEN_MS = 7 * DAY_MS;
/** Where the clock waits in a past cycle: the week's proposals closed and the alerts expired, well before the new moon. */
const MID_CYCLE_MS = 10 * DAY_MS;
/** How long the seed waits for a past proposal to be closed by governance's deadline sweep. */
const DECISION_WAIT_MS = 60_000;
const DECISION_POLL_MS = 250;

/** Small, plain things neighbours trade: skills, tools, needs and stories the demo shows. */
const SKILLS = ["bike-repair", "childcare", "cooking", "translation", "tutoring", "gardening"];
const TOOLS = ["Cordless drill", "Long ladder", "Pressure cooker", "Sewing machine", "Tile cutter"];
/** Each circle's tools live in one block of its own (geohash cells, block level). */
const CELLS = ["u4pruy", "u4pruv", "u4prus"];
/** The needs still open on the board now. */
const OPEN_NEEDS = [
  { category: "repair", title: "A ladder long enough for a second floor", peopleWaiting: 7 },
  { category: "childcare", title: "After-school pick-ups on Thursdays", peopleWaiting: 5 },
];
/** A need a past cycle posted and met, oldest first. */
const MET_NEEDS = [
  { category: "food", title: "Hot meals for a family after a birth", peopleWaiting: 5 },
  { category: "housing", title: "Hands to move a neighbour out before the deadline", peopleWaiting: 6 },
  { category: "repair", title: "A working washing machine for the third floor", peopleWaiting: 8 },
];
/** One story a cycle, oldest first; the last one is the current cycle's. */
const STORIES = [
  {
    title: "How the seed library started",
    body: "Two gardeners swapped tomato seeds for an afternoon of tutoring, and by the next moon twelve households were trading seeds.",
  },
  {
    title: "Moving day without a van rental",
    body: "Five neighbours carried a family's furniture across the block in a morning, paid in hours instead of a company's invoice.",
  },
  {
    title: "The month nobody called a plumber",
    body: "A retired fitter taught three members to fix leaks, and the circle fixed eleven taps with borrowed tools.",
  },
  {
    title: "The week the boiler broke",
    body: "Three households cooked for each other for a week and a neighbour fixed the boiler for two hours of credit.",
  },
];
/** One proposal a cycle, oldest first; the last one is the current cycle's, still open. */
const PROPOSALS = [
  {
    title: "Keep the seed library in the community garden shed",
    text: "The shed is dry and open to everyone; two members keep the key.",
  },
  { title: "Meet on the first Saturday of each cycle", text: "A fixed day makes it easier for shift workers to plan." },
  {
    title: "Lend the long ladder only with a second person present",
    text: "After a near fall, the ladder goes out with a helper.",
  },
  {
    title: "Open the tool library on Sunday mornings",
    text: "Two members host the library's tools at the community garden from 9 to 12.",
  },
];
/**
 * Hand-recorded events per cycle, oldest cycle first (a circle that grows over the cycles shown),
 * each a separate record: a kind recorded by hand counts one person per record, and a figure is
 * shown only when at least 5 stand behind it, so a kind recorded fewer than 5 times stays "—".
 */
const HAND_RECORDED = [
  { kind: "MEAL_SHARED", countPerRecord: 2, records: [5, 6, 8, 6] },
  { kind: "SABBATH_NEED_MET", countPerRecord: 1, records: [5, 5, 6, 5] },
  { kind: "POLICE_CALL_AVOIDED", countPerRecord: 1, records: [1, 2, 1, 1] },
];

/** The cycle-by-cycle lists above are this long: the most closed cycles the seed can fill. */
export const MAX_DEMO_PAST_CYCLES = 3;

type Send = (
  service: string,
  query: string,
  variables: Record<string, unknown>,
  who: SeededMember,
  step: string,
) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are read in the shape each step expects, as GraphQL clients do

/**
 * How often a step is sent again when it met a concurrent change (CONFLICT: "send the same request
 * again") or a passing outage (SERVICE_UNAVAILABLE, whose write happened whole or not at all).
 */
const RETRY_ATTEMPTS = 5;
const RETRY_CODES = new Set(["CONFLICT", "SERVICE_UNAVAILABLE"]);
const OUTAGE_PAUSE_MS = 1_000;

/** Sends a request, again after a concurrent change or a passing outage (see RETRY_CODES); its data, or an error naming the step. */
export async function sendRetried<Data = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any -- as Send
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: () => Promise<Record<string, string>> | Record<string, string>,
  step: string,
): Promise<Data> {
  for (let attempt = 1; ; attempt++) {
    const response = await gql<Data>(url, query, variables, await headers());
    const codes = new Set((response.body.errors ?? []).map((error) => error.extensions?.code));
    const retry = [...codes].some((code) => typeof code === "string" && RETRY_CODES.has(code));
    if (!retry || attempt >= RETRY_ATTEMPTS) return dataOrThrow(response, step);
    if (codes.has("SERVICE_UNAVAILABLE")) await new Promise((resolve) => setTimeout(resolve, OUTAGE_PAUSE_MS));
  }
}

function sender(options: ActivityOptions & { history?: DemoHistoryClock }): Send {
  const tokenFor = options.history
    ? (token: string) => options.history!.tokenFor(token)
    : async (token: string) => token;
  return (service, query, variables, who, step) =>
    sendRetried(
      `${options.serviceUrls[service]}/graphql`,
      query,
      variables,
      async () => ({ ...(await options.headersFor(service)), authorization: `Bearer ${await tokenFor(who.token)}` }),
      step,
    );
}

/** Retries a step that waits for a member's join to reach a service (it answers "not a member" until then). */
async function once<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= EVENT_WAIT_ATTEMPTS || !/member|account|not found/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, EVENT_WAIT_MS));
    }
  }
}

/** What a circle's first cycle set up and later cycles go on with. */
interface CircleSetUp {
  circle: SeededDemoCircle;
  cell: string;
  /** The member made a steward (who reviews stories). */
  steward: SeededMember;
  /** The stewards' body and the members seated in it (none when the circle has no edge member). */
  body?: { id: string; seated: SeededMember[] };
  /** The trusted responder who answers alerts. */
  responder: SeededMember;
  /** Each tool and the index, among the circle's members, of the member holding it now. */
  tools: Array<{ id: string; holder: number }>;
}

/** Where a cycle's activity happens: its index among the cycles seeded (0 the oldest), label and instant. */
interface CycleAt {
  index: number;
  label: string;
  now: Date;
  /** Whether the cycle is the current one (its proposal stays open, its needs stay on the board). */
  isCurrent: boolean;
}

/** Every member logs in again: a token lives minutes, and the clock moves weeks between cycles. */
async function logInAgain(send: Send, circle: SeededCircle, passphrase: string): Promise<void> {
  for (const member of circle.members) {
    const login = await send(
      "network",
      `mutation DemoSeedLogin($input: LoginInput!) { login(input: $input) { token } }`,
      { input: { circleSlug: circle.slug, handle: member.handle, passphrase } },
      member,
      `${member.handle} logging in`,
    );
    member.token = login.login.token;
  }
}

/** The organizer makes a member a steward (who reviews stories); the member logs in again for a token naming the role. */
async function appointSteward(send: Send, circle: SeededDemoCircle, passphrase: string): Promise<SeededMember> {
  const [organizer, teller] = circle.members;
  // A member facing the sharpest pressure: stewards are two of them for every advantaged one.
  const member = circle.edgeMembers.find((edge) => edge !== organizer && edge !== teller) ?? circle.members[2];
  await send(
    "network",
    `mutation DemoSeedSteward($input: RoleChangeInput!) { grantRole(input: $input) { id } }`,
    { input: { memberId: member.id, role: "STEWARD" } },
    organizer,
    `Making ${member.handle} a steward`,
  );
  const login = await send(
    "network",
    `mutation DemoSeedLogin($input: LoginInput!) { login(input: $input) { token } }`,
    { input: { circleSlug: circle.slug, handle: member.handle, passphrase } },
    member,
    `${member.handle} logging in as steward`,
  );
  member.token = login.login.token;
  return member;
}

async function setUpBarter(send: Send, circle: SeededCircle): Promise<void> {
  const [, ...members] = circle.members;
  for (const [index, member] of members.entries()) {
    await once(() =>
      send(
        "barter",
        `mutation DemoSeedListing($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
        {
          input: {
            circleId: circle.id,
            kind: index % 2 === 0 ? "OFFER" : "REQUEST",
            skills: [SKILLS[index % SKILLS.length]],
            description: index % 2 === 0 ? "Happy to help on weekends." : "Looking for a hand this month.",
          },
        },
        member,
        `A listing by ${member.handle}`,
      ),
    );
  }
}

/** Five members each host a tool at home, in the circle's block. */
async function setUpTools(send: Send, circle: SeededCircle, cell: string): Promise<CircleSetUp["tools"]> {
  const tools: CircleSetUp["tools"] = [];
  for (const [index, name] of TOOLS.entries()) {
    const host = circle.members[index];
    const tool = await once(() =>
      send(
        "tools",
        `mutation DemoSeedTool($input: AddToolInput!) { addTool(input: $input) { id } }`,
        { input: { circleId: circle.id, name, category: name.split(" ").at(-1)!.toLowerCase(), locationCell: cell } },
        host,
        `${host.handle} hosting a tool`,
      ),
    );
    tools.push({ id: tool.addTool.id, holder: index });
  }
  return tools;
}

async function setUpGovernance(send: Send, circle: SeededDemoCircle): Promise<CircleSetUp["body"]> {
  const [organizer] = circle.members;
  const body = await send(
    "governance",
    `mutation DemoSeedBody($input: CreateBodyInput!) { createBody(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        name: "Stewards",
        kind: "STEWARD_TEAM",
        decisionRule: "CONSENSUS_MINUS_ONE",
        size: 3,
      },
    },
    organizer,
    "Creating the stewards' body",
  );
  const seated = circle.edgeMembers.slice(0, 2);
  for (const member of seated)
    await once(() =>
      send(
        "governance",
        `mutation DemoSeedSeat($id: ID!) { takeSeat(bodyId: $id) { kind } }`,
        { id: body.createBody.id },
        member,
        `${member.handle} taking a seat`,
      ),
    );
  return seated.length === 0 ? undefined : { id: body.createBody.id, seated };
}

/** The alert tree: the whole circle one branch, one trusted responder who answers in the app's inbox. */
async function setUpDefense(send: Send, circle: SeededCircle): Promise<SeededMember> {
  const [organizer, responder] = circle.members;
  await send(
    "defense",
    `mutation DemoSeedDefense($input: ConfigureDefenseInput!) { configureDefense(input: $input) { verificationsNeeded } }`,
    { input: { circleId: circle.id, verificationsNeeded: 1 } },
    organizer,
    "Configuring defense",
  );
  const branch = await send(
    "defense",
    `mutation DemoSeedBranch($input: CreateResponderBranchInput!) { createResponderBranch(input: $input) { id } }`,
    { input: { circleId: circle.id, name: "Whole circle", parentBranchId: null } },
    organizer,
    "Creating the alert tree",
  );
  const joined = await send(
    "defense",
    `mutation DemoSeedResponder($input: JoinRespondersInput!) { joinResponders(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        branchId: branch.createResponderBranch.id,
        contactKind: "INBOX",
        contact: null,
        shifts: [],
      },
    },
    responder,
    `${responder.handle} joining the responders`,
  );
  await send(
    "defense",
    `mutation DemoSeedTrust($id: ID!) { trustResponder(responderId: $id) { id } }`,
    { id: joined.joinResponders.id },
    organizer,
    "Trusting a responder",
  );
  return responder;
}

async function setUpCircle(send: Send, circle: SeededDemoCircle, cell: string, passphrase: string) {
  const [steward, , tools, body, responder] = await Promise.all([
    appointSteward(send, circle, passphrase),
    setUpBarter(send, circle),
    setUpTools(send, circle, cell),
    setUpGovernance(send, circle),
    setUpDefense(send, circle),
  ]);
  return { circle, cell, steward, tools, body, responder } satisfies CircleSetUp;
}

/**
 * Each member gives hours to the next one, each half an hour less than the one before (3 h down to
 * 30 min, 10 h 30 in all): six people on both sides of the ledger, and at the new moon one credit
 * expired and five debts annulled, enough people for each figure to be shown.
 */
export const DEMO_EXCHANGE_MINUTES = [180, 150, 120, 90, 60, 30] as const;

async function exchangeHours(send: Send, circle: SeededCircle, at: CycleAt): Promise<void> {
  for (const [index, provider] of circle.members.entries()) {
    const receiver = circle.members[(index + 1) % circle.members.length];
    const proposed = await once(() =>
      send(
        "barter",
        `mutation DemoSeedExchange($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id } }`,
        {
          input: {
            circleId: circle.id,
            providerMemberId: provider.id,
            receiverMemberId: receiver.id,
            minutes: DEMO_EXCHANGE_MINUTES[(index + at.index) % DEMO_EXCHANGE_MINUTES.length],
            skill: SKILLS[(index + at.index) % SKILLS.length],
            idempotencyKey: `demo-seed:${circle.slug}:${at.label}:${index}`,
          },
        },
        provider,
        `An exchange from ${provider.handle}`,
      ),
    );
    await once(() =>
      send(
        "barter",
        `mutation DemoSeedConfirm($id: ID!) { confirmExchange(exchangeId: $id) { id } }`,
        { id: proposed.proposeExchange.id },
        receiver,
        `${receiver.handle} confirming an exchange`,
      ),
    );
  }
}

/** Each tool goes from the member holding it to the next one, in person (both confirm): five loans in one block. */
async function passTools(send: Send, setUp: CircleSetUp): Promise<void> {
  const members = setUp.circle.members;
  for (const tool of setUp.tools) {
    const holder = members[tool.holder];
    const next = (tool.holder + 1) % members.length;
    const handOff = await once(() =>
      send(
        "tools",
        `mutation DemoSeedHandOff($toolId: ID!, $to: ID!) { proposeHandOff(toolId: $toolId, toMemberId: $to) { id } }`,
        { toolId: tool.id, to: members[next].id },
        holder,
        `${holder.handle} handing a tool over`,
      ),
    );
    await send(
      "tools",
      `mutation DemoSeedConfirmHandOff($id: ID!) { confirmHandOff(handOffId: $id) { loanStarted { id } } }`,
      { id: handOff.proposeHandOff.id },
      members[next],
      `${members[next].handle} receiving a tool`,
    );
    tool.holder = next;
  }
}

/** A proposal the seated stewards consent to; it closes a week later. Returns its id. */
async function proposeAndConsent(send: Send, setUp: CircleSetUp, at: CycleAt): Promise<string | undefined> {
  if (!setUp.body) return undefined;
  const { id: bodyId, seated } = setUp.body;
  const proposal = await send(
    "governance",
    `mutation DemoSeedProposal($input: CreateProposalInput!) { createProposal(input: $input) { id } }`,
    {
      input: {
        bodyId,
        ...PROPOSALS[at.index % PROPOSALS.length],
        closesAt: new Date(at.now.getTime() + PROPOSAL_OPEN_MS).toISOString(),
      },
    },
    seated[0],
    "A proposal",
  );
  for (const member of seated)
    await send(
      "governance",
      `mutation DemoSeedRespond($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { proposalId: proposal.createProposal.id, response: "CONSENT" } },
      member,
      `${member.handle} consenting`,
    );
  return proposal.createProposal.id;
}

/** An alert raised, answered and confirmed: it reached the circle and was dealt with. */
async function raiseAndAnswerAlert(send: Send, setUp: CircleSetUp, at: CycleAt): Promise<void> {
  const { circle, responder } = setUp;
  const raiser = circle.members[3];
  const alert = await send(
    "defense",
    `mutation DemoSeedAlert($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        kind: "EVICTION",
        place: setUp.cell,
        urgency: "HIGH",
        text: at.isCurrent
          ? "Bailiffs at the door of a flat on the corner; neighbours are gathering."
          : "A landlord's men changing the locks on a flat by the bakery; neighbours came to stand with the tenant.",
      },
    },
    raiser,
    "Raising an alert",
  );
  for (const [name, mutation] of [
    ["acknowledging", "acknowledgeAlert"],
    ["verifying", "verifyAlert"],
  ])
    await once(() =>
      send(
        "defense",
        `mutation DemoSeedAnswer($id: ID!) { ${mutation}(alertId: $id) { id } }`,
        { id: alert.raiseAlert.id },
        responder,
        `${responder.handle} ${name} the alert`,
      ),
    );
}

/** Records the cycle's hand-recorded events (by the organizer), one record a person. */
async function recordByHand(send: Send, circle: SeededCircle, index: number, label: string): Promise<void> {
  const [organizer] = circle.members;
  for (const { kind, countPerRecord, records } of HAND_RECORDED)
    for (let record = 0; record < records[index]; record++)
      await send(
        "sovereignty",
        `mutation DemoSeedRecord($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { id } }`,
        {
          input: { circleId: circle.id, kind, count: countPerRecord, cycle: label, idempotencyKey: randomUUID() },
        },
        organizer,
        `Recording ${kind} in ${label}`,
      );
}

/** A story told with consent and approved by a steward; a need posted (and, in a past cycle, met). */
async function tellAndPost(send: Send, setUp: CircleSetUp, at: CycleAt): Promise<void> {
  const { circle, steward } = setUp;
  const [organizer, teller] = circle.members;
  const needs = at.isCurrent ? OPEN_NEEDS : [MET_NEEDS[at.index % MET_NEEDS.length]];
  for (const need of needs) {
    const posted = await send(
      "sovereignty",
      `mutation DemoSeedNeed($input: PostNeedInput!) { postNeed(input: $input) { id } }`,
      { input: { circleId: circle.id, ...need } },
      organizer,
      "Posting a need",
    );
    if (!at.isCurrent)
      await send(
        "sovereignty",
        `mutation DemoSeedNeedMet($id: ID!) { closeNeed(needId: $id) { id } }`,
        { id: posted.postNeed.id },
        organizer,
        "Closing a need that was met",
      );
  }
  const story = await send(
    "sovereignty",
    `mutation DemoSeedStory($input: SubmitStoryInput!) { submitStory(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        ...STORIES[at.index % STORIES.length],
        replacements: [],
        consentsToPublication: true,
      },
    },
    teller,
    "Telling a story",
  );
  await send(
    "sovereignty",
    `mutation DemoSeedConsent($id: ID!) { setStoryConsent(storyId: $id, consents: true) { id } }`,
    { id: story.submitStory.id },
    teller,
    "Consenting to the story",
  );
  await send(
    "sovereignty",
    `mutation DemoSeedReview($id: ID!) { reviewStory(storyId: $id, approve: true) { id } }`,
    { id: story.submitStory.id },
    steward,
    "Approving the story",
  );
}

/** One cycle of a circle's life; each service's part runs beside the others'. Returns the cycle's proposal. */
async function liveCycle(send: Send, setUp: CircleSetUp, at: CycleAt): Promise<string | undefined> {
  const [proposalId] = await Promise.all([
    proposeAndConsent(send, setUp, at),
    exchangeHours(send, setUp.circle, at),
    passTools(send, setUp),
    raiseAndAnswerAlert(send, setUp, at),
    tellAndPost(send, setUp, at),
  ]);
  return proposalId;
}

/** Waits until governance's deadline sweep has closed the proposal (its week is over on the hub's clock). */
async function waitForDecision(send: Send, setUp: CircleSetUp, proposalId: string): Promise<void> {
  const deadlineMs = performance.now() + DECISION_WAIT_MS;
  for (;;) {
    const { proposal } = await send(
      "governance",
      `query DemoSeedDecision($id: ID!) { proposal(id: $id) { status } }`,
      { id: proposalId },
      setUp.body!.seated[0],
      "Reading a proposal",
    );
    if (proposal.status === "CLOSED") return;
    if (performance.now() > deadlineMs)
      throw new Error(`A proposal of ${setUp.circle.slug} was not closed ${DECISION_WAIT_MS / 1000} s after its week.`);
    await new Promise((resolve) => setTimeout(resolve, DECISION_POLL_MS));
  }
}

/** When the seed cannot move the clock: the hand-recorded events of past cycles, as far back as an organizer may record. */
async function recordPastCyclesByHand(send: Send, circle: SeededCircle, now: Date): Promise<void> {
  const cycles: LunarCycle[] = [precedingCycle(cycleContaining(now))];
  while (cycles.length < PAST_CYCLES) cycles.unshift(precedingCycle(cycles[0]));
  // One chain of records per cycle, side by side: each names its cycle.
  await Promise.all(cycles.map((cycle, index) => recordByHand(send, circle, index, cycle.label)));
}

/**
 * A circle's life through the services' own public mutations (what members and organizers could
 * send): listings and exchanges, tools lent hand to hand, a body and a proposal answered, an alert
 * raised, answered and confirmed, stories, needs, hand-recorded events.
 *
 * With `history`, the seed starts with the hub's clock in the oldest of `history.pastCycles` closed
 * cycles (the circles were founded then) and lives each cycle in turn: a day into it the members
 * trade, lend, decide, answer an alert, tell a story and meet a need; ten days in, the week's
 * proposal has closed and the alert has expired; just past its new moon, every service's cycle jobs
 * run for it (credits expire, scores are published, roles rotate); then the next cycle. The current
 * cycle's activity happens at `history.now()`. Without `history` (a hub that runs on the system's
 * clock), everything happens now, and only the hand-recorded events go to past cycles.
 */
export async function seedDemoActivity(
  circles: SeededDemoCircle[],
  options: ActivityOptions & { history?: DemoHistoryClock },
): Promise<void> {
  const send = sender(options);
  const history = options.history;
  const pastCycles = Math.min(history?.pastCycles ?? 0, MAX_DEMO_PAST_CYCLES);
  const setUps = await Promise.all(
    circles.map((circle, index) => setUpCircle(send, circle, CELLS[index % CELLS.length], options.passphrase)),
  );
  const eachCircle = <T>(step: (setUp: CircleSetUp) => Promise<T>) => Promise.all(setUps.map(step));
  // The lists above hold one entry per cycle ending with the current one: past cycles take the entries before it.
  const firstIndex = HAND_RECORDED[0].records.length - 1 - pastCycles;

  if (history && pastCycles > 0) {
    let cycle = cycleContaining(history.now());
    for (let back = 0; back < pastCycles; back++) cycle = precedingCycle(cycle);
    for (let index = firstIndex; index < firstIndex + pastCycles; index++) {
      const now = new Date(cycle.startsAt.getTime() + DAY_MS);
      await history.moveTo(now);
      const at: CycleAt = { index, label: cycle.label, now, isCurrent: false };
      const proposalIds = await eachCircle(async (setUp) => {
        await logInAgain(send, setUp.circle, options.passphrase);
        const proposalId = await liveCycle(send, setUp, at);
        await recordByHand(send, setUp.circle, index, cycle.label);
        return proposalId;
      });
      // The week is over: governance closes each proposal with its decision, still inside the cycle.
      await history.moveTo(new Date(cycle.startsAt.getTime() + MID_CYCLE_MS));
      await Promise.all(proposalIds.map((id, i) => (id ? waitForDecision(send, setUps[i], id) : undefined)));
      await history.moveTo(new Date(cycle.endsAt.getTime() + 60_000));
      await history.closeCycle(cycle);
      cycle = cycleContaining(new Date(cycle.endsAt.getTime() + 60_000));
    }
    const now = history.now();
    await history.moveTo(now);
    await eachCircle(async (setUp) => {
      await logInAgain(send, setUp.circle, options.passphrase);
      await liveCycle(send, setUp, { index: firstIndex + pastCycles, label: cycle.label, now, isCurrent: true });
      await recordByHand(send, setUp.circle, firstIndex + pastCycles, cycle.label);
    });
    return;
  }

  const now = new Date();
  const label = cycleContaining(now).label;
  const current = HAND_RECORDED[0].records.length - 1;
  await eachCircle(async (setUp) => {
    await liveCycle(send, setUp, { index: current, label, now, isCurrent: true });
    await recordByHand(send, setUp.circle, current, label);
    await recordPastCyclesByHand(send, setUp.circle, now);
  });
}
