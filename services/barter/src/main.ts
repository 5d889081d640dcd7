import { ConfigError, createLogger, runAsMain, startService } from "@rhizome/kit";
import { ungraftProblems } from "./credit-commons/graft.js";
import { nodeConfigOf } from "./credit-commons/node-config.js";
import { barterService } from "./service.js";

runAsMain(async () => {
  const running = await startService(barterService);
  // An operator may drop a neighbouring node from the configuration only once it is settled.
  const node = nodeConfigOf(running.runtime.config);
  const problems = node ? await ungraftProblems(running.runtime.db, node, running.runtime.clock()) : [];
  if (problems.length > 0) {
    await running.stop();
    throw new ConfigError(`Configuration is invalid:\n  ${problems.join("\n  ")}`);
  }
  return running;
}, createLogger(barterService.name));
