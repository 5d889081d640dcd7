import { NetworkSchema1795420800000 } from "./0001-network-schema.js";
import { NetworkSessionsAndLeaving1795700000000 } from "./0002-sessions-and-leaving.js";
import { NetworkNoInbox1795700000100 } from "./0003-no-inbox.js";
import { NetworkSessionIds1795700000200 } from "./0004-session-ids.js";
import { NetworkBlocSnapshots1795700000300 } from "./0005-bloc-snapshots.js";
import { NetworkPersistedOperations1795700000400 } from "./0006-persisted-operations.js";
import { NetworkSisterExchangeParties1795700000500 } from "./0007-sister-exchange-parties.js";
import { NetworkBlocChanges1795700000600 } from "./0008-bloc-changes.js";
import { NetworkEndedSessions1795700000700 } from "./0009-ended-sessions.js";
import { NetworkEndedSessionsByEnd1795700001000 } from "./0010-ended-sessions-by-end.js";

/** Network's migrations in the order they run, for its service definition. */
export const networkMigrations = [
  NetworkSchema1795420800000,
  NetworkSessionsAndLeaving1795700000000,
  NetworkNoInbox1795700000100,
  NetworkSessionIds1795700000200,
  NetworkBlocSnapshots1795700000300,
  NetworkPersistedOperations1795700000400,
  NetworkSisterExchangeParties1795700000500,
  NetworkBlocChanges1795700000600,
  NetworkEndedSessions1795700000700,
  NetworkEndedSessionsByEnd1795700001000,
];
