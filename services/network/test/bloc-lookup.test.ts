import { bearer, createInvitation, foundCircle, joinCircle } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import { MEMBER_BLOC_PATH, remoteMemberBlocLookup, signServiceToken } from "@rhizome/kit";

const gatewayUrl = inject("gatewayUrl");
const tokenSecret = inject("tokenSecret");
const networkUrl = inject("serviceUrls").network;

async function askNetwork(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(MEMBER_BLOC_PATH, networkUrl), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { bloc?: unknown; error?: string } };
}

describe("network's member bloc endpoint", () => {
  it("tells a service a present member's bloc, and nothing for another circle's member", async () => {
    const circle = await foundCircle(gatewayUrl, "bloc");
    const code = await createInvitation(gatewayUrl, circle, 2);
    const ada = await joinCircle(gatewayUrl, code, "ada", "ADVANTAGED");
    const other = await foundCircle(gatewayUrl, "bloc-other");
    const lookup = remoteMemberBlocLookup({ networkUrl, tokenSecret, service: "governance" });

    expect(await lookup(circle.id, ada.memberId)).toBe("ADVANTAGED");
    expect(await lookup(circle.id, circle.organizer.memberId)).toBe("EDGE");
    expect(await lookup(other.id, ada.memberId)).toBeUndefined();
  });

  it("refuses anyone without a service credential: anonymous, a member's token, a forged credential", async () => {
    const circle = await foundCircle(gatewayUrl, "bloc");
    const question = { circleId: circle.id, memberId: circle.organizer.memberId };
    for (const headers of [
      {},
      bearer(circle.organizer.token),
      bearer(
        await signServiceToken("another-secret-that-is-long-enough-xyz", "governance", {
          target: "network",
          route: MEMBER_BLOC_PATH,
        }),
      ),
    ]) {
      const answer = await askNetwork(question, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.bloc).toBeUndefined();
    }
    expect(
      (
        await askNetwork(
          { circleId: "nope", memberId: 1 },
          bearer(await signServiceToken(tokenSecret, "governance", { target: "network", route: MEMBER_BLOC_PATH })),
        )
      ).status,
    ).toBe(400);
  });
});
