import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type z } from "@rhizome/kit";
import { hubEnvironment, testMember } from "@rhizome/kit/testing";
import { defenseConfigSchema } from "../src/config.js";
import { rotateMasterKey } from "../src/rotation.js";
import { api, branch, newCircle, ops, responder, startDefense, type DefenseTestService } from "./support/defense.js";

const WRITE = `mutation ($input: WriteCaseNoteInput!) { writeCaseNote(input: $input) { id text writtenBy { id } } }`;
const NOTES = `query ($kind: DefenseCaseKind!, $id: ID!, $first: Int, $after: String) { caseNotes(caseKind: $kind, caseId: $id, first: $first, after: $after) { items { id text } nextCursor } }`;
const MY_RESPONDER = `query ($circleId: ID!) { myResponder(circleId: $circleId) { id contact } }`;

const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "defense-keys-")), "master-keys");
let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];

beforeAll(async () => {
  ({ service, clock } = await startDefense({ env: { DEFENSE_KEY_FILE: keyFile } }));
});

afterAll(async () => {
  await service?.stop();
});

/** Every row of every defense table as text, bytea in hex: what a database dump would show. */
async function dumpOfDefenseTables(): Promise<string> {
  const tables: Array<{ table_name: string }> = await service.runtime.db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'defense' AND table_type = 'BASE TABLE'`,
  );
  const texts: string[] = [];
  for (const { table_name } of tables) {
    const rows: Array<{ row: string }> = await service.runtime.db.query(
      `SELECT t::text AS row FROM defense."${table_name}" t`,
    );
    texts.push(...rows.map((r) => r.row));
  }
  return texts.join("\n");
}

const hexOf = (text: string) => Buffer.from(text, "utf8").toString("hex");

async function alertCase() {
  const call = api(service);
  const circle = await newCircle();
  const root = await branch(service, circle, "case-branch");
  const called = await responder(service, circle, root, { contact: "signal:ada.77" });
  const raiser = await circle.member();
  const alert = (
    await call.ok(
      ops.raise,
      {
        input: {
          circleId: circle.id,
          kind: "ARREST",
          place: "u4pruy",
          urgency: "HIGH",
          text: "Detained near the station",
        },
      },
      raiser,
    )
  ).raiseAlert;
  return { circle, called, raiser, alert };
}

describe("encrypted case notes", () => {
  it("are read and written by the case's handlers only, a page at a time", async () => {
    const call = api(service);
    const { circle, called, raiser, alert } = await alertCase();
    const first = (
      await call.ok(
        WRITE,
        { input: { caseKind: "ALERT", caseId: alert.id, text: "Lawyer on the way, case 4471" } },
        called,
      )
    ).writeCaseNote;
    clock.advance(60_000);
    await call.ok(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: "Released at 21:40" } }, raiser);
    const page = (await call.ok(NOTES, { kind: "ALERT", id: alert.id, first: 1 }, raiser)).caseNotes;
    expect(page.items.map((n: { text: string }) => n.text)).toEqual(["Released at 21:40"]);
    expect(
      (await call.ok(NOTES, { kind: "ALERT", id: alert.id, first: 1, after: page.nextCursor }, called)).caseNotes,
    ).toEqual({ items: [{ id: first.id, text: first.text }], nextCursor: null });

    const otherResponder = await responder(
      service,
      circle,
      (await call.ok(`query ($c: ID!) { responderBranches(circleId: $c) { id } }`, { c: circle.id }, circle.organizer))
        .responderBranches[0].id,
    );
    const bystander = await circle.member();
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer"]);
    for (const who of [otherResponder, bystander, circle.organizer]) {
      expect((await call.fails(NOTES, { kind: "ALERT", id: alert.id }, who)).code).toBe("FORBIDDEN");
      expect((await call.fails(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: "x" } }, who)).code).toBe(
        "FORBIDDEN",
      );
    }
    expect((await call.fails(NOTES, { kind: "ALERT", id: alert.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(NOTES, { kind: "HEARING", id: alert.id }, called)).code).toBe("NOT_FOUND");
    expect((await call.fails(NOTES, { kind: "ALERT", id: alert.id })).code).toBe("UNAUTHENTICATED");
    expect((await call.fails(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: " " } }, called)).code).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("leave no note text, alert text, contact detail or webhook secret in the database's tables", async () => {
    const call = api(service);
    const { circle, called, alert } = await alertCase();
    await call.ok(
      WRITE,
      { input: { caseKind: "ALERT", caseId: alert.id, text: "Neighbour in flat 3B will testify" } },
      called,
    );
    const { secret } = (
      await call.ok(
        ops.webhook,
        { input: { circleId: circle.id, url: "https://93.184.215.14/hook" } },
        circle.organizer,
      )
    ).setDefenseWebhook;
    expect((await call.ok(MY_RESPONDER, { circleId: circle.id }, called)).myResponder.contact).toBe("signal:ada.77");

    const dump = await dumpOfDefenseTables();
    expect(dump).toContain(alert.id);
    for (const secretText of ["Neighbour in flat 3B", "Detained near the station", "signal:ada.77", secret]) {
      expect(dump).not.toContain(secretText);
      expect(dump).not.toContain(hexOf(secretText));
    }
  });

  it("stay readable across a master key rotation that re-wraps data keys without touching a note", async () => {
    const call = api(service);
    const { circle, called, alert } = await alertCase();
    await call.ok(
      WRITE,
      { input: { caseKind: "ALERT", caseId: alert.id, text: "Written under the first key" } },
      called,
    );
    const [before] = await service.runtime.db.query(
      `SELECT master_key_id, wrapped_key FROM data_keys WHERE circle_id = $1`,
      [circle.id],
    );
    const notesBefore = await service.runtime.db.query(`SELECT id, text_sealed FROM case_notes WHERE case_id = $1`, [
      alert.id,
    ]);

    const { currentKeyId, rewrapped } = await rotateMasterKey(service.runtime.db, service.runtime.config, new Date());
    expect(rewrapped).toBeGreaterThanOrEqual(1);
    expect(readFileSync(keyFile, "utf8").split("\n")[0]).toMatch(new RegExp(`^${currentKeyId}:`));
    const [after] = await service.runtime.db.query(
      `SELECT master_key_id, wrapped_key FROM data_keys WHERE circle_id = $1`,
      [circle.id],
    );
    expect(after.master_key_id).toBe(currentKeyId);
    expect(after.master_key_id).not.toBe(before.master_key_id);
    expect(after.wrapped_key.equals(before.wrapped_key)).toBe(false);
    expect(
      await service.runtime.db.query(`SELECT id, text_sealed FROM case_notes WHERE case_id = $1`, [alert.id]),
    ).toEqual(notesBefore);

    // The running service reads old notes and writes new ones; a service started afresh reads both.
    clock.advance(60_000);
    await call.ok(WRITE, { input: { caseKind: "ALERT", caseId: alert.id, text: "Written after rotation" } }, called);
    const { service: restarted } = await startDefense({
      clock,
      env: { DATABASE_URL: service.databaseUrl, DEFENSE_KEY_FILE: keyFile },
    });
    try {
      const texts = (await api(restarted).ok(NOTES, { kind: "ALERT", id: alert.id }, called)).caseNotes.items.map(
        (n: { text: string }) => n.text,
      );
      expect(texts).toEqual(["Written after rotation", "Written under the first key"]);
    } finally {
      await restarted.stop();
    }
  });

  it("need a master key from configuration in production, and refuse a malformed one", () => {
    const hub = hubEnvironment();
    const base = {
      DATABASE_URL: hub.databaseUrl,
      REDIS_URL: hub.redisUrl,
      TOKEN_SECRET: "a production secret of at least thirty-two characters",
    };
    const load = (env: Record<string, string>) =>
      // eslint-disable-next-line no-restricted-syntax -- every service's schema is a Zod object extending the base config; loadConfig reads only its shape
      loadConfig(defenseConfigSchema as unknown as z.ZodObject<z.ZodRawShape>, { ...base, ...env });
    expect(() => load({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => load({ NODE_ENV: "production" })).toThrow(/DEFENSE_MASTER_KEYS/);
    expect(() => load({ NODE_ENV: "production", DEFENSE_MASTER_KEYS: "k1:short" })).toThrow(/32 bytes/);
    expect(
      load({ NODE_ENV: "production", DEFENSE_MASTER_KEYS: `k2:${Buffer.alloc(32, 7).toString("base64")}` }),
    ).toMatchObject({ NODE_ENV: "production", DEFENSE_WEBHOOK_ALLOW_LOOPBACK: false });
    // Webhooks to this machine are for tests only: production refuses the setting.
    expect(() =>
      load({
        NODE_ENV: "production",
        DEFENSE_MASTER_KEYS: `k2:${Buffer.alloc(32, 7).toString("base64")}`,
        DEFENSE_WEBHOOK_ALLOW_LOOPBACK: "true",
      }),
    ).toThrow(/DEFENSE_WEBHOOK_ALLOW_LOOPBACK/);
  });
});
