import { createLogger, loadConfig, runAsMain } from "@rhizome/kit/edge";
import { gatewayConfigSchema } from "./config.js";
import { startGateway } from "./gateway.js";
import { loadSupergraph } from "./supergraph.js";

const logger = createLogger("gateway");

runAsMain(async () => {
  const config = loadConfig(gatewayConfigSchema);
  const supergraph = loadSupergraph(config.SUPERGRAPH_PATH);
  const gateway = await startGateway(config, supergraph, logger);
  return { stop: () => gateway.close() };
}, logger);
