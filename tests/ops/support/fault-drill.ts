import { connect } from "node:net";
import pg from "pg";
import { expect } from "vitest";
import { circleWithMembers, eventually, type Session } from "@rhizome/kit/testing";

/** What the members' requests met during one fault: every answer's code, and how long the failed ones took. */
export interface FaultRecord {
  fault: string;
  /** From the fault until the server accepted connections again (ms). */
  outageMs: number;
  /** From the server back until members read and trade again (ms). */
  recoveryMs: number;
  /** Every error code seen (with HTTP status), e.g. "SERVICE_UNAVAILABLE 503". */
  codes: Map<string, number>;
  /** 503 answers that carried no Retry-After. */
  withoutRetryAfter: number;
  /** The slowest failed answer (ms). */
  slowestFailureMs: number;
}

interface Answer {
  atMs: number;
  tookMs: number;
  isRight: boolean;
  code?: string;
  status: number;
  retryAfter: string | null;
}

const BALANCE = `query DrillBalance { me { memberships { circle { id } balance { minutes } } } }`;
const PROPOSE = `mutation DrillPropose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id status } }`;
const CONFIRM = `mutation DrillConfirm($id: ID!) { confirmExchange(exchangeId: $id) { id status } }`;
const READ_INTERVAL_MS = 100;
const RETRY_INTERVAL_MS = 200;
const MEMBER_REQUEST_TIMEOUT_MS = 20_000;

