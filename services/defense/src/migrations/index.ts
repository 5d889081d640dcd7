import { DefenseSchema1795498809317 } from "./0001-defense-schema.js";

/** defense's migrations in the order they run, for its service definition. */
export const defenseMigrations = [DefenseSchema1795498809317];
