import { SovereigntySchema1795498809819 } from "./0001-sovereignty-schema.js";
import { WaitingNeeds1795498809820 } from "./0002-waiting-needs.js";
import { FrozenFigures1795498809821 } from "./0003-frozen-figures.js";
import { IdempotencyKeysOfAnyString1795498809822 } from "./0004-idempotency-keys-of-any-string.js";
import { MoneyRates1795498809823 } from "./0005-money-rates.js";

/** sovereignty's migrations in the order they run, for its service definition. */
export const sovereigntyMigrations = [
  SovereigntySchema1795498809819,
  WaitingNeeds1795498809820,
  FrozenFigures1795498809821,
  IdempotencyKeysOfAnyString1795498809822,
  MoneyRates1795498809823,
];
