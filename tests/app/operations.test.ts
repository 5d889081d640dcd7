import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { createLogger, loadConfig, persistedOperationId } from "@rhizome/kit";
import { foundCircle, PASSPHRASE } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../../gateway/src/config.js";
import { startGateway } from "../../gateway/src/gateway.js";
import { loadSupergraph } from "../../gateway/src/supergraph.js";
import { en } from "../../app/src/i18n/en.js";
import { es } from "../../app/src/i18n/es.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));

const placeholdersOf = (message: string | { one: string; other: string }) =>
  (typeof message === "string" ? [message] : [message.one, message.other])
    .flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))
    .sort();

describe("the member app's operations", () => {
  it("are typed and registered from the committed supergraph: the generated types and manifest are not stale", async () => {
    // Codegen runs in its own process: its libraries load graphql's ES build, which vitest's alias would split in two.
    const result = await run(process.execPath, ["--import", "tsx", "app/codegen.ts", "--check"], { cwd: REPO }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect(result.stderr, "run npm run codegen -w app and commit app/src/generated").toBe("");
    expect(result.stdout).toContain("up to date");
  }, 60_000);

  it("each carry the id the hub gives their text, so the gateway can run them by id alone", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../app/src/generated/persisted-documents.json", import.meta.url), "utf8"),
    ) as Record<string, string>;
    const names = Object.values(manifest).map((document) => /(?:^|\} )(query|mutation) (\w+)/.exec(document)?.[2]);
    expect(names).toEqual(
      expect.arrayContaining([
        "Login",
        "Logout",
        "JoinCircle",
        "MyCircles",
        "ProposeExchange",
        "ConfirmExchange",
        "ReserveTool",
        "Respond",
      ]),
    );
    for (const [id, document] of Object.entries(manifest)) expect(persistedOperationId(document)).toBe(id);
  });
});

describe("the member app's login, sent by id", () => {
  it("counts against the gateway's limit on logins like a login sent as text", async () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../app/src/generated/persisted-documents.json", import.meta.url), "utf8"),
    ) as Record<string, string>;
    const [loginId] = Object.entries(manifest).find(([, document]) => / mutation Login\(/.test(` ${document}`)) ?? [];
    expect(loginId).toBeDefined();
    const subgraphUrls = Object.fromEntries(
      Object.entries(inject("serviceUrls")).map(([name, url]) => [
        `${name.toUpperCase()}_SUBGRAPH_URL`,
        `${url}/graphql`,
      ]),
    );
    const config = loadConfig(gatewayConfigSchema, {
      NODE_ENV: "production",
      PORT: "0",
      TOKEN_SECRET: inject("tokenSecret"),
      LOG_LEVEL: "silent",
      PERSISTED_OPERATIONS_ONLY: "true",
      RATE_LIMIT_LOGINS_PER_MINUTE: "2",
    });
    const gateway = await startGateway(
      config,
      loadSupergraph(undefined, subgraphUrls),
      createLogger("gateway", "silent"),
    );
    try {
      const circle = await foundCircle(inject("gatewayUrl"), "loginlimit");
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await fetch(gateway.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            documentId: loginId,
            variables: { input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE } },
          }),
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await gateway.close();
    }
  }, 60_000);
});

describe("the member app's languages", () => {
  it("has every message in English and Spanish, with the same placeholders and plural forms", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(typeof es[key], key).toBe(typeof en[key]);
      expect(placeholdersOf(es[key]), key).toEqual(placeholdersOf(en[key]));
      expect(String(typeof es[key] === "string" ? es[key] : es[key].other).trim(), key).not.toBe("");
    }
  });
});
