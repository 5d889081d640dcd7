import type { DataSource, EntityManager } from "typeorm";
import {
  badInput,
  conflict,
  cycleContaining,
  emitEvent,
  forbidden,
  isUuid,
  notFound,
  type InstantCursor,
  type Membership,
} from "@rhizome/kit";
import { exchangeActionProblem, statusAfter, type ExchangeAction, type ExchangeStatus } from "../domain/exchanges.js";
import { LedgerInvariantError } from "../domain/ledger.js";
import {
  balanceOfTradeProblem,
  clearingTransfers,
  MAX_LIVE_SISTER_LINKS,
  sisterMemberLimitProblem,
  type SisterLinkStatus,
  type SisterTradeFigures,
} from "../domain/sisters.js";
import { LEFT_THE_CIRCLE, lockActingAccount } from "./accounts.js";
import { CYCLE_EXPIRING } from "./confirm-exchange.js";
import { holdCycleBarrierShared } from "./cycle-barrier.js";
import { assertCycleBalancesMatchEntries, postTransfers, touchedAccountCycles, type Queryable } from "./transfers.js";

export interface SisterLink {
  id: string;
  proposerCircleId: string;
  accepterCircleId: string;
  balanceLimitMinutes: number;
  status: SisterLinkStatus;
  proposedAt: Date;
  acceptedAt: Date | null;
  endRequestedAt: Date | null;
  endedAt: Date | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as pg returns them, mapped field by field below
type Raw = Record<string, any>;

function toLink(row: Raw): SisterLink {
  return {
    id: row.id,
    proposerCircleId: row.proposer_circle_id,
    accepterCircleId: row.accepter_circle_id,
    balanceLimitMinutes: row.balance_limit_minutes,
    status: row.status as SisterLinkStatus,
    proposedAt: row.proposed_at,
    acceptedAt: row.accepted_at,
    endRequestedAt: row.end_requested_at,
    endedAt: row.ended_at,
  };
}

/** The circle on the other side of a link. */
export const sisterOf = (link: SisterLink, circleId: string) =>
  link.proposerCircleId === circleId ? link.accepterCircleId : link.proposerCircleId;

export const NO_SUCH_LINK = "No sister link with that id for your circle.";
const CIRCLE_WITHOUT_BARTER = "No circle with that id barters on this hub yet.";

/** An organizer of `circleId` proposes to link it with `sisterCircleId`; an organizer there accepts. */
export async function proposeSisterLink(
  db: DataSource,
  proposal: { circleId: string; organizerMemberId: string; sisterCircleId: string; balanceLimitMinutes: number },
  now: Date,
): Promise<SisterLink> {
  if (proposal.circleId === proposal.sisterCircleId)
    throw badInput("A circle cannot be its own sister; name another circle.");
  return db.transaction(async (manager) => {
    await lockActingAccount(manager, proposal.circleId, proposal.organizerMemberId, now, "share");
    const sister: unknown[] = await manager.query(`SELECT 1 FROM circle_settings WHERE circle_id = $1`, [
      proposal.sisterCircleId,
    ]);
    if (sister.length === 0) throw notFound(CIRCLE_WITHOUT_BARTER);
    // Serializes a circle's own link proposals, so the cap holds.
    await manager.query(`SELECT 1 FROM circle_settings WHERE circle_id = $1 FOR UPDATE`, [proposal.circleId]);
    const [{ live }]: Array<{ live: number }> = await manager.query(
      `SELECT count(*)::integer AS live FROM sister_links WHERE status <> 'ENDED' AND $1 IN (proposer_circle_id, accepter_circle_id)`,
      [proposal.circleId],
    );
    if (live >= MAX_LIVE_SISTER_LINKS)
      throw badInput(`A circle can have at most ${MAX_LIVE_SISTER_LINKS} sister links at once; end one first.`);
    const rows: Raw[] = await manager.query(
      `INSERT INTO sister_links (proposer_circle_id, accepter_circle_id, balance_limit_minutes, status, proposed_at)
       VALUES ($1, $2, $3, 'PROPOSED', $4) ON CONFLICT DO NOTHING RETURNING *`,
      [proposal.circleId, proposal.sisterCircleId, proposal.balanceLimitMinutes, now],
    );
    if (rows.length === 0)
      throw conflict("These circles already have a sister link, proposed or active; end it before proposing another.");
    return toLink(rows[0]);
  });
}

/** Opens the clearing account a circle keeps for a sister, if it has none yet. */
async function openClearingAccount(
  manager: Queryable,
  circleId: string,
  partnerCircleId: string,
  now: Date,
): Promise<void> {
  await manager.query(
    `INSERT INTO accounts (circle_id, kind, partner_circle_id, opened_at) VALUES ($1, 'CLEARING', $2, $3)
     ON CONFLICT (circle_id, partner_circle_id) WHERE kind = 'CLEARING' DO NOTHING`,
    [circleId, partnerCircleId, now],
  );
}

/** An organizer of the named circle accepts the proposal: the link becomes active and each circle opens its clearing account for the other. */
export async function acceptSisterLink(
  db: DataSource,
  linkId: string,
  organizer: Membership,
  now: Date,
): Promise<SisterLink> {
  return db.transaction(async (manager) => {
    const link = await lockLink(manager, linkId);
    if (!link || link.accepterCircleId !== organizer.circleId) {
      if (link && link.proposerCircleId === organizer.circleId)
        throw forbidden("Your circle proposed this link; an organizer of the other circle accepts it.");
      throw notFound(NO_SUCH_LINK);
    }
    if (link.status !== "PROPOSED")
      throw conflict(`This sister link is ${link.status.toLowerCase()}; only a proposed link can be accepted.`);
    await lockActingAccount(manager, organizer.circleId, organizer.memberId, now, "share");
    await openClearingAccount(manager, link.proposerCircleId, link.accepterCircleId, now);
    await openClearingAccount(manager, link.accepterCircleId, link.proposerCircleId, now);
    const [rows]: [Raw[], number] = await manager.query(
      `UPDATE sister_links SET status = 'ACTIVE', accepted_at = $2 WHERE id = $1 RETURNING *`,
      [linkId, now],
    );
    return toLink(rows[0]);
  });
}

async function lockLink(manager: Queryable, linkId: string): Promise<SisterLink | undefined> {
  if (!isUuid(linkId)) return undefined;
  const rows: Raw[] = await manager.query(`SELECT * FROM sister_links WHERE id = $1 FOR UPDATE`, [linkId]);
  return rows[0] && toLink(rows[0]);
}

/** What circle `circleId`'s clearing account for `partnerCircleId` holds in a cycle (negative: the partner owes it time). */
async function clearingBalance(
  manager: Queryable,
  circleId: string,
  partnerCircleId: string,
  cycle: string,
): Promise<number> {
  const rows: Array<{ balance_minutes: number }> = await manager.query(
    `SELECT c.balance_minutes FROM accounts a JOIN account_cycles c ON c.account_id = a.id AND c.cycle = $3
     WHERE a.circle_id = $1 AND a.kind = 'CLEARING' AND a.partner_circle_id = $2`,
    [circleId, partnerCircleId, cycle],
  );
  return rows[0]?.balance_minutes ?? 0;
}

/**
 * An organizer of either circle ends the link. A proposal that was never accepted is withdrawn at
 * once; an active link ends at once when the balance of trade is settled, otherwise it is ending:
 * no new proposals, only exchanges that settle, until the balance reaches zero or the new moon.
 */
export async function endSisterLink(
  db: DataSource,
  linkId: string,
  organizer: Membership,
  clock: () => Date,
): Promise<SisterLink> {
  return db.transaction(async (manager) => {
    const link = await lockLink(manager, linkId);
    if (!link || (link.proposerCircleId !== organizer.circleId && link.accepterCircleId !== organizer.circleId))
      throw notFound(NO_SUCH_LINK);
    const now = clock();
    const status = effectiveLinkStatus(link, cycleContaining(now).label);
    if (status === "ENDED") throw conflict("This sister link has already ended.");
    if (status === "ENDING") return link;
    for (const circleId of [link.proposerCircleId, link.accepterCircleId].sort())
      await holdCycleBarrierShared(manager, circleId);
    const balance =
      status === "ACTIVE"
        ? await clearingBalance(manager, link.proposerCircleId, link.accepterCircleId, cycleContaining(now).label)
        : 0;
    const rows: [Raw[], number] = await manager.query(
      balance === 0
        ? `UPDATE sister_links SET status = 'ENDED', end_requested_at = $2, ended_at = $2 WHERE id = $1 RETURNING *`
        : `UPDATE sister_links SET status = 'ENDING', end_requested_at = $2 WHERE id = $1 RETURNING *`,
      [linkId, now],
    );
    return toLink(rows[0][0]);
  });
}

/** A link that was ending when a new moon passed has ended, whether or not an expiry has recorded it yet. */
export function effectiveLinkStatus(
  link: Pick<SisterLink, "status" | "endRequestedAt">,
  currentCycle: string,
): SisterLinkStatus {
  if (link.status === "ENDING" && link.endRequestedAt && cycleContaining(link.endRequestedAt).label < currentCycle)
    return "ENDED";
  return link.status;
}

/** Records, when a circle's cycle expires, that its links which were ending have ended. */
export async function endLinksAtNewMoon(manager: Queryable, circleId: string, cycleEndsAt: Date): Promise<void> {
  await manager.query(
    `UPDATE sister_links SET status = 'ENDED', ended_at = $2
     WHERE status = 'ENDING' AND $1 IN (proposer_circle_id, accepter_circle_id) AND end_requested_at < $2`,
    [circleId, cycleEndsAt],
  );
  await manager.query(
    `UPDATE sister_exchanges SET status = 'EXPIRED', decided_at = $2
     WHERE status = 'PENDING' AND $1 IN (provider_circle_id, receiver_circle_id) AND proposed_at < $2`,
    [circleId, cycleEndsAt],
  );
}

/** A circle's links, newest first (at most MAX_LIVE_SISTER_LINKS live ones, plus ended ones). */
export async function linksOfCircle(db: DataSource, circleId: string, limit: number): Promise<SisterLink[]> {
  const rows: Raw[] = await db.query(
    `SELECT * FROM sister_links WHERE $1 IN (proposer_circle_id, accepter_circle_id) ORDER BY proposed_at DESC, id DESC LIMIT $2`,
    [circleId, limit],
  );
  return rows.map(toLink);
}

export interface SisterListing {
  id: string;
  circleId: string;
  kind: "OFFER" | "REQUEST";
  skills: string[];
  description: string;
  publishedAt: Date;
}

/** Open listings that members of active sister circles chose to show to `circleId`, newest first. Never the member behind them. */
export async function sisterListingsFor(
  db: DataSource,
  circleId: string,
  page: { after?: InstantCursor; limit: number },
): Promise<SisterListing[]> {
  const rows: Raw[] = await db.query(
    `SELECT l.id, l.circle_id, l.kind, l.skills, l.description, l.published_at
     FROM sister_links s
     JOIN listings l ON l.circle_id = CASE WHEN s.proposer_circle_id = $1 THEN s.accepter_circle_id ELSE s.proposer_circle_id END
     WHERE s.status = 'ACTIVE' AND $1 IN (s.proposer_circle_id, s.accepter_circle_id)
       AND l.withdrawn_at IS NULL AND l.is_visible_to_sisters
       AND ($2::timestamptz IS NULL OR (l.published_at, l.id) < ($2, $3::uuid))
     ORDER BY l.published_at DESC, l.id DESC LIMIT $4`,
    [circleId, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    circleId: row.circle_id,
    kind: row.kind as "OFFER" | "REQUEST",
    skills: row.skills,
    description: row.description,
    publishedAt: row.published_at,
  }));
}

