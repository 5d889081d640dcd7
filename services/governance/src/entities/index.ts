/**
 * Governance reads and writes its tables with SQL in src/store (row types live beside each store
 * file), so TypeORM maps no entity; the tables themselves are defined by src/migrations.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for lists of entity and migration classes
export const governanceEntities: Function[] = [];
