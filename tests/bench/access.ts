import { mkdir, writeFile } from "node:fs/promises";
import { randomTokenSecret, startHub, startLocalStack, type LocalStack, type RunningHub } from "@rhizome/infra";
import { gql } from "@rhizome/kit";
import { waitFor } from "./measure.js";

const REPRODUCE = "npm run bench -- access";
const PASSPHRASE = "a long enough passphrase";
const POLL_MS = 100;
const TIMEOUT_MS = 5 * 60_000;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function must(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await gql(url, query, variables, headers);
  if (response.body.errors?.length || !response.body.data)
    throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

/** Seconds from `sinceMs` until `attempt` is refused (it answers an error code), polling. */
async function secondsUntilRefused(
  sinceMs: number,
  attempt: () => Promise<string | undefined>,
): Promise<{ seconds: number; code: string }> {
  let code: string | undefined;
  await waitFor("the old token to be refused", async () => (code = await attempt()) !== undefined, TIMEOUT_MS, POLL_MS);
  return { seconds: (performance.now() - sinceMs) / 1000, code: code! };
}

const codeOf = (response: Awaited<ReturnType<typeof gql>>) =>
  response.body.errors?.[0]?.extensions?.code as string | undefined;

/**
 * How a change of access reaches every service: an organizer logs in, is demoted at once, and
 * keeps using the token from before; a member leaves and keeps using theirs. Measures, per service,
 * the time from the change to the first refusal.
 */
export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  try {
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      logLevel: "warn",
      output: "tail",
    });
    const gateway = hub.gatewayUrl!;
    const barter = `${hub.serviceUrls.barter}/graphql`;
    const network = `${hub.serviceUrls.network}/graphql`;
    const slug = `access-${Date.now()}`;
    const founded = await must(
      gateway,
      `mutation ($i: CreateCircleInput!) { createCircle(input: $i) { circle { id } token } }`,
      { i: { name: "Access", slug, founderHandle: "founder", passphrase: PASSPHRASE } },
    );
    const circleId: string = founded.createCircle.circle.id;
    const founder = bearer(founded.createCircle.token);
    const { createInvitation } = await must(
      gateway,
      `mutation ($i: CreateInvitationInput!) { createInvitation(input: $i) { code } }`,
      { i: { circleId, maxUses: 5 } },
      founder,
    );
    const join = (handle: string) =>
      must(gateway, `mutation ($i: JoinCircleInput!) { joinCircle(input: $i) { member { id } } }`, {
        i: { code: createInvitation.code, handle, passphrase: PASSPHRASE, bloc: "EDGE" },
      });
    const deputy = (await join("deputy")).joinCircle.member.id;
    await join("leaver");
    await must(
      gateway,
      `mutation ($i: RoleChangeInput!) { grantRole(input: $i) { id } }`,
      { i: { memberId: deputy, role: "ORGANIZER" } },
      founder,
    );
    const login = async (handle: string) =>
      bearer(
        (
          await must(gateway, `mutation ($i: LoginInput!) { login(input: $i) { token } }`, {
            i: { circleSlug: slug, handle, passphrase: PASSPHRASE },
          })
        ).login.token,
      );
    const deputyToken = await login("deputy");

    // A role revoked: the demoted organizer keeps the token issued before.
    await must(
      gateway,
      `mutation ($i: RoleChangeInput!) { revokeRole(input: $i) { id } }`,
      { i: { memberId: deputy, role: "ORGANIZER" } },
      founder,
    );
    const revokedAtMs = performance.now();
    const invite = () =>
      gql(
        network,
        `mutation ($i: CreateInvitationInput!) { createInvitation(input: $i) { code } }`,
        { i: { circleId } },
        deputyToken,
      ).then(codeOf);
    const setLimits = () =>
      gql(
        barter,
        `mutation ($i: BarterLimitsInput!) { setBarterLimits(input: $i) { floorMinutes } }`,
        { i: { circleId, floorMinutes: -600, ceilingMinutes: 1200 } },
        deputyToken,
      ).then(codeOf);
    const [roleInNetwork, roleInBarter] = await Promise.all([
      secondsUntilRefused(revokedAtMs, invite),
      secondsUntilRefused(revokedAtMs, setLimits),
    ]);

    // A member who leaves keeps the token issued before.
    const leaverToken = await login("leaver");
    await must(gateway, `mutation ($c: ID!) { leaveCircle(circleId: $c) }`, { c: circleId }, leaverToken);
    const leftAtMs = performance.now();
    const readMembers = () =>
      gql(
        network,
        `query ($s: String!) { circle(slug: $s) { members { items { handle } } } }`,
        { s: slug },
        leaverToken,
      ).then(codeOf);
    const publish = () =>
      gql(
        barter,
        `mutation ($i: PublishListingInput!) { publishListing(input: $i) { id } }`,
        { i: { circleId, kind: "OFFER", skills: ["repair"], description: "bikes" } },
        leaverToken,
      ).then(codeOf);
    const [leftInNetwork, leftInBarter] = await Promise.all([
      secondsUntilRefused(leftAtMs, readMembers),
      secondsUntilRefused(leftAtMs, publish),
    ]);

    const figures = {
      measuredAt: new Date().toISOString(),
      reproduce: REPRODUCE,
      pollIntervalMs: POLL_MS,
      roleRevoked: { network: roleInNetwork, barter: roleInBarter },
      memberLeft: { network: leftInNetwork, barter: leftInBarter },
    };
    const row = (what: string, where: string, m: { seconds: number; code: string }) =>
      console.log(`| ${what} | ${where} | ${m.seconds.toFixed(2)} s | ${m.code} |`);
    console.log(`\nHow a change of access reaches each service (old token kept, polled every ${POLL_MS} ms):\n`);
    console.log("| change | service | refused after | code |\n|---|---|---|---|");
    row("organizer role revoked", "network", roleInNetwork);
    row("organizer role revoked", "barter", roleInBarter);
    row("member left", "network", leftInNetwork);
    row("member left", "barter", leftInBarter);
    await mkdir("bench-results", { recursive: true });
    const file = `bench-results/access-${figures.measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`\nWritten to ${file}. Reproduce with: ${REPRODUCE}`);
  } finally {
    await hub?.stop();
    await stack?.stop();
  }
}
