/**
 * Defense reads and writes its tables with SQL in src/store (sealed columns, row locks, unique keys
 * as the guard against doing work twice), so it maps no TypeORM entities; the tables are in
 * src/migrations.
 */
export const defenseEntities: Array<new () => object> = [];
