import type { DataSource } from "typeorm";
import DataLoader from "dataloader";
import {
  loaderByUuid,
  remoteMemberBlocLookup,
  type MemberBlocLookup,
  type ServiceContext,
  type ServiceRuntime,
} from "@rhizome/kit";
import type { GovernanceConfig } from "./config.js";
import type { PublishedComposition, SeatCounts } from "./domain/composition.js";
import { deadlinesOf, type Deadlines } from "./jobs/deadlines.js";
import { bodiesByIds, seatCountsOf, seatHoldersOf, type BodyRow } from "./store/bodies.js";
import { publishedCompositionsOf } from "./store/compositions.js";
import { articlesByIds, type ArticleRow } from "./store/constitution.js";
import { assembliesByIds, type AssemblyRow } from "./store/assemblies.js";
import { experimentsByIds, type ExperimentRow } from "./store/experiments.js";
import { pactsByIds, type PactRow } from "./store/pacts.js";
import { powerNodesByIds, type PowerNodeRow } from "./store/power-map.js";
import { proposalsByIds, type ProposalRow } from "./store/proposals.js";
import { holdersOf, rolesByIds, rolesOfBodies, type RoleRow } from "./store/roles.js";

export type GovernanceLoaders = ReturnType<typeof createLoaders>;

/** What each request of governance sees: the kit's context, its loaders, network's bloc lookup and the deadline scheduler. */
export type GovernanceContext = ServiceContext<GovernanceConfig> &
  GovernanceLoaders & {
    blocOf: MemberBlocLookup;
    deadlines: Deadlines;
    compositions: DataLoader<BodyKey, PublishedComposition | undefined, string>;
  };

type BodyKey = { id: string; circleId: string; createdAt: Date };

const byKey = <V>(load: (keys: string[]) => Promise<V[]>) => new DataLoader<string, V>((keys) => load([...keys]));

/** Per-request DataLoaders: 500 references cost one query, not 500. */
export function createLoaders(db: DataSource) {
  return {
    bodies: loaderByUuid<BodyRow>(
      (row) => row.id,
      (ids) => bodiesByIds(db, ids),
    ),
    proposals: loaderByUuid<ProposalRow>(
      (row) => row.id,
      (ids) => proposalsByIds(db, ids),
    ),
    roles: loaderByUuid<RoleRow>(
      (row) => row.id,
      (ids) => rolesByIds(db, ids),
    ),
    pacts: loaderByUuid<PactRow>(
      (row) => row.id,
      (ids) => pactsByIds(db, ids),
    ),
    articles: loaderByUuid<ArticleRow>(
      (row) => row.id,
      (ids) => articlesByIds(db, ids),
    ),
    assemblies: loaderByUuid<AssemblyRow>(
      (row) => row.id,
      (ids) => assembliesByIds(db, ids),
    ),
    powerNodes: loaderByUuid<PowerNodeRow>(
      (row) => row.id,
      (ids) => powerNodesByIds(db, ids),
    ),
    experiments: loaderByUuid<ExperimentRow>(
      (row) => row.id,
      (ids) => experimentsByIds(db, ids),
    ),
    seatCounts: byKey<SeatCounts>((bodyIds) => seatCountsOf(db, bodyIds)),
    seatHolders: byKey<string[]>((bodyIds) => seatHoldersOf(db, bodyIds)),
    rolesOfBody: byKey<RoleRow[]>((bodyIds) => rolesOfBodies(db, bodyIds)),
    roleHolders: byKey<string[]>((roleIds) => holdersOf(db, roleIds)),
  };
}

const blocLookups = new WeakMap<object, MemberBlocLookup>();
const deadlineSchedulers = new WeakMap<object, Deadlines>();

export function createContext(
  base: ServiceContext<GovernanceConfig>,
  runtime: ServiceRuntime<GovernanceConfig>,
): GovernanceContext {
  let blocOf = blocLookups.get(runtime);
  if (!blocOf) {
    blocOf = remoteMemberBlocLookup({
      networkUrl: runtime.config.NETWORK_URL,
      tokenSecret: runtime.config.TOKEN_SECRET,
      service: runtime.name,
    });
    blocLookups.set(runtime, blocOf);
  }
  let deadlines = deadlineSchedulers.get(runtime);
  if (!deadlines) {
    deadlines = deadlinesOf(runtime);
    deadlineSchedulers.set(runtime, deadlines);
  }
  // Bodies' compositions as published in the cycle of this request's clock.
  const now = base.clock();
  const compositions = new DataLoader<BodyKey, PublishedComposition | undefined, string>(
    (bodies) => publishedCompositionsOf(base.db, bodies, now),
    { cacheKeyFn: (body) => body.id },
  );
  return { ...base, ...createLoaders(base.db), blocOf, deadlines, compositions };
}
