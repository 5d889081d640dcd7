import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { loaderByUuid, type InstantCursor, type ServiceContext } from "@rhizome/kit";
import type { NetworkConfig } from "./config.js";
import { apiKeyPagesOf, type ApiKeyRow } from "./store/api-keys.js";
import { circlesByIds, type CircleRow } from "./store/circles.js";
import { invitationPagesOf, type InvitationRow } from "./store/invitations.js";
import {
  blocCountsOf,
  memberPagesOf,
  membersByIds,
  type BlocCounts,
  type MemberRow,
  type MemberWithSortKey,
} from "./store/members.js";
import type { CirclePageKey } from "./store/pages.js";

/**
 * A request to network: the kit's context (caller, db, redis, config, `clock` — the one place a
 * request reads the time — and `eventsEmitted`) and network's loaders.
 */
export interface NetworkContext extends ServiceContext<NetworkConfig>, NetworkLoaders {}

/** One DataLoader of pages per list: every circle's page of a request in one query. */
function pageLoader<Cursor, Row>(load: (keys: ReadonlyArray<CirclePageKey<Cursor>>) => Promise<Row[][]>) {
  return new DataLoader<CirclePageKey<Cursor>, Row[], string>(load, {
    cacheKeyFn: (key) => JSON.stringify([key.circleId, key.limit, key.after ?? null]),
  });
}

/** The per-request loaders, so a list of 500 circles costs a few queries, not a few per circle. */
export function createLoaders(db: DataSource) {
  return {
    circles: loaderByUuid<CircleRow>(
      (row) => row.id,
      (ids) => circlesByIds(db, ids),
    ),
    members: loaderByUuid<MemberRow>(
      (row) => row.id,
      (ids) => membersByIds(db, ids),
    ),
    /** Present members per bloc, by circle id. */
    blocCounts: new DataLoader<string, BlocCounts>((circleIds) => blocCountsOf(db, circleIds)),
    /** Rows of a page of present members (one more than the page, to tell whether another follows). */
    memberPages: pageLoader<string, MemberWithSortKey>((keys) => memberPagesOf(db, keys)),
    invitationPages: pageLoader<InstantCursor, InvitationRow>((keys) => invitationPagesOf(db, keys)),
    apiKeyPages: pageLoader<InstantCursor, ApiKeyRow>((keys) => apiKeyPagesOf(db, keys)),
  };
}

export type NetworkLoaders = ReturnType<typeof createLoaders>;