export interface SisterExchange {
  id: string;
  linkId: string;
  listingId: string;
  providerCircleId: string;
  providerMemberId: string;
  receiverCircleId: string;
  receiverMemberId: string;
  proposerMemberId: string;
  minutes: number;
  skill: string;
  note: string;
  status: ExchangeStatus;
  proposedAt: Date;
  proposedCycle: string;
  decidedAt: Date | null;
}

function toSisterExchange(row: Raw): SisterExchange {
  return {
    id: row.id,
    linkId: row.link_id,
    listingId: row.listing_id,
    providerCircleId: row.provider_circle_id,
    providerMemberId: row.provider_member_id,
    receiverCircleId: row.receiver_circle_id,
    receiverMemberId: row.receiver_member_id,
    proposerMemberId: row.proposer_member_id,
    minutes: row.minutes,
    skill: row.skill,
    note: row.note,
    status: row.status as ExchangeStatus,
    proposedAt: row.proposed_at,
    proposedCycle: row.proposed_cycle,
    decidedAt: row.decided_at,
  };
}

export const NO_SUCH_SISTER_LISTING = "No listing with that id is open to your circle.";
export const NO_SUCH_SISTER_EXCHANGE = "No sister exchange with that id among yours.";

/**
 * A member of `circleId` proposes an exchange against a listing a member of an active sister circle
 * showed to sisters: against an OFFER they receive, against a REQUEST they provide. The listing's
 * member confirms or declines, as for any exchange.
 */