async function ask(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<Answer & { data?: Record<string, unknown> }> {
  const startedMs = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(MEMBER_REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as {
      data?: Record<string, unknown>;
      errors?: Array<{ extensions?: { code?: string } }>;
    };
    const code = body.errors?.[0]?.extensions?.code;
    return {
      atMs: performance.now(),
      tookMs: performance.now() - startedMs,
      isRight: response.status === 200 && !body.errors,
      code,
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      data: body.data,
    };
  } catch (error) {
    // The gateway itself did not answer (only possible if it were down): counted as its own code.
    return {
      atMs: performance.now(),
      tookMs: performance.now() - startedMs,
      isRight: false,
      code: `NO_ANSWER (${(error as Error).name})`,
      status: 0,
      retryAfter: null,
    };
  }
}

/**
 * Two members who read their balance every 100 ms and trade one minute back and forth without
 * pause, retrying a failed step with the same idempotency key until they know whether it happened.
 */
export class Members {
  readonly answers: Answer[] = [];
  /** Exchanges whose confirmation the hub acknowledged. */
  readonly acknowledged: Array<{ id: string; providerMemberId: string; minutes: number; atMs: number }> = [];
  /** Codes that a retry cannot fix (anything but SERVICE_UNAVAILABLE): each one fails the drill. */
  readonly unexpected: string[] = [];
  private isRunning = false;
  private loops: Promise<void>[] = [];
  /** The first exchange (made by join) went from the first member to the second: the loop starts the other way. */
  private tradeNumber = 1;

  private constructor(
    readonly gatewayUrl: string,
    readonly circleId: string,
    readonly first: Session,
    readonly second: Session,
  ) {}

  static async join(gatewayUrl: string): Promise<Members> {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["ada", "bo"], "drill");
    const drill = new Members(gatewayUrl, circle.id, members.ada, members.bo);
    // Barter opens their accounts when it reads member.joined: a first trade goes through once it has.
    const input = {
      circleId: circle.id,
      providerMemberId: members.ada.memberId,
      receiverMemberId: members.bo.memberId,
      minutes: 1,
      skill: "drill",
      idempotencyKey: "drill-first",
    };
    const proposed = await eventually(
      async () => {
        const answer = await ask(gatewayUrl, PROPOSE, { input }, members.ada.token);
        return answer.isRight ? (answer.data!.proposeExchange as { id: string }) : undefined;
      },
      "ada and bo's barter accounts",
      60_000,
    );
    const confirmed = await ask(gatewayUrl, CONFIRM, { id: proposed.id }, members.bo.token);
    if (!confirmed.isRight)
      throw new Error(`The first exchange was not confirmed: ${confirmed.code} ${confirmed.status}`);
    drill.acknowledged.push({
      id: proposed.id,
      providerMemberId: members.ada.memberId,
      minutes: 1,
      atMs: confirmed.atMs,
    });
    await eventually(
      async () => ((await drill.readOnce(drill.first)).isRight ? true : undefined),
      "ada's balance",
      60_000,
    );
    await eventually(
      async () => ((await drill.readOnce(drill.second)).isRight ? true : undefined),
      "bo's balance",
      60_000,
    );
    return drill;
  }

  private async readOnce(member: Session): Promise<Answer> {
    const answer = await ask(this.gatewayUrl, BALANCE, {}, member.token);
    const memberships = (answer.data?.me as { memberships?: Array<{ balance: unknown }> } | undefined)?.memberships;
    return { ...answer, isRight: answer.isRight && !!memberships?.every((membership) => membership.balance !== null) };
  }

  private record(answer: Answer): void {
    this.answers.push(answer);
    if (!answer.isRight && answer.code !== "SERVICE_UNAVAILABLE" && answer.code !== "CONFLICT")
      this.unexpected.push(`${answer.code} ${answer.status}`);
  }

  start(): void {
    this.isRunning = true;
    this.loops = [this.readLoop(), this.tradeLoop()];
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    await Promise.all(this.loops);
  }

  private async readLoop(): Promise<void> {
    for (let turn = 0; this.isRunning; turn++) {
      const startedMs = performance.now();
      this.record(await this.readOnce(turn % 2 === 0 ? this.first : this.second));
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, READ_INTERVAL_MS - (performance.now() - startedMs))),
      );
    }
  }

  /** Sends one step until the hub answers it; SERVICE_UNAVAILABLE means "try again". */
  private async untilAnswered(
    query: string,
    variables: Record<string, unknown>,
    member: Session,
  ): Promise<Answer & { data?: Record<string, unknown> }> {
    for (;;) {
      const answer = await ask(this.gatewayUrl, query, variables, member.token);
      this.record(answer);
      if (answer.isRight || answer.code !== "SERVICE_UNAVAILABLE" || !this.isRunning) return answer;
      await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
    }
  }

  private async tradeLoop(): Promise<void> {
    while (this.isRunning) {
      const isForward = this.tradeNumber % 2 === 0;
      const provider = isForward ? this.first : this.second;
      const receiver = isForward ? this.second : this.first;
      const input = {
        circleId: this.circleId,
        providerMemberId: provider.memberId,
        receiverMemberId: receiver.memberId,
        minutes: 1,
        skill: "drill",
        idempotencyKey: `drill-${this.tradeNumber}`,
      };
      this.tradeNumber++;
      const proposed = await this.untilAnswered(PROPOSE, { input }, provider);
      if (!proposed.isRight) {
        if (this.isRunning) this.unexpected.push(`proposeExchange ${proposed.code}`);
        continue;
      }
      const id = (proposed.data!.proposeExchange as { id: string }).id;
      const confirmed = await this.untilAnswered(CONFIRM, { id }, receiver);
      if (confirmed.isRight) {
        this.acknowledged.push({ id, providerMemberId: provider.memberId, minutes: 1, atMs: confirmed.atMs });
        continue;
      }
      if (confirmed.code === "CONFLICT") {
        // A confirmation interrupted by the outage: the same idempotency key tells whether it happened.
        const again = await this.untilAnswered(PROPOSE, { input }, provider);
        const status = (again.data?.proposeExchange as { status?: string } | undefined)?.status;
        if (status === "CONFIRMED")
          this.acknowledged.push({ id, providerMemberId: provider.memberId, minutes: 1, atMs: again.atMs });
        else this.unexpected.push(`confirmExchange CONFLICT while the exchange is ${status}`);
      }
    }
  }

  /** Waits until, after `sinceMs`, a read has answered right and a trade was acknowledged; returns that instant. */
  async rightAgainAfter(sinceMs: number, timeoutMs: number): Promise<number> {
    return eventually(
      async () => {
        const read = this.answers.find((answer) => answer.atMs > sinceMs && answer.isRight);
        const trade = this.acknowledged.find((exchange) => exchange.atMs > sinceMs);
        return read && trade ? Math.max(read.atMs, trade.atMs) : undefined;
      },
      "members reading and trading again",
      timeoutMs,
    );
  }

  /** What the members met between two instants. */
  summarize(fault: string, fromMs: number, backMs: number, rightMs: number): FaultRecord {
    const met = this.answers.filter((answer) => answer.atMs >= fromMs && answer.atMs <= rightMs && !answer.isRight);
    const codes = new Map<string, number>();
    for (const answer of met) {
      const key = `${answer.code} ${answer.status}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    return {
      fault,
      outageMs: backMs - fromMs,
      recoveryMs: rightMs - backMs,
      codes,
      withoutRetryAfter: met.filter((answer) => answer.status === 503 && !answer.retryAfter).length,
      slowestFailureMs: Math.max(0, ...met.map((answer) => answer.tookMs)),
    };
  }

  /** Each member's balance as they read it now. */
  async balances(): Promise<Record<string, number>> {
    const read = async (member: Session) => {
      const answer = await ask(this.gatewayUrl, BALANCE, {}, member.token);
      const memberships = (
        answer.data?.me as { memberships: Array<{ circle: { id: string }; balance: { minutes: number } }> }
      ).memberships;
      return memberships.find((membership) => membership.circle.id === this.circleId)!.balance.minutes;
    };
    return { [this.first.memberId]: await read(this.first), [this.second.memberId]: await read(this.second) };
  }
}

export interface FaultOptions {
  gatewayUrl: string;
  /** Kills the server (or process) the fault is about. */
  kill: () => void | Promise<void>;
  /** True once the server accepts connections again. */
  isBack: () => Promise<boolean>;
  /** Brings the server back, for servers nobody else restarts (e.g. a Postgres the hub does not run). */
  bringBack?: () => Promise<void>;
  /** How long the server stays down before bringBack; default 0. */
  downForMs?: number;
  timeoutMs: number;
}

/**
 * One fault while members read and trade: kills, waits for the server to be back, then for members
 * to read and trade again. Also notes whether the gateway's /ready reported the outage.
 */
export async function injectFault(
  members: Members,
  fault: string,
  options: FaultOptions,
): Promise<FaultRecord & { gatewayReportedOutage: boolean; gatewayReadiness: string[] }> {
  const killedAtMs = performance.now();
  await options.kill();
  let gatewayReportedOutage = false;
  /** Every distinct answer of the gateway's /ready while it reported the outage. */
  const gatewayReadiness = new Set<string>();
  const readyUrl = new URL("/ready", options.gatewayUrl);
  const askGateway = async () => {
    const ready = await fetch(readyUrl).catch(() => undefined);
    if (ready && ready.status !== 200) {
      gatewayReportedOutage = true;
      gatewayReadiness.add(`${ready.status} ${await ready.text()}`);
    }
  };
  if (options.bringBack) {
    const until = performance.now() + (options.downForMs ?? 0);
    while (performance.now() < until) {
      await askGateway();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await options.bringBack();
  }
  await eventually(
    async () => {
      await askGateway();
      return (await options.isBack()) ? true : undefined;
    },
    `${fault}: the server back`,
    options.timeoutMs,
  );
  const backAtMs = performance.now();
  const rightAtMs = await members.rightAgainAfter(backAtMs, options.timeoutMs);
  return {
    ...members.summarize(fault, killedAtMs, backAtMs, rightAtMs),
    gatewayReportedOutage,
    gatewayReadiness: [...gatewayReadiness],
  };
}

export function printTable(records: FaultRecord[]): string {
  const lines = [
    "| fault | server back after | answers right again after | codes seen (count) | slowest failed answer |",
    "|---|---|---|---|---|",
    ...records.map(
      (record) =>
        `| ${record.fault} | ${(record.outageMs / 1000).toFixed(1)} s | ${(record.recoveryMs / 1000).toFixed(1)} s | ${
          [...record.codes].map(([code, count]) => `${code} (${count})`).join(", ") || "none"
        } | ${Math.round(record.slowestFailureMs)} ms |`,
    ),
  ];
  return lines.join("\n");
}

/** True once Postgres at `url` answers a query. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True once Redis on `port` answers PING. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const finish = (isPong: boolean) => {
      socket.destroy();
      resolve(isPong);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => finish(data.toString().startsWith("+PONG")));
  });
}

export interface LedgerCheck {
  /** Exchanges the hub acknowledged that the ledger does not hold as confirmed, with exactly one transfer. */
  lost: string[];
  /** Confirmed exchanges with more than one transfer, or transfers whose entries do not sum to zero. */
  appliedTwice: string[];
  unbalanced: string[];
  /** Balances (per cycle) that differ from the sum of their entries. */
  balancesOff: string[];
  confirmed: number;
  /** exchange.confirmed events in barter's log, and what sovereignty recorded of them. */
  eventsEmitted: number;
  eventsRecorded: number;
  eventsRecordedTwice: number;
}

/** The ledger invariants and event delivery, read straight from the database after the drill. */
export async function checkLedger(
  databaseUrl: string,
  circleId: string,
  acknowledged: readonly string[],
): Promise<LedgerCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: exchanges } = await client.query<{ id: string; status: string; transfers: number }>(
      `SELECT e.id, e.status, (SELECT count(*)::int FROM barter.transfers t WHERE t.exchange_id = e.id) AS transfers FROM barter.exchanges e WHERE e.circle_id = $1`,
      [circleId],
    );
    const byId = new Map(exchanges.map((row) => [row.id, row]));
    const lost = acknowledged.filter((id) => byId.get(id)?.status !== "CONFIRMED" || byId.get(id)?.transfers !== 1);
    const appliedTwice = exchanges
      .filter((row) => row.transfers > 1 || (row.status !== "CONFIRMED" && row.transfers > 0))
      .map((row) => row.id);
    const { rows: unbalanced } = await client.query<{ id: string }>(
      `SELECT t.id FROM barter.transfers t JOIN barter.entries n ON n.transfer_id = t.id WHERE t.circle_id = $1 GROUP BY t.id HAVING sum(n.amount_minutes) <> 0`,
      [circleId],
    );
    const { rows: balancesOff } = await client.query<{ account_id: string }>(
      `SELECT c.account_id FROM barter.account_cycles c
        WHERE c.circle_id = $1
          AND c.balance_minutes <> (SELECT coalesce(sum(n.amount_minutes), 0) FROM barter.entries n JOIN barter.transfers t ON t.id = n.transfer_id
                                     WHERE n.account_id = c.account_id AND n.cycle = c.cycle AND t.kind = 'EXCHANGE')`,
      [circleId],
    );
    const confirmed = exchanges.filter((row) => row.status === "CONFIRMED").length;
    const { rows: emitted } = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM barter.outbox WHERE topic = 'exchange.confirmed' AND circle_id = $1`,
      [circleId],
    );
    const { rows: recorded } = await client.query<{ count: number; distinct: number }>(
      `SELECT count(*)::int AS count, count(DISTINCT source_event_id)::int AS distinct FROM sovereignty.sovereignty_events WHERE circle_id = $1 AND kind = 'EXCHANGE'`,
      [circleId],
    );
    return {
      lost,
      appliedTwice,
      unbalanced: unbalanced.map((row) => row.id),
      balancesOff: balancesOff.map((row) => row.account_id),
      confirmed,
      eventsEmitted: emitted[0].count,
      eventsRecorded: recorded[0].count,
      eventsRecordedTwice: recorded[0].count - recorded[0].distinct,
    };
  } finally {
    await client.end();
  }
}

