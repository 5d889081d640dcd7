import { cycleContaining, emitEvent, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { ExchangeStatus } from "../domain/exchanges.js";
import { LedgerInvariantError } from "../domain/ledger.js";
import type { SisterLinkStatus, SisterTradeFigures } from "../domain/sisters.js";
import { holdCycleBarrierShared } from "./cycle-barrier.js";
import {
  assertCycleBalancesMatchEntries,
  postTransfers,
  touchedAccountCycles,
  type PlannedTransfer,
} from "./transfers.js";

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

const LINK_COLUMNS = `id, proposer_circle_id, accepter_circle_id, balance_limit_minutes, status, proposed_at, accepted_at, end_requested_at, ended_at`;

/** Whether barter has heard of this circle (it has settings once any member of it acted or joined). */
export async function circleBarters(tx: Queryable, circleId: string): Promise<boolean> {
  return (await sqlRows(tx, `SELECT 1 FROM circle_settings WHERE circle_id = $1`, [circleId])).length > 0;
}

/** How many live links (proposed, active or ending) a circle has, with its own link proposals serialized. */
export async function lockLiveLinkCount(tx: Queryable, circleId: string): Promise<number> {
  await tx.query(`SELECT 1 FROM circle_settings WHERE circle_id = $1 FOR UPDATE`, [circleId]);
  const row = await sqlRow<{ live: number }>(
    tx,
    `SELECT count(*)::integer AS live FROM sister_links WHERE status <> 'ENDED' AND $1 IN (proposer_circle_id, accepter_circle_id)`,
    [circleId],
  );
  return row?.live ?? 0;
}

/** Records a proposed link; undefined when the pair already has one, proposed or active. */
export function insertLinkProposal(
  tx: Queryable,
  proposal: { circleId: string; sisterCircleId: string; balanceLimitMinutes: number },
  now: Date,
): Promise<SisterLink | undefined> {
  return sqlRow<SisterLink>(
    tx,
    `INSERT INTO sister_links (proposer_circle_id, accepter_circle_id, balance_limit_minutes, status, proposed_at)
     VALUES ($1, $2, $3, 'PROPOSED', $4) ON CONFLICT DO NOTHING RETURNING ${LINK_COLUMNS}`,
    [proposal.circleId, proposal.sisterCircleId, proposal.balanceLimitMinutes, now],
  );
}

/** The link, locked for the rest of the transaction, or undefined (the id must be a UUID). */
export function lockLink(tx: Queryable, linkId: string): Promise<SisterLink | undefined> {
  return sqlRow<SisterLink>(tx, `SELECT ${LINK_COLUMNS} FROM sister_links WHERE id = $1 FOR UPDATE`, [linkId]);
}

/** Opens the clearing account a circle keeps for a sister, if it has none yet. */
async function openClearingAccount(tx: Queryable, circleId: string, partnerCircleId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO accounts (circle_id, kind, partner_circle_id, opened_at) VALUES ($1, 'CLEARING', $2, $3)
     ON CONFLICT (circle_id, partner_circle_id) WHERE kind = 'CLEARING' DO NOTHING`,
    [circleId, partnerCircleId, now],
  );
}

/** The link becomes active and each circle opens its clearing account for the other. */
export async function activateLink(tx: Queryable, link: SisterLink, now: Date): Promise<SisterLink> {
  await openClearingAccount(tx, link.proposerCircleId, link.accepterCircleId, now);
  await openClearingAccount(tx, link.accepterCircleId, link.proposerCircleId, now);
  return updatedLink(
    tx,
    `UPDATE sister_links SET status = 'ACTIVE', accepted_at = $2 WHERE id = $1 RETURNING ${LINK_COLUMNS}`,
    link.id,
    now,
  );
}

async function updatedLink(tx: Queryable, statement: string, linkId: string, now: Date): Promise<SisterLink> {
  const link = await sqlRow<SisterLink>(tx, statement, [linkId, now]);
  if (!link) throw new Error(`Sister link ${linkId} vanished while it was locked.`);
  return link;
}

/**
 * What the proposer's clearing account for the accepter holds in a cycle (negative: the accepter
 * owes it time), read with both circles' cycle barriers held.
 */
export async function settlingBalance(tx: Queryable, link: SisterLink, cycle: string): Promise<number> {
  for (const circleId of [link.proposerCircleId, link.accepterCircleId].sort())
    await holdCycleBarrierShared(tx, circleId);
  const row = await sqlRow<{ balanceMinutes: number }>(
    tx,
    `SELECT c.balance_minutes FROM accounts a JOIN account_cycles c ON c.account_id = a.id AND c.cycle = $3
     WHERE a.circle_id = $1 AND a.kind = 'CLEARING' AND a.partner_circle_id = $2`,
    [link.proposerCircleId, link.accepterCircleId, cycle],
  );
  return row?.balanceMinutes ?? 0;
}

/** Ends the link at once (`ENDED`) or marks it ending until its balance of trade is settled (`ENDING`). */
export function markLinkEnd(tx: Queryable, linkId: string, status: "ENDED" | "ENDING", now: Date): Promise<SisterLink> {
  return updatedLink(
    tx,
    status === "ENDED"
      ? `UPDATE sister_links SET status = 'ENDED', end_requested_at = $2, ended_at = $2 WHERE id = $1 RETURNING ${LINK_COLUMNS}`
      : `UPDATE sister_links SET status = 'ENDING', end_requested_at = $2 WHERE id = $1 RETURNING ${LINK_COLUMNS}`,
    linkId,
    now,
  );
}

/** Records, when circles' cycle expires, that their links which were ending have ended (two statements for any number of circles). */
export async function endLinksAtNewMoon(
  manager: Queryable,
  circleIds: readonly string[],
  cycleEndsAt: Date,
): Promise<void> {
  await manager.query(
    `UPDATE sister_links SET status = 'ENDED', ended_at = $2
     WHERE status = 'ENDING' AND (proposer_circle_id = ANY($1::uuid[]) OR accepter_circle_id = ANY($1::uuid[])) AND end_requested_at < $2`,
    [circleIds, cycleEndsAt],
  );
  await manager.query(
    `UPDATE sister_exchanges SET status = 'EXPIRED', decided_at = $2
     WHERE status = 'PENDING' AND (provider_circle_id = ANY($1::uuid[]) OR receiver_circle_id = ANY($1::uuid[])) AND proposed_at < $2`,
    [circleIds, cycleEndsAt],
  );
}

/** A circle's links, newest first (at most MAX_LIVE_SISTER_LINKS live ones, plus ended ones). */
export function linksOfCircle(db: Queryable, circleId: string, limit: number): Promise<SisterLink[]> {
  return sqlRows<SisterLink>(
    db,
    `SELECT ${LINK_COLUMNS} FROM sister_links WHERE $1 IN (proposer_circle_id, accepter_circle_id) ORDER BY proposed_at DESC, id DESC LIMIT $2`,
    [circleId, limit],
  );
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
export function sisterListingsFor(
  db: Queryable,
  circleId: string,
  page: { after?: InstantCursor; limit: number },
): Promise<SisterListing[]> {
  return sqlRows<SisterListing>(
    db,
    `SELECT l.id, l.circle_id, l.kind, l.skills, l.description, l.published_at
     FROM sister_links s
     JOIN listings l ON l.circle_id = CASE WHEN s.proposer_circle_id = $1 THEN s.accepter_circle_id ELSE s.proposer_circle_id END
     WHERE s.status = 'ACTIVE' AND $1 IN (s.proposer_circle_id, s.accepter_circle_id)
       AND l.withdrawn_at IS NULL AND l.is_visible_to_sisters
       AND ($2::timestamptz IS NULL OR (l.published_at, l.id) < ($2, $3::uuid))
     ORDER BY l.published_at DESC, l.id DESC LIMIT $4`,
    [circleId, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
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

const SISTER_EXCHANGE_COLUMNS = `id, link_id, listing_id, provider_circle_id, provider_member_id, receiver_circle_id, receiver_member_id, proposer_member_id, minutes, skill, note, status, proposed_at, proposed_cycle, decided_at`;

/** The sister exchange a member proposed earlier with this idempotency key. */
export function sisterExchangeWithKey(
  tx: Queryable,
  proposerMemberId: string,
  idempotencyKey: string,
): Promise<SisterExchange | undefined> {
  return sqlRow<SisterExchange>(
    tx,
    `SELECT ${SISTER_EXCHANGE_COLUMNS} FROM sister_exchanges WHERE proposer_member_id = $1 AND idempotency_key = $2`,
    [proposerMemberId, idempotencyKey],
  );
}

/** A listing open to `circleId` through an active sister link, held FOR SHARE, with its publisher's account state. */
export interface OpenSisterListing {
  id: string;
  circleId: string;
  memberId: string;
  kind: "OFFER" | "REQUEST";
  skills: string[];
  linkId: string;
  publisherClosedAt: Date | null;
  hasPublisherAccount: boolean;
}

export async function shareSisterListing(
  tx: Queryable,
  listingId: string,
  circleId: string,
): Promise<OpenSisterListing | undefined> {
  const listing = await sqlRow<Omit<OpenSisterListing, "publisherClosedAt" | "hasPublisherAccount">>(
    tx,
    `SELECT l.id, l.circle_id, l.member_id, l.kind, l.skills, s.id AS link_id
     FROM listings l JOIN sister_links s ON s.status = 'ACTIVE'
       AND ((s.proposer_circle_id = $2 AND s.accepter_circle_id = l.circle_id) OR (s.accepter_circle_id = $2 AND s.proposer_circle_id = l.circle_id))
     WHERE l.id = $1 AND l.withdrawn_at IS NULL AND l.is_visible_to_sisters
     FOR SHARE OF l`,
    [listingId, circleId],
  );
  if (!listing) return undefined;
  const publisher = await sqlRow<{ closedAt: Date | null }>(tx, `SELECT closed_at FROM accounts WHERE member_id = $1`, [
    listing.memberId,
  ]);
  return { ...listing, hasPublisherAccount: publisher !== undefined, publisherClosedAt: publisher?.closedAt ?? null };
}

export interface NewSisterExchange {
  linkId: string;
  listingId: string;
  provider: { circleId: string; memberId: string };
  receiver: { circleId: string; memberId: string };
  proposerMemberId: string;
  minutes: number;
  skill: string;
  note: string;
  idempotencyKey: string | null;
}

/** Records a sister exchange; undefined when the proposer already used its idempotency key. */
export function insertSisterExchange(
  tx: Queryable,
  proposal: NewSisterExchange,
  now: Date,
): Promise<SisterExchange | undefined> {
  return sqlRow<SisterExchange>(
    tx,
    `INSERT INTO sister_exchanges (link_id, listing_id, provider_circle_id, provider_member_id, receiver_circle_id, receiver_member_id, proposer_member_id,
       minutes, skill, note, proposed_at, proposed_cycle, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (proposer_member_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${SISTER_EXCHANGE_COLUMNS}`,
    [
      proposal.linkId,
      proposal.listingId,
      proposal.provider.circleId,
      proposal.provider.memberId,
      proposal.receiver.circleId,
      proposal.receiver.memberId,
      proposal.proposerMemberId,
      proposal.minutes,
      proposal.skill,
      proposal.note,
      now,
      cycleContaining(now).label,
      proposal.idempotencyKey,
    ],
  );
}

/** The sister exchange, locked for the rest of the transaction, or undefined (the id must be a UUID). */
export function lockSisterExchange(tx: Queryable, exchangeId: string): Promise<SisterExchange | undefined> {
  return sqlRow<SisterExchange>(
    tx,
    `SELECT ${SISTER_EXCHANGE_COLUMNS} FROM sister_exchanges WHERE id = $1 FOR UPDATE`,
    [exchangeId],
  );
}

/** Marks a sister exchange decided and returns it as it now is. */
export async function markSisterDecided(
  tx: Queryable,
  exchangeId: string,
  status: ExchangeStatus,
  at: Date,
): Promise<SisterExchange> {
  const decided = await sqlRow<SisterExchange>(
    tx,
    `UPDATE sister_exchanges SET status = $2, decided_at = $3 WHERE id = $1 RETURNING ${SISTER_EXCHANGE_COLUMNS}`,
    [exchangeId, status, at],
  );
  if (!decided) throw new Error(`Sister exchange ${exchangeId} vanished while it was locked.`);
  return decided;
}

export interface SisterAccount {
  id: string;
  circleId: string;
  kind: string;
  memberId: string | null;
  partnerCircleId: string | null;
  closedAt: Date | null;
}

export interface SisterAccounts {
  provider: SisterAccount;
  receiver: SisterAccount;
  providerClearing: SisterAccount;
  receiverClearing: SisterAccount;
}

/**
 * Holds both circles' cycle barriers, then locks both members' accounts and both clearing accounts
 * in id order, so confirmations between a pair take turns on the clearing accounts and the
 * balance-of-trade limit holds under concurrency.
 */
export async function lockSisterAccounts(tx: Queryable, exchange: SisterExchange): Promise<SisterAccounts> {
  const { providerCircleId: p, receiverCircleId: r } = exchange;
  for (const circleId of [p, r].sort()) await holdCycleBarrierShared(tx, circleId);
  const accounts = await sqlRows<SisterAccount>(
    tx,
    `SELECT id, circle_id, kind, member_id, partner_circle_id, closed_at FROM accounts
     WHERE (circle_id = $1 AND member_id = $2) OR (circle_id = $3 AND member_id = $4)
        OR (kind = 'CLEARING' AND ((circle_id = $1 AND partner_circle_id = $3) OR (circle_id = $3 AND partner_circle_id = $1)))
     ORDER BY id FOR UPDATE`,
    [p, exchange.providerMemberId, r, exchange.receiverMemberId],
  );
  const provider = accounts.find((a) => a.memberId === exchange.providerMemberId);
  const receiver = accounts.find((a) => a.memberId === exchange.receiverMemberId);
  const providerClearing = accounts.find((a) => a.kind === "CLEARING" && a.circleId === p);
  const receiverClearing = accounts.find((a) => a.kind === "CLEARING" && a.circleId === r);
  if (!provider || !receiver || !providerClearing || !receiverClearing)
    throw new Error(`Sister exchange ${exchange.id} is missing an account.`);
  return { provider, receiver, providerClearing, receiverClearing };
}

export interface SisterCycleState {
  link: SisterLink;
  settings: Array<{ circleId: string; floorMinutes: number; ceilingMinutes: number; expiredThrough: string | null }>;
  /** Balances in the cycle by account id (absent: zero). */
  balances: Map<string, number>;
}

/** The link (locked), both circles' limits and expiry state, and the three balances a confirmation checks, in `cycle`. */
export async function readSisterCycleState(
  tx: Queryable,
  exchange: SisterExchange,
  accounts: SisterAccounts,
  cycle: string,
): Promise<SisterCycleState> {
  const link = await lockLink(tx, exchange.linkId);
  if (!link) throw new Error(`Sister exchange ${exchange.id} names no link.`);
  const settings = await sqlRows<SisterCycleState["settings"][number]>(
    tx,
    `SELECT circle_id, floor_minutes, ceiling_minutes, expired_through FROM circle_settings WHERE circle_id = ANY($1::uuid[])`,
    [[exchange.providerCircleId, exchange.receiverCircleId]],
  );
  const balances = await sqlRows<{ accountId: string; balanceMinutes: number }>(
    tx,
    `SELECT account_id, balance_minutes FROM account_cycles WHERE account_id = ANY($1::uuid[]) AND cycle = $2`,
    [[accounts.provider.id, accounts.receiver.id, accounts.providerClearing.id], cycle],
  );
  return { link, settings, balances: new Map(balances.map((b) => [b.accountId, b.balanceMinutes])) };
}

export interface SisterConfirmationPosting {
  exchange: SisterExchange;
  link: SisterLink;
  accounts: SisterAccounts;
  inProviderCircle: PlannedTransfer;
  inReceiverCircle: PlannedTransfer;
  cycle: string;
  confirmedAt: Date;
}

/** Both clearing accounts in a cycle; they must mirror each other. */
async function assertClearingMirror(tx: Queryable, posting: SisterConfirmationPosting): Promise<number> {
  const { accounts, cycle, exchange } = posting;
  const mirror = await sqlRow<{ providerSide: number | null; receiverSide: number | null }>(
    tx,
    `SELECT (SELECT balance_minutes FROM account_cycles WHERE account_id = $1 AND cycle = $3) AS provider_side,
            (SELECT balance_minutes FROM account_cycles WHERE account_id = $2 AND cycle = $3) AS receiver_side`,
    [accounts.providerClearing.id, accounts.receiverClearing.id, cycle],
  );
  const providerSide = mirror?.providerSide ?? 0;
  const receiverSide = mirror?.receiverSide ?? 0;
  if (providerSide !== -receiverSide) {
    throw new LedgerInvariantError(
      `Clearing accounts of ${exchange.providerCircleId} and ${exchange.receiverCircleId} disagree in ${cycle}: ${providerSide} and ${receiverSide}.`,
    );
  }
  return providerSide;
}

/**
 * Writes a sister confirmation the domain allowed: one CLEARING transfer in each circle's ledger,
 * the assertions that every balance equals its entries and that the two clearing accounts mirror
 * each other, the end of an ending link its exchange settled, exchange.confirmed for each circle,
 * and the exchange marked CONFIRMED.
 */
export async function postSisterConfirmation(
  tx: Queryable,
  posting: SisterConfirmationPosting,
): Promise<SisterExchange> {
  const { exchange, link, cycle, confirmedAt } = posting;
  const inProvider = await postTransfers(tx, exchange.providerCircleId, [posting.inProviderCircle], confirmedAt);
  const inReceiver = await postTransfers(tx, exchange.receiverCircleId, [posting.inReceiverCircle], confirmedAt);
  if (inProvider.length !== 1 || inReceiver.length !== 1)
    throw new Error(`Sister exchange ${exchange.id} already has transfers although it was pending.`);
  await assertCycleBalancesMatchEntries(tx, touchedAccountCycles([...inProvider, ...inReceiver]));
  const clearing = await assertClearingMirror(tx, posting);
  if (link.status === "ENDING" && clearing === 0)
    await tx.query(`UPDATE sister_links SET status = 'ENDED', ended_at = $2 WHERE id = $1`, [link.id, confirmedAt]);
  for (const [circleId, memberId] of [
    [exchange.providerCircleId, exchange.providerMemberId],
    [exchange.receiverCircleId, exchange.receiverMemberId],
  ]) {
    await emitEvent(
      tx,
      "exchange.confirmed",
      { circleId, exchangeId: exchange.id, cycle, minutes: exchange.minutes, memberIds: [memberId] },
      confirmedAt,
    );
  }
  return markSisterDecided(tx, exchange.id, "CONFIRMED", confirmedAt);
}

/** The caller's sister exchanges in a circle, newest first. */
export function memberSisterExchanges(
  db: Queryable,
  query: { circleId: string; memberId: string; after?: InstantCursor; limit: number },
): Promise<SisterExchange[]> {
  return sqlRows<SisterExchange>(
    db,
    `SELECT ${SISTER_EXCHANGE_COLUMNS} FROM sister_exchanges
     WHERE ((provider_circle_id = $1 AND provider_member_id = $2) OR (receiver_circle_id = $1 AND receiver_member_id = $2))
       AND ($3::timestamptz IS NULL OR (proposed_at, id) < ($3, $4::uuid))
     ORDER BY proposed_at DESC, id DESC LIMIT $5`,
    [query.circleId, query.memberId, query.after?.at ?? null, query.after?.id ?? null, query.limit],
  );
}

/** A pair's trade in one cycle: minutes each way and the distinct members of both circles who took part. */
export async function sisterTradeOf(
  db: Queryable,
  circleId: string,
  sisterCircleId: string,
  cycle: string,
): Promise<SisterTradeFigures> {
  const row = await sqlRow<{ given: string; received: string; participants: string }>(
    db,
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
    minutesGiven: Number(row?.given ?? 0),
    minutesReceived: Number(row?.received ?? 0),
    participantCount: Number(row?.participants ?? 0),
  };
}