export async function proposeSisterExchange(
  db: DataSource,
  proposal: {
    circleId: string;
    memberId: string;
    listingId: string;
    minutes: number;
    skill: string | null;
    note: string;
    /** A retry with the same key by the same member returns the first attempt's exchange. */
    idempotencyKey?: string | null;
  },
  now: Date,
): Promise<SisterExchange> {
  if (!isUuid(proposal.listingId)) throw notFound(NO_SUCH_SISTER_LISTING);
  const earlierWithKey = async (manager: EntityManager): Promise<SisterExchange | undefined> => {
    if (!proposal.idempotencyKey) return undefined;
    const [earlier]: Raw[] = await manager.query(
      `SELECT * FROM sister_exchanges WHERE proposer_member_id = $1 AND idempotency_key = $2`,
      [proposal.memberId, proposal.idempotencyKey],
    );
    if (!earlier) return undefined;
    const exchange = toSisterExchange(earlier);
    const isSame =
      exchange.listingId === proposal.listingId &&
      exchange.minutes === proposal.minutes &&
      exchange.note === proposal.note &&
      (proposal.skill === null || exchange.skill === proposal.skill);
    if (!isSame)
      throw conflict(
        "This idempotency key was already used for a different sister exchange; use a new key for a new exchange.",
      );
    return exchange;
  };
  return db.transaction(async (manager) => {
    await lockActingAccount(manager, proposal.circleId, proposal.memberId, now, "share");
    // A retry answers with what the first attempt made, even if the listing was withdrawn since.
    const earlier = await earlierWithKey(manager);
    if (earlier) return earlier;
    const rows: Raw[] = await manager.query(
      `SELECT l.id, l.circle_id, l.member_id, l.kind, l.skills, s.id AS link_id
       FROM listings l JOIN sister_links s ON s.status = 'ACTIVE'
         AND ((s.proposer_circle_id = $2 AND s.accepter_circle_id = l.circle_id) OR (s.accepter_circle_id = $2 AND s.proposer_circle_id = l.circle_id))
       WHERE l.id = $1 AND l.withdrawn_at IS NULL AND l.is_visible_to_sisters
       FOR SHARE OF l`,
      [proposal.listingId, proposal.circleId],
    );
    const listing = rows[0];
    if (!listing) throw notFound(NO_SUCH_SISTER_LISTING);
    const [publisher]: Array<{ closed_at: Date | null }> = await manager.query(
      `SELECT closed_at FROM accounts WHERE member_id = $1`,
      [listing.member_id],
    );
    if (!publisher || publisher.closed_at) throw notFound(NO_SUCH_SISTER_LISTING);
    const skill = proposal.skill ?? listing.skills[0];
    if (!listing.skills.includes(skill))
      throw badInput(`This listing is for ${listing.skills.join(", ")}; choose one of those skills.`);
    const isOffer = listing.kind === "OFFER";
    const [provider, receiver] = isOffer
      ? [
          { circleId: listing.circle_id, memberId: listing.member_id },
          { circleId: proposal.circleId, memberId: proposal.memberId },
        ]
      : [
          { circleId: proposal.circleId, memberId: proposal.memberId },
          { circleId: listing.circle_id, memberId: listing.member_id },
        ];
    const inserted: Raw[] = await manager.query(
      `INSERT INTO sister_exchanges (link_id, listing_id, provider_circle_id, provider_member_id, receiver_circle_id, receiver_member_id, proposer_member_id,
         minutes, skill, note, proposed_at, proposed_cycle, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (proposer_member_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING *`,
      [
        listing.link_id,
        listing.id,
        provider.circleId,
        provider.memberId,
        receiver.circleId,
        receiver.memberId,
        proposal.memberId,
        proposal.minutes,
        skill,
        proposal.note,
        now,
        cycleContaining(now).label,
        proposal.idempotencyKey ?? null,
      ],
    );
    if (inserted.length === 0) return (await earlierWithKey(manager))!;
    return toSisterExchange(inserted[0]);
  });
}

