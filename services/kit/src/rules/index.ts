/**
 * The circle rules: what a circle's domain code may use from the kit. Pure (no database, queue, HTTP
 * or GraphQL library comes with it): lunar cycles, the privacy rule for published figures, draws anyone
 * can recompute, circle roles, and a rule's refusal as plain data.
 */
export {
  boundariesBetween,
  cycleByLabel,
  cycleByLabelOrThrow,
  cycleContaining,
  cycleLabel,
  followingCycle,
  nextBoundaryAfter,
  nextNewMoon,
  precedingCycle,
  type LunarCycle,
} from "./lunar.js";
export {
  MIN_PEOPLE_PER_PUBLISHED_FIGURE,
  cellsToPublish,
  mayReplaceSnapshot,
  publishBreakdown,
  publishIfEnoughPeople,
  suppressSmallCount,
  type CohortChanges,
  type PeopleBehindCell,
} from "./privacy.js";
export { circleRoles, type CircleRole } from "./roles.js";
export {
  MAX_WITNESS_SEED_LENGTH,
  MIN_DRAW_WITNESSES,
  MIN_WITNESS_SEED_LENGTH,
  canonicalJson,
  checkWitnessedDraw,
  commitmentOf,
  drawInOrder,
  drawSeed,
  frozenPoolCommitment,
  seedsInCombinedOrder,
  witnessCommitment,
  witnessSeedProblem,
  witnessedDrawOrder,
  type FrozenDrawInput,
  type WitnessedDrawCheck,
} from "./sortition.js";
export { boundedText, isRefusal, type Refusal, type Verdict } from "./verdict.js";
