import { AccountRow } from "./account.js";
import { CircleSettingsRow } from "./circle-settings.js";
import { ExchangeRow } from "./exchange.js";
import { ExpiryRunRow } from "./expiry-run.js";
import { ListingRow } from "./listing.js";
import { EntryRow, TransferRow } from "./transfer.js";

export const barterEntities = [
  CircleSettingsRow,
  AccountRow,
  ExchangeRow,
  TransferRow,
  EntryRow,
  ExpiryRunRow,
  ListingRow,
];
