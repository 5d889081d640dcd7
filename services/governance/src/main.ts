import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { governanceService } from "./service.js";

runAsMain(() => startService(governanceService), createLogger(governanceService.name));