/** The party the caller is in this sister exchange, or undefined when they take no part. */
function partyOf(exchange: SisterExchange, memberships: readonly Membership[]): Membership | undefined {
  return memberships.find(
    (m) =>
      (m.circleId === exchange.providerCircleId && m.memberId === exchange.providerMemberId) ||
      (m.circleId === exchange.receiverCircleId && m.memberId === exchange.receiverMemberId),
  );
}

/**
 * Confirms, declines or cancels a sister exchange. Confirmation holds both circles' cycle barriers,
 * locks both members' accounts and both clearing accounts in id order (so confirmations between a
 * pair take turns on the clearing accounts and the balance-of-trade limit holds under concurrency),
 * reads the clock once, checks each member against their own circle's floor and ceiling and the
 * pair against its limit, writes one CLEARING transfer in each circle's ledger, and asserts that
 * every balance equals its entries and that the two clearing accounts mirror each other.
 */
export async function decideSisterExchange(
  db: DataSource,
  decision: { exchangeId: string; action: ExchangeAction; memberships: readonly Membership[]; clock: () => Date },
): Promise<SisterExchange> {
  if (!isUuid(decision.exchangeId)) throw notFound(NO_SUCH_SISTER_EXCHANGE);
  return db.transaction(async (manager) => {
    const rows: Raw[] = await manager.query(`SELECT * FROM sister_exchanges WHERE id = $1 FOR UPDATE`, [
      decision.exchangeId,
    ]);
    const exchange = rows[0] && toSisterExchange(rows[0]);
    const party = exchange && partyOf(exchange, decision.memberships);
    if (!exchange || !party) throw notFound(NO_SUCH_SISTER_EXCHANGE);
    const state = {
      status: exchange.status,
      proposerMemberId: exchange.proposerMemberId,
      proposedCycle: exchange.proposedCycle,
    };
    if (decision.action !== "confirm") {
      const now = decision.clock();
      const problem = exchangeActionProblem(state, decision.action, party.memberId, cycleContaining(now).label);
      if (problem) throw problem.code === "FORBIDDEN" ? forbidden(problem.problem) : conflict(problem.problem);
      const [decided]: [Raw[], number] = await manager.query(
        `UPDATE sister_exchanges SET status = $2, decided_at = $3 WHERE id = $1 RETURNING *`,
        [exchange.id, statusAfter[decision.action], now],
      );
      return toSisterExchange(decided[0]);
    }
    return confirmSisterExchange(manager, exchange, party.memberId, decision.clock);
  });
}

