import { startTestService, metricValue, graphql as post, type TestService } from "@rhizome/kit/testing";
import type { Clock } from "@rhizome/kit";
import { barterService } from "../../src/service.js";
import type { GraphQLResponse } from "./graphql.js";

/**
 * A barter service started in the test process (kit's startTestService) with a clock of the
 * test's choosing and a metrics registry of its own: counters (confirmed exchanges, SQL statements
 * sent) that no other test file moves, and instants that do not depend on when the run happens.
 */
export interface InProcessBarter {
  service: TestService<never>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
  graphql<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<Data>["body"]>;
  /** The value of one counter (summed over its labels) on this instance's registry. */
  metricValue(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** With role "api" (the default here) it runs no workers, so every SQL statement it counts comes from the requests a test sends. */
export async function startInProcessBarter(options: { clock: Clock; role?: "api" | "all" }): Promise<InProcessBarter> {
  const service = await startTestService(barterService, { clock: options.clock, env: { ROLE: options.role ?? "api" } });
  return {
    // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
    service: service as unknown as TestService<never>,
    async graphql(query, variables = {}, token) {
      // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
      return (await post(service.url, query, variables, token)).body as never;
    },
    metricValue: (name) => metricValue(service, name),
    stop: () => service.stop(),
  };
}
