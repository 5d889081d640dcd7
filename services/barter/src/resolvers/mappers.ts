import type { ExchangeRow } from "../store/exchanges.js";
import type { ListingRow } from "../store/listings.js";
import { circleRef, Exchange, Listing, memberRef } from "./types.js";

export function toListing(row: ListingRow): Listing {
  return Object.assign(new Listing(), {
    id: row.id,
    circle: circleRef(row.circleId),
    member: memberRef(row.memberId),
    kind: row.kind,
    skills: row.skills,
    description: row.description,
    publishedAt: row.publishedAt,
    updatedAt: row.updatedAt,
    withdrawnAt: row.withdrawnAt,
    visibleToSisters: row.isVisibleToSisters,
  });
}

export function toExchange(row: ExchangeRow): Exchange {
  return Object.assign(new Exchange(), {
    id: row.id,
    circle: circleRef(row.circleId),
    provider: memberRef(row.providerMemberId),
    receiver: memberRef(row.receiverMemberId),
    proposer: memberRef(row.proposerMemberId),
    minutes: row.minutes,
    skill: row.skill,
    note: row.note,
    status: row.status,
    proposedAt: row.proposedAt,
    proposedCycle: row.proposedCycle,
    decidedAt: row.decidedAt,
  });
}
