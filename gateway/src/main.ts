import cluster from "node:cluster";
import { createLogger, loadConfig, runAsMain } from "@rhizome/kit/runtime";
import { gatewayConfigSchema } from "./config.js";
import { startGateway } from "./gateway.js";
import { perProcessConfig, startGatewayProcesses } from "./processes.js";
import { loadSupergraph } from "./supergraph.js";

const logger = createLogger("gateway");

runAsMain(async () => {
  const config = loadConfig(gatewayConfigSchema);
  if (config.GATEWAY_PROCESSES > 1 && cluster.isPrimary) return startGatewayProcesses(config, logger);
  const supergraph = loadSupergraph(config.SUPERGRAPH_PATH);
  const gateway = await startGateway(perProcessConfig(config, config.GATEWAY_PROCESSES), supergraph, logger, {
    isClusterWorker: cluster.isWorker,
  });
  return { stop: () => gateway.close() };
}, logger);
