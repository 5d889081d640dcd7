import { KitWitnessedDraws1796000000000 } from "@rhizome/kit";
import { GovernanceSchema1795498808786 } from "./0001-governance-schema.js";
import { GovernanceBlocPrivacy1795498808787 } from "./0002-bloc-privacy.js";
import { GovernanceWitnessedDraws1796000000100 } from "./0003-witnessed-draws.js";
import { GovernanceSealedShadowAgenda1796000000200 } from "./0004-sealed-shadow-agenda.js";
import { GovernanceSmallBodiesAndScrubbedLog1796000000300 } from "./0005-small-bodies-and-scrubbed-log.js";

/** governance's migrations in the order they run, for its service definition. */
export const governanceMigrations = [
  GovernanceSchema1795498808786,
  GovernanceBlocPrivacy1795498808787,
  KitWitnessedDraws1796000000000,
  GovernanceWitnessedDraws1796000000100,
  GovernanceSealedShadowAgenda1796000000200,
  GovernanceSmallBodiesAndScrubbedLog1796000000300,
];
