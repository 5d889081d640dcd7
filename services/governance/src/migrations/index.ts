import { GovernanceSchema1795498808786 } from "./0001-governance-schema.js";

/** governance's migrations in the order they run, for its service definition. */
export const governanceMigrations = [GovernanceSchema1795498808786];