async function confirmSisterExchange(
  manager: EntityManager,
  exchange: SisterExchange,
  confirmerMemberId: string,
  clock: () => Date,
): Promise<SisterExchange> {
  const { providerCircleId: p, receiverCircleId: r } = exchange;
  for (const circleId of [p, r].sort()) await holdCycleBarrierShared(manager, circleId);
  const accounts: Array<{
    id: string;
    circle_id: string;
    kind: string;
    member_id: string | null;
    partner_circle_id: string | null;
    closed_at: Date | null;
  }> = await manager.query(
    `SELECT id, circle_id, kind, member_id, partner_circle_id, closed_at FROM accounts
     WHERE (circle_id = $1 AND member_id = $2) OR (circle_id = $3 AND member_id = $4)
        OR (kind = 'CLEARING' AND ((circle_id = $1 AND partner_circle_id = $3) OR (circle_id = $3 AND partner_circle_id = $1)))
     ORDER BY id FOR UPDATE`,
    [p, exchange.providerMemberId, r, exchange.receiverMemberId],
  );
  const provider = accounts.find((a) => a.member_id === exchange.providerMemberId);
  const receiver = accounts.find((a) => a.member_id === exchange.receiverMemberId);
  const providerClearing = accounts.find((a) => a.kind === "CLEARING" && a.circle_id === p);
  const receiverClearing = accounts.find((a) => a.kind === "CLEARING" && a.circle_id === r);
  if (!provider || !receiver || !providerClearing || !receiverClearing)
    throw new Error(`Sister exchange ${exchange.id} is missing an account.`);
  const confirmer = provider.member_id === confirmerMemberId ? provider : receiver;
  if (confirmer.closed_at) throw forbidden(LEFT_THE_CIRCLE);
  if (provider.closed_at || receiver.closed_at)
    throw notFound("The other party has left their circle, so this exchange can no longer be confirmed.");

  const confirmedAt = clock();
  const cycle = cycleContaining(confirmedAt).label;
  const problem = exchangeActionProblem(
    { status: exchange.status, proposerMemberId: exchange.proposerMemberId, proposedCycle: exchange.proposedCycle },
    "confirm",
    confirmerMemberId,
    cycle,
  );
  if (problem) throw problem.code === "FORBIDDEN" ? forbidden(problem.problem) : conflict(problem.problem);

  const [linkRow]: Raw[] = await manager.query(`SELECT * FROM sister_links WHERE id = $1 FOR UPDATE`, [
    exchange.linkId,
  ]);
  const link = toLink(linkRow);
  const settings: Array<{
    circle_id: string;
    floor_minutes: number;
    ceiling_minutes: number;
    expired_through: string | null;
  }> = await manager.query(
    `SELECT circle_id, floor_minutes, ceiling_minutes, expired_through FROM circle_settings WHERE circle_id = ANY($1::uuid[])`,
    [[p, r]],
  );
  if (settings.some((s) => s.expired_through !== null && s.expired_through >= cycle)) throw conflict(CYCLE_EXPIRING);
  const balances: Array<{ account_id: string; balance_minutes: number }> = await manager.query(
    `SELECT account_id, balance_minutes FROM account_cycles WHERE account_id = ANY($1::uuid[]) AND cycle = $2`,
    [[provider.id, receiver.id, providerClearing.id], cycle],
  );
  const balanceOf = (accountId: string) => balances.find((b) => b.account_id === accountId)?.balance_minutes ?? 0;
  const limitsOf = (circleId: string) => {
    const row = settings.find((s) => s.circle_id === circleId)!;
    return { floorMinutes: row.floor_minutes, ceilingMinutes: row.ceiling_minutes };
  };
  const audience = (memberId: string | null) =>
    memberId === confirmerMemberId ? ("owner" as const) : ("counterpart" as const);
  const limitProblem = sisterMemberLimitProblem(
    { balanceMinutes: balanceOf(provider.id), audience: audience(provider.member_id), limits: limitsOf(p) },
    { balanceMinutes: balanceOf(receiver.id), audience: audience(receiver.member_id), limits: limitsOf(r) },
    exchange.minutes,
  );
  if (limitProblem) throw badInput(limitProblem);
  const tradeProblem = balanceOfTradeProblem(
    balanceOf(providerClearing.id),
    exchange.minutes,
    link.balanceLimitMinutes,
    effectiveLinkStatus(link, cycle),
  );
  if (tradeProblem) throw badInput(tradeProblem);

  const transfers = clearingTransfers(
    {
      providerAccountId: provider.id,
      providerClearingAccountId: providerClearing.id,
      receiverAccountId: receiver.id,
      receiverClearingAccountId: receiverClearing.id,
    },
    exchange.minutes,
  );
  const inProvider = await postTransfers(
    manager,
    p,
    [{ ...transfers.inProviderCircle, cycle, sisterExchangeId: exchange.id }],
    confirmedAt,
  );
  const inReceiver = await postTransfers(
    manager,
    r,
    [{ ...transfers.inReceiverCircle, cycle, sisterExchangeId: exchange.id }],
    confirmedAt,
  );
  if (inProvider.length !== 1 || inReceiver.length !== 1)
    throw new Error(`Sister exchange ${exchange.id} already has transfers although it was pending.`);
  await assertCycleBalancesMatchEntries(manager, touchedAccountCycles([...inProvider, ...inReceiver]));
  const [mirror]: Array<{ provider_side: number | null; receiver_side: number | null }> = await manager.query(
    `SELECT (SELECT balance_minutes FROM account_cycles WHERE account_id = $1 AND cycle = $3) AS provider_side,
            (SELECT balance_minutes FROM account_cycles WHERE account_id = $2 AND cycle = $3) AS receiver_side`,
    [providerClearing.id, receiverClearing.id, cycle],
  );
  if ((mirror.provider_side ?? 0) !== -(mirror.receiver_side ?? 0)) {
    throw new LedgerInvariantError(
      `Clearing accounts of ${p} and ${r} disagree in ${cycle}: ${mirror.provider_side} and ${mirror.receiver_side}.`,
    );
  }
  if (link.status === "ENDING" && (mirror.provider_side ?? 0) === 0) {
    await manager.query(`UPDATE sister_links SET status = 'ENDED', ended_at = $2 WHERE id = $1`, [
      link.id,
      confirmedAt,
    ]);
  }
  for (const [circleId, memberId] of [
    [p, exchange.providerMemberId],
    [r, exchange.receiverMemberId],
  ]) {
    await emitEvent(
      manager,
      "exchange.confirmed",
      { circleId, exchangeId: exchange.id, cycle, minutes: exchange.minutes, memberIds: [memberId] },
      confirmedAt,
    );
  }
  const [updated]: [Raw[], number] = await manager.query(
    `UPDATE sister_exchanges SET status = 'CONFIRMED', decided_at = $2 WHERE id = $1 RETURNING *`,
    [exchange.id, confirmedAt],
  );
  return toSisterExchange(updated[0]);
}

