import { afterAll, beforeAll } from "vitest";
import type { DataSource } from "typeorm";
import { barterDatabase, closeBarterDatabase } from "./database.js";

/** Opens barter's schema in the test database before a file's tests and closes it after them. */
export function useBarterDatabase(receive: (db: DataSource) => void): void {
  beforeAll(async () => {
    receive(await barterDatabase());
  });
  afterAll(async () => {
    await closeBarterDatabase();
  });
}
