import { SovereigntySchema1795498809819 } from "./0001-sovereignty-schema.js";

/** sovereignty's migrations in the order they run, for its service definition. */
export const sovereigntyMigrations = [SovereigntySchema1795498809819];
