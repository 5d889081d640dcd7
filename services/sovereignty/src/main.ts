import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { sovereigntyService } from "./service.js";

runAsMain(() => startService(sovereigntyService), createLogger(sovereigntyService.name));
