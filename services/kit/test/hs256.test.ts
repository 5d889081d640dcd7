import { describe, expect, it } from "vitest";
import { SignJWT, jwtVerify } from "jose";
import { createHmac } from "node:crypto";
import { TokenExpired, TokenInvalid, verifyHs256 } from "../src/auth/hs256.js";

const secret = "a-test-secret-that-is-long-enough-1234";
const key = new TextEncoder().encode(secret);
const now = new Date("2031-03-04T05:06:07.000Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const expected = { issuer: "rhizome", audience: "rhizome-hub", now };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** A token signed by hand, so a test can put anything in its header and claims. */
function handSigned(header: unknown, payload: unknown, signingSecret = secret): string {
  const signed = `${b64(header)}.${b64(payload)}`;
  return `${signed}.${createHmac("sha256", signingSecret).update(signed).digest("base64url")}`;
}
const claims = { sub: "p1", iss: "rhizome", aud: "rhizome-hub", iat: nowSeconds, exp: nowSeconds + 60 };

/** What jose's jwtVerify says of the same token: the verifier must agree with it. */
async function joseAccepts(token: string, at = now): Promise<boolean> {
  try {
    await jwtVerify(token, key, { issuer: "rhizome", audience: "rhizome-hub", algorithms: ["HS256"], currentDate: at });
    return true;
  } catch {
    return false;
  }
}
function accepts(token: string, at = now): boolean {
  try {
    verifyHs256(secret, token, { ...expected, now: at });
    return true;
  } catch {
    return false;
  }
}

describe("verifyHs256", () => {
  it("reads a token jose signed, with its claims", async () => {
    const token = await new SignJWT({ mem: [["c1", "m1", ["member"]]] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("p1")
      .setIssuer("rhizome")
      .setAudience("rhizome-hub")
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 60)
      .sign(key);
    expect(verifyHs256(secret, token, expected)).toMatchObject({ sub: "p1", mem: [["c1", "m1", ["member"]]] });
  });

  it("refuses what jose refuses: forged, altered, another algorithm, issuer or audience, not yet valid, malformed", async () => {
    const good = handSigned({ alg: "HS256" }, claims);
    const [header, payload, signature] = good.split(".");
    const refused = [
      handSigned({ alg: "HS256" }, claims, "another-secret-that-is-long-enough-000"),
      `${header}.${b64({ ...claims, sub: "p2" })}.${signature}`,
      `${b64({ alg: "none" })}.${payload}.`,
      handSigned({ alg: "HS512" }, claims),
      handSigned({ alg: "HS256", crit: ["b64"], b64: false }, claims),
      handSigned({ alg: "HS256" }, { ...claims, iss: "someone" }),
      handSigned({ alg: "HS256" }, { ...claims, aud: "rhizome-internal:network/graphql" }),
      handSigned({ alg: "HS256" }, { ...claims, nbf: nowSeconds + 1 }),
      handSigned({ alg: "HS256" }, { ...claims, exp: "soon" }),
      handSigned({ alg: "HS256" }, [claims]),
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.`,
      `${header}.${payload}.${signature.slice(0, -2)}`,
      `${header}.${payload}.${signature}==`,
      "garbage",
    ];
    for (const token of refused) {
      expect(accepts(token), token).toBe(false);
      expect(await joseAccepts(token), token).toBe(false);
    }
    expect(accepts(good)).toBe(true);
    expect(await joseAccepts(good)).toBe(true);
  });

  it("expires at `exp` to the second, as jose does, and says so apart from other refusals", async () => {
    const token = handSigned({ alg: "HS256" }, claims);
    for (const offset of [59, 60, 61]) {
      const at = new Date(now.getTime() + offset * 1000);
      expect(accepts(token, at)).toBe(await joseAccepts(token, at));
    }
    expect(accepts(token, new Date(now.getTime() + 59_999))).toBe(true);
    expect(() => verifyHs256(secret, token, { ...expected, now: new Date(now.getTime() + 60_000) })).toThrow(
      TokenExpired,
    );
    expect(() => verifyHs256("another-secret-that-is-long-enough-000", token, expected)).toThrow(TokenInvalid);
  });

  it("refuses a token without an expiry, which the hub never signs", () => {
    const { exp: _exp, ...forever } = claims;
    expect(accepts(handSigned({ alg: "HS256" }, forever))).toBe(false);
  });

  it("accepts an audience among several", () => {
    expect(accepts(handSigned({ alg: "HS256" }, { ...claims, aud: ["other", "rhizome-hub"] }))).toBe(true);
  });
});
