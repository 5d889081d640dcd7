/**
 * Governance reads and writes its tables with SQL in src/store (row types live beside each store
 * file), so TypeORM maps no entity; the tables themselves are defined by src/migrations.
 */
export const governanceEntities: Function[] = [];