/** The caller's sister exchanges in a circle, newest first. */
export async function memberSisterExchanges(
  db: DataSource,
  query: { circleId: string; memberId: string; after?: InstantCursor; limit: number },
): Promise<SisterExchange[]> {
  const rows: Raw[] = await db.query(
    `SELECT * FROM sister_exchanges
     WHERE ((provider_circle_id = $1 AND provider_member_id = $2) OR (receiver_circle_id = $1 AND receiver_member_id = $2))
       AND ($3::timestamptz IS NULL OR (proposed_at, id) < ($3, $4::uuid))
     ORDER BY proposed_at DESC, id DESC LIMIT $5`,
    [query.circleId, query.memberId, query.after?.at ?? null, query.after?.id ?? null, query.limit],
  );
  return rows.map(toSisterExchange);
}

/** A pair's trade in one cycle: minutes each way and the distinct members of both circles who took part. */
export async function sisterTradeOf(
  db: DataSource,
  circleId: string,
  sisterCircleId: string,
  cycle: string,
): Promise<SisterTradeFigures> {
  const [row]: Array<{ given: string; received: string; participants: string }> = await db.query(
    `WITH confirmed AS (
       SELECT x.* FROM sister_exchanges x JOIN transfers t ON t.sister_exchange_id = x.id AND t.circle_id = x.provider_circle_id
       WHERE t.cycle = $3 AND ((x.provider_circle_id = $1 AND x.receiver_circle_id = $2) OR (x.provider_circle_id = $2 AND x.receiver_circle_id = $1))
     )
     SELECT COALESCE(sum(minutes) FILTER (WHERE provider_circle_id = $1), 0) AS given,
            COALESCE(sum(minutes) FILTER (WHERE provider_circle_id = $2), 0) AS received,
            (SELECT count(*) FROM (SELECT provider_member_id FROM confirmed UNION SELECT receiver_member_id FROM confirmed) AS members) AS participants
     FROM confirmed`,
    [circleId, sisterCircleId, cycle],
  );
  return {
    minutesGiven: Number(row.given),
    minutesReceived: Number(row.received),
    participantCount: Number(row.participants),
  };
}