/**
 * After a drill: every acknowledged exchange confirmed once in the ledger, transfers balanced,
 * balances equal to their entries and to what members read, and every confirmation recorded once
 * by sovereignty (event delivery). Returns a line that says so.
 */
export async function expectNothingLostNorAppliedTwice(databaseUrl: string, members: Members): Promise<string> {
  const acknowledged = members.acknowledged.map((exchange) => exchange.id);
  const ledger = await eventually(
    async () => {
      const check = await checkLedger(databaseUrl, members.circleId, acknowledged);
      return check.eventsRecorded >= check.confirmed ? check : undefined;
    },
    "sovereignty recording every confirmed exchange",
    30_000,
  ).catch(() => checkLedger(databaseUrl, members.circleId, acknowledged));
  expect(ledger.lost, "acknowledged exchanges missing from the ledger").toEqual([]);
  expect(ledger.appliedTwice, "exchanges with more than one transfer").toEqual([]);
  expect(ledger.unbalanced, "transfers that do not sum to zero").toEqual([]);
  expect(ledger.balancesOff, "balances that are not the sum of their entries").toEqual([]);
  expect(ledger.confirmed, "confirmed exchanges, each one acknowledged").toBe(acknowledged.length);
  expect(ledger.eventsEmitted, "exchange.confirmed events, one per confirmation").toBe(ledger.confirmed);
  expect(ledger.eventsRecorded, "confirmations sovereignty recorded").toBe(ledger.confirmed);
  expect(ledger.eventsRecordedTwice).toBe(0);
  const expected: Record<string, number> = { [members.first.memberId]: 0, [members.second.memberId]: 0 };
  for (const exchange of members.acknowledged) {
    for (const memberId of Object.keys(expected))
      expected[memberId] += exchange.providerMemberId === memberId ? exchange.minutes : -exchange.minutes;
  }
  expect(await members.balances(), "balances as members read them").toEqual(expected);
  return (
    `Invariants after the drill: ${acknowledged.length} exchanges acknowledged, ${ledger.confirmed} confirmed in the ledger, ` +
    `${ledger.lost.length} lost, ${ledger.appliedTwice.length} applied twice, ${ledger.unbalanced.length} unbalanced transfers, ` +
    `${ledger.balancesOff.length} balances off, ${ledger.eventsRecorded}/${ledger.eventsEmitted} events recorded by sovereignty, ${ledger.eventsRecordedTwice} twice.`
  );
}

