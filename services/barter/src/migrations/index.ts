import { BarterSchema1795420900000 } from "./0001-barter-schema.js";
import { RecordedCycleFigures1795421000000 } from "./0002-recorded-cycle-figures.js";
import { MemberLeaving1795421100000 } from "./0003-member-leaving.js";
import { KitRegistries1795600000100 } from "./0004-kit-registries.js";
import { CycleBalances1795700000000 } from "./0005-cycle-balances.js";
import { SisterCircles1795700000100 } from "./0006-sister-circles.js";
import { ThemedCycles1795700000200 } from "./0007-themed-cycles.js";
import { SisterExchangeIdempotency1796500000300 } from "./0008-sister-exchange-idempotency.js";
import { CreditCommons1796500000600 } from "./0009-credit-commons.js";
import { CreditCommonsRetries1796600000000 } from "./0010-credit-commons-retries.js";

/** Barter's migrations in the order they run, for its service definition. */
export const barterMigrations = [
  BarterSchema1795420900000,
  RecordedCycleFigures1795421000000,
  MemberLeaving1795421100000,
  KitRegistries1795600000100,
  CycleBalances1795700000000,
  SisterCircles1795700000100,
  ThemedCycles1795700000200,
  SisterExchangeIdempotency1796500000300,
  CreditCommons1796500000600,
  CreditCommonsRetries1796600000000,
];
