import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { GraphQLError } from "graphql";
import {
  anonymous,
  cachingPersonTokenVerifier,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  hasRole,
  resolveCaller,
  signPersonToken,
  verifyPersonToken,
  type Caller,
} from "../src/auth/auth.js";

const secret = "a-test-secret-that-is-long-enough-1234";
const memberships = [{ circleId: "c1", memberId: "m1", roles: ["member", "organizer"] as const }].map((m) => ({
  ...m,
  roles: [...m.roles],
}));
const issuedAt = new Date("2031-03-04T05:06:07.000Z");
const noApiKeys = { tokenSecret: secret, verifyApiKey: async () => undefined };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as GraphQLError).extensions?.code as string;
  }
}

describe("tokens", () => {
  it("round-trips a person and their memberships", async () => {
    const { token } = await signPersonToken(secret, "p1", memberships, { now: issuedAt });
    const caller = await verifyPersonToken(secret, token, issuedAt);
    expect(caller).toEqual({ kind: "person", personId: "p1", memberships });
    expect(hasRole(caller, "c1", "organizer")).toBe(true);
    expect(hasRole(caller, "c2", "member")).toBe(false);
  });

  it("rejects a token signed with another secret, an expired token and garbage", async () => {
    const forged = (
      await signPersonToken("another-secret-that-is-long-enough-xyz", "p1", memberships, { now: new Date() })
    ).token;
    expect(await codeOf(verifyPersonToken(secret, forged))).toBe("UNAUTHENTICATED");
    const expired = await new SignJWT({ mem: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("p1")
      .setIssuer("rhizome")
      .setAudience("rhizome-hub")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyPersonToken(secret, expired)).rejects.toThrow(/expired/);
    expect(await codeOf(verifyPersonToken(secret, "not.a.token"))).toBe("UNAUTHENTICATED");
  });

  it("lives DEFAULT_ACCESS_TOKEN_TTL_SECONDS (60 s) from the instant the caller gives, and not a second longer", async () => {
    expect(DEFAULT_ACCESS_TOKEN_TTL_SECONDS).toBe(60);
    const { token, expiresAt } = await signPersonToken(secret, "p1", memberships, { now: issuedAt });
    expect(expiresAt.getTime() - issuedAt.getTime()).toBe(60_000);
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.iat).toBe(issuedAt.getTime() / 1000);
    const justBefore = new Date(issuedAt.getTime() + 59_000);
    const atExpiry = new Date(issuedAt.getTime() + 60_000);
    expect((await verifyPersonToken(secret, token, justBefore)).kind).toBe("person");
    expect(await codeOf(verifyPersonToken(secret, token, atExpiry))).toBe("UNAUTHENTICATED");
    const longer = await signPersonToken(secret, "p1", memberships, { now: issuedAt, ttlSeconds: 600 });
    expect(longer.expiresAt.getTime() - issuedAt.getTime()).toBe(600_000);
  });

  it("remembers a verified token only until it expires, and never a forged one", async () => {
    const verify = cachingPersonTokenVerifier(secret);
    const { token } = await signPersonToken(secret, "p1", memberships, { now: issuedAt });
    const first = await verify(token, issuedAt);
    expect(first).toEqual({ kind: "person", personId: "p1", memberships });
    expect(await verify(token, new Date(issuedAt.getTime() + 59_000))).toBe(first);
    expect(Object.isFrozen((first as Extract<Caller, { kind: "person" }>).memberships[0].roles)).toBe(true);
    expect(await codeOf(verify(token, new Date(issuedAt.getTime() + 60_000)))).toBe("UNAUTHENTICATED");
    const forged = (
      await signPersonToken("another-secret-that-is-long-enough-xyz", "p1", memberships, { now: issuedAt })
    ).token;
    expect(await codeOf(verify(forged, issuedAt))).toBe("UNAUTHENTICATED");
    expect(await codeOf(verify(forged, issuedAt))).toBe("UNAUTHENTICATED");
  });

  it("treats a request without credentials as anonymous", async () => {
    expect(await resolveCaller({}, noApiKeys)).toEqual(anonymous);
  });

  it("accepts an API key only when the verifier knows it", async () => {
    const keyCaller: Caller = { kind: "apiKey", keyId: "k1", circleId: "c1", scopes: ["public:read"] };
    const sources = {
      tokenSecret: secret,
      verifyApiKey: async (key: string) => (key === "rhz_good" ? keyCaller : undefined),
    };
    expect(await resolveCaller({ "x-api-key": "rhz_good" }, sources)).toEqual(keyCaller);
    expect(await codeOf(resolveCaller({ "x-api-key": "rhz_bad" }, sources))).toBe("UNAUTHENTICATED");
  });

  it("checks the operator key", async () => {
    const sources = { ...noApiKeys, operatorKey: "operator-key-long-enough-123456" };
    expect(await resolveCaller({ "x-operator-key": "operator-key-long-enough-123456" }, sources)).toEqual({
      kind: "operator",
    });
    expect(await codeOf(resolveCaller({ "x-operator-key": "guess" }, sources))).toBe("UNAUTHENTICATED");
    expect(await codeOf(resolveCaller({ "x-operator-key": "anything" }, noApiKeys))).toBe("UNAUTHENTICATED");
  });
});
