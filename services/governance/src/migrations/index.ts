import { GovernanceSchema1795498808786 } from "./0001-governance-schema.js";
import { GovernanceBlocPrivacy1795498808787 } from "./0002-bloc-privacy.js";

/** governance's migrations in the order they run, for its service definition. */
export const governanceMigrations = [GovernanceSchema1795498808786, GovernanceBlocPrivacy1795498808787];
