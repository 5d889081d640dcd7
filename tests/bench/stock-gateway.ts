// A stock gateway for the gateway benchmark: `stock-gateway.ts apollo|hive <port> <supergraph file>`.
// No plugins, no limits, no auth: the runtime as its makers ship it, serving Rhizome's supergraph.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [kind, portText, supergraphPath] = process.argv.slice(2);
const port = Number(portText);
const supergraph = readFileSync(supergraphPath, "utf8");

async function start(): Promise<() => Promise<void>> {
  if (kind === "apollo") {
    const { ApolloServer } = await import("@apollo/server");
    const { startStandaloneServer } = await import("@apollo/server/standalone");
    const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
    const gateway = new ApolloGateway({
      supergraphSdl: supergraph,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest({ request, context }) {
            const authorization = (context as { authorization?: string }).authorization;
            if (authorization) request.http?.headers.set("authorization", authorization);
          },
        }),
    });
    const server = new ApolloServer({ gateway });
    await startStandaloneServer(server, {
      listen: { port, host: "127.0.0.1" },
      context: async ({ req }) => ({ authorization: req.headers.authorization }),
    });
    return () => server.stop();
  }
  if (kind === "hive") {
    const { createGatewayRuntime } = await import("@graphql-hive/gateway");
    const runtime = createGatewayRuntime({
      supergraph,
      logging: false,
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get("authorization") ?? undefined }),
      },
    });
    const server = createServer(runtime);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return async () => {
      server.close();
      server.closeAllConnections();
      await runtime.dispose();
    };
  }
  throw new Error(`Unknown gateway "${kind}": apollo or hive.`);
}

const stop = await start();
console.log(`${kind} gateway listening on ${port}`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void stop().finally(() => process.exit(0)));
}
