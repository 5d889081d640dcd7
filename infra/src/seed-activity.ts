// The client alone, not the whole kit: the launcher stays small.
import { randomUUID } from "node:crypto";
import { dataOrThrow, gql } from "@rhizome/kit/runtime";
import { cycleContaining, precedingCycle } from "@rhizome/kit/rules";

/** A member the seed created, with the access token their join or founding returned. */
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

export interface ActivityOptions {
  /** The demo members' passphrase: a member given a role logs in again for a token that names it. */
  passphrase: string;
  /** Each service's base URL (`<url>/graphql` is its endpoint): the seed talks to the services themselves. */
  serviceUrls: Record<string, string>;
  /** Headers each service's requests carry (the gateway's signature where a service answers only the gateway). */
  headersFor: (service: string) => Promise<Record<string, string>>;
}

/** How many cycles back an organizer may still record by hand (sovereignty's own limit). */
const PAST_CYCLES = 3;
/** A member's join reaches barter and tools as an event, a moment later: how long the seed waits for it. */
const EVENT_WAIT_ATTEMPTS = 100;
const EVENT_WAIT_MS = 100;
const HOUR = 60;

/** Small, plain things neighbours trade: skills, tools, needs and stories the demo shows. */
const SKILLS = ["bike-repair", "childcare", "cooking", "translation", "tutoring", "gardening"];
const TOOLS = ["Cordless drill", "Long ladder", "Pressure cooker", "Sewing machine", "Tile cutter"];
/** Each circle's tools live in one block of its own (geohash cells, block level). */
const CELLS = ["u4pruy", "u4pruv", "u4prus"];
const NEEDS = [
  { category: "repair", title: "A ladder long enough for a second floor", peopleWaiting: 7 },
  { category: "childcare", title: "After-school pick-ups on Thursdays", peopleWaiting: 5 },
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

function sender(options: ActivityOptions): Send {
  return async (service, query, variables, who, step) => {
    for (let attempt = 1; ; attempt++) {
      const headers = { ...(await options.headersFor(service)), authorization: `Bearer ${who.token}` };
      const response = await gql(`${options.serviceUrls[service]}/graphql`, query, variables, headers);
      const codes = new Set((response.body.errors ?? []).map((error) => error.extensions?.code));
      const retry = [...codes].some((code) => typeof code === "string" && RETRY_CODES.has(code));
      if (!retry || attempt >= RETRY_ATTEMPTS) return dataOrThrow(response, step);
      if (codes.has("SERVICE_UNAVAILABLE")) await new Promise((resolve) => setTimeout(resolve, OUTAGE_PAUSE_MS));
    }
  };
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

async function seedBarter(send: Send, circle: SeededCircle): Promise<void> {
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
  // Each member gives an hour or two to the next one: five people on both sides of the ledger.
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
            minutes: (1 + (index % 2)) * HOUR,
            skill: SKILLS[index % SKILLS.length],
            idempotencyKey: `demo-seed:${circle.slug}:${index}`,
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

async function seedTools(send: Send, circle: SeededCircle, cell: string): Promise<void> {
  // Five hosts each lend a tool to the next member, handed over in person (both confirm).
  for (const [index, name] of TOOLS.entries()) {
    const host = circle.members[index];
    const borrower = circle.members[(index + 1) % circle.members.length];
    const tool = await once(() =>
      send(
        "tools",
        `mutation DemoSeedTool($input: AddToolInput!) { addTool(input: $input) { id } }`,
        { input: { circleId: circle.id, name, category: name.split(" ").at(-1)!.toLowerCase(), locationCell: cell } },
        host,
        `${host.handle} hosting a tool`,
      ),
    );
    const handOff = await once(() =>
      send(
        "tools",
        `mutation DemoSeedHandOff($toolId: ID!, $to: ID!) { proposeHandOff(toolId: $toolId, toMemberId: $to) { id } }`,
        { toolId: tool.addTool.id, to: borrower.id },
        host,
        `${host.handle} handing a tool over`,
      ),
    );
    await send(
      "tools",
      `mutation DemoSeedConfirmHandOff($id: ID!) { confirmHandOff(handOffId: $id) { loanStarted { id } } }`,
      { id: handOff.proposeHandOff.id },
      borrower,
      `${borrower.handle} receiving a tool`,
    );
  }
}

async function seedGovernance(send: Send, circle: SeededCircle, edgeMembers: SeededMember[]): Promise<void> {
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
  const seated = edgeMembers.slice(0, 2);
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
  if (seated.length === 0) return;
  const proposal = await send(
    "governance",
    `mutation DemoSeedProposal($input: CreateProposalInput!) { createProposal(input: $input) { id } }`,
    {
      input: {
        bodyId: body.createBody.id,
        title: "Open the tool library on Sunday mornings",
        text: "Two members host the library's tools at the community garden from 9 to 12.",
        closesAt: new Date(Date.now() + 7 * 24 * 3_600_000).toISOString(),
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
}

async function seedDefense(send: Send, circle: SeededCircle): Promise<void> {
  const [organizer, responder, , raiser] = circle.members;
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
  // An alert raised, answered and confirmed: it reached the circle and was dealt with.
  const alert = await send(
    "defense",
    `mutation DemoSeedAlert($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        kind: "EVICTION",
        place: CELLS[0],
        urgency: "HIGH",
        text: "Bailiffs at the door of a flat on the corner; neighbours are gathering.",
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

async function seedSovereignty(send: Send, circle: SeededCircle, steward: SeededMember): Promise<void> {
  const [organizer, teller] = circle.members;
  // Oldest first, and computed here: reading a closed cycle's figures publishes them for good, and
  // what is recorded after that goes to the current cycle.
  const cycles = [cycleContaining(new Date())];
  while (cycles.length <= PAST_CYCLES) cycles.unshift(precedingCycle(cycles[0]));
  // One chain of records per cycle, side by side.
  await Promise.all(
    cycles.map(async (cycle, index) => {
      for (const { kind, countPerRecord, records } of HAND_RECORDED)
        for (let record = 0; record < records[records.length - cycles.length + index]; record++)
          await send(
            "sovereignty",
            `mutation DemoSeedRecord($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { id } }`,
            {
              input: {
                circleId: circle.id,
                kind,
                count: countPerRecord,
                cycle: cycle.label,
                idempotencyKey: randomUUID(),
              },
            },
            organizer,
            `Recording ${kind} in ${cycle.label}`,
          );
    }),
  );
  for (const need of NEEDS)
    await send(
      "sovereignty",
      `mutation DemoSeedNeed($input: PostNeedInput!) { postNeed(input: $input) { id } }`,
      { input: { circleId: circle.id, ...need } },
      organizer,
      "Posting a need",
    );
  const story = await send(
    "sovereignty",
    `mutation DemoSeedStory($input: SubmitStoryInput!) { submitStory(input: $input) { id } }`,
    {
      input: {
        circleId: circle.id,
        title: "The week the boiler broke",
        body: "Three households cooked for each other for a week and a neighbour fixed the boiler for two hours of credit.",
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

/** The organizer makes a member a steward (who reviews stories); the member logs in again for a token naming the role. */
async function appointSteward(
  send: Send,
  circle: SeededCircle & { edgeMembers: SeededMember[] },
  options: ActivityOptions,
): Promise<SeededMember> {
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
    { input: { circleSlug: circle.slug, handle: member.handle, passphrase: options.passphrase } },
    member,
    `${member.handle} logging in as steward`,
  );
  return { ...member, token: login.login.token };
}

/**
 * A few cycles of a circle's life, through the services' own public mutations (what members and
 * organizers could send): listings and exchanges, tools lent hand to hand, a body and a proposal
 * answered, an alert raised, answered and confirmed, a story, needs, and the hand-recorded events
 * of the last cycles. Exchanges, loans and alerts happen now (the services record them at the
 * hub's time); hand-recorded events go to the cycles before, as far back as an organizer may.
 */
export async function seedDemoActivity(
  circles: Array<SeededCircle & { edgeMembers: SeededMember[] }>,
  options: ActivityOptions,
): Promise<void> {
  const send = sender(options);
  await Promise.all(
    circles.map(async (circle, index) => {
      // Each service's part is independent of the others': they run side by side.
      await Promise.all([
        appointSteward(send, circle, options).then((steward) => seedSovereignty(send, circle, steward)),
        seedBarter(send, circle),
        seedTools(send, circle, CELLS[index % CELLS.length]),
        seedGovernance(send, circle, circle.edgeMembers),
        seedDefense(send, circle),
      ]);
    }),
  );
}
