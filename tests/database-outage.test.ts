import net from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { barterService } from "@rhizome/barter";
import {
  eventually,
  freshDatabase,
  graphql,
  startTestService,
  testMember,
  type TestService,
} from "@rhizome/kit/testing";

/**
 * A TCP relay in front of the test Postgres that the test can cut: `cut()` drops every open
 * connection and leaves new ones unanswered (a database host that stopped answering, as behind a
 * failed network link), `restore()` relays again.
 */
class Relay {
  private readonly open = new Set<net.Socket>();
  private isCut = false;
  private readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      this.open.add(client);
      client.on("close", () => this.open.delete(client));
      client.on("error", () => undefined);
      if (this.isCut) return; // accepted, never answered
      const upstream = net.connect(this.target.port, this.target.host);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.isCut = true;
    for (const socket of this.open) socket.destroy();
  }

  restore(): void {
    this.isCut = false;
    for (const socket of this.open) socket.destroy(); // the unanswered ones
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const MY_EXCHANGES = `query MyExchanges($circleId: ID!) { exchanges(circleId: $circleId, first: 5) { items { id } } }`;
const STARTER_SKILLS = `query Skills { barterStarterSkills }`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedMs = performance.now();
  const value = await work();
  return { value, ms: performance.now() - startedMs };
}

let relay: Relay;
let barter: TestService<never>;
beforeAll(async () => {
  const databaseUrl = new URL(await freshDatabase());
  relay = new Relay({ host: databaseUrl.hostname, port: Number(databaseUrl.port) });
  databaseUrl.port = String(await relay.listen());
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  barter = (await startTestService(barterService, {
    env: { DATABASE_URL: databaseUrl.toString() },
  })) as unknown as TestService<never>;
}, 120_000);
afterAll(async () => {
  await barter?.stop();
  await relay?.close();
});

describe("a database that stops answering", () => {
  it("is answered SERVICE_UNAVAILABLE within the connection timeout, then at once while it stays down, and the service reconnects by itself", async () => {
    const member = await testMember(randomUUID());
    const healthy = await graphql(barter.url, MY_EXCHANGES, { circleId: member.circleId }, member.token);
    expect(healthy.body.errors).toBeUndefined();
    expect(healthy.body.data.exchanges.items).toEqual([]);

    relay.cut();
    // The first request waits out one connection attempt (2 s), well under the gateway's 5 s.
    const first = await timed(() => graphql(barter.url, MY_EXCHANGES, { circleId: member.circleId }, member.token));
    expect(first.ms).toBeLessThan(3_500);
    expect(first.value.body.errors?.[0]).toMatchObject({
      extensions: { code: "SERVICE_UNAVAILABLE", retryable: true },
    });
    expect(first.value.body.errors?.[0].message).toMatch(/Try again in a few seconds/);

    // While it is known to be down, requests do not wait for it.
    for (let i = 0; i < 5; i++) {
      const next = await timed(() => graphql(barter.url, MY_EXCHANGES, { circleId: member.circleId }, member.token));
      expect(next.ms, "an answer while the database is known to be down").toBeLessThan(500);
      expect(next.value.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
    }
    // What needs no database keeps answering; /ready says what is missing.
    const skills = await graphql(barter.url, STARTER_SKILLS, {}, member.token);
    expect(skills.body.errors).toBeUndefined();
    expect(skills.body.data.barterStarterSkills.length).toBeGreaterThan(0);
    const ready = await timed(() => fetch(new URL("/ready", barter.url)));
    expect(ready.value.status).toBe(503);
    expect((await ready.value.json()).checks.database).not.toBe("ok");
    expect(ready.ms).toBeLessThan(3_500);

    relay.restore();
    const back = await timed(() =>
      eventually(
        async () => {
          const answer = await graphql(barter.url, MY_EXCHANGES, { circleId: member.circleId }, member.token);
          return answer.body.errors ? undefined : answer;
        },
        "barter answering again",
        15_000,
      ),
    );
    expect(back.value.body.data.exchanges.items).toEqual([]);
    expect(back.ms, "back once the database answers again").toBeLessThan(5_000);
  }, 60_000);
});