/** Goal: answers are right again within this long after the server is back. */
export const RECOVERY_GOAL_MS = 15_000;
/** The gateway's subgraph timeout: an outage must be answered well within it. */
export const SUBGRAPH_TIMEOUT_MS = 5_000;

/**
 * What every fault must show: only retryable SERVICE_UNAVAILABLE (or CONFLICT for a confirmation
 * retried after it went through), 503s with Retry-After, fast failures, recovery within the goal,
 * and the gateway's /ready reporting each fault.
 */
export function expectEveryFaultAnsweredAsAnOutage(drill: {
  records: FaultRecord[];
  members: Members;
  hubOutput: string;
  gatewayReadiness: Record<string, boolean>;
}): void {
  const { records, members, hubOutput, gatewayReadiness } = drill;
  if (members.unexpected.length > 0)
    console.log(
      hubOutput
        .split("\n")
        .filter((line) => /unexpected|INTERNAL/i.test(line))
        .slice(-20)
        .join("\n"),
    );
  expect(members.unexpected, "answers a retry cannot fix").toEqual([]);
  for (const record of records) {
    // CONFLICT only as the answer to a confirmation retried after it went through (checked by the members).
    expect(
      [...record.codes.keys()].filter((code) => !/^(SERVICE_UNAVAILABLE (200|503)|CONFLICT 200)$/.test(code)),
      `${record.fault}: codes other than SERVICE_UNAVAILABLE`,
    ).toEqual([]);
    expect(record.codes.get("SERVICE_UNAVAILABLE 503") ?? 0, `${record.fault}: 503 answers`).toBeGreaterThan(0);
    expect(record.withoutRetryAfter, `${record.fault}: 503 answers without Retry-After`).toBe(0);
    expect(record.slowestFailureMs, `${record.fault}: the slowest failed answer`).toBeLessThan(SUBGRAPH_TIMEOUT_MS);
    expect(record.recoveryMs, `${record.fault}: right again after the server is back`).toBeLessThan(RECOVERY_GOAL_MS);
  }
  expect(gatewayReadiness, "faults the gateway's /ready reported").toEqual(
    Object.fromEntries(records.map((record) => [record.fault, true])),
  );
}
